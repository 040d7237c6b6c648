"""Login lockout: repeated failures lock one account from one client, and one client across accounts;
the unused Django admin is gone."""

import logging

from django.contrib.auth import get_user_model

import pytest

PASSWORD = "richtig-Passwort-42"  # noqa: S105


def _login(client, username, password, ip="10.1.1.1", **extra):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _signed_in(response):
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("zhangsan", password=PASSWORD, is_staff=True)


@pytest.mark.django_db
def test_the_sixth_try_is_refused_even_with_the_right_password(client, editor):
    for _ in range(4):
        assert _login(client, "zhangsan", "wrong").status_code == 200  # the form again, with its error
    fifth = _login(client, "zhangsan", "wrong")
    assert fifth.status_code == 429
    sixth = _login(client, "zhangsan", PASSWORD)
    assert sixth.status_code == 429 and not _signed_in(sixth)
    page = sixth.content.decode()
    assert "登录失败次数过多" in page and "30 分钟后再试" in page and "系统管理员" in page
    assert sixth["Retry-After"] == "1800"


@pytest.mark.django_db
def test_four_failures_do_not_lock_and_the_right_password_still_works(client, editor):
    for _ in range(4):
        _login(client, "zhangsan", "wrong")
    assert _signed_in(_login(client, "zhangsan", PASSWORD))


@pytest.mark.django_db
def test_another_client_can_still_log_in_to_another_account(client, editor):
    get_user_model().objects.create_user("lisi", password=PASSWORD, is_staff=True)
    for _ in range(5):
        _login(client, "zhangsan", "wrong", ip="10.1.1.1")
    assert _login(client, "zhangsan", PASSWORD, ip="10.1.1.1").status_code == 429
    assert _signed_in(_login(client.__class__(), "lisi", PASSWORD, ip="10.2.2.2"))
    # Five failures for one account are far from the per-client limit: other accounts still get in.
    assert _signed_in(_login(client.__class__(), "lisi", PASSWORD, ip="10.1.1.1"))


@pytest.mark.django_db
def test_one_client_is_locked_out_across_usernames(client, editor, settings):
    settings.YIMEN_LOGIN_FAILURES_PER_CLIENT = 12
    for number in range(12):
        # Never five for one name: only the per-client count can lock.
        response = _login(client, f"guess{number % 3}", "wrong")
    assert response.status_code == 429
    refused = _login(client, "zhangsan", PASSWORD)
    assert refused.status_code == 429 and not _signed_in(refused)
    assert _signed_in(_login(client.__class__(), "zhangsan", PASSWORD, ip="10.3.3.3"))


@pytest.mark.django_db
def test_eleven_failures_across_usernames_do_not_lock_the_client(client, editor, settings):
    settings.YIMEN_LOGIN_FAILURES_PER_CLIENT = 12
    for number in range(11):
        _login(client, f"guess{number % 3}", "wrong")
    assert _signed_in(_login(client, "zhangsan", PASSWORD))


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_counts_the_address_the_rate_limits_use(client, editor, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for number in range(5):
        # The proxy's own address changes (several proxies); the client's stays the same.
        _login(client, "zhangsan", "wrong", ip=f"192.168.0.{number}", HTTP_X_REAL_IP="203.0.113.7")
    assert _login(client, "zhangsan", PASSWORD, ip="192.168.0.9", HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert _signed_in(_login(client.__class__(), "zhangsan", PASSWORD, ip="192.168.0.1", HTTP_X_REAL_IP="198.51.100.4"))


@pytest.mark.django_db
def test_failures_and_lockouts_are_logged(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(5):
            _login(client, "zhangsan", "wrong")
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("login failure" in m and "zhangsan" in m and "10.1.1.1" in m for m in messages)
    assert any("Locking out" in m for m in messages)


def test_the_logging_config_shows_axes_warnings_at_any_log_level(settings):
    assert settings.LOGGING["loggers"]["axes"]["level"] == "WARNING"


@pytest.mark.django_db
def test_the_django_admin_is_not_mounted(client, editor):
    client.force_login(get_user_model().objects.create_superuser("root", password=PASSWORD))
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


def test_client_login_still_works_in_tests(client, editor):
    assert client.login(username="zhangsan", password=PASSWORD)

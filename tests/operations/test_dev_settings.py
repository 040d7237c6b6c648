"""The development settings `./yimen start` serves with: its own address, and the portal's 404 page with DEBUG on."""

import importlib
import os
import subprocess
import sys

from django.conf import settings as django_settings

import pytest

from tests.factories import site_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev(settings, monkeypatch):
    """The test settings with DEBUG and the middleware exactly as portal/settings/dev.py has them."""
    monkeypatch.setenv("SECRET_KEY", "tests-only-not-secret")  # keeps dev.py from writing var/secret_key
    dev_settings = importlib.import_module("portal.settings.dev")
    settings.DEBUG = dev_settings.DEBUG
    settings.MIDDLEWARE = dev_settings.MIDDLEWARE
    assert settings.DEBUG is True
    site_structure()
    return settings


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",  # matches Wagtail's page pattern; its view raises Http404
        "/services/no-such-guide/",
        "/robots-missing.txt",  # matches no URL pattern at all
    ],
)
def test_unknown_address_answers_the_chinese_404_page_with_debug_on(dev, client, path):
    response = client.get(path)

    assert response.status_code == 404
    body = response.content.decode()
    assert "抱歉，没有找到这个页面" in body
    for leftover in ("Page not found", "URLconf", "DEBUG = True", "Using the URLconf"):
        assert leftover not in body


def test_a_missing_slash_is_still_redirected(dev, client):
    response = client.get("/services")

    assert response.status_code == 301
    assert response["Location"] == "/services/"


def dev_setting(name, **env):
    """A setting as portal/settings/dev.py computes it in a fresh process with `env`."""
    environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "YIMEN_ADDR", "DJANGO_SETTINGS_MODULE")}
    environ.update(DJANGO_SETTINGS_MODULE="portal.settings.dev", SECRET_KEY="tests-only-not-secret", **env)
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(  # noqa: S603 — this interpreter, fixed code
        [sys.executable, "-c", code],
        env=environ,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8101", "http://127.0.0.1:8101"),
        ("8102", "http://127.0.0.1:8102"),
        ("0.0.0.0:8103", "http://127.0.0.1:8103"),
        ("[::1]:8104", "http://[::1]:8104"),
    ],
)
def test_the_site_address_is_the_one_yimen_start_serves_on(addr, url):
    assert dev_setting("WAGTAILADMIN_BASE_URL", YIMEN_ADDR=addr) == url


def test_without_yimen_addr_the_address_is_runservers_default():
    assert dev_setting("WAGTAILADMIN_BASE_URL") == "http://127.0.0.1:8000"


def test_site_url_names_the_public_address_whatever_the_server_listens_on():
    assert dev_setting("WAGTAILADMIN_BASE_URL", YIMEN_ADDR="0.0.0.0:8101", SITE_URL="https://zwfw.example.gov.cn") == (
        "https://zwfw.example.gov.cn"
    )


def test_the_served_host_is_allowed():
    assert "'192.168.1.20'" in dev_setting("ALLOWED_HOSTS", YIMEN_ADDR="192.168.1.20:8000")

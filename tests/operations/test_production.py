"""Production mode: `check --deploy` is clean, the CSP of each area, health answers, JSON logs, and a
database that drops answers 503 in Chinese without losing or half-storing a complaint."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.db import OperationalError
from django.test import Client

import pytest

from complaints.models import Complaint
from operations.logs import JsonFormatter
from tests.factories import ServicePageFactory, site_structure

REPO = Path(settings.BASE_DIR)


def _environment(**changes):
    """This process's environment without what the test run itself sets (the browser tests allow
    async-unsafe calls, which `check --deploy` rightly reports)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "ALLOWED_HOSTS")}
    return {**env, **changes}


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = {
        **_environment(),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "zwfw.example.gov.cn",
        "YIMEN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = _environment(DJANGO_SETTINGS_MODULE="portal.settings.production", YIMEN_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "环境变量 SECRET_KEY 未设置" in result.stderr


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_public_pages_get_the_strict_policy_and_the_admin_its_own(client):
    site_structure()
    public = _directives(client.get("/"))
    assert (
        public["default-src"] == ["'self'"] and public["script-src"] == ["'self'"] and public["style-src"] == ["'self'"]
    )
    assert public["frame-ancestors"] == ["'none'"] and public["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in public["script-src"] + public["style-src"]
    admin = _directives(client.get("/admin/login/"))
    assert "'unsafe-inline'" in admin["script-src"] and admin["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_health_answers_ok_and_names_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"] and body["checks"]["search"]["ok"]
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_without_a_database(client):
    with mock.patch("operations.health.check_database", side_effect=OperationalError("server closed the connection")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": {"ok": False, "error": "OperationalError", "ms": mock.ANY},
        "search": {"ok": False, "error": "skipped"},
    }


@pytest.mark.django_db
def test_health_is_503_when_the_index_is_empty_but_guides_are_live(client, settings, tmp_path):
    from search.backends import reset

    settings.YIMEN_SEARCH_INDEX_DIR = tmp_path / "empty-index"
    reset()
    site_structure()
    ServicePageFactory()  # live, but never indexed: the index was lost
    try:
        response = client.get("/healthz")
    finally:
        reset()
    assert response.status_code == 503 and response.json()["checks"]["search"]["error"] == "empty"


@pytest.mark.django_db
def test_a_database_that_drops_during_a_complaint_answers_503_and_stores_nothing(client):
    page = client.get("/complaints/").content.decode()
    import re

    data = {
        "category": "attitude",
        "description": "窗口工作人员态度很差，问了三遍都不回答。",
        "consent": "on",
        "form_token": re.search(r'name="form_token" value="([^"]+)"', page).group(1),
    }
    with mock.patch("complaints.views.submit_complaint", side_effect=OperationalError("terminating connection")):
        response = Client().post("/complaints/", data)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    html = response.content.decode()
    assert "您刚才提交的内容没有保存成功，也没有生成查询码" in html
    assert not Complaint.objects.exists()


def test_log_lines_are_json_with_request_fields_and_traceback():
    try:
        raise ValueError("坏了")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",), sys.exc_info()
        )
    record.status_code = 500
    record.request = mock.Mock(method="POST", path="/complaints/")
    record.worker = "w1"
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["message"] == "Internal Server Error: /x/"
    assert (line["method"], line["path"], line["status"], line["worker"]) == ("POST", "/complaints/", 500, "w1")
    assert "ValueError: 坏了" in line["exception"]


def test_a_page_previewed_in_the_admin_keeps_the_public_policy_but_may_be_framed(rf):
    from django.http import HttpResponse

    from operations.csp import AreaCSPMiddleware

    request = rf.get("/")
    request.is_preview = True  # as Wagtail's preview request for the page's own address
    middleware = AreaCSPMiddleware(lambda r: HttpResponse("<h1>预览</h1>"))
    policy = _directives(middleware(request))
    assert policy["frame-ancestors"] == ["'self'"] and policy["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_database_error_after_the_view_answers_503_without_promising_anything(rf):
    from operations.unavailable import server_error

    try:
        raise OperationalError("server closed the connection unexpectedly")  # e.g. saving the session
    except OperationalError:
        response = server_error(rf.post("/complaints/"))
    html = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "可能没有办理完成" in html and "没有保存成功" not in html

    try:
        raise ValueError("not the database")
    except ValueError:
        assert server_error(rf.get("/")).status_code == 500

"""CI follows docs/deploy.md: deploy/scaleout.sh builds the scale-out setup from scratch on this machine
(fresh PostgreSQL database, Redis, collectstatic, migrate, demo catalog, several gunicorn workers) and
runs its HTTP and headless-Chromium smoke checks; this test also asserts production's security
headers on that setup's real responses.

Runs once per `./yimen test`, in the PostgreSQL pass (the setup has its own database, so the SQLite
pass would only repeat it). Bounded: every step has a time limit.
"""

import os
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

import httpx
import pytest

from deploy.smoke import PROXY, security_headers

REPO = Path(settings.BASE_DIR)
PORT = int(os.environ.get("SCALEOUT_TEST_PORT", "8209"))
ENV = {
    **os.environ,
    "SCALEOUT_PORT": str(PORT),
    "SCALEOUT_DB": f"{os.environ.get('TEST_DB_NAME', 'test')}_scaleout".lower(),
    "SCALEOUT_REDIS_URL": os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/7"),
    "SCALEOUT_DIR": str(Path(tempfile.gettempdir()) / f"yimen-scaleout-test-{PORT}"),
    "SCALEOUT_WORKERS": "3",
}
# The setup's own settings come from its env file; nothing of the test run's may leak in (the browser
# tests allow async-unsafe calls, which `check --deploy` rightly refuses).
for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "YIMEN_VAR_DIR", "TEST_DB_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE"):
    ENV.pop(name, None)

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs once, in the PostgreSQL pass"),
]


def script(step, timeout):
    command = ["bash", "deploy/scaleout.sh", step]
    result = subprocess.run(command, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=timeout)  # noqa: S603, S607
    assert result.returncode == 0, (
        f"deploy/scaleout.sh {step} failed:\n{result.stdout[-4000:]}\n{result.stderr[-6000:]}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def deployment():
    try:
        script("up", timeout=900)
        yield f"http://127.0.0.1:{PORT}"
    finally:
        script("down", timeout=120)


def test_security_headers_on_real_production_responses(deployment):
    with httpx.Client(base_url=deployment, headers=PROXY, timeout=30) as client:
        for path in ("/", "/services/", "/complaints/", "/search/?q=低保"):
            response = client.get(path)
            assert response.status_code == 200, path
            security_headers(response)
        cookie = client.get("/complaints/").headers["set-cookie"]
        assert "csrftoken=" in cookie and "Secure" in cookie
        security_headers(client.get("/admin/login/"), admin=True)
        plain = httpx.get(deployment + "/", timeout=30)
        assert plain.status_code == 301 and plain.headers["location"] == f"https://127.0.0.1:{PORT}/"


def test_the_deploy_document_smoke_checks_pass(deployment):
    output = script("smoke", timeout=600)
    assert "冒烟检查全部通过" in output

"""200 complaints from 20 parallel clients against a real server process, on the suite's database backend.

The suite runs once on SQLite and once on PostgreSQL (DATABASE_URL), so both are covered. The server
gets its own fresh database: a file in a temporary directory, or a new PostgreSQL database that is
dropped afterwards. Bounded in time: every request has a timeout and the server is stopped at the end.
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings

import pytest
import requests

from .concurrency import run

CLIENTS, EACH = 20, 10
BASE_DIR = Path(settings.BASE_DIR)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Database:
    """A throwaway database for the server process, on the same backend as the test run."""

    def __init__(self, tmp_path):
        self.url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parsed = urlparse(self.url)
            self.name = f"{os.environ.get('TEST_DB_NAME', 'test')}_concurrency_{os.getpid()}"
            self.admin_url = urlunparse(parsed._replace(path="/postgres"))
            self.server_url = urlunparse(parsed._replace(path=f"/{self.name}"))
        else:
            self.path = tmp_path / "db.sqlite3"
            self.server_url = f"sqlite:///{self.path}"

    def create(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def rows(self, query):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.server_url) as connection:
                return connection.execute(query).fetchall()
        with sqlite3.connect(self.path) as connection:
            return connection.execute(query).fetchall()


@pytest.fixture
def server(tmp_path):
    database = Database(tmp_path)
    database.create()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database.server_url,
        "YIMEN_VAR_DIR": str(tmp_path / "var"),
        "COMPLAINTS_ATTACHMENT_ROOT": str(tmp_path / "private"),
        "YIMEN_RATE_COMPLAINT": "100000/m",
        "TMPDIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("TEST_DB_NAME", None)
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=BASE_DIR, check=True, timeout=300)  # noqa: S603
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/complaints/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("投诉页面服务没有启动：\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.3)
        yield base, database, tmp_path / "server.log"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        database.drop()


def test_parallel_submissions_are_each_stored_exactly_once(server):
    base, database, log_path = server
    outcome = run(base, clients=CLIENTS, each=EACH, timeout=60)
    log = log_path.read_text()

    assert outcome.failures == [], outcome.failures[:3]
    assert "database is locked" not in log and "Traceback" not in log
    assert len(outcome.accepted) == CLIENTS * EACH

    stored = database.rows("SELECT description, tracking_code FROM complaints_complaint")
    assert len(stored) == CLIENTS * EACH
    assert dict(stored) == outcome.accepted  # each description once, under the code its sender was given
    assert len({code for _description, code in stored}) == len(stored)
    assert database.rows("SELECT COUNT(*) FROM complaints_complaintattachment")[0][0] == CLIENTS * 2

    # Every client sent its last form a second time: answered with the first code, nothing stored again.
    assert len(outcome.duplicates) == CLIENTS
    assert all(outcome.accepted[description] == code for description, code in outcome.duplicates)

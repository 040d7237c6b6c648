"""A real `db_worker` process killed (SIGKILL) in the middle of a batch and started again: every message is
delivered exactly once, counted where it arrives (the SMTP server, the SMS outbox).

The worker is killed at a chosen point: while the SMTP server holds the DATA of the batch's sixth e-mail and
has not answered it. That message is then 发送中 with a lease; the restarted worker's tick runs the sweep, which
puts it back once the lease has passed, and the rest of the batch is still in the queue. (Killing the worker
after the server answered "250" and before the row is marked is the one window that can send twice; see
docs/notifications.md.) The worker process gets its own fresh database on the suite's backend, like
tests/complaints/test_concurrency.py. Bounded: every wait has a deadline and both workers are stopped.
"""

import asyncio
import collections
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings

import pytest

from .helpers import Mailbox, SmtpServer, stop

BASE_DIR = Path(settings.BASE_DIR)
BATCH = 10  # submissions, each with an e-mail and an SMS
KILL_AT = 6  # the e-mail whose delivery the worker is killed in


class Database:
    """A throwaway database for the worker processes, on the suite's backend."""

    def __init__(self, tmp_path):
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parsed = urlparse(url)
            self.name = f"{os.environ.get('TEST_DB_NAME', 'test')}_worker_{os.getpid()}"
            self.admin_url = urlunparse(parsed._replace(path="/postgres"))
            self.url = urlunparse(parsed._replace(path=f"/{self.name}"))
        else:
            self.path = tmp_path / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def create(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def rows(self, query):
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as connection:
                return connection.execute(query).fetchall()
        with sqlite3.connect(self.path) as connection:
            return connection.execute(query).fetchall()


class KillSwitch(Mailbox):
    """Holds the KILL_AT-th e-mail unanswered until the test has killed the worker; the dead client gets 451."""

    def __init__(self):
        super().__init__()
        self.arrived = threading.Event()
        self.killed = threading.Event()
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.seen += 1
            hold = self.seen == KILL_AT
        if hold:
            self.arrived.set()
            await asyncio.get_running_loop().run_in_executor(None, self.killed.wait, 60)
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"等待超时：{what}")
        time.sleep(0.2)


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(tmp_path):
    database = Database(tmp_path)
    database.create()
    handler = KillSwitch()
    workers = []
    logs = []
    with SmtpServer(handler) as smtp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database.url,
            "YIMEN_VAR_DIR": str(tmp_path / "var"),
            "TMPDIR": str(tmp_path),
            "PYTHONUNBUFFERED": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "20",
            # A lease of a few seconds, and a tick and a sweep every second, so the test takes seconds.
            "YIMEN_NOTIFY_LEASE_SECONDS": "3",
            "YIMEN_NOTIFY_SWEEP_SECONDS": "1",
            "YIMEN_SCHEDULE_TICK_SECONDS": "1",
        }
        env.pop("TEST_DB_NAME", None)
        manage = [sys.executable, str(BASE_DIR / "manage.py")]

        def run(*args):
            subprocess.run(args, env=env, cwd=BASE_DIR, check=True, timeout=300)  # noqa: S603 - fixed arguments

        def start_worker(number):
            log = (tmp_path / f"worker{number}.log").open("w")
            logs.append(log)
            command = [*manage, "db_worker", "--backend", "notifications", "--queue-name", "*", "--interval", "0.1"]
            process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [*command, "--no-startup-delay", "--no-reload", "-v2"],
                env=env,
                cwd=BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            workers.append(process)
            return process

        try:
            run(*manage, "migrate", "--no-input", "-v0")
            run(sys.executable, "-m", "tests.notifications.worker_batch", str(BATCH))
            run(*manage, "start_schedule", "-v0")
            queued = database.rows("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")[0][
                0
            ]
            assert queued == 2 * BATCH + 1  # every delivery and the first tick

            first = start_worker(1)
            if not handler.arrived.wait(90):
                pytest.fail("第一个工作进程没有发到第 6 封邮件：\n" + (tmp_path / "worker1.log").read_text())
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
            handler.killed.set()
            assert len(handler.received) == KILL_AT - 1
            held = database.rows("SELECT COUNT(*) FROM notifications_message WHERE status = 'sending'")[0][0]
            assert held == 1  # the message it died on

            start_worker(2)

            def all_sent():
                return database.rows("SELECT COUNT(*) FROM notifications_message WHERE status <> 'sent'")[0][0] == 0

            _wait(all_sent, 90, "重启后所有消息发出")
            time.sleep(3)  # a few more ticks and sweeps: nothing may be sent again
        finally:
            stop(workers)
            for log in logs:
                log.close()

        ids = collections.Counter(mail["Message-ID"] for _recipients, mail in handler.received)
        outbox = collections.Counter(row[0] for row in database.rows("SELECT message_id FROM notifications_outboxsms"))
        messages = database.rows("SELECT id, channel, status, attempts FROM notifications_message ORDER BY id")
        interrupted = database.rows("SELECT COUNT(*) FROM notifications_deliveryattempt WHERE outcome = 'interrupted'")
        log = "".join((tmp_path / f"worker{n}.log").read_text() for n in (1, 2))
    database.drop()

    emails = [m for m in messages if m[1] == "email"]
    sms = [m for m in messages if m[1] == "sms"]
    assert len(emails) == len(sms) == BATCH
    assert {m[2] for m in messages} == {"sent"}
    # Exactly once where they arrive: each e-mail's Message-ID once at the SMTP server, each SMS once in the outbox.
    assert sorted(ids) == sorted(f"<yimen-message-{m[0]}@yimen.localhost>" for m in emails)
    assert set(ids.values()) == {1}, ids
    assert sorted(outbox) == sorted(m[0] for m in sms)
    assert set(outbox.values()) == {1}, outbox
    # The message the worker died on was tried twice: the interrupted try and the one that went through.
    assert sorted(m[3] for m in messages)[-1] == 2 and sum(m[3] for m in messages) == 2 * BATCH + 1
    assert interrupted == [(1,)]
    assert "Traceback" not in log, log

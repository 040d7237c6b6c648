"""What the notification tests share: test templates, running the queue as a worker would, a real SMTP server."""

import email
import socket
import threading
from datetime import timedelta
from email import policy

from django.conf import settings
from django.db import transaction

from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from notifications.models import Message
from notifications.templates import register

register(
    "tests.received",
    label="测试：已受理",
    subject="您的{{ kind }}已受理，查询码 {{ code }}",
    body="{{ name }}您好：\n您的{{ kind }}已受理，查询码 {{ code }}。\n{% if due %}我们将在 {{ due }} 前答复。{% endif %}",
    sms="您的{{ kind }}已受理，查询码{{ code }}。",
    variables={"kind": "事项类别", "code": "查询码", "name": "姓名", "due": "答复期限"},
    examples={"kind": "投诉", "code": "TS-2026-AB12-CD34", "name": "张三", "due": "2026年12月8日"},
)
register(
    "tests.staff",
    label="测试：有新投诉",
    subject="新投诉 {{ code }}",
    body="有一件新投诉等待处理：{{ code }}。",
    variables={"code": "查询码"},
)

CONTEXT = {"kind": "投诉", "code": "TS-2026-AB12-CD34", "name": "张三", "due": "2026年12月8日"}


def run_queued(limit=500):
    """Run every due task of the notifications queue with django-tasks-db's own Worker.run_task, as
    `db_worker` does, inside the test's transaction; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=settings.YIMEN_TASKS_BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with transaction.atomic():
            row = DBTaskResult.objects.ready().filter(backend_name=settings.YIMEN_TASKS_BACKEND).get_locked()
            if row is None:
                break
            row.claim("tests")
        worker.run_task(row)
        ran += 1
    return ran


def advance(delta):
    """Let `delta` pass for the queue and the messages: every waiting task and try comes that much sooner."""
    for row in DBTaskResult.objects.filter(status="READY"):
        if row.run_after.year < 9999:
            row.run_after -= delta
            row.save(update_fields=["run_after"])
    for message in Message.objects.all():
        Message.objects.filter(pk=message.pk).update(
            next_attempt_at=message.next_attempt_at - delta,
            lease_until=message.lease_until - delta if message.lease_until else None,
        )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """An aiosmtpd handler that keeps what it accepted; `refuse` answers the next N messages 451 (try later)."""

    def __init__(self):
        self.received = []
        self.refuse = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
            message = email.message_from_bytes(envelope.content, policy=policy.default)
            self.received.append((envelope.rcpt_tos, message))
        return "250 OK"


class SmtpServer:
    """A real SMTP server on 127.0.0.1 for the duration of a test."""

    def __init__(self, handler=None):
        self.handler = handler or Mailbox()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def settings(self):
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_TIMEOUT": 10,
        }


MINUTE = timedelta(minutes=1)


def stop(processes, grace=20):
    """Terminate the processes a test started (a server, workers) and wait for them; kill what lingers."""
    import subprocess

    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()

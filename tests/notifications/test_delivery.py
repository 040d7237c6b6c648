"""Delivery through a real SMTP server and the SMS outbox: claims, retries with back-off, giving up, the sweep."""

from datetime import timedelta

from django.utils import timezone

import pytest
from django_tasks_db.models import DBTaskResult

from notifications import notify
from notifications.delivery import deliver, sweep
from notifications.models import AttemptOutcome, Message, OutboxSms, Status

from .helpers import CONTEXT, MINUTE, advance, run_queued

pytestmark = pytest.mark.django_db


def _notify(django_capture_on_commit_callbacks, **addresses):
    with django_capture_on_commit_callbacks(execute=True):
        return notify("tests.received", context=CONTEXT, dedupe_key="complaint:7:received", **addresses)


def test_email_reaches_the_smtp_server_once(smtp, django_capture_on_commit_callbacks):
    [message] = _notify(django_capture_on_commit_callbacks, email="zhangsan@example.com")
    assert smtp.handler.received == []  # nothing is sent before a worker runs the queue
    assert run_queued() == 1
    [(recipients, mail)] = smtp.handler.received
    assert recipients == ["zhangsan@example.com"]
    # Python folds the encoded subject onto a continuation line; readers show it without the fold.
    assert mail["Subject"].strip() == "您的投诉已受理，查询码 TS-2026-AB12-CD34"
    assert mail["Message-ID"] == f"<yimen-message-{message.pk}@yimen.localhost>"
    assert "我们将在 2026年12月8日 前答复。" in mail.get_content()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.backend) == (Status.SENT, 1, "电子邮件（SMTP）")
    assert message.sent_at is not None
    assert [a.outcome for a in message.delivery_attempts.all()] == [AttemptOutcome.SUCCEEDED]
    # A second task for the same message (the sweep, a duplicate) finds it sent and sends nothing.
    assert deliver(message.pk) is None
    assert len(smtp.handler.received) == 1


def test_sms_goes_to_the_outbox_once(django_capture_on_commit_callbacks):
    [message] = _notify(django_capture_on_commit_callbacks, phone="13800138000")
    run_queued()
    [entry] = OutboxSms.objects.all()
    assert (entry.phone, entry.text, entry.message_id) == (
        "13800138000",
        "您的投诉已受理，查询码TS-2026-AB12-CD34。",
        message.pk,
    )
    message.refresh_from_db()
    assert (message.status, message.backend, message.provider_id) == (Status.SENT, "发件箱", f"outbox-{entry.pk}")
    assert deliver(message.pk) is None
    assert OutboxSms.objects.count() == 1


def test_a_refused_send_is_retried_after_its_delay_then_succeeds(smtp, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_RETRY_DELAYS = [MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE]
    smtp.handler.refuse = 2
    [message] = _notify(django_capture_on_commit_callbacks, email="zhangsan@example.com")
    before = timezone.now()
    run_queued()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 1)
    assert "451" in message.last_error
    retry = DBTaskResult.objects.get(status="READY")
    assert timedelta(seconds=59) < retry.run_after - before < timedelta(seconds=65)
    assert retry.run_after == message.next_attempt_at
    assert run_queued() == 0  # not before its time

    advance(MINUTE)
    run_queued()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PENDING, 2)
    assert timedelta(minutes=4) < message.next_attempt_at - timezone.now() <= timedelta(minutes=5)

    advance(5 * MINUTE)
    run_queued()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 3)
    assert len(smtp.handler.received) == 1
    outcomes = [a.outcome for a in message.delivery_attempts.order_by("number")]
    assert outcomes == [AttemptOutcome.FAILED, AttemptOutcome.FAILED, AttemptOutcome.SUCCEEDED]


def test_after_the_last_try_the_message_is_failed(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_DELAYS = [MINUTE, 5 * MINUTE]
    [message] = _notify(django_capture_on_commit_callbacks, email="zhangsan@example.com")
    for delay in (0, 1, 5):
        advance(delay * MINUTE)
        run_queued()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert "ConnectionRefusedError" in message.last_error
    assert message.delivery_attempts.filter(outcome=AttemptOutcome.FAILED).count() == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()  # nothing more is tried
    advance(60 * MINUTE)
    sweep()
    message.refresh_from_db()
    assert message.status == Status.FAILED


def test_an_address_the_server_refuses_is_not_retried(smtp, django_capture_on_commit_callbacks):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"

    smtp.handler.handle_RCPT = refuse
    [message] = _notify(django_capture_on_commit_callbacks, email="nobody@example.com")
    run_queued()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert message.last_error.startswith("邮件服务器拒收该地址：550")


def test_the_sweep_requeues_a_killed_send_and_a_lost_task(smtp, settings, django_capture_on_commit_callbacks):
    messages = []
    for number in range(2):
        with django_capture_on_commit_callbacks(execute=False):  # the task of each is lost
            messages += notify(
                "tests.received", email=f"p{number}@example.com", context=CONTEXT, dedupe_key=f"c:{number}"
            )
    killed, lost = messages
    # A worker claimed `killed` and died before marking it.
    Message.objects.filter(pk=killed.pk).update(
        status=Status.SENDING, attempts=1, lease_until=timezone.now() + settings.NOTIFICATIONS_LEASE
    )
    assert sweep() == 0  # its lease still runs, and `lost` is not late enough yet

    advance(settings.NOTIFICATIONS_LEASE + MINUTE)
    assert sweep() == 2
    run_queued()
    assert sorted(r[0][0] for r in smtp.handler.received) == ["p0@example.com", "p1@example.com"]
    for message in messages:
        message.refresh_from_db()
        assert message.status == Status.SENT
    killed.refresh_from_db()
    assert killed.attempts == 2
    assert sweep() == 0 and run_queued() == 0

"""Delivering one message: claim it, send it, mark it — and what happens when any step fails.

Exactly once, as far as it can be had:

- **Claim.** A conditional UPDATE from 待发送 to 发送中 (with a fresh claim token and a lease): of two workers
  given the same message (a task enqueued twice, the sweep re-enqueueing a slow one) only one changes the row,
  the other finds nothing to do.
- **Mark.** The claim token must still be the row's when it is marked, so a worker whose lease ran out and
  whose message went to another worker cannot overwrite that worker's result.
- **The remaining window.** A worker killed after the SMTP server (or the SMS provider) accepted the message
  and before the row was marked 已发送 leaves it 发送中; when its lease has passed the sweep sends it again.
  The window is kept to the network round trip of that acceptance plus one UPDATE: the SMTP connection is
  opened before and closed (QUIT) after the row is marked, so the mark follows the server's "250 OK" at
  once. The outbox has no window: its write and the mark are one transaction.
"""

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import AttemptOutcome, Channel, DeliveryAttempt, Message, Status
from .sms import SmsError, get_backend

logger = logging.getLogger(__name__)


def enqueue(message_id, run_after=None):
    """Queue the delivery of one message on the portal's task backend (settings.YIMEN_TASKS_BACKEND)."""
    from .tasks import deliver_message

    task = deliver_message.using(backend=settings.YIMEN_TASKS_BACKEND, run_after=run_after)
    return task.enqueue(message_id)


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed try: the list's last delay repeats."""
    delays = settings.NOTIFICATIONS_RETRY_DELAYS
    return delays[min(attempts, len(delays)) - 1] if delays else timedelta(0)


class SendFailed(Exception):
    """The sender did not take the message. `permanent`: trying again cannot mend it (a refused address)."""

    def __init__(self, text, *, permanent=False):
        super().__init__(text)
        self.permanent = permanent


def deliver(message_id):
    """Send message `message_id` if it is waiting and due; returns its status afterwards (None: not ours).

    A failure to send is recorded and retried; an error after the sender took the message (the database
    gone while marking it) is raised and leaves the message 发送中 for the sweep, as a killed worker would."""
    now = timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        claimed = (
            Message.objects.due(now)
            .filter(pk=message_id)
            .update(
                status=Status.SENDING,
                claim=token,
                lease_until=now + settings.NOTIFICATIONS_LEASE,
                attempts=F("attempts") + 1,
            )
        )
        if not claimed:
            return None  # sent, failed, being sent or not yet due: another task or worker has it
        message = Message.objects.get(pk=message_id)
        attempt = DeliveryAttempt.objects.create(message=message, number=message.attempts, started_at=now)
    try:
        if message.channel == Channel.EMAIL:
            _send_email(message, attempt, token)
        else:
            _send_sms(message, attempt, token)
    except SendFailed as error:
        return _failed(message, attempt, token, error)
    return Status.SENT


def _mark_sent(message, attempt, token, backend, provider_id=""):
    now = timezone.now()
    with transaction.atomic():
        marked = Message.objects.filter(pk=message.pk, status=Status.SENDING, claim=token).update(
            status=Status.SENT, sent_at=now, lease_until=None, backend=backend, provider_id=provider_id[:200]
        )
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.SUCCEEDED, finished_at=now, backend=backend
        )
    if not marked:
        logger.warning("消息 %s 已发出，但它的占用已被收回：可能被发送两次。", message.pk)
    return bool(marked)


def _email(message):
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        # The same Message-ID on every try: a mail system that keeps them can drop a second copy.
        headers={"Message-ID": f"<yimen-message-{message.pk}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"},
    )


def _send_email(message, attempt, token):
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        connection.send_messages([_email(message)])
    except smtplib.SMTPRecipientsRefused as error:
        _close(connection, message)
        codes = [code for code, _text in error.recipients.values()]
        refused = "；".join(
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in error.recipients.values()
        )
        raise SendFailed(
            f"邮件服务器拒收该地址：{refused}", permanent=bool(codes) and all(c >= 500 for c in codes)
        ) from error
    except Exception as error:  # noqa: BLE001 - any failure to hand the message over is retried
        _close(connection, message)
        raise SendFailed(f"{error.__class__.__name__}: {error}") from error
    # Accepted ("250 OK"): mark it before anything else, QUIT afterwards.
    try:
        _mark_sent(message, attempt, token, backend=_email_backend_label(connection))
    finally:
        _close(connection, message)


def _close(connection, message):
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a failed QUIT changes nothing about the message
        logger.warning("关闭邮件服务器连接失败（消息 %s）", message.pk, exc_info=True)


def _email_backend_label(connection):
    return {
        "django.core.mail.backends.smtp": "电子邮件（SMTP）",
        "django.core.mail.backends.locmem": "电子邮件（测试）",
        "django.core.mail.backends.console": "电子邮件（控制台）",
        "django.core.mail.backends.filebased": "电子邮件（文件）",
    }.get(connection.__class__.__module__, "电子邮件")


def _send_sms(message, attempt, token):
    backend = get_backend()
    try:
        if backend.transactional:
            # The outbox write and the mark commit together: sent exactly once, or not at all.
            with transaction.atomic():
                receipt = backend.send(message)
                if not _mark_sent(message, attempt, token, backend=backend.label, provider_id=receipt or ""):
                    transaction.set_rollback(True)  # another worker has it now: this copy is not kept
            return
        receipt = backend.send(message)
    except SmsError as error:
        raise SendFailed(str(error), permanent=error.permanent) from error
    except Exception as error:  # noqa: BLE001 - a backend's own failure is retried like an SmsError
        raise SendFailed(f"{error.__class__.__name__}: {error}") from error
    _mark_sent(message, attempt, token, backend=backend.label, provider_id=receipt or "")


def _failed(message, attempt, token, error):
    """Record the failed try; queue the next after its delay, or give the message up after the last."""
    now = timezone.now()
    text = str(error)
    last = error.permanent or message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    next_at = now + retry_delay(message.attempts)
    with transaction.atomic():
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(outcome=AttemptOutcome.FAILED, finished_at=now, error=text)
        rows = Message.objects.filter(pk=message.pk, status=Status.SENDING, claim=token)
        if last:
            ours = rows.update(status=Status.FAILED, last_error=text, lease_until=None)
        else:
            ours = rows.update(status=Status.PENDING, last_error=text, lease_until=None, next_attempt_at=next_at)
            if ours:
                # With the database backend the task row commits with the message row: no try is lost.
                enqueue(message.pk, run_after=next_at)
    if not ours:
        return None  # its lease ran out during the try and the sweep gave it to another worker
    if last:
        logger.error("消息 %s（%s）发送失败，不再重试：%s", message.pk, message.template_key, text)
        return Status.FAILED
    logger.warning("消息 %s 第 %s 次发送失败，%s 后重试：%s", message.pk, message.attempts, next_at, text)
    return Status.PENDING


def sweep(now=None):
    """Put back in the queue what the queue lost: messages still 待发送 well after their time (their task
    never ran) and messages stuck 发送中 past their lease (their worker was killed). Returns how many."""
    now = now or timezone.now()
    count = 0
    for message in Message.objects.lease_expired(now).only("pk", "attempts", "claim"):
        with transaction.atomic():
            last = message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
            rows = Message.objects.filter(
                pk=message.pk, status=Status.SENDING, claim=message.claim, lease_until__lt=now
            )
            error = "发送中断：工作进程在发送时停止，未能确认是否已发出。"
            if last:
                taken = rows.update(status=Status.FAILED, last_error=error, lease_until=None)
            else:
                taken = rows.update(status=Status.PENDING, last_error=error, lease_until=None, next_attempt_at=now)
            if not taken:
                continue
            DeliveryAttempt.objects.filter(message_id=message.pk, outcome=AttemptOutcome.RUNNING).update(
                outcome=AttemptOutcome.INTERRUPTED, finished_at=now, error=error
            )
            if not last:
                enqueue(message.pk)
                count += 1
    stranded = Message.objects.stranded(now, settings.NOTIFICATIONS_PENDING_GRACE)
    for pk in stranded.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            # Moving its time on means the next sweep leaves it alone for another grace period.
            if (
                Message.objects.stranded(now, settings.NOTIFICATIONS_PENDING_GRACE)
                .filter(pk=pk)
                .update(next_attempt_at=now)
            ):
                enqueue(pk)
                count += 1
    return count

"""Creating notifications: `notify` for citizens, `notify_staff` for staff. Both run inside the caller's
transaction and never send anything themselves: delivery is queued when that transaction commits, so a
submission never waits on a mail server or an SMS provider, and a submission that is rolled back sends nothing.
"""

import datetime
import logging
import re
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import delivery
from .models import Channel, Message, Status
from .templates import registry, render

logger = logging.getLogger(__name__)

MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise_phone(phone):
    """A mainland mobile number as the SMS providers take it (13812345678), or None when it is not one."""
    digits = re.sub(r"[\s\-()（）]", "", str(phone))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if MOBILE.fullmatch(digits) else None


PLAIN = (str, int, float, Decimal, bool, type(None), datetime.date, datetime.time)


def _check_context(template_key, context):
    """Context values are plain values (text, numbers, dates, lists of them): editors write the templates,
    and a model instance would let `{{ case.submitter.phone }}` reach whatever it relates to."""
    for name, value in context.items():
        items = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(item, PLAIN) for item in items):
            raise TypeError(
                f"消息模板 {template_key} 的变量 {name} 只能是文字、数字、日期或它们的列表，不能是 {type(value).__name__}。"
            )


def _address(channel, raw):
    """(address, problem): the address to send to, or why it cannot be used."""
    raw = str(raw).strip()
    if channel == Channel.SMS:
        phone = normalise_phone(raw)
        return (phone, "") if phone else (raw, "手机号码格式不正确，没有发送。")
    try:
        validate_email(raw)
    except ValidationError:
        return raw, "电子邮件地址格式不正确，没有发送。"
    return raw, ""


def notify(
    template_key, *, email=None, phone=None, context: dict, dedupe_key: str, about_label="", about_code=""
) -> list[Message]:
    """One Message per address given (e-mail and/or SMS) from template `template_key`, rendered now with
    `context`; delivery is queued when the caller's transaction commits.

    `dedupe_key` names the event ("complaint:42:received"); each message's key is it plus the channel. A key
    that already exists returns the existing message and queues nothing, so calling twice for one event (a
    resubmitted form, a retried job) sends once. An address that cannot be used gives a message that is
    失败 at once with the reason, for staff to see; it never makes the caller fail.
    `about_label` and `about_code` say what the message is about (投诉, TS-2026-…), for the admin's list."""
    if template_key not in registry:
        raise LookupError(f"没有登记名为 {template_key} 的消息模板。")
    _check_context(template_key, context)
    default = registry.get(template_key)
    rendered = None
    messages = []
    for channel, raw in ((Channel.EMAIL, email), (Channel.SMS, phone)):
        if not raw:
            continue
        key = f"{dedupe_key}:{channel}"
        existing = Message.objects.filter(dedupe_key=key).first()
        if existing:
            messages.append(existing)
            continue
        if channel == Channel.EMAIL and not default.body:
            logger.warning("消息模板 %s 没有邮件正文，不发邮件（%s）", template_key, key)
            continue
        if channel == Channel.SMS and not default.sms:
            logger.warning("消息模板 %s 没有短信内容，不发短信（%s）", template_key, key)
            continue
        rendered = rendered or render(template_key, context)
        address, problem = _address(channel, raw)
        message = Message(
            channel=channel,
            recipient=address,
            subject=rendered.subject if channel == Channel.EMAIL else "",
            body=rendered.body if channel == Channel.EMAIL else rendered.sms,
            sms_params=rendered.sms_params if channel == Channel.SMS else {},
            template_key=template_key,
            dedupe_key=key,
            about_label=about_label,
            about_code=about_code,
            status=Status.FAILED if problem else Status.PENDING,
            last_error=problem,
            next_attempt_at=timezone.now(),
        )
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin must not break the caller's transaction
                message.save()
        except IntegrityError:
            messages.append(Message.objects.get(dedupe_key=key))
            continue
        if not problem:
            # robust: the caller has committed; a queue that cannot be reached is made good by the sweep.
            transaction.on_commit(partial(delivery.enqueue, message.pk), robust=True)
        messages.append(message)
    return messages


def notify_staff(
    template_key, *, users, context: dict, dedupe_key: str, about_label="", about_code=""
) -> list[Message]:
    """E-mail `template_key` to each of `users` (staff) at their account's address; one message per user,
    its dedupe key `dedupe_key` plus the user's id. Users without an e-mail address are skipped and logged."""
    messages = []
    for user in users:
        if not user.email:
            logger.warning("工作人员 %s 没有电子邮件地址，未通知（%s）", user.get_username(), template_key)
            continue
        messages += notify(
            template_key,
            email=user.email,
            context=context,
            dedupe_key=f"{dedupe_key}:user{user.pk}",
            about_label=about_label,
            about_code=about_code,
        )
    return messages

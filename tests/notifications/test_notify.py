"""notify() and notify_staff(): one message per address, deduplicated, rendered at creation, queued on commit."""

import logging

from django.contrib.auth import get_user_model
from django.db import transaction

import pytest
from django_tasks_db.models import DBTaskResult

from notifications import notify, notify_staff
from notifications.models import Channel, Message, Status

from .helpers import CONTEXT

pytestmark = pytest.mark.django_db


def test_one_message_per_address_rendered_at_creation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        messages = notify(
            "tests.received",
            email="zhangsan@example.com",
            phone="138 0013 8000",
            context=CONTEXT,
            dedupe_key="complaint:1:received",
            about_label="投诉",
            about_code="TS-2026-AB12-CD34",
        )
    email, sms = messages
    assert (email.channel, email.recipient, email.dedupe_key) == (
        Channel.EMAIL,
        "zhangsan@example.com",
        "complaint:1:received:email",
    )
    assert email.subject == "您的投诉已受理，查询码 TS-2026-AB12-CD34"
    assert email.body == "张三您好：\n您的投诉已受理，查询码 TS-2026-AB12-CD34。\n我们将在 2026年12月8日 前答复。"
    assert (sms.channel, sms.recipient, sms.dedupe_key) == (Channel.SMS, "13800138000", "complaint:1:received:sms")
    assert sms.body == "您的投诉已受理，查询码TS-2026-AB12-CD34。"
    assert sms.sms_params == {"kind": "投诉", "code": "TS-2026-AB12-CD34"}
    assert {m.status for m in messages} == {Status.PENDING}
    # Queued, not sent: the caller never waits on a sender.
    assert DBTaskResult.objects.filter(task_path="notifications.tasks.deliver_message").count() == 2
    assert sorted(r.args_kwargs["args"][0] for r in DBTaskResult.objects.all()) == sorted(m.pk for m in messages)


def test_the_same_event_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify("tests.received", email="a@example.com", context=CONTEXT, dedupe_key="complaint:2:received")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = notify(
            "tests.received", email="a@example.com", context={**CONTEXT, "code": "X"}, dedupe_key="complaint:2:received"
        )
    assert [m.pk for m in again] == [m.pk for m in first]
    assert again[0].subject == first[0].subject  # the existing row, not a new rendering
    assert callbacks == []
    assert Message.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_a_rolled_back_submission_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify("tests.received", email="a@example.com", phone="13800138000", context=CONTEXT, dedupe_key="c:3")
        raise RuntimeError("the form's save failed")
    assert callbacks == []
    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_nothing_is_queued_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify("tests.received", email="a@example.com", context=CONTEXT, dedupe_key="c:4")
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1


def test_an_unusable_address_is_a_failed_message_not_an_error(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email, sms = notify("tests.received", email="not-an-address", phone="12345", context=CONTEXT, dedupe_key="c:5")
    assert (email.status, email.last_error) == (Status.FAILED, "电子邮件地址格式不正确，没有发送。")
    assert (sms.status, sms.last_error) == (Status.FAILED, "手机号码格式不正确，没有发送。")
    assert not DBTaskResult.objects.exists()


def test_context_values_are_plain_values_only():
    user = get_user_model()(username="x")
    with pytest.raises(TypeError, match="变量 name 只能是文字、数字、日期或它们的列表，不能是 User"):
        notify("tests.received", email="a@example.com", context={**CONTEXT, "name": user}, dedupe_key="c:7")
    assert not Message.objects.exists()


def test_an_unknown_template_is_refused():
    with pytest.raises(LookupError, match="没有登记名为 tests.nothing 的消息模板"):
        notify("tests.nothing", email="a@example.com", context={}, dedupe_key="c:6")


def test_staff_get_email_and_those_without_an_address_are_logged(caplog, django_capture_on_commit_callbacks):
    users = get_user_model().objects
    with_mail = users.create_user("handler1", email="handler1@example.com")
    without = users.create_user("handler2", email="")
    with (
        caplog.at_level(logging.WARNING, logger="notifications.outbound"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        messages = notify_staff("tests.staff", users=[with_mail, without], context={"code": "TS-1"}, dedupe_key="new:1")
    assert [(m.recipient, m.dedupe_key) for m in messages] == [
        ("handler1@example.com", f"new:1:user{with_mail.pk}:email")
    ]
    assert "handler2 没有电子邮件地址" in caplog.text


def test_the_test_message_command_queues_what_operators_asked_for(django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_test_message", "--email", "ops@example.com", "--phone", "13800138000", stdout=out)
    email, sms = Message.objects.order_by("channel")
    assert email.subject == "一门 · 政务服务门户：测试邮件"
    assert sms.body == "一门 · 政务服务门户测试短信：收到即说明短信设置正确，无需回复。"
    assert "等待后台任务进程发送" in out.getvalue()
    assert DBTaskResult.objects.count() == 2

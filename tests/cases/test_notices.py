"""Who hears what: the citizen (as they chose, never when anonymous), the kind's handlers, 中心负责人 — counted
at a real SMTP server and in the SMS outbox after the worker ran the queue."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

import pytest

from cases import handling
from cases.schedules import send_daily_digest
from notifications.models import OutboxSms
from questions.models import Question
from tests.factories import ComplaintFactory, DepartmentFactory, QuestionFactory
from tests.notifications.helpers import run_queued

pytestmark = pytest.mark.django_db


def mails(smtp):
    return [
        (tuple(to), message["Subject"].strip(), message.get_body().get_content())
        for to, message in smtp.handler.received
    ]


def ask(client, **fields):
    page = client.get(reverse("questions:form")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {
        "category": "materials",
        "text": "替老人办理需要带什么材料？",
        "consent": "on",
        "form_token": token,
        **fields,
    }
    assert client.post(reverse("questions:form"), data).status_code == 302
    return Question.objects.latest("pk")


def test_the_citizen_gets_the_code_and_the_handlers_hear_of_the_new_question(
    client, smtp, question_handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(client, notify_by="email", email="villager@example.cn")
    run_queued()
    sent = mails(smtp)
    assert len(sent) == 2
    to_citizen = next(m for m in sent if m[0] == ("villager@example.cn",))
    assert question.tracking_code in to_citizen[1] and "已受理" in to_citizen[1]
    to_handler = next(m for m in sent if m[0] == ("zx@example.org",))
    assert question.tracking_code in to_handler[1] and "/admin/questions/edit/" in to_handler[2]
    assert "替老人办理" not in to_handler[2]  # the citizen's text stays in the admin

    with django_capture_on_commit_callbacks(execute=True):
        handling.publish_reply(question, reply="带老人的身份证和户口簿。", user=question_handler)
        handling.publish_reply(question, reply="带老人的身份证和户口簿原件。", user=question_handler)  # a correction
    run_queued()
    replies = [m for m in mails(smtp) if m[0] == ("villager@example.cn",) and "已答复" in m[1]]
    assert len(replies) == 1 and "带老人的身份证和户口簿" in replies[0][2]


def test_sms_goes_to_the_outbox_and_anonymous_askers_get_nothing(client, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        texted = ask(client, notify_by="sms", phone="13800005678")
        ask(client, notify_by="")
    run_queued()
    assert list(OutboxSms.objects.values_list("phone", flat=True)) == ["13800005678"]
    assert texted.tracking_code in OutboxSms.objects.get().text
    assert not [m for m in mails(smtp) if "已受理" in m[1]]


def test_each_status_change_is_told_once(smtp, django_capture_on_commit_callbacks):
    complaint = ComplaintFactory(notify_by="email", email="a@example.cn", phone="")
    department = DepartmentFactory(name="三都镇社会事务办")
    with django_capture_on_commit_callbacks(execute=True):
        handling.assign(complaint, department=department, user=None, complexity="complex")
        handling.assign(complaint, department=department, user=None, complexity="complex")
        later = complaint.due_on + datetime.timedelta(days=14)
        handling.extend(complaint, due_on=later, reason="需要调取录像", user=None)
    run_queued()
    subjects = [m[1] for m in mails(smtp)]
    assert len(subjects) == 2 and all(complaint.tracking_code in s for s in subjects)
    assert any("需要调取录像" in m[2] for m in mails(smtp))


def test_an_escalation_reaches_the_head_and_a_serious_complaint_every_handler(
    smtp, head, complaint_handler, django_capture_on_commit_callbacks
):
    head.email, complaint_handler.email = "head@example.org", "ts@example.org"
    head.save()
    complaint_handler.save()
    complaint = ComplaintFactory(phone="")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            handling.publish_reply(complaint, reply="已处理。", user=None)
            complaint = handling.reopen(complaint, reason="还是没有解决")
    run_queued()
    assert [m[1] for m in mails(smtp) if m[0] == ("head@example.org",)] == [
        f"【督办】投诉 {complaint.tracking_code} 群众两次反馈未解决"
    ]

    from complaints.admin_views import set_severity

    with django_capture_on_commit_callbacks(execute=True):
        set_severity(complaint, {"severity": "serious"}, complaint_handler)
    run_queued()
    assert any(m[0] == ("ts@example.org",) and m[1].startswith("【严重】") for m in mails(smtp))


def test_the_daily_digest_lists_what_is_overdue_and_due_today(
    smtp, question_handler, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    late = QuestionFactory(due_on=today - datetime.timedelta(days=2))
    due = QuestionFactory(due_on=today)
    QuestionFactory(due_on=today + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        send_daily_digest(timezone.now())
        send_daily_digest(timezone.now())  # the same day again: nothing new
    run_queued()
    digests = [m for m in mails(smtp) if "待办" in m[1]]
    assert len(digests) == 1 and "今天到期 1 件，已超期 1 件" in digests[0][1]
    assert late.tracking_code in digests[0][2] and due.tracking_code in digests[0][2]


def test_a_daiban_step_is_told_by_sms_once(django_capture_on_commit_callbacks):
    from assistance import handling as assistance_handling
    from tests.factories import AssistanceRequestFactory, StaffMemberFactory

    request = AssistanceRequestFactory(notify_by="sms", phone="13800002468")
    agent = StaffMemberFactory(hall=request.hall, is_agent=True)
    with django_capture_on_commit_callbacks(execute=True):
        request = assistance_handling.assign_agent(request, agent=agent, user=None)
        assistance_handling.advance(request, step="collected", note="", user=None)
    run_queued()
    texts = [sms.text for sms in OutboxSms.objects.order_by("pk")]
    assert len(texts) == 1 and "材料已收" in texts[0] and request.tracking_code in texts[0]

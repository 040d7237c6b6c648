"""The case core as every kind uses it: extension, reopening once then escalation, 回访, offline intake,
the queue's export without personal data, deletion refused, and tracking codes of any kind at /track/."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import openpyxl
import pytest

from cases import handling
from cases.handling import HandlingError
from cases.models import Channel, Status
from complaints.models import Complaint
from content.workdays import add_working_days
from tests.factories import ComplaintFactory, DepartmentFactory, QuestionFactory

pytestmark = pytest.mark.django_db
TRACK = reverse("cases:track")


def replied(**kwargs):
    complaint = ComplaintFactory(**{"phone": "", **kwargs})
    return handling.publish_reply(complaint, reply="已核实并整改。", user=None)


def test_extension_moves_the_deadline_with_a_reason_the_citizen_reads(client, complaint_handler):
    complaint = ComplaintFactory(phone="13800005678")
    later = add_working_days(complaint.due_on, 3)
    client.force_login(complaint_handler)
    url = reverse("complaints_admin:edit", args=[complaint.pk])
    response = client.post(
        url, {"action": "extend", "extend-due_on": later.isoformat(), "extend-reason": "需要调取窗口监控录像"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.due_on == later and complaint.original_due_on is not None
    html = client.post(TRACK, {"code": complaint.tracking_code, "phone_last4": "5678"}).content.decode()
    assert "答复期限已延长" in html and "需要调取窗口监控录像" in html
    assert ModelLogEntry.objects.filter(action="complaints.extend", object_id=str(complaint.pk)).exists()


def test_an_extension_must_be_later_and_only_before_the_reply():
    complaint = ComplaintFactory()
    with pytest.raises(HandlingError, match="必须晚于"):
        handling.extend(complaint, due_on=complaint.due_on, reason="x", user=None)
    complaint = replied()
    with pytest.raises(HandlingError, match="已经答复"):
        handling.extend(complaint, due_on=complaint.due_on + datetime.timedelta(days=9), reason="x", user=None)


def test_not_solved_reopens_once_then_goes_to_the_head(client):
    complaint = replied(department=DepartmentFactory())
    lookup = {"code": complaint.tracking_code}
    page = client.post(TRACK, lookup).content.decode()
    assert "问题没有解决？" in page

    response = client.post(
        TRACK, {"action": "reopen", "code": complaint.tracking_code, "reopen-reason": "窗口还是不给办理"}
    )
    assert response.status_code == 200 and "将重新办理" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.reopen_count == 1 and complaint.status == Status.ASSIGNED and complaint.replied_at is None
    assert complaint.escalated_at is None
    assert "窗口还是不给办理" in complaint.notes.get().text and "已核实并整改" in complaint.notes.get().text

    # Before a new reply there is nothing to reopen.
    again = client.post(TRACK, {"action": "reopen", "code": complaint.tracking_code, "reopen-reason": "还是没有解决"})
    assert again.status_code == 409 and "还没有答复" in again.content.decode()

    handling.publish_reply(complaint, reply="再次核实。", user=None)
    client.post(TRACK, {"action": "reopen", "code": complaint.tracking_code, "reopen-reason": "第二次还是没有解决"})
    complaint.refresh_from_db()
    assert complaint.reopen_count == 2 and complaint.escalated_at is not None
    assert not complaint.may_reopen
    html = client.post(TRACK, lookup).content.decode()
    assert "已转服务中心负责人督办" in html and "问题没有解决？" not in html
    assert ModelLogEntry.objects.filter(action="complaints.escalate", object_id=str(complaint.pk)).exists()


def test_reopening_needs_a_lookup_with_the_right_digits_first(client):
    complaint = replied(phone="13800005678")
    refused = client.post(
        TRACK, {"action": "reopen", "code": complaint.tracking_code, "reopen-reason": "没有解决的问题"}
    )
    assert refused.status_code == 403
    complaint.refresh_from_db()
    assert complaint.reopen_count == 0
    client.post(TRACK, {"code": complaint.tracking_code, "phone_last4": "0000"})  # wrong digits: not verified
    client.post(TRACK, {"action": "reopen", "code": complaint.tracking_code, "reopen-reason": "没有解决的问题"})
    complaint.refresh_from_db()
    assert complaint.reopen_count == 0


def test_follow_up_records_satisfaction_after_the_reply(client, complaint_handler):
    complaint = ComplaintFactory()
    with pytest.raises(HandlingError, match="请先答复"):
        handling.follow_up(complaint, satisfaction="satisfied", note="电话回访", user=None)
    complaint = replied()
    client.force_login(complaint_handler)
    url = reverse("complaints_admin:edit", args=[complaint.pk])
    assert "回访" in client.get(url).content.decode()
    client.post(url, {"action": "follow_up", "follow_up-satisfaction": "basic", "follow_up-note": "群众表示基本满意"})
    complaint.refresh_from_db()
    assert complaint.satisfaction == "basic" and complaint.followed_up_at is not None


def test_offline_intake_from_the_hotline_has_the_same_deadline_and_audit(client, complaint_handler):
    client.force_login(complaint_handler)
    add = reverse("complaints_admin:add")
    page = client.get(add)
    assert page.status_code == 200 and "12345 工单号" in page.content.decode()
    token = page.context["form"].initial["form_token"]
    data = {
        "channel": "hotline",
        "category": "efficiency",
        "description": "来电反映：在三都镇办理低保等了两个小时没人受理。",
        "name": "王大妈",
        "phone": "13800001111",
        "severity": "serious",
        "form_token": token,
    }
    missing = client.post(add, data)
    assert missing.status_code == 400 and "请填写热线工单号" in missing.content.decode()
    assert not Complaint.objects.exists()
    response = client.post(add, {**data, "hotline_number": "GD20261204-0001"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == reverse("complaints_admin:edit", args=[complaint.pk])
    assert complaint.channel == Channel.HOTLINE and complaint.hotline_number == "GD20261204-0001"
    assert complaint.recorded_by == complaint_handler and complaint.severity == "serious"
    assert complaint.due_on == add_working_days(timezone.localdate(), 1)
    entry = ModelLogEntry.objects.get(action="complaints.submit", object_id=str(complaint.pk))
    assert entry.user == complaint_handler and entry.data["channel"] == "hotline"
    # The same form sent twice is stored once.
    client.post(add, {**data, "hotline_number": "GD20261204-0001"})
    assert Complaint.objects.count() == 1


def test_intake_is_for_handlers_only(client, head):
    client.force_login(head)
    assert client.get(reverse("complaints_admin:index")).status_code == 200
    refused = client.get(reverse("complaints_admin:add"))
    assert refused.status_code in (302, 403) and "form_token" not in refused.content.decode()


def test_queue_export_never_carries_personal_data(client, complaint_handler):
    ComplaintFactory(name="李秘密", phone="13912345678", description="投诉内容里的秘密细节")
    client.force_login(complaint_handler)
    response = client.get(reverse("complaints_admin:index") + "?export=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    assert "查询码" in cells and "答复期限" in cells
    for secret in ("李秘密", "13912345678", "秘密细节"):
        assert secret not in cells


def test_nobody_may_delete_a_case(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    complaint = ComplaintFactory()
    client.force_login(admin)
    assert client.get(f"/admin/complaints/delete/{complaint.pk}/").status_code == 404
    from wagtail.permissions import policy_registry

    assert not policy_registry.get_by_type(Complaint).user_has_permission(admin, "delete")


def test_track_page_takes_a_code_of_any_kind(client):
    question = QuestionFactory()
    response = client.post(TRACK, {"code": question.tracking_code.lower()})
    assert response.status_code == 200 and "咨询 · 查询码" in response.content.decode()
    complaint = ComplaintFactory(phone="")
    response = client.post(TRACK, {"code": complaint.tracking_code})
    assert "投诉 · 查询码" in response.content.decode()

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from cases.tracking import look_up
from complaints.kind import COMPLAINT
from complaints.models import Complaint, ComplaintNote, Complexity, Status
from tests.factories import ComplaintFactory, DepartmentFactory

from .helpers import jpeg_with_exif

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def actions(complaint):
    return list(
        ModelLogEntry.objects.filter(object_id=str(complaint.pk)).order_by("pk").values_list("action", flat=True)
    )


def test_full_life_cycle(client, handler):
    """submit → track → assign → reply → close, every step logged and visible to the complainant."""
    complaint = ComplaintFactory(phone="13800005678")
    department = DepartmentFactory(name="三都镇社会事务综合服务中心")
    client.force_login(handler)
    detail = reverse("complaints_admin:detail", args=[complaint.pk])

    assert client.get(detail).status_code == 200
    response = client.post(
        detail, {"action": "assign", "assign-department": department.pk, "assign-complexity": "complex"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ASSIGNED and complaint.department == department
    assert complaint.complexity == Complexity.COMPLEX and complaint.due_on > complaint.received_on

    client.post(detail, {"action": "note", "note-text": "已电话联系窗口组长核实情况。"})
    assert ComplaintNote.objects.filter(complaint=complaint, author=handler).count() == 1

    refused = client.post(detail, {"action": "close", "close-note": "处理完毕"})
    assert refused.status_code == 400 and "请先发布答复" in refused.content.decode()

    client.post(detail, {"action": "reply", "reply-reply": "经核实，已对相关人员批评教育，并完善一次性告知单。"})
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED and complaint.answered_on_time is True

    tracked = client.post(reverse("complaints:track"), {"code": complaint.tracking_code, "phone_last4": "5678"})
    assert "完善一次性告知单" in tracked.content.decode()

    client.post(detail, {"action": "close", "close-note": "责任人已书面检查。"})
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_at is not None
    assert (
        "已办结"
        in client.post(
            reverse("complaints:track"), {"code": complaint.tracking_code, "phone_last4": "5678"}
        ).content.decode()
    )

    logged = actions(complaint)
    for action in ("complaints.assign", "complaints.note", "complaints.reply", "complaints.close", "complaints.track"):
        assert action in logged
    assert logged.count("complaints.view") == 2  # the first opening and the page shown again with the refusal
    assert ModelLogEntry.objects.filter(action="complaints.assign", user=handler).exists()


def test_empty_handler_forms_are_refused(client, handler):
    complaint = ComplaintFactory()
    client.force_login(handler)
    detail = reverse("complaints_admin:detail", args=[complaint.pk])
    for data in ({"action": "reply", "reply-reply": ""}, {"action": "note", "note-text": ""}, {"action": "assign"}):
        assert client.post(detail, data).status_code == 400
    assert client.post(detail, {"action": "delete"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.reply == ""


def test_overdue_complaints_are_flagged_and_listed_first(client, handler):
    today = timezone.localdate()
    fresh = ComplaintFactory(received_at=timezone.now())
    old = ComplaintFactory(received_at=at(today - datetime.timedelta(days=20)))
    answered_late = ComplaintFactory(received_at=at(today - datetime.timedelta(days=30)))
    answered_late.replied_at = timezone.now()
    answered_late.reply = "迟到的答复"
    answered_late.save()
    assert old.is_overdue(today) and not fresh.is_overdue(today) and not answered_late.is_overdue(today)
    assert answered_late.answered_on_time is False
    assert list(Complaint.objects.overdue(today)) == [old]
    assert list(Complaint.objects.for_queue(today))[0] == old

    client.force_login(handler)
    html = client.get(reverse("complaints_admin:queue")).content.decode()
    assert html.index(old.tracking_code) < html.index(fresh.tracking_code)
    assert "超期未答复 1 件" in html
    only_overdue = client.get(reverse("complaints_admin:queue"), {"overdue": "on"}).content.decode()
    assert old.tracking_code in only_overdue and fresh.tracking_code not in only_overdue


def test_queue_filters(client, handler):
    department = DepartmentFactory()
    mine = ComplaintFactory(category="fees", department=department)
    other = ComplaintFactory(category="other")
    client.force_login(handler)
    url = reverse("complaints_admin:queue")
    html = client.get(url, {"category": "fees"}).content.decode()
    assert mine.tracking_code in html and other.tracking_code not in html
    html = client.get(url, {"department": department.pk}).content.decode()
    assert mine.tracking_code in html and other.tracking_code not in html
    html = client.get(url, {"q": other.tracking_code[-4:].lower()}).content.decode()
    assert other.tracking_code in html


# ---- Confidentiality ----


def test_handler_sees_personal_data(client, handler):
    complaint = ComplaintFactory(name="王小明", phone="13800001234")
    client.force_login(handler)
    html = client.get(reverse("complaints_admin:detail", args=[complaint.pk])).content.decode()
    assert "王小明" in html and "13800001234" in html
    entry = ModelLogEntry.objects.get(action="complaints.view", object_id=str(complaint.pk))
    assert entry.user == handler and entry.data == {"personal_data_shown": True}


def test_editor_outside_the_group_cannot_see_name_phone_or_attachments(client, editor):
    complaint = ComplaintFactory(name="王小明", phone="13800001234")
    attachment = complaint.attachments.create(
        file="2026/11/x.jpg", original_name="现场.jpg", content_type="image/jpeg", size=10
    )
    client.force_login(editor)
    response = client.get(reverse("complaints_admin:detail", args=[complaint.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "王小明" not in html and "13800001234" not in html and "现场.jpg" not in html
    assert "仅“投诉处理人员”组成员可见" in html
    entry = ModelLogEntry.objects.get(action="complaints.view", object_id=str(complaint.pk))
    assert entry.user == editor and entry.data == {"personal_data_shown": False}
    download = reverse("complaints_admin:download", args=[complaint.pk, attachment.pk])
    assert client.get(download).status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect home
    assert not ModelLogEntry.objects.filter(action="complaints.download").exists()
    # Viewing is not handling: the editor has no change permission.
    assert client.post(
        reverse("complaints_admin:detail", args=[complaint.pk]), {"action": "note", "note-text": "x"}
    ).status_code in (302, 403)
    assert not complaint.notes.exists()


def test_superuser_outside_the_group_does_not_see_personal_data(client, admin_user):
    complaint = ComplaintFactory(name="王小明", phone="13800001234")
    client.force_login(admin_user)
    html = client.get(reverse("complaints_admin:detail", args=[complaint.pk])).content.decode()
    assert "13800001234" not in html


def test_people_without_permission_are_kept_out(client, django_user_model):
    complaint = ComplaintFactory()
    client.force_login(django_user_model.objects.create_user("nobody", password="pw"))
    assert client.get(reverse("complaints_admin:queue")).status_code in (302, 403)
    assert client.get(reverse("complaints_admin:detail", args=[complaint.pk])).status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="complaints.view").exists()


def test_handler_downloads_an_attachment_and_it_is_logged(client, handler):
    from complaints.attachments import clean_upload
    from complaints.handling import submit_complaint

    complaint, _ = submit_complaint(
        about={},
        category="other",
        description="附件测试投诉内容足够长。",
        name="",
        phone="",
        files=[clean_upload(jpeg_with_exif())],
        token="t-1",
    )
    attachment = complaint.attachments.get()
    client.force_login(handler)
    response = client.get(reverse("complaints_admin:download", args=[complaint.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert ModelLogEntry.objects.filter(
        action="complaints.download", user=handler, object_id=str(complaint.pk)
    ).exists()


def test_handler_group_is_created_with_its_permissions():
    from django.contrib.auth.models import Group

    codenames = set(Group.objects.get(name="投诉处理人员").permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_complaint", "change_complaint", "view_followup", "change_followup"} <= codenames


def test_look_up_ignores_digits_for_anonymous_complaints(rf):
    complaint = ComplaintFactory(phone="", name="")
    assert look_up(rf.post("/"), COMPLAINT, complaint.tracking_code, "") == complaint
    assert look_up(rf.post("/"), COMPLAINT, complaint.tracking_code, "1111") == complaint

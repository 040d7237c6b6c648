import errno
import re
from unittest import mock

from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from cases import codes
from complaints.models import Complaint, ComplaintAttachment, Status
from tests.factories import ComplaintFactory, HallFactory, ServicePageFactory, StaffMemberFactory, WindowFactory

from .helpers import jpeg_with_exif, pdf

pytestmark = pytest.mark.django_db
FORM = reverse("complaints:form")
TRACK = reverse("complaints:track")
TEXT = "2026年11月20日上午在1号窗口办理低保，工作人员说材料不全却不说缺什么。"


@pytest.fixture
def place():
    hall = HallFactory(code="LY-SD", slug="ly-sd", title="三都镇政务服务中心")
    window = WindowFactory(hall=hall, number="1", name="社会事务综合窗口")
    staff = StaffMemberFactory(hall=hall, window=window, name="刘建华")
    other_hall = HallFactory()
    service = ServicePageFactory(title="最低生活保障审核确认", code="LY-SD-0001", parts__hall=hall)
    return {"hall": hall, "window": window, "staff": staff, "other_hall": other_hall, "service": service}


def form_data(client, **overrides):
    """What a person sends: the form's own token from a GET, plus their answers."""
    page = client.get(FORM)
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {"category": "attitude", "description": TEXT, "consent": "on", "form_token": token}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def code_from(response):
    return re.search(r"TS-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", response.content.decode()).group(0)


def test_form_page_has_csrf_honeypot_and_token(client):
    html = client.get(FORM).content.decode()
    assert "csrfmiddlewaretoken" in html and 'name="website"' in html and 'name="form_token"' in html
    assert "服务态度" in html and "推诿扯皮" in html


def test_anonymous_complaint_gets_a_code_and_is_tracked_by_code_alone(client):
    response = client.post(FORM, form_data(client), follow=True)
    assert response.redirect_chain[-1][0] == reverse("complaints:submitted")
    code = code_from(response)
    complaint = Complaint.objects.get()
    assert complaint.tracking_code == code and complaint.status == Status.RECEIVED
    assert complaint.description == TEXT and complaint.is_anonymous
    assert ModelLogEntry.objects.filter(action="complaints.submit", object_id=str(complaint.pk)).exists()

    tracked = client.post(TRACK, {"code": code.lower().replace("-", " ")})
    assert tracked.status_code == 200
    html = tracked.content.decode()
    assert code in html and "已受理" in html and TEXT not in html
    assert ModelLogEntry.objects.filter(action="complaints.track", object_id=str(complaint.pk)).exists()


def test_complaint_about_a_staff_member_records_the_hall(client, place):
    data = form_data(
        client,
        staff=place["staff"].pk,
        service="ly-sd-0001",
        name="王小明",
        phone="138 0000 1234",
        category="efficiency",
    )
    assert client.post(FORM, data).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.staff == place["staff"] and complaint.hall == place["hall"]
    assert complaint.service.specific == place["service"]
    assert (complaint.name, complaint.phone) == ("王小明", "13800001234")


def test_tracking_with_phone_needs_the_last_four_digits_and_never_shows_personal_data(client):
    complaint = ComplaintFactory(name="王小明", phone="13800005678", reply="已对窗口人员批评教育。")
    assert client.post(TRACK, {"code": complaint.tracking_code}).status_code == 404
    assert client.post(TRACK, {"code": complaint.tracking_code, "phone_last4": "9999"}).status_code == 404
    response = client.post(TRACK, {"code": complaint.tracking_code, "phone_last4": "5678"})
    assert response.status_code == 200
    html = response.content.decode()
    for secret in ("王小明", "13800005678", "5678", complaint.description):
        assert secret not in html.replace(complaint.tracking_code, "")


def test_full_width_phone_is_stored_half_width_and_tracked_with_full_width_digits(client):
    """A Chinese input method in full-width mode types １３８…; the number is kept in ASCII digits."""
    response = client.post(FORM, form_data(client, phone="（＋８６）１３８ ００００ ５６７８"), follow=True)
    complaint = Complaint.objects.get()
    assert complaint.phone == "13800005678"
    found = client.post(TRACK, {"code": code_from(response), "phone_last4": "５６７８"})
    assert found.status_code == 200 and complaint.tracking_code in found.content.decode()


def test_unknown_code_gets_the_same_answer_as_a_wrong_phone(client):
    complaint = ComplaintFactory()
    wrong_phone = client.post(TRACK, {"code": complaint.tracking_code, "phone_last4": "0000"})
    unknown = client.post(TRACK, {"code": "TS-2026-0000-0000", "phone_last4": "0000"})
    assert wrong_phone.status_code == unknown.status_code == 404
    assert "没有找到对应的投诉" in unknown.content.decode()


def test_published_reply_appears_on_the_tracking_page(client):
    complaint = ComplaintFactory(phone="", name="", reply="经核实，已增设取号引导。", status=Status.REPLIED)
    complaint.replied_at = complaint.received_at
    complaint.save()
    html = client.post(TRACK, {"code": complaint.tracking_code}).content.decode()
    assert "经核实，已增设取号引导。" in html and "已答复" in html


def test_attachments_are_stored_privately_and_cleaned(client, _private_attachments):
    data = form_data(client, attachments=[jpeg_with_exif(), pdf()])
    assert client.post(FORM, data).status_code == 302
    stored = ComplaintAttachment.objects.order_by("content_type")
    assert [a.content_type for a in stored] == ["application/pdf", "image/jpeg"]
    photo = stored[1]
    assert photo.original_name == "photo.jpg"
    path = _private_attachments / photo.file.name
    assert path.exists() and b"SecretCam" not in path.read_bytes()
    with pytest.raises(ValueError, match="没有公开地址"):
        _ = photo.file.url


# ---- Bad input: each answer is a clear Chinese message with the person's text kept ----


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category": None}, "请选择投诉类别"),
        ({"category": "bribery"}, "请从列出的类别中选择一项"),
        ({"description": "太短了"}, "投诉内容太短"),
        ({"description": "长" * 2001}, "投诉内容最多 2000 个字"),
        ({"phone": "12345"}, "请填写有效的手机号"),
        ({"phone": "1" * 30}, "电话号码最多 20 位"),
        ({"phone": "١٣٨٠٠٠٠١٢٣٤"}, "请填写有效的手机号"),  # Arabic-Indic digits: \d matched them once (fuzzing)
        ({"phone": "1380000123٤"}, "请填写有效的手机号"),
        ({"name": "名" * 51}, "姓名最多 50 个字"),
        ({"consent": None}, "请阅读并勾选同意声明"),
        ({"service": "不存在的事项"}, "没有找到“不存在的事项”这个事项"),
        ({"hall": "999999"}, "选择一个有效的选项"),
        ({"hall": "9" * 25}, "选择一个有效的选项"),  # past 2**63: SQLite raised OverflowError (500) once
        ({"hall": str(2**63)}, "选择一个有效的选项"),
        ({"website": "http://spam.example"}, "提交未通过安全校验"),
    ],
)
def test_bad_input_is_refused_and_text_kept(client, overrides, message):
    data = form_data(client, **overrides)
    response = client.post(FORM, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if len(data.get("description", "")) < 100:
        assert data["description"] in html
    assert "您已填写的文字都保留在表单中" in html
    assert not Complaint.objects.exists()


def test_a_hall_id_in_other_digits_is_not_that_hall(client, place):
    """int() reads '١٢' as 12: the form must not pick a hall the visitor never saw in the list."""
    arabic_indic = str(place["hall"].pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = client.post(FORM, form_data(client, hall=arabic_indic))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not Complaint.objects.exists()


def test_window_and_staff_must_belong_to_the_chosen_hall(client, place):
    data = form_data(client, hall=place["other_hall"].pk, window=place["window"].pk, staff=place["staff"].pk)
    html = client.post(FORM, data).content.decode()
    assert "所选窗口不在所选大厅" in html and "所选工作人员不在所选大厅" in html


def test_too_many_and_fake_attachments(client):
    data = form_data(client, attachments=[pdf(f"{n}.pdf") for n in range(4)])
    assert "最多上传 3 个附件" in client.post(FORM, data).content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    html = client.post(FORM, form_data(client, attachments=[fake])).content.decode()
    assert "附件“photo.jpg”不是 JPEG、PNG 图片或 PDF 文件" in html and TEXT in html
    assert not Complaint.objects.exists()


def test_oversized_request_is_refused_before_reading(client):
    response = client.post(FORM, form_data(client), CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM, {"category": "attitude", "description": TEXT, "consent": "on"}).status_code == 403
    assert not Complaint.objects.exists()


def test_rate_limit_answers_429_and_keeps_the_text(client, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "complaint": "2/h"}
    for _ in range(2):
        assert client.post(FORM, form_data(client)).status_code == 302
    limited = client.post(FORM, form_data(client, description=TEXT + "第三次"))
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "提交过于频繁" in html and TEXT + "第三次" in html
    assert Complaint.objects.count() == 2


def test_tracking_is_rate_limited(client, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "track": "3/h"}
    for _ in range(3):
        client.post(TRACK, {"code": "TS-2026-0000-0000"})
    assert client.post(TRACK, {"code": "TS-2026-0000-0000"}).status_code == 429


def test_disk_full_keeps_the_text_and_stores_nothing(client):
    data = form_data(client, attachments=[jpeg_with_exif(), pdf()])
    calls = {"n": 0}
    real_save = FileSystemStorage._save

    def failing_save(self, name, content):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, name, content)

    with mock.patch.object(FileSystemStorage, "_save", failing_save):
        response = client.post(FORM, data)
    assert response.status_code == 503
    html = response.content.decode()
    assert "服务器暂时无法保存附件" in html and TEXT in html
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    from django.conf import settings

    leftovers = [p for p in settings.COMPLAINTS_ATTACHMENT_ROOT.rglob("*") if p.is_file()]
    assert leftovers == []


def test_the_same_form_sent_twice_is_stored_once(client):
    data = form_data(client)
    first = client.post(FORM, data, follow=True)
    second = client.post(FORM, data, follow=True)
    assert Complaint.objects.count() == 1
    assert code_from(first) == code_from(second)


def test_a_colliding_code_is_replaced(client):
    existing = ComplaintFactory()
    fresh = codes.new_code("TS", 2026)
    with mock.patch("cases.handling.codes.new_code", side_effect=[existing.tracking_code, fresh]):
        assert client.post(FORM, form_data(client)).status_code == 302
    assert Complaint.objects.filter(tracking_code=fresh).exists()
    assert Complaint.objects.count() == 2


def test_prefill_from_a_guide_link(client, place):
    html = client.get(FORM, {"service": "ly-sd-0001", "hall": "ly-sd"}).content.decode()
    assert 'value="最低生活保障审核确认"' in html and 'name="service_code" value="LY-SD-0001"' in html
    assert f'<option value="{place["hall"].pk}" selected>' in html


def test_a_prefilled_guide_is_taken_exactly_while_its_name_is_unchanged(client, place):
    twin = ServicePageFactory(title="最低生活保障审核确认", code="LY-OTHER-0001")
    data = form_data(client, service="最低生活保障审核确认", service_code=twin.code)
    client.post(FORM, data)
    assert Complaint.objects.get().service.pk == twin.pk


def test_tracking_code_is_shown_once(client):
    """The next person at a shared browser must not read the code: a reload says it was shown once."""
    response = client.post(FORM, form_data(client), follow=True)
    code = code_from(response)
    again = client.get(reverse("complaints:submitted"))
    assert again.status_code == 200
    html = again.content.decode()
    assert code not in html and "查询码只显示一次" in html
    later = client.get(reverse("complaints:submitted"))
    assert later.status_code == 302 and later["Location"] == reverse("complaints:form")

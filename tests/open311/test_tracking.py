"""GET requests/{id}: by tracking code with the tracking page's confidentiality — the phone's last digits, the
lock after repeated failures (counted together with the page), unknown codes and wrong digits answered alike,
and never a name, phone, e-mail or the citizen's text."""

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from cases import handling, tracking
from tests.factories import ComplaintFactory, DepartmentFactory, QuestionFactory

from .helpers import API, conforms, descriptions

pytestmark = pytest.mark.django_db
PERSONAL = {"name": "李秀英", "phone": "13800005678", "email": "li.xiuying@example.org"}
TEXT = "窗口工作人员让我跑了三趟，还说下次再来。"
LOCKED = "这个查询码连续多次核对不符"


def look_up(client, code, digits=None, **extra):
    params = {} if digits is None else {"phone_last4": digits}
    return client.get(f"{API}/requests/{code}.json", params, REMOTE_ADDR="203.0.113.7", **extra)


def found(response):
    assert response.status_code == 200, response.content.decode()
    payload = response.json()
    conforms(payload, "Open311Requests")
    return payload[0]


def test_a_code_with_a_phone_needs_its_last_four_digits(client):
    case = ComplaintFactory(**PERSONAL, description=TEXT)
    for digits in (None, "0000"):
        assert look_up(client, case.tracking_code, digits).status_code == 404
    request = found(look_up(client, case.tracking_code, "5678"))
    assert request["service_request_id"] == case.tracking_code
    assert (request["status"], request["status_notes"]) == ("open", None)
    assert request["service_code"] == f"complaint.{case.category}"
    assert request["service_name"].startswith("投诉：")
    # Lower case and no dashes, as the tracking page forgives them.
    loose = case.tracking_code.lower().replace("-", "")
    assert found(look_up(client, loose, "5678"))["service_request_id"] == case.tracking_code


def test_nothing_personal_is_ever_returned(client):
    case = ComplaintFactory(**PERSONAL, description=TEXT)
    handling.publish_reply(case, reply="已约谈窗口负责人并整改。", user=None)
    response = look_up(client, case.tracking_code, "5678")
    request = found(response)  # the schema allows no other field (additionalProperties: false)
    body = response.content.decode()
    for secret in (*PERSONAL.values(), "5678", TEXT):
        assert secret not in body and secret not in json.dumps(request, ensure_ascii=False)
    assert "description" not in request
    assert request["status_notes"] == "已约谈窗口负责人并整改。"


def test_status_reply_department_and_dates(client):
    department = DepartmentFactory(name="三都镇社会事务办")
    case = ComplaintFactory(phone="")
    handling.assign(case, department=department, user=None, complexity="complex")
    handling.publish_reply(case, reply="已核实并整改。", user=None)
    case = handling.close(case, note="已处理", user=None)
    request = found(look_up(client, case.tracking_code))
    assert request["status"] == "closed"
    assert request["status_notes"] == "已核实并整改。"
    assert request["agency_responsible"] == "三都镇社会事务办"
    assert request["service_notice"].startswith("当前状态：已办结。")
    assert request["requested_datetime"] == timezone.localtime(case.received_at).isoformat(timespec="seconds")
    assert request["updated_datetime"] == timezone.localtime(case.closed_at).isoformat(timespec="seconds")
    assert request["expected_datetime"] == f"{case.due_on.isoformat()}T23:59:59+08:00"


def test_an_extension_and_lateness_are_said_as_on_the_tracking_page(client):
    case = ComplaintFactory(phone="")
    later = case.due_on + datetime.timedelta(days=7)
    handling.extend(case, due_on=later, reason="需要调取窗口监控录像", user=None)
    notice = found(look_up(client, case.tracking_code))["service_notice"]
    assert "答复期限已延长" in notice and "需要调取窗口监控录像" in notice
    late = ComplaintFactory(phone="", due_on=timezone.localdate() - datetime.timedelta(days=3))
    assert "答复已超过期限" in found(look_up(client, late.tracking_code))["service_notice"]


def test_a_question_is_tracked_the_same_way(client):
    question = QuestionFactory(phone="0734-4362011")
    request = found(look_up(client, question.tracking_code, "2011"))
    assert request["service_code"] == f"question.{question.category}"
    assert request["service_name"].startswith("咨询：")


def test_unknown_code_and_wrong_digits_answer_alike(client):
    case = ComplaintFactory(phone="13800005678")
    unknown = "TS-2026-0000-0000"
    wrong, missing = look_up(client, case.tracking_code, "0000"), look_up(client, unknown, "0000")
    assert wrong.status_code == missing.status_code == 404
    assert wrong.content == missing.content
    assert descriptions(wrong) == [
        "没有找到对应的投诉。请核对查询码；提交时留了电话的，还需提供电话号码的最后四位（phone_last4）。"
    ]


def test_failures_count_towards_the_cores_lock(client):
    case = ComplaintFactory(phone="13800005678")
    for digits in ("0000", "1111", "2222", "3333", "4444"):
        assert look_up(client, case.tracking_code, digits).status_code == 404
    assert tracking.locked_minutes(case.tracking_code) == 60
    locked = look_up(client, case.tracking_code, "5678")  # even the right digits
    assert locked.status_code == 429
    assert descriptions(locked)[0].startswith(LOCKED) and "60 分钟后再试" in descriptions(locked)[0]
    assert int(locked["Retry-After"]) == 3600
    assert "已受理" not in locked.content.decode()
    page = client.post(reverse("cases:track"), {"code": case.tracking_code, "phone_last4": "5678"})
    assert page.status_code == 429 and LOCKED in page.content.decode()  # the tracking page is locked too


def test_the_tracking_page_and_the_api_count_failures_together(client):
    case = ComplaintFactory(phone="13800005678")
    for digits in ("0000", "1111", "2222"):
        client.post(reverse("cases:track"), {"code": case.tracking_code, "phone_last4": digits})
    for digits in ("3333", "4444"):
        assert look_up(client, case.tracking_code, digits).status_code == 404
    assert look_up(client, case.tracking_code, "5678").status_code == 429


def test_an_unknown_code_locks_alike(client):
    unknown = "TS-2026-0000-0000"
    for _ in range(tracking.MAX_FAILURES):
        look_up(client, unknown, "0000")
    assert look_up(client, unknown, "0000").status_code == 429


def test_a_lookup_is_logged_as_the_pages_are(client):
    case = ComplaintFactory(phone="")
    found(look_up(client, case.tracking_code))
    assert ModelLogEntry.objects.filter(action="complaints.track", object_id=str(case.pk)).count() == 1


@pytest.mark.parametrize("code", ["TS-2026", "XX-2026-7KQ4-M2XD", "TS-2026-7KQ4-M2XD-EXTRA-CHARACTERS-PAST-40"])
def test_a_code_that_cannot_be_one_is_a_404_with_the_pages_words(client, code):
    response = look_up(client, code, "1234")
    assert response.status_code == 404
    assert descriptions(response) == ["查询码格式不对，应类似 TS-2026-7KQ4-M2XD，请核对。"]


@pytest.mark.parametrize("digits", ["12a4", "12345", "12"])
def test_digits_that_are_not_four_digits_are_a_400(client, digits):
    case = ComplaintFactory(phone="13800005678")
    response = look_up(client, case.tracking_code, digits)
    assert response.status_code == 400
    assert descriptions(response) == ["请填写 4 位数字。（phone_last4）"]
    assert tracking.locked_minutes(case.tracking_code) == 0


def test_full_width_digits_are_read_as_the_page_reads_them(client):
    case = ComplaintFactory(phone="13800005678")
    assert found(look_up(client, case.tracking_code, "５６７８"))["service_request_id"] == case.tracking_code


def test_lookups_share_the_tracking_pages_rate_limit(client, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "track": "3/h"}
    case = ComplaintFactory(phone="")
    client.post(reverse("cases:track"), {"code": case.tracking_code}, REMOTE_ADDR="203.0.113.7")
    for _ in range(2):
        found(look_up(client, case.tracking_code))
    limited = look_up(client, case.tracking_code)
    assert limited.status_code == 429 and descriptions(limited)[0].startswith("查询过于频繁")
    assert int(limited["Retry-After"]) >= 1


def test_the_answer_is_never_cached(client):
    case = ComplaintFactory(phone="")
    response = look_up(client, case.tracking_code)
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]

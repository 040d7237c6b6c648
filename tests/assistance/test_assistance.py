"""帮办代办 as a villager and a station use it: ask the station on a guide or its hall page, get a code and the
代办员's phone, follow the steps by code; the station assigns its 代办员, moves the request forward (never
back), replies and marks it 已送达, which closes it; the citizen may still say it did not solve the problem."""

import io
import re

from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

import openpyxl
import pytest

from assistance import handling
from assistance.models import AssistanceRequest, Step
from cases import handling as case_handling
from cases.handling import HandlingError
from cases.models import Channel, Status
from content.models import ServiceHall
from content.workdays import add_working_days
from tests.factories import AssistanceRequestFactory, ServicePageFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

FORM = reverse("assistance:form")
TRACK = reverse("assistance:track")
NOTE = "家中老人腿脚不便，材料已备好户口簿。"
ADDRESS = "新民村五组 12 号"


def form_data(client, url=FORM, **overrides):
    page = client.get(url)
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {
        "service": "LY-SD-0005",
        "village": "新民村",
        "name": "段大爷",
        "phone": "138 0000 2468",
        "preferred_time": "工作日上午",
        "notify_by": "",
        "consent": "on",
        "form_token": token,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def code_from(response):
    return re.search(r"DB-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", response.content.decode()).group(0)


def edit_url(request):
    return reverse("assistance_admin:edit", args=[request.pk])


def track(client, code, last4="2468", url=TRACK):
    return client.post(url, {"code": code, "phone_last4": last4}).content.decode()


def test_the_whole_life_of_a_request(client, township, assistance_handler):
    station, agent = township.station, township.agent
    url = f"{FORM}?service=LY-SD-0005&hall=LY-SD-XM"
    page = client.get(url).content.decode()
    assert 'value="高龄津贴申领"' in page and f'<option value="{station.pk}" selected>' in page
    assert "段秋菊" in page  # the chosen station's 代办员

    data = form_data(
        client, url, hall=station.pk, home_visit="on", home_visit_reason="elderly", address=ADDRESS, note=NOTE
    )
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("assistance:submitted")
    shown = client.get(response.url)
    html = shown.content.decode()
    code = code_from(shown)
    assert "段秋菊" in html and "0734-4362101" in html  # the station's 代办员 and phone, on the confirmation
    request = AssistanceRequest.objects.get(tracking_code=code)
    assert "DB-" not in client.get(response.url).content.decode()  # the code is shown once
    assert (request.service, request.hall, request.department) == (township.guide, station, township.guide.department)
    assert (request.name, request.phone, request.village) == ("段大爷", "13800002468", "新民村")
    assert (request.home_visit, request.home_visit_reason, request.address, request.note) == (
        True,
        "elderly",
        ADDRESS,
        NOTE,
    )
    assert request.due_on == add_working_days(timezone.localdate(), 5)
    assert f"{request.due_on:%Y年%-m月%-d日}" in html
    assert request.step == Step.RECEIVED and request.status == Status.RECEIVED

    assert client.post(TRACK, {"code": code, "phone_last4": "0000"}).status_code == 404
    waiting = track(client, code)
    assert "已受理" in waiting and "正在安排代办员" in waiting
    for private in ("13800002468", "段大爷", ADDRESS, NOTE, "工作日上午"):
        assert private not in waiting

    client.force_login(assistance_handler)
    edit = edit_url(request)
    handling_page = client.get(edit).content.decode()
    assert "13800002468" in handling_page and ADDRESS in handling_page and NOTE in handling_page
    assert client.post(edit, {"action": "agent", "agent-agent": agent.pk}).status_code == 302
    request.refresh_from_db()
    assert request.agent == agent and request.status == Status.ASSIGNED
    assert ModelLogEntry.objects.filter(action="assistance.assign", object_id=str(request.pk)).exists()

    assert client.post(edit, {"action": "step", "step-step": "collected", "step-note": "已收户口簿"}).status_code == 302
    request.refresh_from_db()
    assert request.step == Step.COLLECTED and request.collected_at is not None
    entry = ModelLogEntry.objects.get(action="assistance.step", object_id=str(request.pk))
    assert (
        entry.data == {"before": "received", "after": "collected", "label": "材料已收"}
        and entry.user == assistance_handler
    )
    collected = track(client, code)
    assert "材料已收" in collected and f"{timezone.localtime(request.collected_at):%Y年%-m月%-d日 %H:%M}" in collected
    assert "段秋菊" in collected and "0734-4362101" in collected and "13800002468" not in collected

    # 已送达 closes the request: not before the reply the citizen reads.
    refused = client.post(edit, {"action": "step", "step-step": "delivered"})
    assert refused.status_code == 400 and "请先发布答复" in refused.content.decode()
    request.refresh_from_db()
    assert request.step == Step.COLLECTED and request.status == Status.ASSIGNED

    # Any later step may be recorded (the station went straight on); a skipped one keeps no date.
    client.post(edit, {"action": "step", "step-step": "done"})
    request.refresh_from_db()
    assert request.step == Step.DONE and request.submitted_at is None and request.done_at is not None

    later = add_working_days(request.due_on, 3)
    client.post(edit, {"action": "extend", "extend-due_on": later.isoformat(), "extend-reason": "等待县民政局审批"})
    extended = track(client, code)
    assert "答复期限已延长" in extended and "等待县民政局审批" in extended

    client.post(edit, {"action": "reply", "reply-reply": "高龄津贴已审批，证件已送到家。"})
    assert client.post(edit, {"action": "step", "step-step": "delivered", "step-note": "上门送达"}).status_code == 302
    request.refresh_from_db()
    assert request.step == Step.DELIVERED and request.status == Status.CLOSED and request.delivered_at is not None
    assert "【办结】上门送达" in request.notes.last().text

    done = track(client, code)
    assert "证件已送到家" in done and "已送达" in done and "问题没有解决？" in done
    # Every tracking code works at /track/ too.
    assert "代办 · 查询码" in track(client, code, url=reverse("cases:track"))

    reopened = client.post(TRACK, {"action": "reopen", "code": code, "reopen-reason": "送来的证件名字写错了"})
    assert reopened.status_code == 200 and "将重新办理" in reopened.content.decode()
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED and request.reopen_count == 1 and request.step == Step.DELIVERED
    page = client.get(edit).content.decode()
    assert 'id="action-step"' not in page and 'id="action-reply"' in page  # nothing after 已送达; answer again


def test_a_station_that_does_not_assist_the_item_refuses_it(client, township):
    elsewhere = ServicePageFactory(title="城乡居民基本养老保险参保登记", code="LY-SD-0013", halls=[township.station])
    response = client.post(FORM, form_data(client, service=elsewhere.code, hall=township.station.pk))
    html = response.content.decode()
    assert response.status_code == 400
    assert "三都镇新民村便民服务站不代办“城乡居民基本养老保险参保登记”" in html and "目前没有服务站代办这个事项" in html
    ServiceHall.objects.filter(service=elsewhere, hall=township.other_station).delete()
    ServiceHall.objects.create(service=elsewhere, hall=township.other_station, can_assist=True, sort_order=5)
    response = client.post(FORM, form_data(client, service=elsewhere.code, hall=township.station.pk))
    assert "可以代办这个事项的服务站：三都镇东风村便民服务站" in response.content.decode()
    assert not AssistanceRequest.objects.exists()


def test_a_home_visit_needs_its_reason_and_the_address(client, township):
    response = client.post(FORM, form_data(client, hall=township.station.pk, home_visit="on"))
    html = response.content.decode()
    assert response.status_code == 400 and "请选择上门原因" in html and "请填写上门地址" in html
    assert not AssistanceRequest.objects.exists()
    # No home visit asked for: an address typed anyway is not kept.
    client.post(FORM, form_data(client, hall=township.station.pk, home_visit_reason="other", address=ADDRESS))
    request = AssistanceRequest.objects.get()
    assert not request.home_visit and request.address == "" and request.home_visit_reason == ""


def test_name_phone_village_and_time_are_required(client, township):
    data = form_data(client, hall=township.station.pk, name="", phone="", village="", preferred_time="")
    response = client.post(FORM, data)
    html = response.content.decode()
    assert response.status_code == 400
    for message in ("请填写姓名", "请填写联系电话", "请填写您所在的村（社区）", "请写下您方便的时间"):
        assert message in html
    response = client.post(FORM, form_data(client, service="", hall=""))
    html = response.content.decode()
    assert "请填写要代办的事项" in html and "请选择为您代办的服务站" in html
    assert not AssistanceRequest.objects.exists()


def test_requests_are_rate_limited_and_what_was_typed_is_kept(client, township, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "assistance": "2/h"}
    for _ in range(2):
        assert client.post(FORM, form_data(client, hall=township.station.pk, note=NOTE)).status_code == 302
    refused = client.post(FORM, form_data(client, hall=township.station.pk, note=NOTE))
    assert (
        refused.status_code == 429 and NOTE in refused.content.decode() and "提交过于频繁" in refused.content.decode()
    )
    assert AssistanceRequest.objects.count() == 2


def test_the_same_form_sent_twice_is_one_request(client, township):
    data = form_data(client, hall=township.station.pk)
    client.post(FORM, data)
    client.post(FORM, data)
    assert AssistanceRequest.objects.count() == 1


def test_the_honeypot_refuses_and_stores_nothing(client, township):
    response = client.post(FORM, form_data(client, hall=township.station.pk, website="http://spam.example"))
    assert response.status_code == 400 and "安全校验" in response.content.decode()
    assert not AssistanceRequest.objects.exists()


def test_steps_never_go_backwards(township, assistance_handler):
    request = AssistanceRequestFactory(hall=township.station, service=township.guide)
    with pytest.raises(HandlingError, match="请先分派代办员"):
        handling.advance(request, step=Step.COLLECTED, note="", user=assistance_handler)
    handling.assign_agent(request, agent=township.agent, user=assistance_handler)
    handling.advance(request, step=Step.SUBMITTED, note="", user=assistance_handler)
    for step in (Step.RECEIVED, Step.COLLECTED, Step.SUBMITTED):
        with pytest.raises(HandlingError, match="进度只能往后更新"):
            handling.advance(request, step=step, note="", user=assistance_handler)
    request.refresh_from_db()
    assert request.step == Step.SUBMITTED and request.collected_at is None
    assert [value for value, _label in request.later_steps()] == ["done", "delivered"]


def test_the_step_form_offers_only_later_steps(client, township, assistance_handler):
    request = AssistanceRequestFactory(hall=township.station, service=township.guide)
    handling.assign_agent(request, agent=township.agent, user=assistance_handler)
    handling.advance(request, step=Step.SUBMITTED, note="", user=assistance_handler)
    client.force_login(assistance_handler)
    page = client.get(edit_url(request)).content.decode()
    step_form = page.split('id="action-step"')[1].split("</form>")[0]
    assert "已办结" in step_form and "已送达" in step_form and "材料已收" not in step_form
    refused = client.post(edit_url(request), {"action": "step", "step-step": "collected"})
    assert refused.status_code == 400
    request.refresh_from_db()
    assert request.step == Step.SUBMITTED


def test_only_the_stations_own_agents_may_be_assigned(client, township, assistance_handler):
    request = AssistanceRequestFactory(hall=township.station, service=township.guide)
    off_duty = StaffMemberFactory(hall=township.station, name="离岗人", is_agent=True, is_active=False)
    not_agent = StaffMemberFactory(hall=township.station, name="窗口员")
    client.force_login(assistance_handler)
    agent_form = client.get(edit_url(request)).content.decode().split('id="action-agent"')[1].split("</form>")[0]
    assert "段秋菊" in agent_form and "谢春生" not in agent_form and "离岗人" not in agent_form
    assert "窗口员" not in agent_form
    for person in (township.other_agent, off_duty, not_agent):
        assert client.post(edit_url(request), {"action": "agent", "agent-agent": person.pk}).status_code == 400
        with pytest.raises(HandlingError):
            handling.assign_agent(request, agent=person, user=assistance_handler)
    request.refresh_from_db()
    assert request.agent is None and request.status == Status.RECEIVED


def test_personal_data_only_for_the_handler_group(client, township, assistance_handler, head):
    request = AssistanceRequestFactory(
        hall=township.station,
        service=township.guide,
        home_visit=True,
        home_visit_reason="disabled",
        address=ADDRESS,
        note=NOTE,
        preferred_time="周六下午三点以后",
    )
    secrets = ("13800002468", "段大爷", ADDRESS, NOTE, "周六下午三点以后", "残疾人")
    client.force_login(head)
    assert client.get(reverse("assistance_admin:index")).status_code == 200
    seen = client.get(edit_url(request)).content.decode()
    assert "新民村" in seen and "仅“帮办代办人员”组成员可见" in seen
    for secret in secrets:
        assert secret not in seen
    assert client.post(edit_url(request), {"action": "note", "note-text": "看看"}).status_code in (302, 403)
    assert not request.notes.exists()  # 中心负责人 sees the queue, handles nothing
    entry = ModelLogEntry.objects.filter(action="assistance.view", object_id=str(request.pk)).latest("timestamp")
    assert entry.data == {"personal_data_shown": False}

    client.force_login(assistance_handler)
    seen = client.get(edit_url(request)).content.decode()
    for secret in secrets:
        assert secret in seen


def test_the_queue_export_carries_no_personal_data(client, township, assistance_handler):
    request = AssistanceRequestFactory(
        hall=township.station,
        service=township.guide,
        name="李秘密",
        phone="13912345678",
        email="secret@example.org",
        home_visit=True,
        home_visit_reason="disabled",
        address="秘密村九组 99 号",
        note="补充说明里的秘密细节",
        preferred_time="秘密时间",
    )
    handling.assign_agent(request, agent=township.agent, user=assistance_handler)
    client.force_login(assistance_handler)
    queue = client.get(reverse("assistance_admin:index")).content.decode()
    assert request.tracking_code in queue and "段秋菊" in queue and "13912345678" not in queue
    response = client.get(reverse("assistance_admin:index") + "?export=xlsx")
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    assert "代办进度" in cells and "新民村" in cells and "段秋菊" in cells and request.tracking_code in cells
    for secret in ("李秘密", "13912345678", "secret@example.org", "秘密村", "秘密细节", "秘密时间", "残疾人"):
        assert secret not in cells


def test_the_queue_filters_by_step_station_and_home_visit(client, township, assistance_handler):
    at_home = AssistanceRequestFactory(hall=township.station, service=township.guide, home_visit=True, address="x")
    other = AssistanceRequestFactory(hall=township.other_station, service=township.guide)
    handling.assign_agent(other, agent=township.other_agent, user=assistance_handler)
    handling.advance(other, step=Step.COLLECTED, note="", user=assistance_handler)
    client.force_login(assistance_handler)
    index = reverse("assistance_admin:index")

    def listed(query):
        html = client.get(index, query).content.decode()
        return {r.tracking_code for r in (at_home, other) if r.tracking_code in html}

    assert listed({"step": "collected"}) == {other.tracking_code}
    assert listed({"hall": township.station.pk}) == {at_home.tracking_code}
    assert listed({"home_visit": "on"}) == {at_home.tracking_code}


def test_offline_intake_from_the_hotline(client, township, assistance_handler):
    client.force_login(assistance_handler)
    add = reverse("assistance_admin:add")
    page = client.get(add)
    assert page.status_code == 200 and "12345 工单号" in page.content.decode()
    data = {
        "channel": "hotline",
        "service": "LY-SD-0005",
        "hall": township.station.pk,
        "village": "新民村",
        "name": "王奶奶",
        "phone": "13800001111",
        "preferred_time": "随时",
        "home_visit": "on",
        "home_visit_reason": "immobile",
        "address": "新民村三组 8 号",
        "form_token": page.context["form"].initial["form_token"],
    }
    missing = client.post(add, data)
    assert missing.status_code == 400 and "请填写热线工单号" in missing.content.decode()
    response = client.post(add, {**data, "hotline_number": "GD20261204-0007"})
    request = AssistanceRequest.objects.get()
    assert response.status_code == 302 and response.url == edit_url(request)
    assert request.channel == Channel.HOTLINE and request.recorded_by == assistance_handler
    assert request.hotline_number == "GD20261204-0007" and request.address == "新民村三组 8 号"
    assert request.due_on == add_working_days(timezone.localdate(), 5)
    entry = ModelLogEntry.objects.get(action="assistance.submit", object_id=str(request.pk))
    assert entry.user == assistance_handler and entry.data["channel"] == "hotline"
    client.post(add, {**data, "hotline_number": "GD20261204-0007"})
    assert AssistanceRequest.objects.count() == 1


def test_intake_is_for_handlers_only(client, head):
    client.force_login(head)
    assert client.get(reverse("assistance_admin:index")).status_code == 200
    refused = client.get(reverse("assistance_admin:add"))
    assert refused.status_code in (302, 403) and "form_token" not in refused.content.decode()


def test_nobody_may_delete_a_request(client, township, django_user_model):
    request = AssistanceRequestFactory(hall=township.station, service=township.guide)
    client.force_login(django_user_model.objects.create_superuser("root", password="pw"))
    assert client.get(f"/admin/assistance/delete/{request.pk}/").status_code == 404


def test_a_request_needs_its_item_and_station():
    with pytest.raises(ValueError):
        handling.submit_request(about={"service": None, "hall": None}, details={}, contact={}, token="t")


def test_closing_without_delivery_stays_possible_after_a_reply(township, assistance_handler):
    """A request the person withdrew is closed with the core's 办结, its step where it stopped."""
    request = AssistanceRequestFactory(hall=township.station, service=township.guide)
    case_handling.publish_reply(request, reply="群众已自行到镇中心办理，本次代办取消。", user=assistance_handler)
    case_handling.close(request, note="群众电话告知取消", user=assistance_handler)
    request.refresh_from_db()
    assert request.status == Status.CLOSED and request.step == Step.RECEIVED
    with pytest.raises(HandlingError, match="已办结"):
        handling.advance(request, step=Step.COLLECTED, note="", user=assistance_handler)


def test_the_form_needs_its_csrf_token(township):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    data = form_data(browser, hall=township.station.pk)
    assert browser.post(FORM, data).status_code == 403
    assert not AssistanceRequest.objects.exists()
    data["csrfmiddlewaretoken"] = browser.cookies["csrftoken"].value
    assert browser.post(FORM, data).status_code == 302

"""POST requests: a complaint or a question through the kind's own path, with the forms' checks and messages,
stored once per token, rate-limited like the forms, CSRF-exempt but not open to other sites' pages."""

import re

from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from cases.models import Channel, NotifyBy
from complaints.models import Complaint
from questions.models import Question

from .helpers import API, conforms, descriptions

pytestmark = pytest.mark.django_db
REQUESTS = f"{API}/requests.json"
TEXT = "2026年11月20日上午在1号窗口办理低保，工作人员说材料不全却不说缺什么。"
QUESTION = "我母亲行动不便，我替她办理需要带哪些材料？"
CODE = re.compile(r"^(TS|ZX|DB)-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")


def complaint(**overrides):
    data = {
        "service_code": "complaint.attitude",
        "description": TEXT,
        "first_name": "小明",
        "last_name": "王",
        "phone": "138 0000 5678",
        "attribute[service]": "LY-SD-0001",
        "attribute[hall]": "LY-SD",
        "attribute[consent]": "true",
        "api_key": "ignored",
        "lat": "26.41",
        "long": "112.86",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def post(client, data, **extra):
    return client.post(REQUESTS, data, **extra)


def created(response, status=201):
    assert response.status_code == status, response.content.decode()
    payload = response.json()
    conforms(payload, "Open311Created")
    assert CODE.match(payload[0]["service_request_id"])
    return payload[0]


def test_a_complaint_is_stored_through_the_complaints_path_with_channel_api(client, guides):
    hall, pages = guides
    response = post(client, complaint())
    answer = created(response)
    assert "no-store" in response["Cache-Control"]  # it carries a tracking code
    stored = Complaint.objects.get()
    assert answer["service_request_id"] == stored.tracking_code and stored.tracking_code.startswith("TS-")
    assert (stored.channel, stored.category, stored.description) == (Channel.API, "attitude", TEXT)
    assert (stored.name, stored.phone) == ("王小明", "13800005678")  # the form's normalisation
    assert stored.service == pages["LY-SD-0001"] and stored.hall == hall
    assert stored.submission_token is None  # no token sent: nothing to match a retry against
    assert "答复期限为" in answer["service_notice"] and "phone_last4" in answer["service_notice"]
    entry = ModelLogEntry.objects.get(object_id=str(stored.pk), content_type__model="complaint")
    assert entry.action == "complaints.submit"
    assert entry.data == {"channel": "api", "attachments": 0}


def test_a_question_can_be_sent_as_json_and_gets_the_guides_department(client, guides):
    _hall, pages = guides
    body = {
        "service_code": "question.materials",
        "description": QUESTION,
        "email": "ask@example.org",
        "attribute": {"service": "低保", "notify_by": "email", "publish_consent": True, "consent": True},
    }
    answer = created(client.post(REQUESTS, body, content_type="application/json"))
    stored = Question.objects.get()
    assert answer["service_request_id"] == stored.tracking_code and stored.tracking_code.startswith("ZX-")
    assert stored.channel == Channel.API and stored.category == "materials" and stored.text == QUESTION
    assert stored.service == pages["LY-SD-0001"]  # 低保 resolved as the form resolves it (search)
    assert stored.department == pages["LY-SD-0001"].department
    assert stored.publish_consent is True and stored.notify_by == NotifyBy.EMAIL
    assert "phone_last4" not in answer["service_notice"]  # no phone: the code alone opens it
    assert ModelLogEntry.objects.filter(action="questions.submit", data__channel="api").count() == 1


def test_a_daiban_request_goes_to_a_station_that_offers_the_item(client, guides):
    from assistance.models import AssistanceRequest
    from content.models import ServiceHall

    hall, pages = guides
    ServiceHall.objects.filter(service=pages["LY-SD-0001"], hall=hall).update(can_assist=True)
    body = {
        "service_code": "assistance",
        "description": "腿脚不便，请上门收材料。",
        "first_name": "段大爷",
        "phone": "13800002468",
        "attribute": {
            "service": "LY-SD-0001",
            "hall": hall.code,
            "village": "新民村",
            "preferred_time": "工作日上午",
            "home_visit": True,
            "home_visit_reason": "elderly",
            "address": "新民村三组 12 号",
            "consent": True,
        },
    }
    answer = created(client.post(REQUESTS, body, content_type="application/json"))
    stored = AssistanceRequest.objects.get()
    assert answer["service_request_id"] == stored.tracking_code and stored.tracking_code.startswith("DB-")
    assert (stored.channel, stored.hall, stored.village, stored.home_visit) == (Channel.API, hall, "新民村", True)
    missing = client.post(
        REQUESTS, {**body, "attribute": {**body["attribute"], "village": ""}}, content_type="application/json"
    )
    assert missing.status_code == 400 and AssistanceRequest.objects.count() == 1


def web_form_errors(client, url, data):
    """The errors the public web form shows for the same input (its error summary)."""
    page = client.get(url).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    html = client.post(url, {**data, "form_token": token}).content.decode()
    return html


def test_bad_input_is_refused_with_the_forms_messages_and_nothing_is_stored(client, guides):
    response = post(
        client,
        complaint(
            description="态度差",
            phone="0734-4362011",
            **{"attribute[notify_by]": "sms"},
            **{"attribute[consent]": None},
        ),
    )
    assert response.status_code == 400
    messages = descriptions(response)
    assert len(messages) == 3  # one entry per problem
    short = next(message for message in messages if message.startswith("投诉内容太短"))
    assert short.startswith("投诉内容太短：至少写 10 个字（现在 3 个）") and short.endswith("（description）")
    assert "选择短信通知，请填写 11 位手机号（固定电话收不到短信）。（phone）" in messages
    assert "请阅读并勾选同意声明后再提交。（attribute[consent]）" in messages
    # The very words of the web form for the same input.
    html = web_form_errors(
        client,
        reverse("complaints:form"),
        {"category": "attitude", "description": "态度差", "phone": "0734-4362011", "notify_by": "sms"},
    )
    for message in messages:
        assert message.rsplit("（", 1)[0] in html
    assert not Complaint.objects.exists()
    assert not ModelLogEntry.objects.filter(action="complaints.submit").exists()


def test_question_rules_are_the_question_forms(client, guides):
    response = post(
        client,
        {"service_code": "question.policy", "description": "问", "email": "not-an-address", "attribute[consent]": "1"},
    )
    assert response.status_code == 400
    messages = descriptions(response)
    assert any(m.startswith("问题太短：至少写 5 个字") for m in messages), messages
    assert "电子邮箱格式不对，应类似 name@example.com。（email）" in messages
    assert not Question.objects.exists()


def test_the_item_is_resolved_as_on_the_form(client, guides):
    unknown = descriptions(post(client, complaint(**{"attribute[service]": "火星移民签证"})))
    assert unknown == [
        "没有找到“火星移民签证”这个事项。可以换个说法（例如“低保”“上户口”），从输入时的提示中选择，或者留空。"
        "（attribute[service]）"
    ]
    unclear = descriptions(post(client, complaint(**{"attribute[service]": "户口"})))
    assert unclear[0].startswith("“户口”可能是下面几个事项中的一个，请选出您要投诉的那一个。")
    assert "LY-SD-0042（出生登记）" in unclear[1] and "LY-SD-0043" in unclear[1]
    assert not Complaint.objects.exists()


def test_an_unknown_hall_code_is_refused_by_the_form(client, guides):
    for code in ("NOWHERE", "1", str(guides[0].pk)):  # a hall is named by its code, never by its id
        messages = descriptions(post(client, complaint(**{"attribute[hall]": code})))
        assert len(messages) == 1 and messages[0].endswith("（attribute[hall]）"), messages
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"description": TEXT}, 400, "请提供 service_code"),
        ({"service_code": "complaint.unknown"}, 404, "没有服务代码为“complaint.unknown”的服务"),
        (
            {"service_code": "complaint.attitude", "attribute[consent]": "maybe"},
            400,
            "attribute[consent] 只能是 true 或 false。",
        ),
        (
            {"service_code": "complaint.attitude", "token": "t" * 201},
            400,
            "token（或请求头 X-Request-ID）最多 200 个字符。",
        ),
    ],
)
def test_a_malformed_request_is_an_open311_error(client, guides, data, status, message):
    response = post(client, data)
    assert response.status_code == status
    assert descriptions(response)[0].startswith(message)
    assert not Complaint.objects.exists()


def test_bodies_the_api_does_not_read(client, guides):
    response = client.post(REQUESTS, "service_code=complaint.attitude", content_type="text/plain")
    assert response.status_code == 415 and "application/x-www-form-urlencoded" in descriptions(response)[0]
    response = client.post(REQUESTS, "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON" in descriptions(response)[0]
    response = client.post(REQUESTS, {"service_code": "complaint.attitude", "description": "长" * 40000})
    assert response.status_code == 413 and "64 KB" in descriptions(response)[0]
    response = client.post(REQUESTS, '["complaint.attitude"]', content_type="application/json")
    assert response.status_code == 400 and "JSON 对象" in descriptions(response)[0]
    number = {"service_code": "complaint.attitude", "phone": 13800005678}
    response = client.post(REQUESTS, number, content_type="application/json")
    assert response.status_code == 400 and descriptions(response) == ["参数 phone 应为文字。"]
    assert not Complaint.objects.exists()


def test_a_retry_with_the_same_token_returns_the_same_request(client, guides):
    first = created(post(client, complaint(token="client-42")))
    again = created(post(client, complaint(token="client-42")), status=200)
    assert again == first
    assert Complaint.objects.count() == 1
    header = created(post(client, complaint(), HTTP_X_REQUEST_ID="req-7"))
    assert created(post(client, complaint(), HTTP_X_REQUEST_ID="req-7"), status=200) == header
    assert Complaint.objects.count() == 2
    assert ModelLogEntry.objects.filter(action="complaints.submit").count() == 2  # one submit each


def test_a_token_opens_nothing_without_the_same_content(client, guides):
    """Someone reusing (or guessing) a client's token gets a request of their own, never its tracking code."""
    mine = created(post(client, complaint(token="1")))
    other = created(
        post(client, complaint(token="1", description="另一件事：窗口工作人员上班时间玩手机，不理睬群众。"))
    )
    assert other["service_request_id"] != mine["service_request_id"]
    assert Complaint.objects.count() == 2
    assert not Complaint.objects.filter(submission_token="1").exists()  # never stored as sent


def test_without_a_token_every_post_is_a_new_request(client, guides):
    created(post(client, complaint()))
    created(post(client, complaint()))
    assert Complaint.objects.count() == 2


def test_submissions_are_rate_limited_like_the_forms(client, guides, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "open311": "2/h"}
    for _ in range(2):
        created(post(client, complaint()))
    refused = post(client, complaint())
    assert refused.status_code == 429
    assert re.fullmatch(r"提交过于频繁，请 \d+ 分钟后再试。", descriptions(refused)[0])
    assert int(refused["Retry-After"]) >= 1
    assert Complaint.objects.count() == 2
    created(post(client, complaint(), REMOTE_ADDR="10.0.0.9"))  # another client is not affected


def test_no_csrf_token_or_cookie_is_needed_or_set(guides):
    client = Client(enforce_csrf_checks=True)
    response = post(client, complaint())
    created(response)
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
def test_another_sites_page_cannot_post_through_its_visitors(client, guides, headers):
    response = post(client, complaint(), **headers)
    assert response.status_code == 403
    assert "其他网站的网页" in descriptions(response)[0]
    assert not Complaint.objects.exists()


def test_the_sites_own_pages_may_post(client, guides):
    created(post(client, complaint(), HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin"))


def test_there_is_no_listing_of_requests(client, guides):
    created(post(client, complaint()))
    response = client.get(REQUESTS)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert descriptions(response)[0].startswith("不提供服务请求列表")
    assert "TS-" not in response.content.decode()

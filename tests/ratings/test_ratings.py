import re

from django.core import signing
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from content.models import ServiceHall
from ratings.forms import SIGNING_SALT, view_token
from ratings.models import FollowUp, FollowUpStatus, Rating
from tests.factories import DepartmentFactory, HallFactory, RatingFactory, ServicePageFactory, WindowFactory

pytestmark = pytest.mark.django_db
RATE = reverse("ratings:rate")


@pytest.fixture
def guide():
    department = DepartmentFactory()
    hall = HallFactory(code="LY-SD", slug="ly-sd")
    second = HallFactory()
    window = WindowFactory(hall=hall, number="1", name="社会事务综合窗口")
    window.departments.add(department)
    window.save()  # a ParentalManyToManyField is written when its owner is saved
    page = ServicePageFactory(department=department, parts__hall=hall)
    ServiceHall.objects.create(service=page, hall=second, sort_order=1)
    return {"page": page, "hall": hall, "second": second, "window": window}


def rating_form(client, page):
    html = client.get(page.url).content.decode()
    return html, re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_widget_is_on_guide_and_hall_pages(client, guide):
    html, _token = rating_form(client, guide["page"])
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert f"<span>{label}</span>" in html
    assert "办理大厅" in html  # the guide is offered at two halls
    hall_html, _ = rating_form(client, guide["hall"])
    assert "服务评价（好差评）" in hall_html and 'name="website"' in hall_html


def test_good_rating_is_stored_without_follow_up(client, guide):
    _html, token = rating_form(client, guide["page"])
    response = client.post(RATE, {"token": token, "score": "5", "hall": guide["hall"].pk, "comment": "很快"})
    assert response.status_code == 302 and response["Location"].endswith("?rated=1#rating")
    rating = Rating.objects.get()
    assert (rating.score, rating.hall, rating.window, rating.comment) == (5, guide["hall"], guide["window"], "很快")
    assert not FollowUp.objects.exists()
    assert "感谢您的评价" in client.get(guide["page"].url + "?rated=1").content.decode()


@pytest.mark.parametrize("score", [2, 1])
def test_every_bad_rating_opens_a_follow_up(client, guide, score):
    _html, token = rating_form(client, guide["page"])
    client.post(RATE, {"token": token, "score": str(score), "comment": "等了两个小时", "contact_phone": "13800001234"})
    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.rating.contact_phone == "13800001234"
    assert ModelLogEntry.objects.filter(action="ratings.followup.open", object_id=str(follow_up.pk)).exists()


def test_fairly_satisfied_is_not_a_bad_rating(client, guide):
    _html, token = rating_form(client, guide["page"])
    client.post(RATE, {"token": token, "score": "3"})
    assert Rating.objects.satisfied().count() == 1 and not FollowUp.objects.exists()


def test_one_rating_per_page_view(client, guide):
    _html, token = rating_form(client, guide["page"])
    assert client.post(RATE, {"token": token, "score": "4"}).status_code == 302
    again = client.post(RATE, {"token": token, "score": "1", "comment": "再评一次"})
    assert again.status_code == 409 and "这次浏览已经评价过了" in again.content.decode()
    assert Rating.objects.count() == 1 and not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        ({"score": None}, "请选择一个评价等级", 400),
        ({"score": "9"}, "请从五个评价等级中选择一个", 400),
        ({"comment": "字" * 501}, "意见建议最多 500 个字", 400),
        ({"contact_phone": "abc"}, "请填写有效的手机号", 400),
        ({"website": "spam"}, "提交未通过安全校验", 400),
        ({"token": "forged"}, "评价表无效，请刷新页面后重新评价", 400),
    ],
)
def test_bad_ratings_are_refused_and_the_comment_kept(client, guide, data, message, status):
    _html, token = rating_form(client, guide["page"])
    sent = {"token": token, "score": "2", "comment": "窗口人员不在岗"}
    sent.update(data)
    response = client.post(RATE, {k: v for k, v in sent.items() if v is not None})
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    if len(sent["comment"]) < 100:
        assert sent["comment"] in html
    assert not Rating.objects.exists()


def test_expired_token(client, guide, monkeypatch):
    token = view_token(guide["page"], "n1")
    real_unsign = signing.TimestampSigner.unsign

    def unsign(self, value, max_age=None):
        if max_age is not None:
            raise signing.SignatureExpired("the form is a day old")
        return real_unsign(self, value)

    monkeypatch.setattr(signing.TimestampSigner, "unsign", unsign)
    response = client.post(RATE, {"token": token, "score": "5", "comment": "办得很快"})
    html = response.content.decode()
    assert response.status_code == 400 and "评价表已失效" in html and "办得很快" in html
    fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert fresh != token and signing.loads(fresh, salt=SIGNING_SALT)["p"] == guide["page"].pk


def test_ratings_are_rate_limited(client, guide, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "rating": "2/h"}
    for _ in range(2):
        _html, token = rating_form(client, guide["page"])
        client.post(RATE, {"token": token, "score": "5"})
    _html, token = rating_form(client, guide["page"])
    limited = client.post(RATE, {"token": token, "score": "1", "comment": "第三条"})
    assert limited.status_code == 429 and "第三条" in limited.content.decode()
    assert Rating.objects.count() == 2


def test_get_is_not_allowed(client):
    assert client.get(RATE).status_code == 405


# ---- Follow-ups in the admin ----


def bad_rating(**kwargs):
    from ratings.handling import submit_rating

    page = ServicePageFactory()
    return submit_rating(
        page=page,
        nonce=kwargs.get("nonce", "n-bad"),
        score=1,
        comment="太慢",
        contact_phone=kwargs.get("phone", "13800001234"),
        hall=None,
    )


def test_closing_needs_rectification_revisit_and_record(client, handler):
    follow_up = bad_rating().follow_up
    client.force_login(handler)
    url = reverse("ratings_admin:detail", args=[follow_up.pk])
    html = client.get(url).content.decode()
    assert "13800001234" in html

    refused = client.post(url, {"close": "on", "rectification": "", "revisit_result": "", "record": ""})
    assert refused.status_code == 400
    text = refused.content.decode()
    for message in ("办结前请写明整改措施", "办结前请填写回访日期", "办结前请写明回访结果", "办结前请写明处理记录"):
        assert message in text
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN

    saved = client.post(url, {"rectification": "增设取号引导员"})
    assert saved.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.rectification == "增设取号引导员" and follow_up.status == FollowUpStatus.OPEN

    closed = client.post(
        url,
        {
            "close": "on",
            "rectification": "增设取号引导员",
            "revisit_on": "2026-11-23",
            "revisit_result": "电话回访，群众表示满意",
            "record": "窗口组长约谈当事人",
        },
    )
    assert closed.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED and follow_up.closed_by == handler and follow_up.closed_at
    actions = set(ModelLogEntry.objects.filter(object_id=str(follow_up.pk)).values_list("action", flat=True))
    assert {
        "ratings.followup.open",
        "ratings.followup.view",
        "ratings.followup.update",
        "ratings.followup.close",
    } <= actions


def test_follow_up_queue_lists_open_ones(client, handler):
    open_one = bad_rating(nonce="a").follow_up
    closed_one = bad_rating(nonce="b").follow_up
    closed_one.status = FollowUpStatus.CLOSED
    closed_one.save()
    client.force_login(handler)
    html = client.get(reverse("ratings_admin:queue")).content.decode()
    assert f"#{open_one.pk}<" in html and f"#{closed_one.pk}<" not in html
    assert f"#{closed_one.pk}<" in client.get(reverse("ratings_admin:queue"), {"status": "all"}).content.decode()


def test_contact_phone_hidden_from_non_handlers(client, django_user_model):
    from django.contrib.auth.models import Permission

    follow_up = bad_rating().follow_up
    viewer = django_user_model.objects.create_user("viewer", password="pw")
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_followup")
    )
    client.force_login(viewer)
    html = client.get(reverse("ratings_admin:detail", args=[follow_up.pk])).content.decode()
    assert "13800001234" not in html and "仅“投诉处理人员”组成员可见" in html
    assert client.post(reverse("ratings_admin:detail", args=[follow_up.pk]), {"rectification": "x"}).status_code in (
        302,
        403,
    )
    follow_up.refresh_from_db()
    assert follow_up.rectification == ""


def test_rating_factory_scores():
    assert RatingFactory(score=2).is_bad and not RatingFactory(score=3).is_bad


def test_closed_follow_up_saved_again_in_a_browser_keeps_every_field(client, handler):
    """The form shows a closed follow-up as it is (回访日期 in the ISO form a date input shows, 办结 ticked),
    so saving it again with a note added changes the note only: no date erased, no new 办结时间."""
    import datetime

    from django.forms.models import model_to_dict

    from ratings.handling import update_follow_up
    from tests.browser_form import browser_form

    follow_up = bad_rating().follow_up
    data = {
        "rectification": "增设取号引导员",
        "revisit_on": datetime.date(2026, 12, 3),
        "revisit_result": "群众表示满意",
        "record": "约谈",
    }
    update_follow_up(follow_up, data=data, close=True, user=handler)
    follow_up.refresh_from_db()
    before = model_to_dict(follow_up)
    client.force_login(handler)
    url = reverse("ratings_admin:detail", args=[follow_up.pk])

    form = browser_form(client.get(url).content.decode(), method="post")
    assert form.value("revisit_on") == "2026-12-03"
    close = next(attrs for kind, attrs, _ in form.controls if attrs.get("name") == "close")
    assert "checked" in close and "disabled" in close
    sent = form.data()
    sent["record"] = ["约谈；补充：已在窗口张贴告示"]
    response = client.post(url, sent)
    assert response.status_code == 302
    assert "差评整改已办结" not in client.get(url).content.decode()

    follow_up.refresh_from_db()
    after = model_to_dict(follow_up)
    assert after.pop("record") == "约谈；补充：已在窗口张贴告示"
    before.pop("record")
    assert after == before
    assert follow_up.revisit_on == datetime.date(2026, 12, 3) and follow_up.status == FollowUpStatus.CLOSED


def test_open_follow_up_shows_the_close_box_unticked_and_enabled(client, handler):
    from tests.browser_form import browser_form

    follow_up = bad_rating().follow_up
    client.force_login(handler)
    form = browser_form(
        client.get(reverse("ratings_admin:detail", args=[follow_up.pk])).content.decode(), method="post"
    )
    close = next(attrs for kind, attrs, _ in form.controls if attrs.get("name") == "close")
    assert "checked" not in close and "disabled" not in close

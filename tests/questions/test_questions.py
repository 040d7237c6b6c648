"""咨询 as a citizen and a handler use it: ask on a guide, get a code, read the answer by code; the handler
answers in the admin, publishes it (only with consent) on the guide and in search, and makes it a FAQ."""

import re

from django.contrib.auth.models import Group
from django.test import TestCase
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from cases import handling as case_handling
from cases.handling import HandlingError
from content.models import FAQ, ServicePage
from questions import handling
from questions.kind import HANDLER_GROUP
from questions.models import Question
from search import engine
from tests.factories import QuestionFactory, ServicePageFactory
from tests.search.catalog import IndexIsolation, publish

FORM = reverse("questions:form")
TRACK = reverse("questions:track")
TEXT = "我母亲行动不便，我替她办理需要带哪些材料？"


def form_data(client, url=FORM, **overrides):
    page = client.get(url)
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    data = {"category": "materials", "text": TEXT, "consent": "on", "form_token": token, "notify_by": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def code_from(response):
    return re.search(r"ZX-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", response.content.decode()).group(0)


@pytest.mark.django_db
def test_ask_on_a_guide_and_read_the_answer_by_code(client, question_handler):
    guide = ServicePageFactory(title="居民身份证换领", code="LY-0100")
    url = f"{FORM}?service={guide.code}"
    opened = client.get(url).content.decode()
    assert f'value="{guide.title}"' in opened and f'name="service_code" value="{guide.code}"' in opened
    response = client.post(url, form_data(client, url, service=guide.code, phone="13800005678", publish_consent="on"))
    assert response.status_code == 302
    shown = client.get(response.url)
    code = code_from(shown)
    question = Question.objects.get(tracking_code=code)
    assert question.service.pk == guide.pk and question.department == guide.department
    assert question.publish_consent and question.phone == "13800005678"
    assert "ZX-" not in client.get(response.url).content.decode()  # shown once

    assert client.post(TRACK, {"code": code, "phone_last4": "0000"}).status_code == 404
    waiting = client.post(TRACK, {"code": code, "phone_last4": "5678"}).content.decode()
    assert "正在处理" in waiting and "13800005678" not in waiting and TEXT not in waiting

    client.force_login(question_handler)
    edit = reverse("questions_admin:edit", args=[question.pk])
    assert "13800005678" in client.get(edit).content.decode()  # the handler group sees the phone
    client.post(edit, {"action": "reply", "reply-reply": "请带上您和母亲的身份证原件，以及委托书。"})
    answered = client.post(TRACK, {"code": code, "phone_last4": "5678"}).content.decode()
    assert "请带上您和母亲的身份证原件" in answered


@pytest.mark.django_db
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(client):
    response = client.post(FORM, form_data(client, text="问", notify_by="sms", phone="0734-4362011"))
    html = response.content.decode()
    assert response.status_code == 400 and "问题太短" in html and "固定电话收不到短信" in html
    response = client.post(FORM, form_data(client, notify_by="email"))
    assert response.status_code == 400 and "请填写电子邮箱" in response.content.decode()
    response = client.post(FORM, form_data(client, consent=None))
    assert response.status_code == 400 and "请阅读并勾选同意声明" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_questions_are_rate_limited_and_the_text_is_kept(client, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "question": "2/h"}
    for _ in range(2):
        client.post(FORM, form_data(client))
    refused = client.post(FORM, form_data(client))
    assert refused.status_code == 429 and TEXT in refused.content.decode()
    assert Question.objects.count() == 2


@pytest.mark.django_db
def test_the_same_form_sent_twice_is_one_question(client):
    data = form_data(client)
    client.post(FORM, data)
    client.post(FORM, data)
    assert Question.objects.count() == 1


@pytest.mark.django_db
def test_publishing_needs_consent_and_a_reply(question_handler):
    guide = ServicePageFactory()
    private = QuestionFactory(service=guide, publish_consent=False)
    case_handling.publish_reply(private, reply="可以。", user=None)
    with pytest.raises(HandlingError, match="没有同意公开"):
        handling.publish(private, public_question="问", public_answer="答", user=question_handler)
    unanswered = QuestionFactory(service=guide)
    with pytest.raises(HandlingError, match="请先答复"):
        handling.publish(unanswered, public_question="问", public_answer="答", user=question_handler)
    assert not Question.objects.published().exists()


@pytest.mark.django_db
def test_publish_is_not_offered_without_consent(client, question_handler):
    question = QuestionFactory(service=ServicePageFactory(), publish_consent=False)
    case_handling.publish_reply(question, reply="可以。", user=None)
    client.force_login(question_handler)
    edit = reverse("questions_admin:edit", args=[question.pk])
    assert 'id="action-publish"' not in client.get(edit).content.decode()
    refused = client.post(edit, {"action": "publish", "publish-public_question": "问", "publish-public_answer": "答"})
    assert refused.status_code == 404
    question.refresh_from_db()
    assert question.published_at is None


class PublishedAnswers(IndexIsolation, TestCase):
    """Publishing puts the answer on the guide and in search; 转为常见问题 adds it to the guide's FAQ."""

    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            cls.guide = publish(ServicePageFactory(title="居民身份证换领", code="LY-0100", slug="ly-0100"))
        cls.editor = cls.make_editor()

    @classmethod
    def make_editor(cls):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("editor", password="pw")
        user.groups.add(Group.objects.get(name=HANDLER_GROUP), Group.objects.get(name="审核员"))
        return user

    def answered(self):
        question = QuestionFactory(service=self.guide, text="替行动不便的母亲办理要带什么？")
        return case_handling.publish_reply(question, reply="带委托书和双方身份证。", user=None)

    def test_published_answer_shows_on_the_guide_and_is_found(self):
        question = self.answered()
        self.assertNotIn("带委托书和双方身份证", self.client.get(self.guide.url).content.decode())
        self.client.force_login(self.editor)
        edit = reverse("questions_admin:edit", args=[question.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                edit,
                {
                    "action": "publish",
                    "publish-public_question": "替行动不便的家人换领身份证要带什么？",
                    "publish-public_answer": "带委托书和双方身份证。",
                },
            )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        html = self.client.get(self.guide.url).content.decode()
        self.assertIn("替行动不便的家人换领身份证要带什么？", html)
        self.assertIn(f'id="qa-{question.pk}"', html)
        hits = engine.run_search("行动不便的家人 委托书", log=False).items
        self.assertTrue(hits and hits[0].code == "LY-0100" and f"#qa-{question.pk}" in hits[0].url)

        with self.captureOnCommitCallbacks(execute=True):
            handling.unpublish(question, user=self.editor)
        self.assertNotIn("替行动不便的家人换领身份证要带什么？", self.client.get(self.guide.url).content.decode())
        self.assertFalse(
            any(
                f"#qa-{question.pk}" in item.url for item in engine.run_search("行动不便的家人 委托书", log=False).items
            )
        )

    def test_make_faq_adds_it_to_the_published_guide_in_one_action(self):
        question = self.answered()
        handling.publish(question, public_question="替家人换领要带什么？", public_answer="带委托书。", user=self.editor)
        page, published = handling.make_faq(question, user=self.editor)
        self.assertTrue(published)
        live = ServicePage.objects.get(pk=self.guide.pk)
        self.assertEqual(list(live.faqs.values_list("question", flat=True)), ["替家人换领要带什么？"])
        self.assertTrue(ModelLogEntry.objects.filter(action="questions.faq", object_id=str(question.pk)).exists())
        with self.assertRaisesMessage(HandlingError, "已经转为常见问题"):
            handling.make_faq(question, user=self.editor)

    def test_make_faq_waits_as_a_draft_when_the_guide_has_unpublished_changes(self):
        draft = ServicePage.objects.get(pk=self.guide.pk)
        draft.title = "居民身份证换领（草稿）"
        draft.save_revision()
        question = self.answered()
        handling.publish(question, public_question="问题", public_answer="答复", user=self.editor)
        _page, published = handling.make_faq(question, user=self.editor)
        self.assertFalse(published)
        live = ServicePage.objects.get(pk=self.guide.pk)
        self.assertEqual(live.title, "居民身份证换领")
        self.assertFalse(FAQ.objects.filter(service=live).exists())
        latest = live.get_latest_revision_as_object()
        self.assertEqual([f.question for f in latest.faqs.all()], ["问题"])
        self.assertEqual(latest.title, "居民身份证换领（草稿）")

"""The complaint form's fields as a citizen meets them: 涉及事项 understood as search understands it, the
phone keypad, windows grouped by hall, and a plain word that chosen files must be chosen again."""

import re

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from complaints.forms import ComplaintForm
from complaints.models import Complaint
from ratings.forms import RatingForm
from tests.factories import HallFactory, WindowFactory
from tests.search.catalog import IndexedGuides

FORM = reverse("complaints:form")
TEXT = "2026年11月20日上午在1号窗口办理低保，工作人员说材料不全却不说缺什么。"


class ServiceFieldUnderstandsSearch(IndexedGuides):
    def post(self, **overrides):
        page = self.client.get(FORM).content.decode()
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        data = {"category": "attitude", "description": TEXT, "consent": "on", "form_token": token, **overrides}
        return self.client.post(FORM, data)

    def test_a_popular_name_search_understands_is_accepted_as_its_guide(self):
        response = self.post(service="低保")
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.assertEqual(Complaint.objects.get().service, self.pages["LY-SD-0001"])

    def test_a_typo_search_corrects_is_accepted_too(self):
        form = ComplaintForm(data={"service": "上户囗"})
        form.is_valid()
        self.assertNotIn("service", form.errors)
        self.assertEqual(form.cleaned_data["service"], self.pages["LY-SD-0042"])

    def test_an_unclear_text_offers_a_choice_and_the_choice_is_taken(self):
        form = ComplaintForm(data={"service": "户口"})
        self.assertFalse(form.is_valid())
        self.assertIn("请选出您要投诉的那一个", form.errors["service"][0])
        offered = {page.code for page in form.service_choices}
        self.assertTrue({"LY-SD-0042", "LY-SD-0043"} <= offered, offered)
        html = self.post(service="户口").content.decode()
        self.assertIn('name="service_pick"', html)
        self.assertIn('value="LY-SD-0043"', html)
        picked = ComplaintForm(data={"service": "户口", "service_pick": "LY-SD-0043"})
        picked.is_valid()
        self.assertEqual(picked.cleaned_data["service"], self.pages["LY-SD-0043"])

    def test_text_search_does_not_understand_is_a_friendly_error(self):
        html = self.post(service="火星移民签证").content.decode()
        self.assertIn("没有找到“火星移民签证”这个事项", html)
        self.assertIn('value="火星移民签证"', html)

    def test_the_field_is_a_combobox_fed_by_the_search_suggestions(self):
        html = self.client.get(FORM).content.decode()
        self.assertRegex(html, r'<div class="pf-suggest" data-suggest-url="/api/v1/suggest" data-suggest-fill>')
        self.assertRegex(
            html, r'<input[^>]*name="service"[^>]*role="combobox"|<input[^>]*role="combobox"[^>]*name="service"'
        )
        self.assertIn('id="service-suggestions"', html)
        self.assertIn("search/suggest.js", html)


class ComplaintFormWidgets(TestCase):
    def setUp(self):
        caches["ratelimit"].clear()

    def test_phone_fields_open_the_phone_keypad(self):
        html = self.client.get(FORM).content.decode()
        phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
        self.assertIn('type="tel"', phone)
        self.assertIn('inputmode="tel"', phone)
        rating_phone = str(RatingForm()["contact_phone"])
        self.assertIn('type="tel"', rating_phone)

    def test_windows_are_grouped_under_their_hall(self):
        first, second = HallFactory(title="三都镇政务服务中心"), HallFactory(title="耒阳市政务服务中心")
        WindowFactory(hall=first, number="1", name="综合代办窗口")
        WindowFactory(hall=second, number="1", name="综合代办窗口")
        html = str(ComplaintForm()["window"])
        self.assertIn('<optgroup label="三都镇政务服务中心">', html)
        self.assertIn('<optgroup label="耒阳市政务服务中心">', html)
        self.assertEqual(html.count("1号窗口 综合代办窗口"), 2)

    def test_chosen_files_are_said_to_need_choosing_again_after_an_error(self):
        page = self.client.get(FORM).content.decode()
        token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
        photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0 not really", content_type="image/jpeg")
        html = self.client.post(
            FORM, {"category": "attitude", "description": "太短", "form_token": token, "attachments": photo}
        ).content.decode()
        self.assertIn("刚才选择的附件没有保存", html)
        self.assertIn('href="#attachments-again"', html)
        self.assertNotIn(
            "刚才选择的附件没有保存",
            self.client.post(
                FORM, {"category": "attitude", "description": "太短", "form_token": token}
            ).content.decode(),
        )

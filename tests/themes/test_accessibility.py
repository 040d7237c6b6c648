"""GB/T 37668 / WCAG 2.1 AA basics on every public page type: skip link, landmarks, one h1, labelled
controls, alt text on every image, and no inline style or script (the strict CSP of issue 7)."""

import io
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form, get_image_multi_form
from wagtail.images.tests.utils import get_test_image_file

from PIL import Image as PILImage

from content.models import HallLevel
from content.models.images import ALT_TEXT_REQUIRED
from tests.factories import HallFactory, ServicePageFactory, StaffMemberFactory, WindowFactory, site_structure
from transparency.models import HallMapPage, NoticeIndexPage, NoticePage, RuleIndexPage, RulePage, StatisticsPage


class PublicPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home, _catalog, _halls = site_structure()
        county = HallFactory(title="县政务服务中心", slug="xian", level=HallLevel.COUNTY)
        town = HallFactory(title="城关镇政务服务中心", slug="zhen", parent_hall=county)
        window = WindowFactory(hall=town, number="1", name="社会事务窗口")
        photo = get_image_model().objects.create(
            title="照片", alt_text="城关镇窗口工作人员张三", file=get_test_image_file()
        )
        StaffMemberFactory(hall=town, window=window, name="张三", photo=photo)
        ServicePageFactory(title="最低生活保障审核确认", slug="dibao", keywords="低保", halls=[town])
        rules = home.add_child(instance=RuleIndexPage(title="服务制度", slug="rules"))
        rules.add_child(
            instance=RulePage(
                title="首问责任制", slug="shou-wen", summary="第一位接待的工作人员负责到底。", body="<p>条文</p>"
            )
        )
        notices = home.add_child(instance=NoticeIndexPage(title="通知公告", slug="notices"))
        notices.add_child(
            instance=NoticePage(title="国庆节放假安排", slug="guo-qing", date="2026-09-20", body="<p>放假</p>")
        )
        home.add_child(instance=StatisticsPage(title="统计公开", slug="statistics"))
        home.add_child(instance=HallMapPage(title="服务地图", slug="hall-map"))

    URLS = (
        "/",
        "/services/",
        "/services/?topic=none",
        "/services/dibao/",
        "/halls/",
        "/halls/zhen/",
        "/halls/zhen/staff/",
        "/search/",
        "/search/?q=低保",
        "/search/?q=没有这个词",
        "/complaints/",
        "/complaints/track/",
        "/rules/",
        "/rules/shou-wen/",
        "/notices/",
        "/notices/guo-qing/",
        "/statistics/",
        "/hall-map/",
        "/open-data/",
    )

    def pages(self):
        for url in self.URLS:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                yield url, response.content.decode()

    def test_exactly_one_h1(self):
        for _url, html in self.pages():
            self.assertEqual(len(re.findall(r"<h1[\s>]", html)), 1)

    def test_skip_link_first_and_landmarks(self):
        for _url, html in self.pages():
            body = html[html.index("<body") :]
            first_link = re.search(r"<a\s[^>]*>", body).group(0)
            self.assertIn('class="skip-link"', first_link)
            self.assertIn('href="#main"', first_link)
            self.assertEqual(len(re.findall(r'<main id="main"', html)), 1)
            self.assertIn('<header class="site-header">', html)
            self.assertRegex(html, r'<nav class="site-nav" aria-label="[^"]+">')
            self.assertIn('<footer class="site-footer">', html)
            self.assertIn('<html lang="zh-CN"', html)

    def test_images_have_alt_and_controls_have_labels(self):
        for _url, html in self.pages():
            for img in re.findall(r"<img\b[^>]*>", html):
                self.assertRegex(img, r'\salt="[^"]*"')
            ids_labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
            for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
                if re.search(r'type="(hidden|submit)"', control):
                    continue
                control_id = re.search(r'\sid="([^"]+)"', control)
                labelled = control_id and control_id.group(1) in ids_labelled
                self.assertTrue(labelled or "aria-label" in control or "aria-labelledby" in control, control)

    def test_no_inline_style_or_script(self):
        for _url, html in self.pages():
            self.assertNotRegex(html, r"\sstyle=")
            self.assertNotRegex(html, r"<style[\s>]")
            # A JSON-LD data block (the guide's GovernmentService) is not a script the browser runs, so the
            # CSP's script-src does not govern it; any other inline script would be refused.
            self.assertNotRegex(html, r'<script(?![^>]*\bsrc=)(?![^>]*\btype="application/ld\+json")[^>]*>')
            self.assertNotRegex(html, r"\son[a-z]+=")

    def test_staff_photo_read_out_with_its_alt_text(self):
        self.assertContains(self.client.get("/halls/zhen/staff/"), 'alt="城关镇窗口工作人员张三"')

    def test_read_aloud_controls_on_guides_only(self):
        html = self.client.get("/services/dibao/").content.decode()
        controls = re.search(r"<div class=\"read-aloud\"[^>]*>.*?</div>", html, re.S).group(0)
        # Hidden until the script finds speech synthesis, so browsers without it never show a dead button.
        self.assertRegex(controls, r"data-read-aloud-controls hidden")
        self.assertRegex(
            controls, r'<button type="button" class="read-aloud__toggle" data-read-aloud aria-pressed="false"'
        )
        self.assertIn("data-read-aloud-stop", controls)
        self.assertIn('role="status"', controls)
        self.assertIn('src="/static/js/read_aloud.js" defer', html)
        self.assertIn("data-read-aloud-source", html)
        self.assertNotIn("data-read-aloud-controls", self.client.get("/services/").content.decode())


def png_upload():
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "#0d4a84").save(buffer, "PNG")
    return SimpleUploadedFile("hall.png", buffer.getvalue(), content_type="image/png")


class AltTextRequiredTests(TestCase):
    def test_image_forms_require_alt_text_in_chinese(self):
        model = get_image_model()
        for form_class in (get_image_form(model), get_image_multi_form(model)):
            with self.subTest(form=form_class.__name__):
                form = form_class(data={"title": "照片", "alt_text": ""}, files={"file": get_test_image_file()})
                self.assertFalse(form.is_valid())
                self.assertEqual(form.errors["alt_text"], [ALT_TEXT_REQUIRED])

    def test_admin_upload_without_alt_text_is_refused(self):
        user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw")
        self.client.force_login(user)
        response = self.client.post(
            reverse("wagtailimages:add"), {"title": "照片", "file": png_upload(), "alt_text": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "请填写替代文字")
        self.assertFalse(get_image_model().objects.exists())
        response = self.client.post(
            reverse("wagtailimages:add"), {"title": "照片", "file": png_upload(), "alt_text": "县政务服务中心大厅"}
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[-3000:])
        self.assertEqual(get_image_model().objects.get().alt_text, "县政务服务中心大厅")


def broken_references(html):
    """ids named by aria-describedby / aria-labelledby / aria-controls / label[for] that the page lacks."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = []
    for attribute in ("aria-describedby", "aria-labelledby", "aria-controls"):
        for value in re.findall(rf'\s{attribute}="([^"]+)"', html):
            named.extend(value.split())
    named.extend(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    return sorted(set(named) - ids)


class FormErrorsAnnouncedTests(TestCase):
    """A refused form says so in a role=alert summary and ties each message to its control."""

    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.guide = ServicePageFactory(title="最低生活保障审核确认", slug="dibao")

    def test_complaint_form_errors(self):
        response = self.client.post("/complaints/", {"description": "太短"})
        html = response.content.decode()
        self.assertRegex(html, r'<div class="pf-summary" role="alert" tabindex="-1" id="form-errors">')
        self.assertEqual(broken_references(html), [])
        textarea = re.search(r"<textarea[^>]*>", html).group(0)
        self.assertIn('aria-invalid="true"', textarea)
        self.assertIn("id_description_error", textarea)

    def test_rating_form_errors(self):
        html = self.client.get("/services/dibao/").content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
        response = self.client.post(reverse("ratings:rate"), {"token": token, "score": "9", "contact_phone": "电话"})
        html = response.content.decode()
        self.assertIn('role="alert"', html)
        self.assertEqual(broken_references(html), [])
        self.assertRegex(html, r'<fieldset class="rating__scores rating--error" aria-describedby="id_score_error">')
        self.assertRegex(html, r'<p class="rating__error" id="id_score_error">')

    def test_public_pages_name_only_existing_ids(self):
        for url in ("/", "/services/", "/services/dibao/", "/search/?q=低保", "/complaints/", "/complaints/track/"):
            with self.subTest(url=url):
                self.assertEqual(broken_references(self.client.get(url).content.decode()), [])

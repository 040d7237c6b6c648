"""更新日期 follows the guide: a publication that changes what the guide says dates it that day in Beijing time."""

import datetime
import re
from unittest import mock

from django.contrib.auth import get_user_model
from django.test import TestCase

from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from content.models import ServicePage
from tests.exports.test_guide_pdf import pdf_pages, squash
from tests.factories import DepartmentFactory, HallFactory, ServicePageFactory, WindowFactory, site_structure

# 07:30 on 2 March 2026 in Beijing is still 1 March in UTC.
MORNING_IN_BEIJING = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
THAT_DAY = datetime.date(2026, 3, 2)
FACTORY_DATE = datetime.date(2025, 9, 12)


class UpdateDateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure()
        cls.user = get_user_model().objects.create_superuser("editor", password="pw-for-tests-only")
        department = DepartmentFactory(name="县民政局")
        hall = HallFactory()
        WindowFactory(hall=hall, number="1", name="社会事务窗口", departments=[department])
        cls.page = ServicePageFactory(title="临时救助", department=department, halls=[hall], legal_limit_days=30)
        cls.page.save_revision().publish()
        cls.other = ServicePageFactory(
            title="高龄津贴申领", department=department, halls=[hall], updated=datetime.date(2025, 12, 1)
        )
        cls.other.save_revision().publish()

    def setUp(self):
        self.client.force_login(self.user)

    def form(self):
        """The edit form as the admin renders it, as the POST data a browser would send."""
        response = self.client.get(f"/admin/pages/{self.page.pk}/edit/")
        data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
        soup = WagtailTestUtils.get_soup(response.content)
        for box in soup.select('#page-edit-form input[type="checkbox"][checked]:not([value])'):
            data[box["name"]] = "on"
        return data

    def publish(self, data, at=MORNING_IN_BEIJING):
        data["action-publish"] = "action-publish"
        with mock.patch("django.utils.timezone.now", return_value=at):
            response = self.client.post(f"/admin/pages/{self.page.pk}/edit/", {key: data.getlist(key) for key in data})
        self.assertEqual(response.status_code, 302, "the publication was refused")
        return ServicePage.objects.get(pk=self.page.pk)

    def change_materials_and_fee(self, data):
        data["materials-0-name"] = "居民身份证或户口簿"
        data["fees-TOTAL_FORMS"] = "1"
        data.update({"fees-0-name": "工本费", "fees-0-standard": "每证 10 元", "fees-0-ORDER": "1", "fees-0-id": ""})
        return data

    def test_changing_materials_and_fee_dates_the_guide_that_day_everywhere(self):
        page = self.publish(self.change_materials_and_fee(self.form()))

        self.assertEqual(page.updated, THAT_DAY)
        self.assertEqual(page.live_revision.content["updated"], "2026-03-02")
        self.assertIn("2026年3月2日", self.client.get(page.url).content.decode())
        pdf = self.client.get(f"{page.url}pdf/")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertIn(
            "更新日期2026年3月2日",
            squash(pdf_pages(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)[0]),
        )
        # 最近更新 on the home page: the guide that just changed comes before the one dated 2025-12-01.
        home = self.client.get("/").content.decode()
        popular = home[home.index("最近更新") :]
        self.assertLess(popular.index("临时救助"), popular.index("高龄津贴申领"))
        # The next edit starts from the date that is live.
        self.assertEqual(self.form()["updated"], "2026-03-02")

    def test_a_publication_that_changes_nothing_the_guide_says_keeps_the_date(self):
        data = self.form()
        data["seo_title"] = "临时救助怎么申请"
        page = self.publish(data)

        self.assertEqual(page.seo_title, "临时救助怎么申请")
        self.assertEqual(page.updated, FACTORY_DATE)
        self.assertIn("2025年9月12日", self.client.get(page.url).content.decode())

    def test_the_editors_own_date_stands(self):
        data = self.change_materials_and_fee(self.form())
        data["updated"] = "2026-02-20"
        page = self.publish(data)

        self.assertEqual(page.updated, datetime.date(2026, 2, 20))

    def test_a_change_after_an_unchanged_republish_is_still_seen(self):
        self.publish(self.form(), at=MORNING_IN_BEIJING - datetime.timedelta(days=3))
        page = self.publish(self.change_materials_and_fee(self.form()))

        self.assertEqual(page.updated, THAT_DAY)

    def test_an_undated_guide_published_at_0730_shows_that_day_on_the_web_and_in_the_pdf(self):
        ServicePage.objects.filter(pk=self.page.pk).update(updated=None, last_published_at=MORNING_IN_BEIJING)
        page = ServicePage.objects.get(pk=self.page.pk)

        self.assertEqual(page.last_updated, THAT_DAY)
        web = self.client.get(page.url).content.decode()
        self.assertRegex(web, re.escape('<time datetime="2026-03-02">2026年3月2日</time>'))


class ChangeLogTests(UpdateDateTests):
    """本指南变更记录: a publication that changes what people read adds an entry, from the declared elements."""

    def test_a_changed_material_and_fee_are_recorded_that_day_in_beijing(self):
        page = self.publish(self.change_materials_and_fee(self.form()))

        change = page.changes.get()
        self.assertEqual(change.effective, THAT_DAY)
        self.assertIn("新增收费：工本费", change.lines)
        self.assertTrue(any(line.startswith("新增申请材料：居民身份证或户口簿") for line in change.lines), change.lines)

    def test_the_editors_effective_date_stands_and_an_unchanged_republish_adds_nothing(self):
        data = self.change_materials_and_fee(self.form())
        data["change_effective"] = "2026-04-01"
        page = self.publish(data)
        self.assertEqual(page.changes.get().effective, datetime.date(2026, 4, 1))

        self.publish(self.form())
        self.assertEqual(page.changes.count(), 1, [c.lines for c in page.changes.all()])

    def test_a_first_publication_records_nothing(self):
        self.assertFalse(self.page.changes.exists())

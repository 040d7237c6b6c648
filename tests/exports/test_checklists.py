"""The materials checklist (一次性告知单): every material with a tick box, where to go, and the expected
completion date counted with the official holiday calendar."""

import datetime
import io
import re
from unittest import mock

from django.test import SimpleTestCase, TestCase

from pypdf import PdfReader

from exports.printing.checklists import expected_completion
from exports.printing.documents import checklist_pdf
from tests.factories import HallFactory, MaterialFactory, ServicePageFactory, WindowFactory


def squash(text):
    return re.sub(r"\s+", "", text)


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), squash("".join(page.extract_text() for page in reader.pages))


class ExpectedCompletionTests(SimpleTestCase):
    def test_working_days_skip_the_national_day_holiday_and_count_the_adjusted_saturday(self):
        # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October are working days (调休).
        done = expected_completion(5, "工作日", datetime.date(2025, 9, 30))
        self.assertEqual(done.date, datetime.date(2025, 10, 14))
        self.assertFalse(done.estimate)
        self.assertEqual(expected_completion(1, "工作日", datetime.date(2025, 9, 26)).date, datetime.date(2025, 9, 28))

    def test_natural_days_ending_on_a_holiday_end_on_the_next_working_day(self):
        done = expected_completion(7, "自然日", datetime.date(2025, 9, 24))
        self.assertEqual(done.date, datetime.date(2025, 10, 9))
        self.assertEqual(expected_completion(3, "自然日", datetime.date(2025, 9, 1)).date, datetime.date(2025, 9, 4))

    def test_zero_days_means_on_the_spot(self):
        done = expected_completion(0, "工作日", datetime.date(2025, 9, 30))
        self.assertTrue(done.on_the_spot)
        self.assertEqual(done.date, datetime.date(2025, 9, 30))

    def test_a_year_without_a_published_calendar_is_an_estimate(self):
        done = expected_completion(5, "工作日", datetime.date(2031, 3, 3))
        self.assertTrue(done.estimate)
        self.assertEqual(done.date, datetime.date(2031, 3, 10))  # weekdays only
        self.assertEqual(done.weekday, "星期一")


class ChecklistTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hall = HallFactory(
            title="耒阳市三都镇政务服务中心", address="三都镇人民政府一楼", hours="周一至周五 8:30-17:30"
        )
        window = WindowFactory(hall=cls.hall, number="2", name="社会事务综合窗口")
        cls.page = ServicePageFactory(
            title="城乡居民基本养老保险参保登记",
            slug="pension",
            code="LY-SD-0020",
            window_number="2",
            promised_limit_days=5,
            parts__hall=cls.hall,
        )
        window.departments.add(cls.page.department)
        window.save()
        for n in range(19):  # with the factory's ID card: 20 materials
            MaterialFactory(service=cls.page, name=f"证明材料{n + 1:02d}号", required=n % 3 != 0, note="须本人签字")
        cls.immediate = ServicePageFactory(
            title="临时身份证明开具", slug="temp-id", handling="即办件", promised_limit_days=0, parts__hall=cls.hall
        )

    def test_twenty_materials_fit_one_page_with_everything_on_it(self):
        pages, text = pdf_text(checklist_pdf(self.page, today=datetime.date(2025, 9, 30)))
        self.assertEqual(pages, 1)
        for expected in ("一次性告知单", "城乡居民基本养老保险参保登记", "LY-SD-0020", "备齐", "居民身份证"):
            self.assertIn(expected, text)
        self.assertEqual([n for n in range(1, 20) if f"证明材料{n:02d}号" not in text], [])
        self.assertEqual(text.count("须本人签字"), 19)
        self.assertIn("非必要", text)
        self.assertIn("耒阳市三都镇政务服务中心", text)
        self.assertIn("2号窗口社会事务综合窗口", text)
        self.assertIn("三都镇人民政府一楼", text)
        self.assertIn("承诺办结时限：5个工作日", text)
        self.assertIn("今天（2025年9月30日）受理的，预计办结日期：", text)
        self.assertIn("2025年10月14日（星期二）", text)
        self.assertNotIn("尚未公布", text)

    def test_an_uncovered_year_says_the_date_is_an_estimate(self):
        _pages, text = pdf_text(checklist_pdf(self.page, today=datetime.date(2031, 3, 3)))
        self.assertIn("2031年3月10日（星期一）", text)
        self.assertIn("2031年放假安排尚未公布", text)
        self.assertIn("日期可能调整", text)

    def test_an_immediate_item_is_done_on_the_spot(self):
        _pages, text = pdf_text(checklist_pdf(self.immediate, today=datetime.date(2025, 9, 30)))
        self.assertIn("当场办结", text)
        self.assertNotIn("预计办结日期：", text)

    def test_printable_page_and_pdf_download(self):
        with mock.patch("exports.printing.documents.timezone.localdate", return_value=datetime.date(2025, 9, 30)):
            response = self.client.get("/services/pension/checklist/")
        self.assertContains(response, "一次性告知单")
        self.assertContains(response, "证明材料19号")
        self.assertContains(response, "2025年10月14日（星期二）")
        self.assertContains(response, 'href="/services/pension/checklist/pdf/"')
        self.assertContains(response, "data-print-page")
        self.assertContains(response, "exports/print.css")
        response = self.client.get("/services/pension/checklist/pdf/")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("一次性告知单", pdf_text(response.content)[1])

    def test_guide_actions_link_both_documents(self):
        from django.template.loader import render_to_string

        html = render_to_string("components/guide_actions.html", {"page": self.page})
        self.assertIn('href="/services/pension/pdf/"', html)
        self.assertIn('href="/services/pension/checklist/"', html)
        self.assertIn("打印办事指南（PDF）", html)
        self.assertIn("一次性告知单", html)


class UnicodeSlugTests(TestCase):
    """Wagtail makes Chinese slugs from Chinese titles; the print links must work for them too."""

    @classmethod
    def setUpTestData(cls):
        cls.page = ServicePageFactory(title="残疾人证办理", slug="残疾人证办理", parts__hall=HallFactory())

    def test_print_links_and_documents_for_a_chinese_slug(self):
        from django.template.loader import render_to_string

        html = render_to_string("components/guide_actions.html", {"page": self.page})
        self.assertIn("/services/%E6%AE%8B%E7%96%BE%E4%BA%BA%E8%AF%81%E5%8A%9E%E7%90%86/pdf/", html)
        response = self.client.get("/services/残疾人证办理/checklist/")
        self.assertContains(response, "残疾人证办理")
        self.assertEqual(self.client.get("/services/残疾人证办理/pdf/")["Content-Type"], "application/pdf")

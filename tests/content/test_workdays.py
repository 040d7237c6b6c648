"""Working days in a year whose State Council holiday arrangement is not published yet."""

import datetime
from unittest import mock

from django.test import SimpleTestCase, TestCase

import chinese_calendar

from content.workdays import add_working_days, covered, is_working_day, statutory_holidays
from exports.printing.documents import checklist_pdf
from tests.exports.test_checklists import pdf_text
from tests.factories import ServicePageFactory


class StatutoryHolidayTests(SimpleTestCase):
    def test_2027_holidays_fixed_by_law(self):
        self.assertFalse(covered(datetime.date(2027, 1, 1)))
        expected = {
            datetime.date(2027, 1, 1),  # 元旦
            datetime.date(2027, 2, 5),  # 除夕
            datetime.date(2027, 2, 6),  # 春节 初一
            datetime.date(2027, 2, 7),
            datetime.date(2027, 2, 8),  # 初三
            datetime.date(2027, 4, 5),  # 清明
            datetime.date(2027, 5, 1),
            datetime.date(2027, 5, 2),
            datetime.date(2027, 6, 9),  # 端午
            datetime.date(2027, 9, 15),  # 中秋
            datetime.date(2027, 10, 1),
            datetime.date(2027, 10, 2),
            datetime.date(2027, 10, 3),
        }
        self.assertEqual(statutory_holidays(2027), expected)
        self.assertFalse(is_working_day(datetime.date(2027, 1, 1)))  # a Friday
        self.assertFalse(is_working_day(datetime.date(2027, 2, 8)))  # a Monday, 初三
        self.assertTrue(is_working_day(datetime.date(2027, 2, 9)))

    def test_computed_holidays_are_days_off_in_every_published_year(self):
        """The lunar and solar-term computation agrees with the State Council calendars already published."""
        for year in (2025, 2026):
            for day in statutory_holidays(year):
                self.assertTrue(chinese_calendar.is_holiday(day), day)

    def test_25_working_days_from_2_december_2026_skip_new_year(self):
        self.assertEqual(add_working_days(datetime.date(2026, 12, 2), 25), datetime.date(2027, 1, 7))


class ProvisionalDateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.page = ServicePageFactory(promised_limit_days=25, legal_limit_days=30)

    def test_guide_page_says_the_date_is_provisional(self):
        with mock.patch("content.models.services.timezone.localdate", return_value=datetime.date(2026, 12, 2)):
            html = self.client.get(self.page.url).content.decode()
        self.assertIn("2027年1月7日", html)
        self.assertIn("2027 年放假安排尚未公布", html)
        self.assertIn("日期可能调整", html)

    def test_checklist_says_the_date_is_provisional(self):
        _pages, text = pdf_text(checklist_pdf(self.page, today=datetime.date(2026, 12, 2)))
        self.assertIn("2027年1月7日（星期四）", text)
        self.assertIn("2027年放假安排尚未公布", text)

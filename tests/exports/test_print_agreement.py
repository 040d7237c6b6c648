"""The web page and the PDF agree on every value, for a guide published at any hour.

A guide with every element is imported, then changed and published again, at 23:30 and at 00:30 in
Beijing (00:30 is still the day before in UTC). The web page and the guide PDF must then both carry
each element's text as content.guide gives it (the evidence of every element whose `outputs` name
both), the same 更新日期 and the same dated 本指南变更记录 entry: that day in Beijing.
"""

import datetime
import html
import re
from unittest import mock

from django.test import TestCase

from content import guide
from content.models import ServicePage
from exports.printing.cache import guide_cache
from tests.exports.test_guide_pdf import pdf_pages, squash
from tests.exports.test_print_elements import NAMES, import_full_guide

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
LATE_EVENING = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=BEIJING)
AFTER_MIDNIGHT = datetime.datetime(2026, 3, 2, 0, 30, tzinfo=BEIJING)

# Dated by publishing, not by the example: checked against the day of publication below.
DATED = ("updated", "changes")


def web_text(page_html):
    """What a reader sees on the web page (dates as content.guide.date_text writes them, as on paper)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page_html, flags=re.S)
    return squash(html.unescape(re.sub(r"<[^>]+>", "", body)))


def shared_evidence():
    """[(element key, text)] for every element both the web page and the PDF show."""
    example = guide.example_guide()
    return [
        (e.key, NAMES.get(text, text))
        for e in guide.ELEMENTS
        if {"web", "pdf"} <= e.outputs and e.key not in DATED
        for text in e.evidence_for(example[e.key])
    ]


class AgreementAcrossMidnightTests(TestCase):
    def publish_at(self, moment):
        """Import the guide undated, then add a condition and publish, both at `moment`."""
        with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(datetime.UTC)):
            page = import_full_guide(updated=None, changes=[])
            page = ServicePage.objects.get(pk=page.pk)
            page.conditions += "\n持有有效身份证件"
            page.save_revision().publish()
        guide_cache.invalidate(page.pk)
        self.addCleanup(guide_cache.invalidate, page.pk)
        return ServicePage.objects.get(pk=page.pk)

    def outputs(self, page, moment):
        with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(datetime.UTC)):
            web = self.client.get(page.url)
            pdf = self.client.get(f"{page.url}pdf/")
        self.assertEqual((web.status_code, pdf.status_code), (200, 200))
        return {"web": web_text(web.content.decode()), "pdf": squash("".join(pdf_pages(pdf.content)))}

    def check(self, moment):
        page = self.publish_at(moment)
        day = guide.date_text(moment.date())
        change = page.changes.get()
        self.assertEqual(change.effective, moment.date())
        expected = [*shared_evidence(), ("updated", f"更新日期{day}")]
        expected += [("changes", f"{day}起{line}") for line in change.lines]
        found = {
            name: [(key, squash(t)) for key, t in expected if squash(t) not in text]
            for name, text in self.outputs(page, moment).items()
        }
        self.assertEqual(found, {"web": [], "pdf": []})

    def test_a_guide_published_at_2330_in_beijing(self):
        self.check(LATE_EVENING)

    def test_a_guide_published_at_0030_in_beijing_the_day_before_in_utc(self):
        self.assertNotEqual(AFTER_MIDNIGHT.date(), AFTER_MIDNIGHT.astimezone(datetime.UTC).date())
        self.check(AFTER_MIDNIGHT)

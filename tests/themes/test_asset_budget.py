"""A guide page stays fast on a slow phone: all the CSS and JavaScript it links weigh under 60 KB gzipped.

This is a size check, not a timing: it sums the gzip-compressed size of every stylesheet and script the
rendered page links (static files and the generated /theme/….css), wherever in the page they are linked.
"""

import gzip
import re

from django.contrib.staticfiles import finders
from django.test import TestCase

from tests.factories import HallFactory, ServicePageFactory, WindowFactory, site_structure

BUDGET_BYTES = 60 * 1024


def linked_assets(html):
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r'<script\b[^>]*\bsrc="([^"]+)"', html)
    return stylesheets + scripts


class GuidePageBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure()
        hall = HallFactory(slug="zhen")
        WindowFactory(hall=hall, number="1")
        ServicePageFactory(title="最低生活保障审核确认", slug="dibao", halls=[hall], faqs=[("可以代办吗？", "可以。")])

    def asset_bytes(self, url):
        if url.startswith("/static/"):
            path = finders.find(url.removeprefix("/static/"))
            self.assertIsNotNone(path, f"{url} is linked but is not a static file")
            with open(path, "rb") as file:
                return file.read()
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content

    def test_guide_page_css_and_js_under_60_kb_gzipped(self):
        html = self.client.get("/services/dibao/").content.decode()
        assets = linked_assets(html)
        # The page's own pieces are all counted: base, brand colours, print links, rating, read-aloud.
        for expected in ("/static/css/portal.css", "/static/js/site.js", "/static/js/read_aloud.js"):
            self.assertIn(expected, assets)
        self.assertTrue(any(url.startswith("/theme/") for url in assets))
        self.assertEqual(len(assets), len(set(assets)), "an asset is linked twice")
        sizes = {url: len(gzip.compress(self.asset_bytes(url), compresslevel=6)) for url in assets}
        total = sum(sizes.values())
        self.assertLess(total, BUDGET_BYTES, f"{total} bytes gzipped: {sizes}")

    def test_no_framework_bundle(self):
        html = self.client.get("/services/dibao/").content.decode()
        for url in linked_assets(html):
            self.assertFalse(
                url.startswith(("http://", "https://", "//")), f"{url}: assets are served by the portal itself"
            )
            self.assertNotRegex(url, r"(?i)(jquery|bootstrap|react|vue|tailwind|layui)")

"""The public pages link by page and URL name, never by a written-out path.

A portal served under a path prefix (SCRIPT_NAME, e.g. behind a proxy at /zwfw/) and one whose editors
renamed the catalog's or the hall list's slug must still link every header, footer, breadcrumb and
search-box address to where those pages really are.
"""

import re

from django.urls import clear_script_prefix, set_script_prefix

from content.models import CatalogPage, HallIndexPage
from tests.content.test_pages import PortalTestCase

# Addresses the portal links to on its own pages: href, form action and the suggestion endpoint.
ADDRESS = re.compile(r'(?:href|action|data-suggest-url)="(/[^"]*)"')


def addresses(response):
    return [a for a in ADDRESS.findall(response.content.decode()) if not a.startswith(("/static/", "/media/"))]


def nav(response, label):
    """The main-navigation link: (href, aria-current or None)."""
    block = re.search(r'<nav class="site-nav".*?</nav>', response.content.decode(), re.S).group(0)
    found = re.search(r'<a href="([^"]*)"(?: aria-current="(\w+)")?>' + label + "</a>", block)
    return found.groups() if found else None


def breadcrumb_links(response):
    block = re.search(r'<nav class="breadcrumbs.*?</nav>', response.content.decode(), re.S).group(0)
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', block)


class UnderAPathPrefixTests(PortalTestCase):
    PREFIX = "/zwfw"

    def get(self, path):
        # Django's test client leaves the script prefix alone; the WSGI handler sets it from SCRIPT_NAME.
        set_script_prefix(self.PREFIX + "/")
        self.addCleanup(clear_script_prefix)
        return self.client.get(path, SCRIPT_NAME=self.PREFIX)

    def test_every_own_address_keeps_the_prefix(self):
        pages = {
            "home": "/",
            "catalog": "/services/",
            "guide": self.dibao.url,
            "halls": "/halls/",
            "hall": "/halls/zhen/",
            # A search that finds nothing: result addresses come from the index, written when it was built.
            "search": "/search/?q=zzzzqqq",
            "complaints": "/complaints/",
            "open data": "/open-data/",
            "checklist": f"/services/{self.dibao.slug}/checklist/",
            "site map": "/site-map/",
            "not found": "/no-such-page/",
        }
        for name, path in pages.items():
            with self.subTest(page=name):
                response = self.get(path)
                self.assertIn(response.status_code, (200, 404))
                found = addresses(response)
                self.assertTrue(found, name)
                outside = [a for a in found if not a.startswith(self.PREFIX + "/")]
                self.assertEqual(outside, [], f"{name} links outside {self.PREFIX}/")

    def test_the_navigation_marks_where_one_is(self):
        self.assertEqual(nav(self.get("/services/"), "办事指南"), (f"{self.PREFIX}/services/", "page"))
        self.assertEqual(nav(self.get("/halls/zhen/"), "服务大厅"), (f"{self.PREFIX}/halls/", "true"))
        self.assertEqual(nav(self.get("/halls/zhen/"), "首页"), (f"{self.PREFIX}/", None))


class RenamedSlugTests(PortalTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for model, slug in ((CatalogPage, "banshi"), (HallIndexPage, "dating")):
            page = model.objects.get()
            page.slug = slug
            page.save_revision().publish()

    def test_header_footer_and_not_found_page_follow_the_new_slugs(self):
        for path in ("/", "/banshi/", "/no-such-page/", "/complaints/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                found = addresses(response)
                self.assertIn("/banshi/", found)
                self.assertIn("/dating/", found)
                self.assertFalse([a for a in found if a.startswith(("/services/", "/halls/"))], found)

    def test_breadcrumbs_of_a_view_under_a_guide(self):
        response = self.client.get(f"/services/{self.dibao.slug}/checklist/")
        self.assertEqual(
            breadcrumb_links(response),
            [("/", "首页"), ("/banshi/", "办事指南"), (f"/banshi/{self.dibao.slug}/", self.dibao.title)],
        )
        self.assertEqual(nav(self.client.get("/banshi/"), "办事指南"), ("/banshi/", "page"))

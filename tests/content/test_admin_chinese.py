"""Everything an editor sees in the main admin pages is Chinese: no English or Wagtail leftovers."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import TestCase

from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from bs4 import Doctype

from search.models import SearchTerm
from search.querylog import record
from tests.factories import StaffMemberFactory, site_structure

# Leftovers the review found, and others of the same pages; each one is what a page showed before.
LEFTOVERS = {
    "/admin/login/": ["登录Wagtail", "Password", " - Wagtail"],
    "/admin/": [" - Wagtail"],
    "/admin/pages/": ["Root", "Exploring", "Date updated", "Edited by", "Has child pages", "Page type", "Any"],
    "/admin/snippets/content/staffmember/": ["True", "False"],
    "/admin/snippets/search/searchterm/": ["True", "False"],
    "/admin/groups/": ["Editors", "Moderators"],
    "/admin/images/": ["Oldest", "Usage count", "Grid layout", "List layout"],
}


def visible_text(content):
    """What an editor reads on the page (with JavaScript on): text, titles, placeholders and labels."""
    soup = WagtailTestUtils.get_soup(content)
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    texts = [s.strip() for s in soup.find_all(string=True) if s.strip() and not isinstance(s, Doctype)]
    for attribute in ("title", "placeholder", "aria-label"):
        texts += [el[attribute] for el in soup.find_all(attrs={attribute: True})]
    return texts


class AdminIsChineseTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        site_structure()
        StaffMemberFactory(name="张三", is_active=True)
        StaffMemberFactory(name="李四", is_active=False)
        record("低保怎么申请", 4)
        record("无人机驾照", 0)
        cls.user = get_user_model().objects.create_superuser("editor", password="pw-for-tests-only")

    def assert_no_leftovers(self, path, response):
        self.assertEqual(response.status_code, 200, path)
        texts = visible_text(response.content)
        for leftover in LEFTOVERS[path]:
            found = [t for t in texts if leftover in t]
            self.assertEqual(found, [], f"{path} shows {leftover!r}")

    def test_login_page(self):
        response = self.client.get("/admin/login/")
        self.assert_no_leftovers("/admin/login/", response)
        self.assertContains(response, "登录管理后台")
        self.assertIn("密码", visible_text(response.content))

    def test_main_admin_pages(self):
        self.client.force_login(self.user)
        for path in LEFTOVERS:
            if path != "/admin/login/":
                self.assert_no_leftovers(path, self.client.get(path))

    def test_staff_list_says_yes_or_no(self):
        self.client.force_login(self.user)
        texts = visible_text(self.client.get("/admin/snippets/content/staffmember/").content)
        self.assertIn("是", texts)
        self.assertIn("否", texts)

    def test_search_log_says_yes_or_no(self):
        self.client.force_login(self.user)
        rows = WagtailTestUtils.get_soup(self.client.get("/admin/snippets/search/searchterm/").content).select("tbody tr")
        # Cells after the bulk-action checkbox: 搜索词 (with its row actions), three counts, 最近一次无结果, 最近搜索.
        found_nothing = {cells[1]: cells[5] for cells in ([td.get_text(strip=True) for td in row("td")] for row in rows)}
        self.assertEqual(found_nothing, {"无人机驾照检查删除": "是", "低保怎么申请检查删除": "否"})
        for query, shown in (("无人机驾照", "是"), ("低保怎么申请", "否")):
            term = SearchTerm.objects.get(query=query)
            texts = visible_text(self.client.get(f"/admin/snippets/search/searchterm/inspect/{term.pk}/").content)
            self.assertEqual([t for t in texts if t in ("True", "False")], [], query)
            self.assertIn(shown, texts, query)

    def test_root_and_default_groups_have_chinese_names(self):
        self.assertEqual(Page.get_first_root_node().title, "全部页面")
        self.assertEqual(set(Group.objects.values_list("name", flat=True)) & {"Editors", "Moderators"}, set())
        self.assertTrue(Group.objects.filter(name="编辑").exists())
        self.assertTrue(Group.objects.filter(name="审核员").exists())

    def test_no_english_words_on_the_explorer_and_image_pages(self):
        """Beyond the known leftovers: no English word of three letters or more, except product names."""
        self.client.force_login(self.user)
        for path in ("/admin/pages/", "/admin/images/", "/admin/groups/"):
            texts = visible_text(self.client.get(path).content)
            english = [t for t in texts if re.search(r"[A-Za-z]{3,}", t) and not re.search(r"Ctrl|Esc|Wagtail", t)]
            self.assertEqual(english, [], path)

"""Everything an editor sees in the main admin pages is Chinese: no English or Wagtail leftovers."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.test import TestCase

from wagtail.models import Collection, Page
from wagtail.test.utils import WagtailTestUtils

from bs4 import Doctype

from accounts.groups import DESCRIPTIONS
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
    "/admin/users/": ["True", "False", "明 王"],
    "/admin/users/new/": ["Required. Letters, digits", "Required"],
    "/admin/groups/": ["Editors", "Moderators"],
    "/admin/groups/edit/编辑/": ["Can add", "Can change", "Can lock any page", "Root", "Publish", "Toggle all"],
    "/admin/images/": ["Oldest", "Usage count", "Grid layout", "List layout"],
}

# English an editor may rightly see: product and format names, and keyboard keys.
ALLOWED_WORDS = {"Wagtail", "PDF", "CSV", "XLSX", "JSON", "URL", "Ctrl", "Esc"}


def visible_text(content):
    """What an editor reads on the page (with JavaScript on): text, titles, placeholders and labels."""
    soup = WagtailTestUtils.get_soup(content)
    for hidden in soup(["script", "style", "template", "noscript"]):
        hidden.decompose()
    # Hidden until it has something to say (a side panel's empty counter); tab panels show when chosen.
    for hidden in soup.select("[hidden]:not([role=tabpanel])"):
        hidden.decompose()
    texts = [s.strip() for s in soup.find_all(string=True) if s.strip() and not isinstance(s, Doctype)]
    for attribute in ("title", "placeholder", "aria-label"):
        texts += [el[attribute] for el in soup.find_all(attrs={attribute: True})]
    return texts


class AdminIsChineseTests(TestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        site_structure()
        StaffMemberFactory(name="张三", is_active=True)
        StaffMemberFactory(name="李四", is_active=False)
        record("低保怎么申请", 4)
        record("无人机驾照", 0)
        cls.user = get_user_model().objects.create_superuser(
            "editor", password="pw-for-tests-only", first_name="明", last_name="王"
        )

    @staticmethod
    def url(path):
        """A group's edit page is named by the group (编辑) in the lists; its address has the group's id."""
        if path.startswith("/admin/groups/edit/"):
            return f"/admin/groups/edit/{Group.objects.get(name=path.split('/')[-2]).pk}/"
        return path

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
                self.assert_no_leftovers(path, self.client.get(self.url(path)))

    def test_staff_list_says_yes_or_no(self):
        self.client.force_login(self.user)
        texts = visible_text(self.client.get("/admin/snippets/content/staffmember/").content)
        self.assertIn("是", texts)
        self.assertIn("否", texts)

    def test_search_log_says_yes_or_no(self):
        self.client.force_login(self.user)
        rows = WagtailTestUtils.get_soup(self.client.get("/admin/snippets/search/searchterm/").content).select(
            "tbody tr"
        )
        # Cells after the bulk-action checkbox: 搜索词 (with its row actions), three counts, 最近一次无结果, 最近搜索.
        found_nothing = {
            cells[1]: cells[5] for cells in ([td.get_text(strip=True) for td in row("td")] for row in rows)
        }
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

    def test_permissions_and_root_collection_have_chinese_names(self):
        """Stored names the group edit page shows as they are: Django's, Wagtail's and the portal's models."""
        names = dict(Permission.objects.values_list("codename", "name"))
        self.assertEqual([name for name in names.values() if name.startswith("Can ")], [])
        self.assertEqual(names["add_group"], "可以添加组")
        self.assertEqual(names["change_user"], "可以修改用户")
        self.assertEqual(names["view_searchterm"], "可以查看搜索记录")
        self.assertEqual(names["publish_page"], "可以发布任意页面")
        self.assertEqual(names["access_admin"], "可以进入管理后台")
        self.assertEqual(Collection.get_first_root_node().name, "全部集合")

        # Another migrate changes nothing, and leaves a name an administrator gave alone.
        Permission.objects.filter(codename="lock_page").update(name="锁定页面")
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        names["lock_page"] = "锁定页面"
        self.assertEqual(dict(Permission.objects.values_list("codename", "name")), names)

    def test_no_english_words_on_the_main_admin_pages(self):
        """Beyond the known leftovers: no English word of three letters or more, except names of products,
        formats and keys, and the test's own username."""
        self.client.force_login(self.user)
        paths = [
            "/admin/",
            "/admin/pages/",
            "/admin/images/",
            "/admin/groups/",
            "/admin/users/",
            "/admin/users/new/",
            f"/admin/users/edit/{self.user.pk}/",
            "/admin/groups/edit/编辑/",
            "/admin/snippets/search/searchterm/",
        ]
        for path in paths:
            texts = visible_text(self.client.get(self.url(path)).content)
            english = [t for t in texts if set(re.findall(r"[A-Za-z]{3,}", t)) - ALLOWED_WORDS - {"editor"}]
            self.assertEqual(english, [], path)

    def test_user_list_puts_family_name_first(self):
        self.client.force_login(self.user)
        texts = visible_text(self.client.get("/admin/users/").content)
        self.assertIn("王明", texts)
        self.assertIn("是", texts)

    def test_user_form_asks_family_name_before_given_name(self):
        self.client.force_login(self.user)
        for path in ("/admin/users/new/", f"/admin/users/edit/{self.user.pk}/"):
            labels = [
                label.get_text(strip=True)
                for label in WagtailTestUtils.get_soup(self.client.get(path).content)("label")
            ]
            self.assertLess(labels.index("姓"), labels.index("名"), path)

    def test_user_with_only_username_password_and_group(self):
        """An administrator adds a 窗口 colleague to 编辑 without an e-mail address or a name."""
        editors = Group.objects.get(name="编辑")
        self.client.force_login(self.user)
        response = self.client.post(
            "/admin/users/new/",
            {
                "username": "zhangsan",
                "password1": "Chuangkou-2026!",
                "password2": "Chuangkou-2026!",
                "groups": [editors.pk],
            },
        )
        self.assertEqual(response.status_code, 302, visible_text(response.content))
        created = get_user_model().objects.get(username="zhangsan")
        self.assertEqual((created.email, created.first_name, created.last_name), ("", "", ""))
        self.assertEqual(list(created.groups.all()), [editors])
        self.assertTrue(created.check_password("Chuangkou-2026!"))

        # Editing the same account later does not ask for them either.
        response = self.client.post(
            f"/admin/users/edit/{created.pk}/",
            {"username": "zhangsan", "last_name": "张", "first_name": "三", "is_active": "on", "groups": [editors.pk]},
        )
        self.assertEqual(response.status_code, 302, visible_text(response.content))
        created.refresh_from_db()
        self.assertEqual((created.last_name, created.first_name, created.email), ("张", "三", ""))

    def test_groups_say_what_they_may_do(self):
        self.client.force_login(self.user)
        texts = visible_text(self.client.get("/admin/groups/").content)
        self.assertIn("可以做什么", texts)
        for name in ("编辑", "审核员", "投诉处理人员"):
            group = Group.objects.get(name=name)
            description = DESCRIPTIONS[name]
            self.assertIn(description, texts, name)
            edit_page = " ".join(visible_text(self.client.get(f"/admin/groups/edit/{group.pk}/").content))
            self.assertIn(description, edit_page, name)

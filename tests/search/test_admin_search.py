"""The admin's own page and snippet search understands Chinese words, like the portal's search does.

Wagtail's database backend indexes a run of Chinese characters as one word, so 身份证 finds no page titled
居民身份证换领; search.wagtail_backend cuts index and query into jieba words and applies the synonyms.
"""

from django.contrib.auth import get_user_model
from django.test import TestCase

from search.models import Synonym
from tests.factories import DepartmentFactory, HallFactory, ServicePageFactory, StaffMemberFactory


class AdminPageSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        cls.id_card = ServicePageFactory(title="居民身份证换领")
        cls.allowance = ServicePageFactory(title="最低生活保障申请")
        cls.birth = ServicePageFactory(title="出生登记（上户口）")

    def setUp(self):
        self.client.force_login(self.admin)

    def found(self, query):
        response = self.client.get("/admin/pages/search/", {"q": query})
        self.assertEqual(response.status_code, 200)
        titles = {"居民身份证换领", "最低生活保障申请", "出生登记（上户口）", "新生儿落户"}
        return {title for title in titles if title in response.content.decode()}

    def test_a_word_inside_a_title_finds_the_guide(self):
        self.assertEqual(self.found("身份证"), {"居民身份证换领"})
        self.assertEqual(self.found("生活保障"), {"最低生活保障申请"})

    def test_a_popular_name_finds_the_guide_through_the_synonym_list(self):
        self.assertTrue(Synonym.objects.filter(term="低保").exists())  # shipped with the portal
        self.assertEqual(self.found("低保"), {"最低生活保障申请"})

    def test_every_word_typed_must_match(self):
        self.assertEqual(self.found("身份证 换领"), {"居民身份证换领"})
        self.assertEqual(self.found("身份证 出生"), set())

    def test_the_whole_title_and_non_chinese_words_still_work(self):
        self.assertEqual(self.found("最低生活保障申请"), {"最低生活保障申请"})
        page = ServicePageFactory(title="ETC 通行卡办理")
        response = self.client.get("/admin/pages/search/", {"q": "etc"})
        self.assertIn(page.title, response.content.decode())

    def test_a_guide_renamed_is_found_by_its_new_words(self):
        self.birth.title = "新生儿落户"
        self.birth.save_revision().publish()
        self.assertEqual(self.found("落户"), {"新生儿落户"})


class AdminSnippetSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        cls.civil = DepartmentFactory(name="县民政局")
        cls.police = DepartmentFactory(name="县公安局")
        hall = HallFactory()
        cls.relief = StaffMemberFactory(name="王小红", hall=hall, duties="社会救助受理")
        cls.records = StaffMemberFactory(name="李明", hall=hall, duties="户籍迁移登记")

    def setUp(self):
        self.client.force_login(self.admin)

    def listed(self, url, query, names):
        response = self.client.get(url, {"q": query})
        self.assertEqual(response.status_code, 200)
        return {name for name in names if name in response.content.decode()}

    def test_department_list_search_finds_a_word_inside_the_name(self):
        found = self.listed("/admin/snippets/content/department/", "民政", ["县民政局", "县公安局"])
        self.assertEqual(found, {"县民政局"})
        found = self.listed("/admin/snippets/content/department/", self.police.code, ["县民政局", "县公安局"])
        self.assertEqual(found, {"县公安局"})

    def test_staff_list_search_finds_a_word_inside_the_duties(self):
        found = self.listed("/admin/snippets/content/staffmember/", "救助", ["王小红", "李明"])
        self.assertEqual(found, {"王小红"})

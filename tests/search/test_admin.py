"""The admin's 搜索 menu: the search log (read-only) and the synonym list, in Chinese."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase

from search.models import SearchTerm, Synonym
from search.querylog import record, record_open
from tests.test_spreadsheets import TYPED_FORMULAS, csv_rows, response_bytes, xlsx_cells


class SearchAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        record("低保怎么申请", 4)
        record("低保怎么申请", 4)
        record("无人机驾照", 0)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_search_log_lists_counts_and_fruitless_searches(self):
        response = self.client.get("/admin/snippets/search/searchterm/")
        self.assertContains(response, "搜索记录")
        self.assertContains(response, "低保怎么申请")
        fruitless = self.client.get("/admin/snippets/search/searchterm/", {"found_nothing": "true"})
        self.assertContains(fruitless, "无人机驾照")
        self.assertNotContains(fruitless, "低保怎么申请")
        export = self.client.get("/admin/snippets/search/searchterm/", {"export": "csv"})
        self.assertIn('"低保怎么申请",2,0,4', response_bytes(export).decode())

    def test_search_log_exports_carry_no_formulas(self):
        """Anyone may type a search; its text reaches the editor's spreadsheet as text, counts as numbers."""
        for formula in TYPED_FORMULAS:
            record(formula, 3)
        rows = csv_rows(self.client.get("/admin/snippets/search/searchterm/", {"export": "csv"}))
        queries = {row[0]: row[1:4] for row in rows[1:]}
        for formula in TYPED_FORMULAS:
            with self.subTest(formula=formula):
                self.assertEqual(queries["'" + formula], ["1", "0", "3"])
        xlsx = self.client.get("/admin/snippets/search/searchterm/", {"export": "xlsx"})
        cells = {row[0][0]: row for row in xlsx_cells(response_bytes(xlsx))[1:]}
        for formula in TYPED_FORMULAS:
            with self.subTest(formula=formula):
                row = cells[formula]
                self.assertEqual(row[0][1:], ("s", True))
                self.assertEqual(
                    [(value, data_type) for value, data_type, _ in row[1:4]], [(1, "n"), (0, "n"), (3, "n")]
                )

    def test_search_log_cannot_be_written_by_hand(self):
        self.assertNotEqual(self.client.get("/admin/snippets/search/searchterm/add/").status_code, 200)
        term = SearchTerm.objects.get(query="低保怎么申请")
        self.assertNotEqual(self.client.get(f"/admin/snippets/search/searchterm/edit/{term.pk}/").status_code, 200)

    def test_dashboard_names_fruitless_searches(self):
        response = self.client.get("/admin/")
        self.assertContains(response, "没有找到结果的搜索")
        self.assertContains(response, "无人机驾照")

    def test_editors_add_a_synonym(self):
        response = self.client.post(
            "/admin/snippets/search/synonym/add/", {"term": "办证", "expansions": "营业执照\n食品经营许可", "note": ""}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Synonym.objects.get(term="办证").expansion_list, ["营业执照", "食品经营许可"])

    def test_synonym_form_explains_mistakes_in_chinese(self):
        response = self.client.post(
            "/admin/snippets/search/synonym/add/", {"term": "怎么办理", "expansions": "出生登记"}
        )
        self.assertContains(response, "停用词")
        response = self.client.post("/admin/snippets/search/synonym/add/", {"term": "落地", "expansions": ""})
        self.assertContains(response, "请至少填写一个规范说法")


class SynonymModelTests(TestCase):
    def test_starting_list_is_shipped(self):
        self.assertEqual(Synonym.objects.get(term="低保").expansion_list, ["最低生活保障"])
        self.assertIn("出生登记", Synonym.objects.get(term="上户口").expansion_list)
        self.assertGreaterEqual(Synonym.objects.count(), 30)

    def test_clean_normalises_and_rejects_loops(self):
        synonym = Synonym(term="ＤＩＢＡＯ", expansions="最低生活保障")
        synonym.full_clean()
        self.assertEqual(synonym.term, "dibao")
        with self.assertRaises(ValidationError) as raised:
            Synonym(term="落户", expansions="落户").full_clean()
        self.assertIn("expansions", raised.exception.message_dict)
        with self.assertRaises(ValidationError):
            Synonym(term="！！", expansions="出生登记").full_clean()


class SearchOutcomeAdminTests(TestCase):
    """The log tells editors what failed: results nobody opened, and searches sent elsewhere."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")
        for _ in range(3):
            record("社保卡", 5)  # found something, nobody opened it
        record("低保", 4)
        record_open("低保")
        record("护照", 1, outcome="elsewhere")  # the notice answered it
        record("无人机驾照", 0)
        record("高龄补贴八十五岁", 2, outcome="relaxed")

    def setUp(self):
        self.client.force_login(self.admin)

    def listed(self, **params):
        response = self.client.get("/admin/snippets/search/searchterm/", params)
        self.assertEqual(response.status_code, 200)
        return {term.query for term in response.context["object_list"]}

    def test_the_list_shows_opens_and_outcomes(self):
        html = self.client.get("/admin/snippets/search/searchterm/").content.decode()
        headings = [re.sub(r"<[^>]+>|\s", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]
        self.assertIn("点开次数", headings)
        self.assertIn("结果", headings)

        def row(query):
            found = [r for r in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S) if f">{query}<" in r]
            return [re.sub(r"<[^>]+>|\s", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", found[0], re.S)]

        self.assertIn("不在本中心", row("护照"))
        self.assertIn("放宽后有结果", row("高龄补贴八十五岁"))
        self.assertIn("无结果", row("无人机驾照"))
        opened = headings.index("点开次数") - len(headings) + len(row("低保"))
        self.assertEqual((row("低保")[opened], row("社保卡")[opened]), ("1", "0"))

    def test_the_filter_finds_what_failed(self):
        self.assertEqual(self.listed(shown="unopened"), {"社保卡", "高龄补贴八十五岁"})
        self.assertEqual(self.listed(shown="elsewhere"), {"护照"})
        self.assertEqual(self.listed(shown="none"), {"无人机驾照"})
        self.assertEqual(self.listed(shown="relaxed"), {"高龄补贴八十五岁"})
        self.assertEqual(len(self.listed()), 5)
        self.assertEqual(self.listed(found_nothing="true"), {"无人机驾照"})  # the older filter still works

    def test_exports_carry_the_new_columns(self):
        rows = csv_rows(self.client.get("/admin/snippets/search/searchterm/", {"export": "csv"}))
        header = rows[0]
        for heading in ("点开次数", "不在本中心次数", "放宽后有结果次数", "结果"):
            self.assertIn(heading, header)
        by_query = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
        self.assertEqual(by_query["低保"]["点开次数"], "1")
        self.assertEqual(by_query["护照"]["不在本中心次数"], "1")
        self.assertEqual(by_query["护照"]["结果"], "不在本中心")
        self.assertEqual(by_query["高龄补贴八十五岁"]["放宽后有结果次数"], "1")

    def test_dashboard_names_searches_whose_results_nobody_opened(self):
        html = self.client.get("/admin/").content.decode()
        self.assertIn("有结果但无人点开的搜索", html)
        panel = html[html.index('id="unopened-searches-heading"') :]
        panel = panel[: panel.index("</section>")]
        self.assertIn("社保卡", panel)
        self.assertNotIn("低保", panel)  # someone opened a result
        self.assertNotIn("护照", panel)  # the 不在本中心 notice answered it
        self.assertNotIn("无人机驾照", panel)  # found nothing: the other panel's
        self.assertIn("?shown=unopened", panel)

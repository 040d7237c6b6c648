"""The search log: personal numbers masked in every way people write them, and its size bounded."""

import uuid
from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from search.models import SearchTerm
from search.querylog import mask, prune, record


def test_phone_numbers_are_masked_however_they_are_split():
    for written in ("13800001234", "138 0000 1234", "138-0000-1234", "138.0000.1234"):
        assert mask(f"电话 {written} 查询") == "电话 ＊ 查询", written


def test_short_numbers_and_decimals_stay():
    assert mask("12345 热线") == "12345 热线"
    assert mask("收费 1.5 元") == "收费 1.5 元"


class SearchLogBounds(TestCase):
    """The log cannot grow without end: old terms go, and beyond the cap the least searched go first."""

    def term(self, query, count=1, days_ago=0):
        term = SearchTerm.objects.create(query=query, count=count)
        SearchTerm.objects.filter(pk=term.pk).update(last_searched_at=timezone.now() - timedelta(days=days_ago))
        return term

    @override_settings(YIMEN_SEARCH_LOG_MAX_DAYS=30, YIMEN_SEARCH_LOG_MAX_ROWS=3)
    def test_prune_drops_stale_terms_then_the_least_searched_beyond_the_cap(self):
        self.term("去年的词", count=50, days_ago=31)
        self.term("低保", count=40)
        self.term("户口", count=9, days_ago=29)
        self.term("社保", count=2)
        self.term("随机一", count=1)
        self.term("随机二", count=1, days_ago=1)
        pruned = prune()
        self.assertEqual((pruned.old, pruned.excess, pruned.kept), (1, 2, 3))
        self.assertEqual(set(SearchTerm.objects.values_list("query", flat=True)), {"低保", "户口", "社保"})

    @override_settings(YIMEN_SEARCH_LOG_MAX_ROWS=3, YIMEN_SEARCH_LOG_PRUNE_EVERY=5)
    def test_a_flood_of_made_up_searches_stays_bounded(self):
        for _ in range(3):
            record("低保", 4)
        for _ in range(40):
            record(f"随机{uuid.uuid4().hex[:12]}", 0)
            self.assertLessEqual(SearchTerm.objects.count(), 3 + 5)
        self.assertTrue(SearchTerm.objects.filter(query="低保", count=3).exists())

    @override_settings(YIMEN_SEARCH_LOG_MAX_DAYS=30)
    def test_prune_search_log_command(self):
        self.term("去年的词", days_ago=400)
        self.term("低保", count=5)
        self.term("社保", count=1)
        out = StringIO()
        call_command("prune_search_log", "--max-rows", "1", stdout=out)
        self.assertIn("删除 1 条长期未再搜索的记录、1 条超出上限的记录，保留 1 条", out.getvalue())
        self.assertEqual(list(SearchTerm.objects.values_list("query", flat=True)), ["低保"])
        with self.assertRaisesMessage(CommandError, "--days 至少为 1"):
            call_command("prune_search_log", "--days", "0")

"""The search log: personal numbers masked in every way people write them, and its size bounded."""

import uuid
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import TestCase, override_settings
from django.utils import timezone

from search.models import SearchTerm
from search.querylog import mask, outcome_of, prune, record, record_open


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


class SearchOutcomes(TestCase):
    """What each search showed is kept: results, nothing, results after dropping words, or 不在本中心."""

    def test_record_counts_each_outcome_and_keeps_the_last(self):
        record("低保", 4)
        record("护照", 0, outcome="elsewhere")
        record("护照", 2, outcome="elsewhere")
        record("八十五岁老母亲高龄补贴", 1, outcome="relaxed")
        record("无人机", 0, outcome="none")
        rows = {
            t.query: (t.count, t.last_outcome, t.elsewhere_count, t.relaxed_count, t.zero_result_count, t.found_nothing)
            for t in SearchTerm.objects.all()
        }
        self.assertEqual(
            rows,
            {
                "低保": (1, "results", 0, 0, 0, False),
                "护照": (2, "elsewhere", 2, 0, 1, False),
                "八十五岁老母亲高龄补贴": (1, "relaxed", 0, 1, 0, False),
                "无人机": (1, "none", 0, 0, 1, True),
            },
        )
        record("护照", 0)  # no outcome given: from the count
        self.assertEqual(SearchTerm.objects.get(query="护照").last_outcome, "none")

    def test_the_engine_says_what_was_shown(self):
        def outcome(total, elsewhere=(), relaxed=()):
            return SimpleNamespace(total=total, elsewhere=list(elsewhere), relaxed=list(relaxed))

        self.assertEqual(outcome_of(outcome(3)), "results")
        self.assertEqual(outcome_of(outcome(0)), "none")
        self.assertEqual(outcome_of(outcome(2, relaxed=["高龄"])), "relaxed")
        self.assertEqual(outcome_of(outcome(2, elsewhere=["公证"], relaxed=["高龄"])), "elsewhere")
        self.assertEqual(outcome_of(outcome(0, elsewhere=["公证"])), "elsewhere")

    def test_opens_are_counted_masked_and_never_create_a_term(self):
        record("电话 13800001234 低保", 2)
        record_open("电话 138-0000-1234 低保")
        record_open("从未搜索过")
        self.assertEqual(SearchTerm.objects.get(query="电话 ＊ 低保").opened_count, 1)
        self.assertFalse(SearchTerm.objects.filter(query="从未搜索过").exists())

    def test_a_logging_failure_never_breaks_the_search(self):
        with mock.patch.object(SearchTerm.objects, "filter", side_effect=DatabaseError("down")):
            record("低保", 1, outcome="elsewhere")
            record_open("低保")

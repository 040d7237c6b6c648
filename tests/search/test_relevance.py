"""The relevance set over both catalogs, both halves, on each backend.

Each catalog is imported in turn (with the services its county handles elsewhere), scored, then rolled
back and its index cleared, so the demo's queries never meet the second county's guides.
"""

import io
from unittest import expectedFailure, skipUnless

from django.core.management import call_command
from django.db import connection, transaction
from django.test import SimpleTestCase, TestCase

from exports.catalog.importer import import_file
from search import relevance
from search.backends import get_backend
from search.elsewhere import load_entries
from tests.search.catalog import IndexIsolation

# What issue 14 asks of the test half, not yet reached (README, Search). MEASURED are floors just under
# what the test half scored on 2026-12-04 after the context words and the first-and-last-character
# abbreviations (Whoosh: MRR 0.822, recall@5 0.906, weakest kind 0.68, gap 0.115; PostgreSQL: 0.828,
# 0.911, 0.65, 0.095), so a change that makes search worse fails; raise them as search improves, never
# lower them to pass.
TARGET = {"mrr": 0.95, "recall": 0.98, "kind": 0.90, "gap": 0.03}
MEASURED = {"mrr": 0.82, "recall": 0.90, "kind": 0.60, "gap": 0.12}
NEVER_EMPTY = ("out-of-scope", "relaxation")


def judge_all():
    """{catalog: [Judgement]} over both halves, each catalog alone in the database and the index."""
    judged = {}
    for catalog, (path, elsewhere) in relevance.CATALOGS.items():
        with transaction.atomic():
            point = transaction.savepoint()
            with TestCase.captureOnCommitCallbacks(execute=True):
                import_file(path)
            load_entries(elsewhere)
            _mrr, _recall, judged[catalog] = relevance.evaluate(relevance.load("all", catalog=catalog))
            transaction.savepoint_rollback(point)
        get_backend().clear()
    return judged


class RelevanceSet(IndexIsolation):
    @classmethod
    def setUpTestData(cls):
        judged = judge_all()
        everything = [j for judgements in judged.values() for j in judgements]
        test_queries = {(q["catalog"], q["query"]) for q in relevance.load("test")}
        cls.test = [j for j in everything if (j.catalog, j.query) in test_queries]
        cls.tuning = [j for j in everything if (j.catalog, j.query) not in test_queries]

    def test_the_test_half_meets_the_floors(self):
        figures = relevance.figures_of(self.test)
        self.assertGreaterEqual(figures.mrr, MEASURED["mrr"])
        self.assertGreaterEqual(figures.recall, MEASURED["recall"])
        for kind, (_count, mrr) in figures.by_kind.items():
            self.assertGreaterEqual(mrr, MEASURED["kind"], kind)

    @expectedFailure  # not reached yet: when it passes, the suite fails until this marker goes
    def test_the_test_half_meets_the_targets_of_the_issue(self):
        figures = relevance.figures_of(self.test)
        gap = relevance.figures_of(self.tuning).mrr - figures.mrr
        self.assertGreaterEqual(figures.mrr, TARGET["mrr"])
        self.assertGreaterEqual(figures.recall, TARGET["recall"])
        self.assertGreaterEqual(min(mrr for _count, mrr in figures.by_kind.values()), TARGET["kind"])
        self.assertLessEqual(gap, TARGET["gap"])

    def test_the_tuning_half_is_not_far_above_the_test_half(self):
        gap = relevance.figures_of(self.tuning).mrr - relevance.figures_of(self.test).mrr
        self.assertLessEqual(gap, MEASURED["gap"])

    def test_out_of_scope_and_relaxed_queries_never_answer_nothing(self):
        empty = [j.query for j in self.test + self.tuning if j.kind in NEVER_EMPTY and j.total == 0]
        self.assertEqual(empty, [])


class WhooshRelevanceTests(RelevanceSet, TestCase):
    backend_name = "whoosh"


@skipUnless(connection.vendor == "postgresql", "PostgreSQL 全文检索后端只在 PostgreSQL 上测试")
class PostgresRelevanceTests(RelevanceSet, TestCase):
    backend_name = "postgres"


class TheSetItself(SimpleTestCase):
    def test_it_is_large_and_every_query_sits_in_the_half_its_hash_gives(self):
        everything = relevance.load("all")
        self.assertGreaterEqual(len(everything), 300)
        self.assertGreaterEqual(len(relevance.load("test")), 150)
        for half in relevance.HALVES:
            for entry in relevance.load(half):
                self.assertEqual(relevance.half_of(entry), half, entry["query"])
                self.assertIn(entry["kind"], relevance.KINDS, entry["query"])
                self.assertTrue(entry["expected"], entry["query"])

    def test_both_catalogs_and_every_kind_are_in_the_test_half(self):
        test = relevance.load("test")
        self.assertEqual({q["catalog"] for q in test}, set(relevance.CATALOGS))
        self.assertEqual({q["kind"] for q in test}, set(relevance.KINDS))


class CommandTests(IndexIsolation, TestCase):
    backend_name = "whoosh"

    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            import_file(relevance.CATALOGS["demo"][0])

    def test_prints_both_halves_and_refuses_to_show_the_test_half_misses(self):
        out = io.StringIO()
        call_command("search_relevance", "--half", "test", stdout=out)
        self.assertRegex(out.getvalue(), r"检验集.*MRR = [01]\.\d{3}，recall@5 = [01]\.\d{3}")
        with self.assertRaisesMessage(Exception, "检验集"):
            call_command("search_relevance", "--half", "test", "--verbose-misses", stdout=io.StringIO())
        out = io.StringIO()
        call_command("search_relevance", "--half", "tuning", "--verbose-misses", stdout=out)
        self.assertIn("调优集", out.getvalue())

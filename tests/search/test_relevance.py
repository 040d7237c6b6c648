"""The relevance set over the demo catalog: one of the few tests that imports the demo data (once per class)."""

import io
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from exports.catalog.importer import import_file
from search.relevance import evaluate, load
from tests.search.catalog import IndexIsolation

TARGET_MRR = 0.85


class RelevanceSet(IndexIsolation):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            import_file(Path(settings.BASE_DIR) / "demo" / "sample-catalog.json")

    def test_the_set_is_realistic_and_large_enough(self):
        queries = load()
        self.assertGreaterEqual(len(queries), 40)
        self.assertTrue(all(q["expected"] for q in queries))

    def test_mrr_and_recall_meet_the_target(self):
        mrr, recall, judgements = evaluate()
        misses = [(j.query, j.expected, j.found[:5]) for j in judgements if j.rank == 0]
        self.assertGreaterEqual(mrr, TARGET_MRR, misses)
        self.assertGreaterEqual(recall, 0.9, misses)

    def test_command_prints_the_figures(self):
        out = io.StringIO()
        call_command("search_relevance", "--half", "tuning", "--min-mrr", str(TARGET_MRR), stdout=out)
        self.assertRegex(out.getvalue(), r"MRR = [01]\.\d{3}，recall@5 = [01]\.\d{3}")


class WhooshRelevanceTests(RelevanceSet, TestCase):
    backend_name = "whoosh"


@skipUnless(connection.vendor == "postgresql", "PostgreSQL 全文检索后端只在 PostgreSQL 上测试")
class PostgresRelevanceTests(RelevanceSet, TestCase):
    backend_name = "postgres"

"""The index follows the content: publish, unpublish, move, delete, bulk import, and an atomic rebuild."""

import io
import re
from pathlib import Path
from unittest import skipUnless

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from wagtail.models import Page, PageViewRestriction

from content.signals import catalog_imported
from search import engine, indexing, opens
from tests.factories import ServicePageFactory, ViewRestrictionFactory, site_structure
from tests.search.catalog import IndexIsolation, build_guides, publish


def found(raw):
    return [(item.code, item.url) for item in engine.run_search(raw, log=False).items]


class IndexFollowsContent(IndexIsolation):
    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            cls.hall, cls.pages = build_guides(cls)

    def new_guide(self, **kwargs):
        return ServicePageFactory(
            code="NEW-0001", slug="new-0001", title="犬只登记", keywords="养狗登记\n狗证", **kwargs
        )

    def test_publishing_adds_the_page_at_once(self):
        with self.captureOnCommitCallbacks(execute=True):
            page = self.new_guide()
        self.assertEqual(found("狗证"), [])  # created, never published through Wagtail: not announced yet
        with self.captureOnCommitCallbacks(execute=True):
            publish(page)
        self.assertEqual(found("狗证")[0][0], "NEW-0001")

    def test_republishing_replaces_the_old_text(self):
        page = self.pages["LY-0002"]
        page.keywords = "领证\n扯结婚证"
        page.title = "内地居民结婚登记"
        with self.captureOnCommitCallbacks(execute=True):
            publish(page)
        self.assertEqual(engine.run_search("内地居民", log=False).items[0].name, "内地居民结婚登记")
        self.assertEqual([c for c, _ in found("结婚登记")].count("LY-0002"), 1)

    def test_unpublishing_removes_the_page_and_its_faq(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.pages["LY-SD-0001"].unpublish()
        self.assertNotIn("LY-SD-0001", [c for c, _ in found("低保")])
        self.assertEqual(found("小汽车"), [])

    def test_deleting_removes_the_page(self):
        with self.captureOnCommitCallbacks(execute=True):
            Page.objects.get(pk=self.pages["LY-SD-0046"].pk).delete()
        self.assertNotIn("LY-SD-0046", [c for c, _ in found("身份证补领")])

    def test_moving_updates_the_address(self):
        _home, catalog, _halls = site_structure()
        target = catalog.add_child(instance=Page(title="户籍", slug="huji"))
        page = Page.objects.get(pk=self.pages["LY-SD-0043"].pk)
        with self.captureOnCommitCallbacks(execute=True):
            page.move(target, pos="last-child")
        code, url = found("户口迁移")[0]
        self.assertEqual((code, url), ("LY-SD-0043", "/services/huji/ly-sd-0043/"))

    def test_bulk_import_signal_indexes_every_page_in_one_batch(self):
        pages = [
            ServicePageFactory(code=f"BULK-{n}", slug=f"bulk-{n}", title=f"批量导入事项{n}", keywords="批量测试")
            for n in range(3)
        ]
        writes = []
        original = self.backend.index

        def counting(documents, page_ids):
            writes.append(sorted(page_ids))
            return original(documents, page_ids)

        self.backend.index = counting
        try:
            with self.captureOnCommitCallbacks(execute=True):
                catalog_imported.send(sender=None, page_ids=[p.pk for p in pages])
                indexing.sync_pages([pages[0].pk])  # touched again in the same transaction: same batch
        finally:
            del self.backend.index
        self.assertEqual(writes, [sorted(p.pk for p in pages)])
        self.assertEqual(engine.run_search("批量测试", log=False).total, 3)

    def test_rebuild_command_reindexes_everything(self):
        self.backend.clear()
        self.assertEqual(found("结婚证"), [])
        out = io.StringIO()
        call_command("rebuild_search_index", "--no-progress", stdout=out)
        self.assertIn("9 个页面", out.getvalue())  # 8 guides and the hall
        self.assertEqual(found("结婚证")[0][0], "LY-0002")
        self.assertEqual(self.backend.indexed_page_ids(), {p.pk for p in self.pages.values()} | {self.hall.pk})


class WhooshIndexingTests(IndexFollowsContent, TestCase):
    backend_name = "whoosh"

    def test_rebuild_is_atomic_and_searches_keep_working(self):
        """During a rebuild the old index answers; the new one replaces it in one rename."""
        live_before = Path(self.backend.link).resolve()
        answers = []

        def search_during_rebuild(page_id):
            answers.append(engine.run_search("结婚证", log=False).items[0].code)
            self.assertEqual(Path(self.backend.link).resolve(), live_before)

        with self.captureOnCommitCallbacks(execute=True):
            # Published while the rebuild runs: the catch-up before the swap must keep it.
            late = ServicePageFactory(code="LATE-1", slug="late-1", title="重建期间发布的事项", keywords="晚到事项")
        original_progress = search_during_rebuild

        def progress(document):
            original_progress(document.page_id)
            if len(answers) == 1:
                publish(late)

        indexing.rebuild(progress=progress)
        self.assertTrue(answers)
        self.assertEqual(set(answers), {"LY-0002"})
        live_after = Path(self.backend.link).resolve()
        self.assertNotEqual(live_after, live_before)
        self.assertEqual(found("晚到事项")[0][0], "LATE-1")
        # The directory before the previous one is removed; the previous one stays for slow readers.
        self.assertLessEqual(len(list(self.backend.root.glob("index-*"))), 2)


@skipUnless(connection.vendor == "postgresql", "PostgreSQL 全文检索后端只在 PostgreSQL 上测试")
class PostgresIndexingTests(IndexFollowsContent, TestCase):
    backend_name = "postgres"


class RestrictedPagesLeaveTheIndex(IndexIsolation):
    """A guide or hall under a view restriction is in no search result, suggestion or facet, and comes
    back the moment the restriction is lifted (search API and page included)."""

    @classmethod
    def setUpTestData(cls):
        with cls.captureOnCommitCallbacks(execute=True):
            cls.hall, cls.pages = build_guides(cls)

    def restrict(self, page, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return ViewRestrictionFactory(page=page, **kwargs)

    def lift(self, restriction):
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()

    def test_password_restricted_guide_and_its_faq_vanish_and_return(self):
        lock = self.restrict(self.pages["LY-SD-0001"])
        self.assertNotIn("LY-SD-0001", [c for c, _ in found("低保")])
        self.assertEqual(found("小汽车"), [])
        self.assertNotIn("最低生活保障审核确认", [s["name"] for s in engine.suggest("最低生活")])
        api = self.client.get("/api/v1/search", {"q": "低保"}).json()
        self.assertNotIn("LY-SD-0001", [r["code"] for r in api["results"]])
        self.assertNotContains(self.client.get("/search/", {"q": "低保"}), "最低生活保障审核确认")
        self.lift(lock)
        self.assertEqual(found("小汽车")[0][0], "LY-SD-0001")
        self.assertIn(
            "LY-SD-0001", [r["code"] for r in self.client.get("/api/v1/search", {"q": "低保"}).json()["results"]]
        )

    def test_group_restricted_hall_vanishes_from_results_and_facets(self):
        lock = self.restrict(self.hall, restriction_type=PageViewRestriction.GROUPS)
        self.assertNotIn("hall", [item.kind for item in engine.run_search("三都镇政务服务中心", log=False).items])
        facets = {f.name: [o.value for o in f.options] for f in engine.run_search("低保", log=False).facets}
        self.assertNotIn("LY-SD", facets.get("hall", []))
        self.assertNotContains(self.client.get("/search/", {"q": "低保"}), "耒阳市三都镇政务服务中心")
        self.lift(lock)
        facets = {f.name: [o.value for o in f.options] for f in engine.run_search("低保", log=False).facets}
        self.assertIn("LY-SD", facets["hall"])

    def test_rebuild_leaves_restricted_pages_out(self):
        PageViewRestriction.objects.bulk_create(
            [PageViewRestriction(page=self.pages["LY-0002"], restriction_type="login")]
        )
        indexing.rebuild()
        self.assertNotIn("LY-0002", [c for c, _ in found("结婚登记")])


class WhooshRestrictionTests(RestrictedPagesLeaveTheIndex, TestCase):
    backend_name = "whoosh"


@skipUnless(connection.vendor == "postgresql", "PostgreSQL 全文检索后端只在 PostgreSQL 上测试")
class PostgresRestrictionTests(RestrictedPagesLeaveTheIndex, TestCase):
    backend_name = "postgres"


class RulesAndNoticesAreSearchable(IndexIsolation):
    """上墙制度 and 通知公告 are found by their text, labelled as such, and leave the index like any page."""

    @classmethod
    def setUpTestData(cls):
        from tests.transparency.pages import transparency_pages

        with cls.captureOnCommitCallbacks(execute=True):
            cls.pages = transparency_pages()

    def hits(self, raw):
        return [(item.kind, item.url) for item in engine.run_search(raw, log=False).items]

    def test_a_rule_is_found_by_its_body(self):
        self.assertIn(("rule", self.pages["rule"].url), self.hits("负责到底"))

    def test_a_notice_is_found_by_its_body_and_shown_as_a_notice(self):
        self.assertIn(("notice", self.pages["notice"].url), self.hits("正常上班"))
        html = self.client.get("/search/", {"q": "国庆节放假"}).content.decode()
        tokens = re.findall(r'href="/search/go/([^/"]+)/"', html)  # through the redirect that counts opens
        self.assertIn(self.pages["notice"].url, [opens.read(token).url for token in tokens])
        self.assertIn('<span class="result__kind">通知公告</span>', html)
        self.assertNotIn("<b>", html[html.index("result-list") :])  # rich text is indexed as plain text

    def test_unpublishing_or_restricting_a_notice_removes_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            lock = ViewRestrictionFactory(page=self.pages["notices"])
        self.assertEqual(self.hits("正常上班"), [])
        with self.captureOnCommitCallbacks(execute=True):
            lock.delete()
            self.pages["notice"].unpublish()
        self.assertEqual(self.hits("正常上班"), [])


class WhooshRulesAndNoticesTests(RulesAndNoticesAreSearchable, TestCase):
    backend_name = "whoosh"


@skipUnless(connection.vendor == "postgresql", "PostgreSQL 全文检索后端只在 PostgreSQL 上测试")
class PostgresRulesAndNoticesTests(RulesAndNoticesAreSearchable, TestCase):
    backend_name = "postgres"

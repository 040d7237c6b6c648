"""The shared page cache: anonymous public pages are served from it, per variant, with working CSRF forms,
and any published change, deletion or catalog import makes every cached page stale."""

import re
import uuid

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, TestCase, override_settings

from content.filters import ServiceFilter
from content.signals import catalog_imported
from operations.pagecache import HEADER, PLACEHOLDER
from tests.factories import ServicePageFactory, site_structure

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VIEW_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@override_settings(YIMEN_PAGE_CACHE=True)
class PageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Changes commit (and so invalidate) only inside these blocks in a TestCase.
        with cls.captureOnCommitCallbacks(execute=True):
            site_structure()
            cls.guide = ServicePageFactory(title="最低生活保障申请", slug="dibao", code="LY-SD-0001")
            cls.guide.save_revision().publish()
            cls.url = cls.guide.get_url()
            # The first visit creates the site settings row; its invalidation runs here, not in a test.
            Client().get(cls.url)

    def setUp(self):
        caches[settings.YIMEN_PAGE_CACHE_ALIAS].clear()

    def get(self, client=None, **kwargs):
        return (client or Client()).get(self.url, **kwargs)

    def test_second_anonymous_visit_is_served_from_the_cache(self):
        first, second = self.get(), self.get()
        self.assertEqual((first.status_code, first[HEADER]), (200, "miss"))
        self.assertEqual((second.status_code, second[HEADER]), (200, "hit"))
        self.assertIn("最低生活保障申请", second.content.decode())
        self.assertNotIn(PLACEHOLDER, second.content.decode())
        self.assertIn("Cookie", second["Vary"])

    def test_each_visitor_gets_a_csrf_token_of_their_own_that_the_rating_form_accepts(self):
        self.get()  # stores the page
        visitor = Client(enforce_csrf_checks=True)
        response = self.get(visitor)
        self.assertEqual(response[HEADER], "hit")
        secret = response.cookies["csrftoken"].value
        tokens = CSRF.findall(response.content.decode())
        self.assertTrue(tokens)
        for token in tokens:
            self.assertEqual(_unmask_cipher_token(token), secret)
        view_token = VIEW_TOKEN.search(response.content.decode()).group(1)
        posted = visitor.post("/ratings/", {"csrfmiddlewaretoken": tokens[0], "token": view_token, "score": "5"})
        self.assertEqual(posted.status_code, 302)  # accepted, not refused for CSRF or as a repeated rating

    def test_every_cached_answer_carries_a_rating_token_of_its_own(self):
        self.get()
        first, second = (VIEW_TOKEN.search(self.get().content.decode()).group(1) for _ in range(2))
        self.assertNotEqual(first, second)
        for token in (first, second):
            self.assertEqual(Client().post("/ratings/", {"token": token, "score": "4"}).status_code, 302)

    def test_elder_mode_cookie_is_a_separate_variant(self):
        self.get()
        elder = Client()
        elder.cookies["yimen_elder"] = "1"
        self.assertEqual(self.get(elder)[HEADER], "miss")
        self.assertEqual(self.get(elder)[HEADER], "hit")
        self.assertEqual(self.get()[HEADER], "hit")

    def test_made_up_elder_cookie_values_share_the_plain_entry(self):
        self.get()
        for value in ("0", "2", "x" * 40, "1; drop", "yes"):
            other = Client()
            other.cookies["yimen_elder"] = value
            response = self.get(other)
            self.assertEqual(response[HEADER], "hit", value)
            self.assertNotIn('class="elder-mode', response.content.decode()[:500])

    def test_made_up_query_parameters_share_the_entry_of_the_clean_address(self):
        marker = "诈骗电话"
        headers = [self.get(data={"utm": f"{marker}{uuid.uuid4().hex}"})[HEADER] for _ in range(50)]
        self.assertEqual(headers, ["miss"] + ["hit"] * 49)
        clean = self.get()
        self.assertEqual(clean[HEADER], "hit")
        # The page stored from /?utm=… is the page of the clean address: nothing the first visitor added
        # to the address (the header's elder-mode switch echoes the address) is served to others.
        self.assertNotIn(marker, clean.content.decode())
        self.assertNotIn("utm=", clean.content.decode())
        cache = caches[settings.YIMEN_PAGE_CACHE_ALIAS]
        pages = [key for key in cache._cache if ":pages:" in key and "generation" not in key]  # LocMemCache's store
        self.assertEqual(len(pages), 1)

    def test_parameters_a_page_reads_get_their_own_entry(self):
        self.get()
        second = self.get(data={"page": "2"})
        self.assertEqual(second[HEADER], "miss")
        self.assertEqual(self.get(data={"page": "2", "utm_source": "wechat"})[HEADER], "hit")
        rated = self.get(data={"rated": "1"})
        self.assertEqual(rated[HEADER], "miss")
        self.assertIn("感谢您的评价", rated.content.decode())
        self.assertNotIn("感谢您的评价", self.get().content.decode())

    def test_catalog_facets_are_kept_in_any_order_and_applied(self):
        catalog = self.guide.get_parent().url
        chosen = Client().get(catalog, {"audience": "法人", "utm": "x", "online": "1"})
        self.assertEqual(chosen[HEADER], "miss")
        self.assertIn("已选 2 项", chosen.content.decode())  # both filters applied
        self.assertNotIn("utm=", chosen.content.decode())  # nor echoed in the chips' and pages' links
        self.assertEqual(Client().get(f"{catalog}?online=1&audience=%E6%B3%95%E4%BA%BA")[HEADER], "hit")
        self.assertEqual(Client().get(catalog)[HEADER], "miss")
        # Every facet of the catalog is a parameter the cache keys on (else the filter would be dropped).
        self.assertLessEqual(set(ServiceFilter.base_filters), set(settings.YIMEN_PAGE_CACHE_QUERY_PARAMS))

    def test_the_page_cache_is_bounded_and_pushes_out_nothing_else(self):
        small = {
            **settings.CACHES,
            "pages": {**settings.CACHES["pages"], "LOCATION": "bounded", "OPTIONS": {"MAX_ENTRIES": 10}},
        }
        with self.settings(CACHES=small):
            caches["ratelimit"].set("a-client", 7, 600)
            caches["default"].set("a-marker", True, 600)
            for number in range(1, 31):
                self.get(data={"page": str(number)})
            self.assertLessEqual(len(caches["pages"]._cache), 10)  # LocMemCache's store
            self.assertEqual((caches["ratelimit"].get("a-client"), caches["default"].get("a-marker")), (7, True))
        self.assertNotEqual(settings.YIMEN_PAGE_CACHE_ALIAS, settings.RATELIMIT_USE_CACHE)
        self.assertNotEqual(settings.YIMEN_PAGE_CACHE_ALIAS, "default")

    def test_views_that_read_other_parameters_still_see_them(self):
        response = Client().get("/elder-mode/", {"on": "1", "next": self.url})
        self.assertEqual((response.status_code, response["Location"]), (303, self.url))

    def test_signed_in_users_and_sessions_bypass_the_cache(self):
        self.get()
        from django.contrib.auth.models import User

        staff = Client()
        staff.force_login(User.objects.create_superuser("editor", "e@example.cn", "pw"))
        response = self.get(staff)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(HEADER, response)

    def test_posts_forms_and_admin_are_never_cached(self):
        for path in ("/complaints/", "/admin/login/", "/healthz"):
            Client().get(path)
            self.assertNotIn(HEADER, Client().get(path), path)
        self.assertNotIn(HEADER, Client().post(self.url))

    def test_publishing_a_change_is_seen_at_once(self):
        self.get()
        with self.captureOnCommitCallbacks(execute=True):
            self.guide.title = "最低生活保障申请（新版）"
            self.guide.save_revision().publish()
        response = self.get()
        self.assertEqual(response[HEADER], "miss")
        self.assertIn("（新版）", response.content.decode())

    def test_unpublish_and_delete_make_the_page_disappear(self):
        self.get()
        with self.captureOnCommitCallbacks(execute=True):
            self.guide.unpublish()
        self.assertEqual(self.get().status_code, 404)
        with self.captureOnCommitCallbacks(execute=True):
            self.guide.save_revision().publish()
        self.get()
        with self.captureOnCommitCallbacks(execute=True):
            self.guide.delete()
        self.assertEqual(self.get().status_code, 404)

    def test_a_catalog_import_makes_cached_pages_stale(self):
        self.get()
        self.assertEqual(self.get()[HEADER], "hit")
        with self.captureOnCommitCallbacks(execute=True):
            catalog_imported.send(sender=None, page_ids=[self.guide.pk])
        self.assertEqual(self.get()[HEADER], "miss")

    def test_a_page_rendered_while_a_change_commits_is_never_served(self):
        from django.http import HttpResponse
        from django.test import RequestFactory

        from operations.pagecache import PageCacheMiddleware, bump_generation

        renders = []

        def view_during_a_publish(request):
            renders.append(1)
            bump_generation()  # an editor's publish commits while this page renders
            return HttpResponse("<p>旧内容</p>", content_type="text/html; charset=utf-8")

        middleware = PageCacheMiddleware(view_during_a_publish)
        for _ in range(2):
            middleware(RequestFactory().get("/services/x/"))
        self.assertEqual(len(renders), 2)  # the first render was stored under the old generation


@override_settings(YIMEN_PAGE_CACHE=False)
class PageCacheOffTests(TestCase):
    def test_without_a_shared_cache_nothing_is_cached(self):
        site_structure()
        self.assertNotIn(HEADER, Client().get("/"))

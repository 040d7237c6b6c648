"""The shared page cache: anonymous public pages are served from it, per variant, with working CSRF forms,
and any published change, deletion or catalog import makes every cached page stale."""

import re

from django.core.cache import caches
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, TestCase, override_settings

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
        caches["default"].clear()

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

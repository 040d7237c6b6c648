"""Opened results: result links go through a signed /search/go/ link that counts the open and leads to the
page; nothing but a local path is ever a target."""

import re
from unittest import mock

from django.core import signing
from django.test import TestCase, override_settings

from search import opens
from search.models import SearchTerm
from search.querylog import record
from tests.search.catalog import IndexedGuides


def token_of(link):
    return re.fullmatch(r"/search/go/([^/]+)/", link).group(1)


class OpenLinks(TestCase):
    @classmethod
    def setUpTestData(cls):
        record("低保", 3)

    def opened(self, query="低保"):
        return SearchTerm.objects.get(query=query).opened_count

    def test_a_link_counts_one_open_and_leads_to_the_page(self):
        link = opens.link("低保", "/services/ly-sd-0001/#faq-1")
        response = self.client.get(link)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/services/ly-sd-0001/#faq-1")
        self.client.get(link)
        self.assertEqual(self.opened(), 2)

    def test_an_open_never_adds_a_term_to_the_log(self):
        response = self.client.get(opens.link("从未记录的搜索", "/services/ly-sd-0001/"))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(SearchTerm.objects.filter(query="从未记录的搜索").exists())

    def test_targets_off_this_site_are_never_linked_nor_followed(self):
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", ""):
            with self.subTest(target=target):
                self.assertEqual(opens.link("低保", target), target)  # left as it is, never through /search/go/
                forged = opens._signer().sign_object({"q": "低保", "u": target}, serializer=opens._Serializer)
                response = self.client.get(f"/search/go/{forged}/")
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "这个链接无效", status_code=400)
        self.assertEqual(self.opened(), 0)

    def test_a_changed_token_counts_nothing_and_leads_only_to_a_local_path(self):
        link = opens.link("低保", "/services/ly-sd-0001/")
        payload, stamp, signature = token_of(link).split(":")
        bad_signature = f"{payload}:{stamp}:{signature[:-2]}xx"
        response = self.client.get(f"/search/go/{bad_signature}/")
        self.assertEqual((response.status_code, response["Location"]), (302, "/services/ly-sd-0001/"))
        outside = signing.b64_encode(b'{"q":"\xe4\xbd\x8e\xe4\xbf\x9d","u":"https://evil.example/"}').decode()
        self.assertEqual(self.client.get(f"/search/go/{outside}:{stamp}:{signature}/").status_code, 400)
        for garbage in ("x", "not-a-token", "." + payload + ":1:2", "a" * 3000):
            with self.subTest(garbage=garbage[:20]):
                self.assertEqual(self.client.get(f"/search/go/{garbage}/").status_code, 400)
        self.assertEqual(self.opened(), 0)

    def test_a_link_older_than_a_day_still_works_but_counts_nothing(self):
        link = opens.link("低保", "/services/ly-sd-0001/")
        with mock.patch("django.core.signing.time.time", return_value=signing.time.time() + opens.MAX_AGE + 60):
            response = self.client.get(link)
        self.assertEqual((response.status_code, response["Location"]), (302, "/services/ly-sd-0001/"))
        self.assertEqual(self.opened(), 0)

    @override_settings(YIMEN_SEARCH_OPEN_RATE="2/m")
    def test_opens_beyond_the_rate_lead_to_the_page_uncounted(self):
        link = opens.link("低保", "/services/ly-sd-0001/")
        statuses = [self.client.get(link).status_code for _ in range(4)]
        self.assertEqual(statuses, [302] * 4)
        self.assertEqual(self.opened(), 2)
        self.client.get(link, REMOTE_ADDR="10.0.0.9")
        self.assertEqual(self.opened(), 3)


class ResultLinksOnThePage(IndexedGuides):
    def test_every_result_links_through_the_counter_to_its_page(self):
        for elder in ("", "1"):
            self.client.cookies["yimen_elder"] = elder
            with self.subTest(elder=elder):
                response = self.client.get("/search/", {"q": "低保怎么申请"})
                items = response.context["outcome"].items
                self.assertTrue(items)
                html = response.content.decode()
                for item in items:
                    self.assertIn(f'href="{item.open_url}"', html)
                    self.assertNotIn(f'href="{item.url}"', html)
                    self.assertEqual(self.client.get(item.open_url)["Location"], item.url)
        term = SearchTerm.objects.get(query="低保怎么申请")
        self.assertEqual(term.opened_count, 2 * len(items))

    def test_opening_from_a_later_page_counts_for_the_search(self):
        with self.settings(YIMEN_SEARCH_RESULTS_PER_PAGE=2):
            self.client.get("/search/", {"q": "登记"})
            second = self.client.get("/search/", {"q": "登记", "page": "2"})
        self.client.get(second.context["outcome"].items[0].open_url)
        self.assertEqual(SearchTerm.objects.get(query="登记").count, 1)
        self.assertEqual(SearchTerm.objects.get(query="登记").opened_count, 1)

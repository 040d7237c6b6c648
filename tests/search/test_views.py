"""The results page, the JSON API (checked against its own OpenAPI description) and the search log."""

import json
import re
from pathlib import Path

from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver

import jsonschema

from open311 import views as open311_views
from search.models import SearchTerm
from search.querylog import mask
from tests.search.catalog import IndexedGuides

SPEC = json.loads((Path(__file__).resolve().parents[2] / "search" / "openapi.json").read_text(encoding="utf-8"))
# A NUL is refused before any view with a 400 (operations/nul.py, tests/operations/test_nul.py).
BAD_INPUT = ["", "   ", "x" * 2000, "？！。，", "AND (", "*", "title:", "低保 AND (", "name:*", "%", "' OR 1=1 --"]


def api_routes(patterns=None, prefix=""):
    """Every route under /api/v1/ in the URLconf, written as the OpenAPI document writes paths ({name} for a
    parameter); the description itself and the Open311 catch-all (a JSON 404 for anything else) are no routes."""
    routes = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes |= api_routes(pattern.url_patterns, route)
        elif route.startswith("api/v1/") and pattern.callback is not open311_views.not_found:
            routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return routes - {"/api/v1/openapi.json"}


def conforms(payload, schema_name):
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]}
    jsonschema.validate(payload, schema)


class SearchViews(IndexedGuides):
    def test_results_page_highlights_facets_and_links(self):
        response = self.client.get("/search/", {"q": "低保怎么申请"})
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "search/search.html")
        html = response.content.decode()
        link = re.search(r'class="service-card__title"><a href="([^"]+)"', html).group(1)
        self.assertTrue(link.startswith("/search/go/"), link)  # through the counter of opened results
        self.assertEqual(self.client.get(link)["Location"], "/services/ly-sd-0001/")
        self.assertIn("<mark>低保</mark>", html)
        self.assertIn("最低生活保障", html)  # the synonym it also looked for is named
        self.assertIn("facet__option", html)
        self.assertIn('name="robots" content="noindex, follow"', html)

    def test_facet_link_narrows_and_chip_removes(self):
        response = self.client.get("/search/", {"q": "户口", "topic": "生育收养"})
        outcome = response.context["outcome"]
        self.assertEqual([i.code for i in outcome.items], ["LY-SD-0042"])
        chip = response.context["chips"][0]
        self.assertEqual(chip.label, "生育收养")
        self.assertNotIn("topic=", chip.remove_url)
        self.assertGreater(self.client.get("/search/" + chip.remove_url).context["outcome"].total, 1)

    def test_pagination(self):
        with self.settings(YIMEN_SEARCH_RESULTS_PER_PAGE=2):
            first = self.client.get("/search/", {"q": "登记"})
            second = self.client.get("/search/", {"q": "登记", "page": "2"})
            past_end = self.client.get("/search/", {"q": "登记", "page": "99"})
        self.assertGreater(first.context["page_obj"].paginator.num_pages, 1)
        self.assertEqual(second.context["page_obj"].number, 2)
        self.assertEqual(past_end.context["page_obj"].number, past_end.context["page_obj"].paginator.num_pages)
        self.assertTrue(past_end.context["page_obj"].object_list)
        self.assertIn('rel="next"', first.content.decode())

    def test_did_you_mean_on_the_page(self):
        html = self.client.get("/search/", {"q": "jiehundenjj"}).content.decode()
        self.assertIn("您是不是要找", html)
        self.assertIn("q=%E7%BB%93%E5%A9%9A%E7%99%BB%E8%AE%B0", html)  # q=结婚登记

    def test_bad_input_gives_a_normal_page(self):
        for raw in BAD_INPUT:
            response = self.client.get("/search/", {"q": raw})
            self.assertEqual(response.status_code, 200, repr(raw))
        self.assertContains(self.client.get("/search/", {"q": "x" * 2000}), "不能超过 100 个字")
        self.assertContains(self.client.get("/search/", {"q": ""}), "请输入要办的事")
        self.assertContains(self.client.get("/search/", {"q": "？！。，"}), "没有可以查找的文字")
        self.assertContains(self.client.get("/search/", {"q": "怎么办理"}), "请再具体一点")
        self.assertEqual(self.client.get("/search/", {"q": "低保", "page": "abc", "topic": "x" * 500}).status_code, 200)

    def test_api_search_matches_the_description(self):
        response = self.client.get("/api/v1/search", {"q": "孩子上户口"})
        self.assertEqual(response.status_code, 200)
        payload = response.json()
        conforms(payload, "SearchResponse")
        self.assertEqual(payload["query"], "孩子上户口")
        first = payload["results"][0]
        self.assertEqual((first["code"], first["name"]), ("LY-SD-0042", "出生登记"))
        self.assertEqual(first["url"], "http://testserver/services/ly-sd-0042/")
        self.assertGreater(first["score"], 0)

    def test_api_pages_and_errors(self):
        with self.settings(YIMEN_SEARCH_RESULTS_PER_PAGE=2):
            second = self.client.get("/api/v1/search", {"q": "登记", "page": "2"}).json()
        conforms(second, "SearchResponse")
        self.assertEqual(second["page"], 2)
        for params in (
            {},
            {"q": ""},
            {"q": "   "},
            {"q": "x" * 101},
            {"q": "低保", "page": "0"},
            {"q": "低保", "page": "101"},
            {"q": "低保", "page": "1.5"},
            {"q": "低保", "page": "²"},
            {"q": "低保", "page": "٢"},
            {"q": "低保", "page": "9" * 30},
            {"q": "低保", "page": " 2"},
        ):
            response = self.client.get("/api/v1/search", params)
            self.assertEqual(response.status_code, 400, params)
            conforms(response.json(), "Error")
        post = self.client.post("/api/v1/search?q=低保")
        self.assertEqual(post.status_code, 405)
        conforms(post.json(), "Error")

    def test_api_answers_other_methods_with_json_405_even_with_csrf_checks(self):
        """Found by schemathesis: the CSRF middleware answered POST, PUT, QUERY… with an HTML 403."""
        client = Client(enforce_csrf_checks=True)
        for path in ("/api/v1/search?q=低保", "/api/v1/suggest?q=低保", "/api/v1/openapi.json"):
            for method in ("POST", "PUT", "PATCH", "DELETE", "QUERY"):
                response = client.generic(method, path)
                self.assertEqual(response.status_code, 405, (method, path))
                self.assertEqual(response["Allow"], "GET, HEAD")
                conforms(response.json(), "Error")

    def test_api_bad_query_text_is_not_an_error(self):
        for raw in BAD_INPUT[3:]:
            response = self.client.get("/api/v1/search", {"q": raw})
            self.assertEqual(response.status_code, 200, repr(raw))
            conforms(response.json(), "SearchResponse")
        self.assertIn("没有可以查找的文字", self.client.get("/api/v1/search", {"q": "*"}).json()["message"])

    @override_settings(YIMEN_SEARCH_API_RATE="3/m")
    def test_api_rate_limit_per_client(self):
        statuses = [self.client.get("/api/v1/search", {"q": "低保"}).status_code for _ in range(4)]
        self.assertEqual(statuses, [200, 200, 200, 429])
        limited = self.client.get("/api/v1/search", {"q": "低保"})
        conforms(limited.json(), "Error")
        self.assertGreaterEqual(int(limited["Retry-After"]), 1)
        other_client = self.client.get("/api/v1/search", {"q": "低保"}, REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other_client.status_code, 200)

    @override_settings(YIMEN_SEARCH_API_RATE="3/m")
    def test_results_page_shares_the_api_limit(self):
        statuses = [self.client.get("/api/v1/search", {"q": "低保"}).status_code for _ in range(3)]
        self.assertEqual(statuses, [200, 200, 200])
        page = self.client.get("/search/", {"q": "低保怎么申请"})
        self.assertEqual(page.status_code, 429)
        self.assertGreaterEqual(int(page["Retry-After"]), 1)
        html = page.content.decode()
        self.assertIn("搜索过于频繁，请", html)
        self.assertIn('value="低保怎么申请"', html)  # what they typed stays in the box
        self.assertIsNone(page.context["page_obj"])
        self.assertFalse(
            SearchTerm.objects.filter(query__contains="低保怎么").exists()
        )  # a refused search is not logged
        self.assertEqual(self.client.get("/search/").status_code, 200)  # the empty box is no search
        self.assertEqual(self.client.get("/search/", {"q": "低保"}, REMOTE_ADDR="10.0.0.9").status_code, 200)

    @override_settings(YIMEN_SEARCH_API_RATE="2/m")
    def test_results_page_searches_count_against_the_api(self):
        for _ in range(2):
            self.assertEqual(self.client.get("/search/", {"q": "低保"}).status_code, 200)
        self.assertEqual(self.client.get("/api/v1/search", {"q": "低保"}).status_code, 429)

    def test_suggest_api(self):
        payload = self.client.get("/api/v1/suggest", {"q": "上户"}).json()
        conforms(payload, "SuggestResponse")
        self.assertEqual(payload["suggestions"][0]["code"], "LY-SD-0042")
        self.assertEqual(self.client.get("/api/v1/suggest", {"q": ""}).json()["suggestions"], [])
        self.assertEqual(self.client.get("/api/v1/suggest", {"q": "x" * 101}).status_code, 400)

    def test_openapi_is_served_and_names_every_route(self):
        spec = self.client.get("/api/v1/openapi.json").json()
        self.assertEqual(set(spec["paths"]), api_routes())
        self.assertLessEqual({"/api/v1/search", "/api/v1/suggest", "/api/v1/open311/requests.json"}, set(spec["paths"]))
        q = spec["paths"]["/api/v1/search"]["get"]["parameters"][0]
        self.assertEqual((q["schema"]["maxLength"], q["required"]), (100, True))
        self.assertEqual(set(spec["paths"]["/api/v1/search"]["get"]["responses"]), {"200", "400", "405", "429"})
        schemas = spec["components"]["schemas"]
        self.assertIn("elsewhere", schemas["SearchResponse"]["required"])
        self.assertEqual(
            schemas["SearchResponse"]["properties"]["elsewhere"]["items"],
            {"$ref": "#/components/schemas/ElsewhereService"},
        )
        self.assertEqual(
            set(schemas["ElsewhereService"]["required"]), {"name", "where", "address", "phone", "hours", "url", "note"}
        )

    def test_search_box_is_an_accessible_combobox(self):
        html = self.client.get("/search/", {"q": "低保"}).content.decode()
        self.assertIn('role="combobox"', html)
        self.assertIn('aria-expanded="false"', html)
        self.assertIn('aria-controls="page-suggestions"', html)
        self.assertIn("search/suggest.js", html)

    def test_searches_are_counted_and_fruitless_ones_flagged(self):
        self.client.get("/search/", {"q": "低保怎么申请"})
        self.client.get("/api/v1/search", {"q": "低保怎么申请"})
        self.client.get("/search/", {"q": "低保怎么申请", "page": "2"})  # paging is not a new search
        self.client.get("/search/", {"q": "无人机驾照"})
        term = SearchTerm.objects.get(query="低保怎么申请")
        self.assertEqual((term.count, term.found_nothing), (2, False))
        self.assertTrue(SearchTerm.objects.get(query="无人机驾照").found_nothing)

    def test_personal_numbers_are_masked_in_the_log(self):
        self.client.get("/search/", {"q": "43048119900101123X 身份证"})
        self.assertTrue(SearchTerm.objects.filter(query="＊ 身份证").exists())
        self.assertEqual(mask("电话 0734-1234567 补办"), "电话 ＊ 补办")
        self.assertEqual(mask("12345 热线"), "12345 热线")

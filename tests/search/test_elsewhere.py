"""Services handled elsewhere (不在本中心办理): which queries ask for them, how editors keep them, and how
the results page and the API lead with where to go instead."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import TestCase

import pytest

from search import elsewhere, text
from search.elsewhere import load_entries, matching
from search.models import ElsewhereService, SearchTerm
from tests.factories import ElsewhereServiceFactory
from tests.search.catalog import IndexedGuides
from tests.search.test_views import conforms

DEMO_ELSEWHERE = Path(settings.BASE_DIR) / "demo" / "elsewhere.json"
PASSPORTS = "出入境证件（护照、港澳台通行证）"


def names(query):
    return [service.name for service in matching(text.normalize(query))]


class MatchingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        ElsewhereServiceFactory(name=PASSPORTS, terms=["护照", "港澳通行证", "往来港澳", "出入境"])
        ElsewhereServiceFactory(name="住房公积金", terms=["公积金", "住房公积金"])
        ElsewhereServiceFactory(name="公证", terms=["公证", "公证书"])
        ElsewhereServiceFactory(name="机动车驾驶证和机动车登记", terms=["驾照", "驾驶证"])
        ElsewhereServiceFactory(name="税务（发票、纳税申报）", terms=["开发票", "个税"])
        ElsewhereServiceFactory(name="停用的事项", terms=["停用说法"], live=False)

    def test_a_popular_name_in_the_query_matches(self):
        self.assertEqual(names("办护照要带什么"), [PASSPORTS])
        self.assertEqual(names("怎么取公积金"), ["住房公积金"])
        self.assertEqual(names("住房公积金"), ["住房公积金"])
        self.assertEqual(names("税务（发票、纳税申报）"), ["税务（发票、纳税申报）"])  # the name itself

    def test_traditional_and_full_width_characters_match(self):
        self.assertEqual(names("辦護照"), [PASSPORTS])
        self.assertEqual(names("駕照到期了"), ["机动车驾驶证和机动车登记"])

    def test_pinyin_with_or_without_spaces_matches(self):
        for typed in ("huzhao", "hu zhao", "HUZHAO", "ban huzhao", "gongjijin", "tiqugongjijin", "gong ji jin tiqu"):
            with self.subTest(typed=typed):
                self.assertTrue(names(typed), typed)
        self.assertEqual(names("huzhao"), [PASSPORTS])
        self.assertEqual(names("tiqugongjijin"), ["住房公积金"])

    def test_a_longer_popular_name_matches_by_its_sound(self):
        self.assertEqual(names("怎么提取公基金"), ["住房公积金"])  # gongjijin, one character wrong
        self.assertEqual(names("公正"), [])  # two characters: 公正 is a word of its own

    def test_short_pinyin_is_not_found_inside_other_words(self):
        self.assertEqual(names("shigongzheng"), [])  # 施工证, not 公证
        self.assertEqual(names("gongzheng"), ["公证"])
        self.assertEqual(names("banhuzhao"), [])

    def test_unrelated_text_matches_nothing(self):
        for query in ("低保怎么申请", "孩子上户口", "身份证丢了", "dibao", "hukou qianyi", "结婚登记", "公正"):
            with self.subTest(query=query):
                self.assertEqual(names(query), [])

    def test_an_entry_that_is_not_live_is_never_shown(self):
        self.assertEqual(names("停用说法"), [])

    def test_longest_match_first_and_at_most_three(self):
        ElsewhereServiceFactory(name="港澳", terms=["港澳"])
        self.assertEqual(names("港澳通行证")[:2], [PASSPORTS, "港澳"])
        many = names("护照 公积金 公证书 驾照 个税")
        self.assertEqual(len(many), 3)
        self.assertEqual(set(many[:2]), {"住房公积金", "公证"})  # 公积金 and 公证书: the three-character matches

    def test_matching_says_which_word_the_query_used(self):
        self.assertEqual(matching(text.normalize("護照"))[0].matched, "护照")
        self.assertEqual(matching(text.normalize("hu zhao"))[0].matched, "护照")

    def test_an_editors_change_is_seen_at_once(self):
        self.assertEqual(names("签证"), [])
        service = ElsewhereService.objects.get(name=PASSPORTS)
        service.terms += "\n签证"
        service.save()
        self.assertEqual(names("签证"), [PASSPORTS])
        service.delete()
        self.assertEqual(names("签证"), [])


class ValidationTests(TestCase):
    def entry(self, **fields):
        values = {"name": "公证", "terms": "公证", "where": "耒阳市公证处", "phone": "0734-4351148"}
        return ElsewhereService(**{**values, **fields})

    def errors(self, **fields):
        with pytest.raises(ValidationError) as raised:
            self.entry(**fields).full_clean()
        return raised.value.message_dict

    def test_a_good_entry_is_cleaned(self):
        entry = self.entry(
            terms="公证，公证书\n公证\n 继承公证 ",
            phone="０７３４－４３５１１４８ 转 801",
            url="https://gz.example.cn/",
        )
        entry.full_clean()
        self.assertEqual(entry.term_list, ["公证", "公证书", "继承公证"])
        self.assertEqual(entry.terms, "公证\n公证书\n继承公证")
        self.assertEqual(entry.phone, "0734-4351148 转 801")

    def test_mistakes_are_explained_in_chinese(self):
        self.assertIn("请至少填写一个群众说法", self.errors(terms=" \n，")["terms"][0])
        self.assertIn("不超过 20 个字", self.errors(terms="公证\n" + "很" * 21)["terms"][0])
        self.assertIn("最多 30 个", self.errors(terms="\n".join(f"说法{n}" for n in range(31)))["terms"][0])
        self.assertIn("电话只能包含数字", self.errors(phone="请打 0734-4351148")["phone"][0])
        self.assertIn("请填写完整的电话号码", self.errors(phone="12-34")["phone"][0])
        for url in ("javascript:alert(1)", "ftp://gz.example.cn/", "gz.example.cn"):
            with self.subTest(url=url):
                self.assertIn("http:// 或 https://", self.errors(url=url)["url"][0])


class LoadEntriesTests(TestCase):
    def test_the_demo_file_loads_once_and_again_changes_nothing(self):
        editors_own = ElsewhereServiceFactory(name="社保卡补办（银行网点）", terms=["社保卡换银行"])
        first = load_entries(DEMO_ELSEWHERE)
        self.assertEqual((first.created, first.updated), (8, 0))
        rows = list(ElsewhereService.objects.order_by("pk").values())
        second = load_entries(DEMO_ELSEWHERE)
        self.assertEqual((second.created, second.updated, second.unchanged), (0, 0, 8))
        self.assertEqual(list(ElsewhereService.objects.order_by("pk").values()), rows)
        self.assertTrue(ElsewhereService.objects.filter(pk=editors_own.pk).exists())
        self.assertEqual(names("办护照"), [PASSPORTS])

    def test_a_known_name_is_updated_from_the_file(self):
        load_entries(DEMO_ELSEWHERE)
        ElsewhereService.objects.filter(name="公证").update(phone="0734-0000000")
        loaded = load_entries(DEMO_ELSEWHERE)
        self.assertEqual(loaded.updated, 1)
        self.assertEqual(ElsewhereService.objects.get(name="公证").phone, "0734-4351148")
        self.assertEqual(ElsewhereService.objects.count(), 8)

    def test_a_bad_entry_loads_nothing_and_is_named(self):
        bad = Path(settings.YIMEN_TEST_TMP) / "elsewhere-bad.json"
        document = json.loads(DEMO_ELSEWHERE.read_text(encoding="utf-8"))
        document["entries"][1]["url"] = "javascript:alert(1)"
        bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        with pytest.raises(ValidationError, match="第 2 条“机动车驾驶证和机动车登记”：网址"):
            load_entries(bad)
        self.assertFalse(ElsewhereService.objects.exists())


def test_the_demo_file_has_the_names_the_relevance_set_refers_to_and_no_catalog_words():
    document = json.loads(DEMO_ELSEWHERE.read_text(encoding="utf-8"))
    assert [entry["name"] for entry in document["entries"]] == [
        PASSPORTS,
        "机动车驾驶证和机动车登记",
        "住房公积金",
        "不动产登记（房产证）",
        "税务（发票、纳税申报）",
        "公证",
        "诉讼立案",
        "中小学入学、转学",
    ]
    for entry in document["entries"]:
        assert set(entry) == {"name", "terms", "where", "address", "phone", "hours", "url", "note"}
        assert re.fullmatch(r"0734-\d{7}", entry["phone"]), entry["phone"]
    catalog = json.loads((Path(settings.BASE_DIR) / "demo" / "sample-catalog.json").read_text(encoding="utf-8"))
    # A popular name the centre's own guides are known by would send people away from a guide it offers.
    known = [text.normalize(w) for item in catalog["items"] for w in [item["name"], *(item.get("keywords") or [])]]
    for entry in document["entries"]:
        for term in entry["terms"]:
            assert not [w for w in known if text.normalize(term) in w], term


class ElsewhereAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("admin", password="x")

    def setUp(self):
        self.client.force_login(self.admin)

    def form(self, **fields):
        values = {
            "name": "公证",
            "terms": "公证\n公证书",
            "where": "耒阳市公证处",
            "address": "耒阳市蔡子池街道西湖路 17 号",
            "phone": "0734-4351148",
            "hours": "周一至周五",
            "url": "",
            "note": "",
            "live": "on",
        }
        return {**values, **fields}

    def test_editors_add_and_change_an_entry_in_the_search_menu(self):
        listing = self.client.get("/admin/snippets/search/elsewhereservice/")
        self.assertContains(listing, "不在本中心办理的事项")
        response = self.client.post("/admin/snippets/search/elsewhereservice/add/", self.form())
        self.assertEqual(response.status_code, 302)
        entry = ElsewhereService.objects.get(name="公证")
        self.assertEqual((entry.term_list, entry.live), (["公证", "公证书"], True))
        response = self.client.post(
            f"/admin/snippets/search/elsewhereservice/edit/{entry.pk}/", self.form(phone="0734-4351149", live="")
        )
        self.assertEqual(response.status_code, 302)
        entry.refresh_from_db()
        self.assertEqual((entry.phone, entry.live), ("0734-4351149", False))
        listing = self.client.get("/admin/snippets/search/elsewhereservice/").content.decode()
        for shown in ("公证", "耒阳市公证处", "0734-4351149", "启用"):
            self.assertIn(shown, listing)

    def test_the_form_explains_mistakes_in_chinese(self):
        response = self.client.post(
            "/admin/snippets/search/elsewhereservice/add/", self.form(terms="", phone="打电话", url="ftp://x.cn/")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "请至少填写一个群众说法")
        self.assertContains(response, "电话只能包含数字")
        self.assertContains(response, "网址必须以 http:// 或 https:// 开头")
        self.assertFalse(ElsewhereService.objects.exists())


class ElsewhereOnTheResultsPage(IndexedGuides):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ElsewhereServiceFactory(
            name=PASSPORTS,
            terms=["护照", "港澳通行证"],
            where="耒阳市公安局出入境管理大队",
            address="耒阳市蔡子池街道五一西路 128 号",
            phone="0734-4351120",
            hours="周一至周五 8:30-17:30",
            note="须本人到场。",
        )
        ElsewhereServiceFactory(name="住房公积金", terms=["公积金"], where="衡阳市住房公积金管理中心耒阳管理部")

    def test_the_notice_comes_before_any_result_with_a_phone_link(self):
        html = self.client.get("/search/", {"q": "办护照和身份证"}).content.decode()
        notice = html.index('class="elsewhere"')
        self.assertIn("“护照”不在本中心办理", html)
        self.assertIn("请到：<strong>耒阳市公安局出入境管理大队</strong>", html)
        self.assertIn('<a class="tel" href="tel:07344351120">0734-4351120</a>', html)
        self.assertIn("耒阳市蔡子池街道五一西路 128 号", html)
        self.assertIn("周一至周五 8:30-17:30", html)
        self.assertIn("须本人到场。", html)
        self.assertLess(notice, html.index('class="results-count"'))
        self.assertLess(notice, html.index('class="result-list"'))  # 身份证 finds the guide too, shown after
        self.assertNotIn("住房公积金", html)

    def test_the_notice_also_when_nothing_is_found_and_in_elder_mode(self):
        self.client.cookies["yimen_elder"] = "1"
        response = self.client.get("/search/", {"q": "hu zhao"})
        html = response.content.decode()
        self.assertIn('class="elder-mode"', html)
        self.assertIn("“护照”不在本中心办理", html)
        self.assertLess(html.index('class="elsewhere"'), html.index('class="results-count"'))

    def test_no_notice_for_a_query_the_centre_handles(self):
        html = self.client.get("/search/", {"q": "低保怎么申请"}).content.decode()
        self.assertNotIn('class="elsewhere"', html)

    def test_the_api_lists_them(self):
        payload = self.client.get("/api/v1/search", {"q": "護照怎么办"}).json()
        conforms(payload, "SearchResponse")
        self.assertEqual(
            payload["elsewhere"],
            [
                {
                    "name": PASSPORTS,
                    "where": "耒阳市公安局出入境管理大队",
                    "address": "耒阳市蔡子池街道五一西路 128 号",
                    "phone": "0734-4351120",
                    "hours": "周一至周五 8:30-17:30",
                    "url": "",
                    "note": "须本人到场。",
                }
            ],
        )
        self.assertEqual(self.client.get("/api/v1/search", {"q": "低保"}).json()["elsewhere"], [])

    def test_the_log_says_the_search_was_sent_elsewhere(self):
        self.client.get("/search/", {"q": "护照"})
        term = SearchTerm.objects.get(query="护照")
        self.assertEqual((term.last_outcome, term.elsewhere_count, term.count), ("elsewhere", 1, 1))


def test_entries_are_read_once_per_process_until_changed(django_assert_num_queries, db):
    ElsewhereServiceFactory(name="公证", terms=["公证"])
    elsewhere.invalidate()
    with django_assert_num_queries(1):
        assert names("公证") == ["公证"]
        assert names("公证书") == ["公证"]

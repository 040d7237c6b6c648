from urllib.parse import parse_qs

from django.http import QueryDict
from django.test import RequestFactory, TestCase

from content.filters import ServiceFilter
from content.models import HallLevel, ServicePage
from content.pagination import paginate
from tests.factories import DepartmentFactory, HallFactory, ServicePageFactory, TopicFactory


def query(string):
    return QueryDict(string, mutable=False)


class CatalogFacetTests(TestCase):
    """Filtering by every facet, and counts over the other active filters (faceted search)."""

    @classmethod
    def setUpTestData(cls):
        cls.relief = TopicFactory(name="社会救助")
        cls.household = TopicFactory(name="户籍办理")
        cls.civil = DepartmentFactory(code="MZ", name="民政局")
        cls.police = DepartmentFactory(code="GA", name="公安局")
        cls.county = HallFactory(code="XIAN", level=HallLevel.COUNTY)
        cls.town = HallFactory(code="ZHEN", level=HallLevel.TOWNSHIP)
        cls.village = HallFactory(code="CUN", level=HallLevel.VILLAGE)
        # relief: 3 items (2 online, 1 charged), household: 2 items, one item in both topics.
        cls.dibao = ServicePageFactory(
            code="A1",
            department=cls.civil,
            topics=[cls.relief],
            halls=[cls.town, cls.village],
            online_available=True,
            handling="上报件",
            item_type="行政给付",
        )
        cls.tekun = ServicePageFactory(
            code="A2",
            department=cls.civil,
            topics=[cls.relief],
            halls=[cls.town],
            online_available=True,
            visits=0,
            item_type="行政给付",
        )
        cls.linshi = ServicePageFactory(
            code="A3",
            department=cls.civil,
            topics=[cls.relief, cls.household],
            halls=[cls.county],
            fees=[("工本费", "10 元")],
            visits=2,
        )
        cls.hukou = ServicePageFactory(
            code="B1",
            department=cls.police,
            topics=[cls.household],
            halls=[cls.county, cls.town],
            handling="即办件",
            promised_limit_days=0,
            for_organisations=True,
            item_type="行政确认",
        )
        cls.company = ServicePageFactory(
            code="C1",
            department=cls.police,
            halls=[cls.county],
            for_individuals=False,
            for_organisations=True,
        )
        cls.draft = ServicePageFactory(code="D1", department=cls.civil, topics=[cls.relief], halls=[cls.town])
        cls.draft.unpublish()

    def run_filter(self, string):
        catalog = ServiceFilter(query(string))
        facets, total = catalog.facets()
        return catalog, {f.name: {o.value: o.count for o in f.options} for f in facets}, total

    def codes(self, catalog):
        return sorted(p.code for p in catalog.qs)

    def test_no_filter_lists_every_live_item_with_counts(self):
        catalog, counts, total = self.run_filter("")
        self.assertEqual(self.codes(catalog), ["A1", "A2", "A3", "B1", "C1"])
        self.assertEqual(total, 5)
        self.assertEqual(counts["topic"], {"社会救助": 3, "户籍办理": 2})
        self.assertEqual(counts["audience"], {"自然人": 4, "法人": 2})
        self.assertEqual(counts["handling"], {"即办件": 1, "承诺件": 3, "上报件": 1})
        self.assertEqual(counts["visits"], {"1": 4})
        self.assertEqual(counts["online"], {"1": 2})
        self.assertEqual(counts["free"], {"1": 4})
        self.assertEqual(counts["level"], {"county": 3, "township": 3, "village": 1})
        self.assertEqual(counts["hall"], {"XIAN": 3, "ZHEN": 3, "CUN": 1})
        self.assertEqual(counts["department"], {"MZ": 3, "GA": 2})
        self.assertEqual(counts["item_type"], {"行政许可": 2, "行政给付": 2, "行政确认": 1})

    def test_each_facet_filters(self):
        cases = {
            "topic=社会救助": ["A1", "A2", "A3"],
            "topic=社会救助&topic=户籍办理": ["A1", "A2", "A3", "B1"],
            "audience=法人": ["B1", "C1"],
            "department=GA": ["B1", "C1"],
            "hall=CUN": ["A1"],
            "hall=CUN&hall=XIAN": ["A1", "A3", "B1", "C1"],
            "level=county": ["A3", "B1", "C1"],
            "handling=即办件&handling=上报件": ["A1", "B1"],
            "item_type=行政给付": ["A1", "A2"],
            "online=1": ["A1", "A2"],
            "free=1": ["A1", "A2", "B1", "C1"],
            "visits=1": ["A1", "A2", "B1", "C1"],
        }
        for string, expected in cases.items():
            with self.subTest(string):
                catalog, _counts, total = self.run_filter(string)
                self.assertEqual(self.codes(catalog), sorted(expected))
                self.assertEqual(total, len(expected))

    def test_filters_combine_across_facets(self):
        catalog, _counts, total = self.run_filter("topic=社会救助&online=1&hall=CUN")
        self.assertEqual(self.codes(catalog), ["A1"])
        self.assertEqual(total, 1)

    def test_counts_of_an_active_facet_ignore_its_own_selection(self):
        _catalog, counts, total = self.run_filter("topic=社会救助&department=MZ")
        self.assertEqual(total, 3)
        # Topic counts are over department=MZ only: one MZ item (A3) is in 户籍办理.
        self.assertEqual(counts["topic"], {"社会救助": 3, "户籍办理": 1})
        # Department counts are over topic=社会救助 only: no police item is in that topic.
        self.assertEqual(counts["department"], {"MZ": 3})
        # Inactive facets count within the full selection.
        self.assertEqual(counts["online"], {"1": 2})
        self.assertEqual(counts["hall"], {"XIAN": 1, "ZHEN": 2, "CUN": 1})

    def test_active_fixed_choice_facets_are_counted_without_themselves(self):
        _catalog, counts, total = self.run_filter("online=1&audience=法人")
        self.assertEqual(total, 0)
        self.assertEqual(counts["online"], {"1": 0})  # kept because it is selected
        self.assertEqual(counts["audience"], {"自然人": 2, "法人": 0})

    def test_selected_options_stay_visible_and_empty_ones_are_left_out(self):
        catalog = ServiceFilter(query("online=1&audience=法人"))
        facets = {f.name: f for f in catalog.facets()[0]}
        online = facets["online"].options
        self.assertEqual([(o.value, o.selected) for o in online], [("1", True)])
        self.assertNotIn("item_type", facets)  # nothing matches, so no type has a count

    def test_invalid_values_are_ignored(self):
        catalog, _counts, total = self.run_filter("topic=不存在&online=yes&level=city&audience=法人")
        self.assertEqual(catalog.selected, {"audience": ["法人"]})
        self.assertEqual(self.codes(catalog), ["B1", "C1"])
        self.assertEqual(total, 2)

    def test_toggle_urls_keep_the_whole_state_in_the_query_string(self):
        catalog = ServiceFilter(query("topic=社会救助&free=1&page=3"))
        facets = {f.name: f for f in catalog.facets()[0]}
        topics = {o.value: parse_qs(o.url[1:]) for o in facets["topic"].options}
        self.assertEqual(topics["户籍办理"], {"topic": ["社会救助", "户籍办理"], "free": ["1"]})
        self.assertEqual(topics["社会救助"], {"free": ["1"]})
        audience = {o.value: parse_qs(o.url[1:]) for o in facets["audience"].options}
        self.assertEqual(audience["自然人"], {"topic": ["社会救助"], "audience": ["自然人"], "free": ["1"]})

    def test_chips_remove_one_value_each(self):
        catalog = ServiceFilter(query("topic=社会救助&topic=户籍办理&department=MZ"))
        chips = [(str(c.facet_label), c.label, parse_qs(c.remove_url[1:])) for c in catalog.chips()]
        self.assertEqual(
            chips,
            [
                ("主题", "社会救助", {"topic": ["户籍办理"], "department": ["MZ"]}),
                ("主题", "户籍办理", {"topic": ["社会救助"], "department": ["MZ"]}),
                ("实施部门", "民政局", {"topic": ["社会救助", "户籍办理"]}),
            ],
        )

    def test_counts_and_results_agree_with_sql(self):
        """The in-memory facet index gives exactly what the SQL filters give, for every facet value."""
        strings = ["", "topic=社会救助&online=1", "level=county&free=1", "audience=法人&department=GA&visits=1"]
        for string in strings:
            catalog = ServiceFilter(query(string))
            facets, total = catalog.facets()
            self.assertEqual(total, catalog.qs.count(), string)
            self.assertEqual([p.code for p in catalog.results()[0:10]], sorted(p.code for p in catalog.qs), string)
            for facet in facets:
                for option in facet.options:
                    with self.subTest(string=string, facet=facet.name, value=option.value):
                        # An option's count is what the catalog shows with only that value of its facet.
                        only = ServiceFilter(query(catalog.url_for({facet.name: [option.value]})[1:]))
                        self.assertEqual(option.count, only.qs.count())

    def test_counting_costs_a_fixed_number_of_queries(self):
        ServiceFilter(query("")).facets()  # the index is built once
        # 3 choice lists (topics, departments, halls) + the index fingerprint; no query per facet or item.
        with self.assertNumQueries(3 + 1):
            ServiceFilter(query("topic=社会救助&online=1&level=county")).facets()

    def test_index_follows_publishing(self):
        ServiceFilter(query("")).facets()
        ServicePage.objects.get(code="A2").unpublish()
        self.assertEqual(ServiceFilter(query("topic=社会救助")).facets()[1], 2)
        ServicePage.objects.get(code="D1").save_revision().publish()
        self.assertEqual(ServiceFilter(query("topic=社会救助")).facets()[1], 3)

    def test_results_page_in_catalog_order(self):
        catalog = ServiceFilter(query(""))
        self.assertEqual([p.code for p in catalog.results()[1:3]], ["A2", "A3"])
        self.assertEqual(len(catalog.results()), 5)


class PaginateTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        for _ in range(5):
            ServicePageFactory()

    def page(self, string, **kwargs):
        request = RequestFactory().get("/services/?" + string)
        return paginate(request, ServicePage.objects.order_by("code"), per_page=2, **kwargs)

    def test_pages(self):
        self.assertEqual(self.page("").number, 1)
        self.assertEqual(len(self.page("page=3").object_list), 1)
        self.assertEqual(self.page("page=3").paginator.num_pages, 3)

    def test_bad_or_stale_page_numbers_never_fail(self):
        self.assertEqual(self.page("page=abc").number, 1)
        self.assertEqual(self.page("page=%D9%A2").number, 1)  # ٢, which int() reads as 2
        self.assertEqual(self.page("page=" + "9" * 5000).number, 1)
        self.assertEqual(self.page("page=99").number, 3)

    def test_known_count_saves_the_count_query(self):
        with self.assertNumQueries(1):
            list(self.page("page=2", count=5).object_list)

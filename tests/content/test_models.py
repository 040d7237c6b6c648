import datetime

from django.core.exceptions import ValidationError
from django.test import TestCase

from content.models import (
    HallLevel,
    HallPage,
    HomePopularItem,
    Material,
    ServiceHall,
    ServicePage,
)
from content.models.browse import with_service_counts
from content.models.halls import group_by_level
from tests.factories import (
    DepartmentFactory,
    HallFactory,
    ServicePageFactory,
    TopicFactory,
    WindowFactory,
    site_structure,
)


class ServicePageValidationTests(TestCase):
    """The editor-side rules of ServicePage.clean, with the messages editors see."""

    @classmethod
    def setUpTestData(cls):
        cls.page = ServicePageFactory()

    def errors(self, **changes):
        page = ServicePage.objects.get(pk=self.page.pk)
        for name, value in changes.items():
            setattr(page, name, value)
        with self.assertRaises(ValidationError) as caught:
            page.full_clean()
        return caught.exception.message_dict

    def test_valid_page_passes(self):
        ServicePage.objects.get(pk=self.page.pk).full_clean()

    def test_promised_longer_than_legal_is_refused_on_the_promised_field(self):
        errors = self.errors(legal_limit_days=10, promised_limit_days=15)
        self.assertEqual(errors["promised_limit_days"], ["承诺办结时限（15工作日）不能超过法定办结时限（10工作日）。"])

    def test_promised_working_days_longer_than_legal_calendar_days_is_refused(self):
        errors = self.errors(legal_limit_days=10, legal_limit_unit="自然日", promised_limit_days=11)
        self.assertIn("不能超过法定办结时限", errors["promised_limit_days"][0])

    def test_promised_calendar_days_against_legal_working_days_is_not_compared(self):
        page = ServicePage.objects.get(pk=self.page.pk)
        page.legal_limit_days, page.promised_limit_days, page.promised_limit_unit = 10, 12, "自然日"
        page.full_clean()

    def test_immediate_item_must_promise_zero_days(self):
        errors = self.errors(handling="即办件", promised_limit_days=3)
        self.assertEqual(errors["promised_limit_days"], ["即办件应当场办结，承诺办结时限须为 0（当场办结）。"])

    def test_at_least_one_audience(self):
        errors = self.errors(for_individuals=False, for_organisations=False)
        self.assertEqual(errors["for_individuals"], ["请至少选择一种服务对象（自然人或法人）。"])

    def test_no_legal_limit_allows_any_promise(self):
        page = ServicePage.objects.get(pk=self.page.pk)
        page.legal_limit_days, page.promised_limit_days = None, 60
        page.full_clean()


class ServicePageFactsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.free = ServicePageFactory()
        cls.charged = ServicePageFactory(fees=[("工本费", "每证 10 元")])

    def test_is_free_from_the_fees_and_from_the_listing_annotation(self):
        self.assertTrue(ServicePage.objects.get(pk=self.free.pk).is_free)
        self.assertFalse(ServicePage.objects.get(pk=self.charged.pk).is_free)
        listed = {p.pk: p.is_free for p in ServicePage.objects.for_listing()}
        self.assertEqual(listed, {self.free.pk: True, self.charged.pk: False})

    def test_is_free_on_a_listing_costs_no_query_per_item(self):
        with self.assertNumQueries(1):
            [p.is_free for p in ServicePage.objects.for_listing()]

    def test_last_updated_prefers_the_editors_date(self):
        page = ServicePage.objects.get(pk=self.free.pk)
        self.assertEqual(page.last_updated, datetime.date(2025, 9, 12))
        page.updated = None
        page.last_published_at = datetime.datetime(2025, 10, 1, 9, 30, tzinfo=datetime.UTC)
        self.assertEqual(page.last_updated, datetime.date(2025, 10, 1))
        page.last_published_at = None
        self.assertIsNone(page.last_updated)

    def test_promised_due_date_counts_working_days_with_holidays(self):
        page = ServicePage.objects.get(pk=self.free.pk)
        # Accepted Monday 29 September 2025: 1-8 October is the National Day holiday, 11 October a working Saturday.
        self.assertEqual(page.promised_due_date(datetime.date(2025, 9, 29)), datetime.date(2025, 10, 13))
        page.promised_limit_days = 0
        self.assertEqual(page.promised_due_date(datetime.date(2025, 9, 29)), datetime.date(2025, 9, 29))
        page.promised_limit_days, page.promised_limit_unit = 5, "自然日"
        self.assertIsNone(page.promised_due_date(datetime.date(2025, 9, 29)))

    def test_material_necessity(self):
        self.assertEqual(str(Material(required=True, note="").necessity), "必要")
        # 容缺 is the material's own property now, not a word in its note.
        self.assertEqual(str(Material(required=True, deferrable=True).necessity), "容缺")
        self.assertEqual(str(Material(required=False, note="可容缺后补").necessity), "非必要")
        self.assertEqual(str(Material(required=False, note="有残疾的提供").necessity), "非必要")


class QuerySetVerbTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.county = HallFactory(level=HallLevel.COUNTY)
        cls.village = HallFactory(level=HallLevel.VILLAGE)
        cls.topic_a, cls.topic_b = TopicFactory(), TopicFactory()
        cls.a = ServicePageFactory(halls=[cls.county, cls.village], topics=[cls.topic_a, cls.topic_b])
        cls.b = ServicePageFactory(
            halls=[cls.village], for_organisations=True, for_individuals=False, fees=[("费", "1 元")], visits=2
        )
        cls.c = ServicePageFactory(online_available=True, handling="即办件", promised_limit_days=0)

    def codes(self, queryset):
        return sorted(p.code for p in queryset)

    def test_for_halls_never_duplicates(self):
        self.assertEqual(
            self.codes(ServicePage.objects.for_halls([self.county, self.village])), [self.a.code, self.b.code]
        )
        self.assertEqual(self.codes(ServicePage.objects.for_hall(self.county)), [self.a.code])

    def test_for_hall_levels(self):
        self.assertEqual(self.codes(ServicePage.objects.for_hall_levels(["village"])), [self.a.code, self.b.code])
        self.assertEqual(self.codes(ServicePage.objects.for_hall_levels(["township"])), [])

    def test_for_topics_never_duplicates(self):
        self.assertEqual(self.codes(ServicePage.objects.for_topics([self.topic_a, self.topic_b])), [self.a.code])

    def test_audience_fee_visits_online_handling(self):
        self.assertEqual(self.codes(ServicePage.objects.for_audience("法人")), [self.b.code])
        self.assertEqual(self.codes(ServicePage.objects.for_audience("自然人")), [self.a.code, self.c.code])
        self.assertEqual(self.codes(ServicePage.objects.free_of_charge()), [self.a.code, self.c.code])
        self.assertEqual(self.codes(ServicePage.objects.charged()), [self.b.code])
        self.assertEqual(self.codes(ServicePage.objects.at_most_visits(1)), [self.a.code, self.c.code])
        self.assertEqual(self.codes(ServicePage.objects.online()), [self.c.code])
        self.assertEqual(self.codes(ServicePage.objects.with_handling(["即办件"])), [self.c.code])
        with self.assertRaises(ValueError):
            ServicePage.objects.for_audience("游客")

    def test_recently_updated_puts_newest_guides_first(self):
        ServicePage.objects.filter(pk=self.b.pk).update(updated=datetime.date(2026, 1, 5))
        ServicePage.objects.filter(pk=self.c.pk).update(updated=None)
        self.assertEqual(
            [p.code for p in ServicePage.objects.recently_updated()], [self.b.code, self.a.code, self.c.code]
        )

    def test_hall_service_counts_count_live_items_only(self):
        ServicePage.objects.get(pk=self.b.pk).unpublish()
        counts = {h.code: h.service_count for h in with_service_counts(list(HallPage.objects.all()))}
        self.assertEqual(counts, {self.county.code: 1, self.village.code: 1})

    def test_halls_by_level_in_network_order(self):
        groups = group_by_level(list(HallPage.objects.order_by("path")))
        self.assertEqual(
            [(level, [h.code for h in halls]) for level, _label, halls in groups],
            [("county", [self.county.code]), ("village", [self.village.code])],
        )


class HallWindowTests(TestCase):
    """Which window takes an item: the named window at its first hall, the department's windows elsewhere."""

    @classmethod
    def setUpTestData(cls):
        cls.civil = DepartmentFactory()
        cls.police = DepartmentFactory()
        cls.town = HallFactory()
        cls.village = HallFactory(level=HallLevel.VILLAGE)
        cls.w1 = WindowFactory(hall=cls.town, number="1", departments=[cls.civil])
        cls.w2 = WindowFactory(hall=cls.town, number="2", departments=[cls.civil, cls.police])
        cls.w3 = WindowFactory(hall=cls.town, number="3", departments=[cls.police])
        cls.v1 = WindowFactory(hall=cls.village, number="1", departments=[cls.civil])
        cls.named = ServicePageFactory(department=cls.civil, window_number="2", halls=[cls.town, cls.village])
        cls.unnamed = ServicePageFactory(department=cls.police, halls=[cls.town])

    def test_window_services(self):
        rows = {w.number: ([s.code for s in services], n) for w, services, n in self.town.window_services()}
        self.assertEqual(
            rows, {"1": ([], 0), "2": (sorted([self.named.code, self.unnamed.code]), 2), "3": ([self.unnamed.code], 1)}
        )
        rows = {w.number: [s.code for s in services] for w, services, _n in self.village.window_services()}
        self.assertEqual(rows, {"1": [self.named.code]})

    def test_window_services_limit_keeps_the_full_count(self):
        rows = {w.number: ([s.code for s in services], n) for w, services, n in self.town.window_services(limit=1)}
        self.assertEqual(rows["2"], ([min(self.named.code, self.unnamed.code)], 2))

    def test_window_services_cost_a_fixed_number_of_queries(self):
        with self.assertNumQueries(4):
            self.town.window_services()

    def test_places_of_a_guide(self):
        page = ServicePage.objects.get(pk=self.named.pk)
        places = [(hall.code, [w.number for w in windows]) for hall, windows in page.places()]
        self.assertEqual(places, [(self.town.code, ["2"]), (self.village.code, ["1"])])

    def test_places_leave_out_unpublished_halls(self):
        HallPage.objects.get(pk=self.village.pk).unpublish()
        page = ServicePage.objects.get(pk=self.named.pk)
        self.assertEqual([hall.code for hall, _windows in page.places()], [self.town.code])

    def test_places_cost_a_fixed_number_of_queries(self):
        page = ServicePage.objects.get(pk=self.named.pk)
        # Links, halls, windows, departments, and the ids of the readable halls.
        with self.assertNumQueries(5):
            page.places()


class HomePopularTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_structure()[0]
        cls.old = ServicePageFactory(updated=datetime.date(2024, 1, 1))
        cls.new = ServicePageFactory(updated=datetime.date(2025, 12, 1))

    def test_most_recently_updated_when_none_chosen(self):
        services, chosen = self.home.popular_services()
        self.assertFalse(chosen)
        self.assertEqual([s.pk for s in services], [self.new.pk, self.old.pk])

    def test_chosen_items_in_editor_order_and_only_live(self):
        hidden = ServicePageFactory()
        for order, service in enumerate([self.old, hidden, self.new]):
            HomePopularItem.objects.create(home=self.home, service=service, sort_order=order)
        hidden.unpublish()
        services, chosen = self.home.popular_services()
        self.assertTrue(chosen)
        self.assertEqual([s.pk for s in services], [self.old.pk, self.new.pk])

    def test_service_hall_order_sets_first_hall(self):
        hall_a, hall_b = HallFactory(), HallFactory()
        page = ServicePageFactory(halls=[hall_b, hall_a])
        self.assertEqual(ServicePage.objects.get(pk=page.pk).first_hall_id, hall_b.pk)
        self.assertEqual(ServiceHall.objects.filter(service=page).count(), 2)

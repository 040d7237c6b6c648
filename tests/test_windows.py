"""Every place that lists the windows taking an item at a hall lists the same ones.

The rule has one owner (content.models.halls.HallWindows); this walks each item × hall of a network
made to hit every branch of it and compares what the guide page, the hall page, the printed guide,
booklets by hall and by window, and the window a rating is filed under say with the expected windows.
"""

import re

from django.test import TestCase

from content.models import HallLevel, HallPage, ServicePage
from exports.printing.booklets import BookletScope
from exports.printing.guides import PrintedGuide, for_printing
from ratings.handling import window_for
from tests.factories import DepartmentFactory, HallFactory, ServicePageFactory, WindowFactory


def section(html, start, end):
    return html[html.index(start) : html.index(end, html.index(start))]


class WindowRuleAgreementTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        civil, police, tax = (
            DepartmentFactory(name="民政所"),
            DepartmentFactory(name="派出所"),
            DepartmentFactory(name="税务所"),
        )
        cls.town = HallFactory(title="城关镇政务服务中心")
        cls.village = HallFactory(title="新民村便民服务站", level=HallLevel.VILLAGE)
        cls.county = HallFactory(title="县政务服务中心", level=HallLevel.COUNTY)
        WindowFactory(hall=cls.town, number="1", name="社会事务窗口", departments=[civil], sort_order=0)
        WindowFactory(hall=cls.town, number="2", name="综合窗口", departments=[civil, police], sort_order=1)
        WindowFactory(hall=cls.town, number="3", name="户政窗口", departments=[police], sort_order=2)
        WindowFactory(hall=cls.town, number="5", name="咨询窗口", sort_order=3)
        WindowFactory(hall=cls.village, number="1", name="代办窗口", departments=[civil])
        WindowFactory(hall=cls.county, number="A07", name="公安窗口", departments=[police], sort_order=0)
        WindowFactory(hall=cls.county, number="B01", name="税务窗口", departments=[tax], sort_order=1)
        item = ServicePageFactory
        cls.items = {
            # The named window at the first hall; the department's window at the second.
            "named": item(department=civil, window_number="2", halls=[cls.town, cls.village]),
            # No number: every window serving the department.
            "unnamed": item(department=police, halls=[cls.town]),
            # A number the first hall does not have: no window there; elsewhere the department's.
            "missing": item(department=police, window_number="9", halls=[cls.town, cls.county]),
            # A named window that does not serve the department still takes it at the first hall.
            "named-other": item(department=tax, window_number="A07", halls=[cls.county, cls.town]),
        }
        cls.expected = {
            ("named", "town"): ["2"],
            ("named", "village"): ["1"],
            ("unnamed", "town"): ["2", "3"],
            ("missing", "town"): [],
            ("missing", "county"): ["A07"],
            ("named-other", "county"): ["A07"],
            ("named-other", "town"): [],
        }

    def hall(self, name):
        return HallPage.objects.get(pk=getattr(self, name).pk)

    def page(self, key):
        return ServicePage.objects.get(pk=self.items[key].pk)

    def test_the_rule(self):
        for (key, hall), numbers in self.expected.items():
            with self.subTest(item=key, hall=hall):
                self.assertEqual([w.number for w in self.hall(hall).windows_taking(self.page(key))], numbers)

    def labels(self, hall, numbers):
        """The windows as a page prints them: “2号窗口 综合窗口”."""
        windows = {w.number: str(w) for w in self.hall(hall).windows.all()}
        return [windows[n] for n in numbers]

    def test_guide_page(self):
        names = {getattr(self, name).pk: name for name in ("town", "village", "county")}
        for key in self.items:
            page = self.page(key)
            listed = {(key, names[hall.pk]): [w.number for w in windows] for hall, windows in page.places()}
            self.assertEqual(listed, {k: v for k, v in self.expected.items() if k[0] == key})
            # And as the page prints it: each hall's 窗口 line names exactly those windows.
            html = section(self.client.get(page.url).content.decode(), 'id="places"', "</section>")
            for place in html.split('<li class="place">')[1:]:
                hall = next(name for pk, name in names.items() if getattr(self, name).title in place)
                line = re.search(r"<dt>窗口</dt><dd>(.*?)</dd>", place)
                shown = line.group(1).split("；") if line else []
                self.assertEqual(shown, self.labels(hall, self.expected[(key, hall)]), (key, hall))

    def test_hall_page(self):
        for hall in ("town", "village", "county"):
            page = self.hall(hall)
            listed = {w.number: {s.pk for s in services} for w, services, _count in page.window_services()}
            html = section(self.client.get(page.url).content.decode(), 'class="window-list"', "</ol>")
            shown = {block.split('"', 1)[0]: block for block in html.split('<li class="window" id="window-')[1:]}
            for (key, at), numbers in self.expected.items():
                if at != hall:
                    continue
                with self.subTest(item=key, hall=hall):
                    item = self.items[key]
                    self.assertEqual(sorted(n for n, pks in listed.items() if item.pk in pks), sorted(numbers))
                    self.assertEqual(sorted(n for n, block in shown.items() if item.title in block), sorted(numbers))

    def test_printed_guide(self):
        for (key, hall), numbers in self.expected.items():
            with self.subTest(item=key, hall=hall):
                page = for_printing(ServicePage.objects.filter(pk=self.items[key].pk)).get()
                place = PrintedGuide(page, hall=self.hall(hall)).place
                self.assertEqual(place.hall.pk, getattr(self, hall).pk)
                self.assertEqual([w.number for w in place.windows], numbers)

    def test_booklets(self):
        for hall in ("town", "village", "county"):
            scope = BookletScope(hall=self.hall(hall))
            sections = scope.sections()
            by_title = {s.title: {p.pk for p in s.guides} for s in sections}
            windows = {str(w): w.number for w in self.hall(hall).windows.all()}
            for (key, at), numbers in self.expected.items():
                if at != hall:
                    continue
                with self.subTest(item=key, hall=hall):
                    under = [
                        windows.get(title, "其他事项") for title, pks in by_title.items() if self.items[key].pk in pks
                    ]
                    # A hall's booklet prints each guide once: under the first window taking it, else 其他事项.
                    self.assertEqual(under, numbers[:1] or ["其他事项"])
                    for window in self.hall(hall).windows.all():
                        one = BookletScope(window=window).sections()
                        inside = any(self.items[key].pk in {p.pk for p in s.guides} for s in one)
                        self.assertEqual(inside, window.number in numbers, window.number)

    def test_rating_window(self):
        for (key, hall), numbers in self.expected.items():
            with self.subTest(item=key, hall=hall):
                window = window_for(self.page(key), self.hall(hall))
                self.assertEqual(window.number if window else None, numbers[0] if len(numbers) == 1 else None)

"""Everything a printed guide shows, read from the same ServicePage fields as the web page.

`PrintedGuide` gathers one guide's elements, its hall and window, its QR code and the order and
numbers of its sections; the guide PDF, the checklist and the booklets all print from it, so paper
and screen never disagree.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch

from content import guide
from content.models import HallPage, HallWindow, ServiceHall, ServicePage

from .qr import qr_data_uri

NUMERALS = "零一二三四五六七八九"


def chinese_numeral(n):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (section numbers below one hundred)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens] + "十")
    return head + (NUMERALS[ones] if ones else "")


def hall_links():
    """A guide's hall links in order, each marked `hall_readable` when any visitor may read its hall:
    a hall under a view restriction is never printed as a place to go."""
    readable = HallPage.objects.readable().filter(pk=OuterRef("hall_id"))
    return ServiceHall.objects.select_related("hall").annotate(hall_readable=Exists(readable)).order_by("sort_order", "pk")


def guide_prefetch():
    """The related rows a printed guide reads, fetched once for any number of guides."""
    return (
        Prefetch("service_halls", queryset=hall_links()),
        "topics",
        "basis",
        "materials",
        "process_steps",
        "fees",
        "faqs",
    )


def for_printing(guides):
    """`guides` (a ServicePage queryset) with everything a printed guide reads."""
    return guides.select_related("department").prefetch_related(*guide_prefetch())


def printable_guides():
    """Guides anyone may print, in booklets too: readable ones (live, under no view restriction).

    A booklet is printed by staff for a whole hall and handed out at its windows, so a restricted
    guide never goes into one, whoever asks for it.
    """
    return for_printing(ServicePage.objects.readable())


def hall_windows(halls):
    """{hall id: [windows with their departments]} for the given halls, in window order."""
    windows = {}
    queryset = HallWindow.objects.filter(hall__in=halls).prefetch_related("departments").order_by("sort_order", "pk")
    for window in queryset:
        windows.setdefault(window.hall_id, []).append(window)
    return windows


@dataclass
class Place:
    """Where to go: the hall printed on the guide, the window(s) there and the other halls offering it."""

    hall: HallPage | None
    windows: list = field(default_factory=list)
    other_halls: list = field(default_factory=list)
    address: str = ""
    hours: str = ""
    phone: str = ""


def place_of(page, hall=None, windows_by_hall=None):
    """The hall (the given one, else the first where the item is offered) and the windows that take it there."""
    links = list(page.service_halls.all())
    if any(not hasattr(link, "hall_readable") for link in links):
        links = list(hall_links().filter(service=page))
    halls = [link.hall for link in links if link.hall_readable]
    if hall is None or all(h.pk != hall.pk for h in halls):
        hall = halls[0] if halls else None
    if hall is None:
        return Place(hall=None, address=page.address, hours=page.hours)
    if windows_by_hall is None:
        windows_by_hall = hall_windows([hall])
    taking = hall.windows_taking(page, windows_by_hall.get(hall.pk, []))
    return Place(
        hall=hall,
        windows=taking,
        other_halls=[h for h in halls if h.pk != hall.pk],
        address=page.address or hall.address,
        hours=page.hours or hall.hours,
        phone=hall.phone,
    )


class PrintedGuide:
    """One guide ready to print: its fields, place, live URL, QR code and numbered sections."""

    def __init__(self, page, hall=None, windows_by_hall=None):
        self.page = page
        self.place = place_of(page, hall, windows_by_hall)

    @cached_property
    def url(self):
        return self.page.full_url or ""

    @cached_property
    def qr(self):
        return qr_data_uri(self.url) if self.url else ""

    @cached_property
    def updated(self):
        """The date the guide last changed, as the web page says it (ServicePage.last_updated)."""
        return self.page.last_updated

    @cached_property
    def basis(self):
        return list(self.page.basis.all())

    @cached_property
    def materials(self):
        return list(self.page.materials.all())

    @cached_property
    def steps(self):
        return list(self.page.process_steps.all())

    @cached_property
    def fees(self):
        return list(self.page.fees.all())

    @cached_property
    def faqs(self):
        return list(self.page.faqs.all())

    @cached_property
    def topics(self):
        return list(self.page.topics.all())

    @cached_property
    def conditions(self):
        return [line.strip() for line in self.page.conditions.splitlines() if line.strip()]

    @property
    def legal_limit(self):
        return guide.limit_text({"days": self.page.legal_limit_days, "unit": self.page.legal_limit_unit}, with_note=False)

    @property
    def promised_limit(self):
        return guide.limit_text(
            {"days": self.page.promised_limit_days, "unit": self.page.promised_limit_unit}, with_note=False
        )

    @property
    def visits_text(self):
        return guide.visits_text(self.page.visits)

    @property
    def audience_text(self):
        return "、".join(self.page.audience)

    @cached_property
    def sections(self):
        """{section key: Chinese number} for the sections this guide has; empty ones are left out.

        收费 always prints (an item without fees says 不收费); FAQ, online handling and the result
        print only when there is something to say.
        """
        keys = ["basis", "conditions", "materials", "process", "limits", "fees", "place"]
        if self.page.online_available or self.page.online_depth:
            keys.append("online")
        if self.page.result_name:
            keys.append("result")
        keys.append("contact")
        if self.faqs:
            keys.append("faq")
        if not self.basis:
            keys.remove("basis")
        if not self.conditions:
            keys.remove("conditions")
        if not self.steps:
            keys.remove("process")
        return {key: chinese_numeral(n) for n, key in enumerate(keys, start=1)}

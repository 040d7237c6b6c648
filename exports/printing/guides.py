"""Everything a printed guide shows, read from the declared guide (content.guide) like the web page.

`PrintedGuide` holds one guide as `export_guide(page)` gives it and words every value with
content.guide's helpers (时限, 跑动次数, 收费, 容缺, 办理状态 …), never its own; it adds the hall and
window, the QR codes and the order and numbers of the sections. The guide PDF, the checklist and the
booklets all print from it, so paper and screen never disagree.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
    return (
        ServiceHall.objects.select_related("hall").annotate(hall_readable=Exists(readable)).order_by("sort_order", "pk")
    )


def guide_prefetch():
    """The related rows a printed guide reads (content.guide's, with readable halls marked), fetched once
    for any number of guides."""
    return guide.guide_prefetch(halls=hall_links())


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


def printed_status(status, today=None):
    """办理状态 as paper prints it on `today` (content.guide.status_notice, as the web page shows it).
    The PDF cache keys on it."""
    return guide.status_notice(status, today or timezone.localdate())


# How many entries of 本指南变更记录 a printed guide carries (the newest); the rest are on the web page.
CHANGES_PRINTED = 3


@dataclass(frozen=True)
class PrintedForm:
    """A blank or sample form printed beside its material: paper cannot click, so a short link to type
    and a QR code to scan, both to the portal's /forms/<id>/ (which serves the current file)."""

    label: str
    title: str
    link: str  # the short link as printed, without the scheme
    url: str  # what the QR code opens
    qr: str


@dataclass(frozen=True)
class PrintedMaterial:
    """One material as printed: its values in catalog form and their wording from content.guide."""

    data: dict
    forms: tuple = ()

    def __getattr__(self, name):
        try:
            return self.__dict__["data"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def necessity(self):
        return guide.necessity_text(self.data)

    @property
    def deferral(self):
        return guide.deferral_text(self.data)

    @property
    def marks(self):
        """The marks beside the name other than 容缺, which the 必要性 column already says."""
        return [mark for mark in guide.material_marks(self.data) if mark != guide.necessity_text(self.data)]

    @property
    def mistakes_lines(self):
        return guide.lines_of(self.data["mistakes"])


class PrintedGuide:
    """One guide ready to print: its elements as content.guide declares and words them (`data` is
    `export_guide(page)`), its place, live URL, QR code and numbered sections."""

    def __init__(self, page, hall=None, windows_by_hall=None, today=None):
        self.page = page
        self.place = place_of(page, hall, windows_by_hall)
        self.data = guide.export_guide(page)
        self.today = today or timezone.localdate()

    def text(self, key):
        return guide.text(key, self.data[key])

    @cached_property
    def url(self):
        return self.page.full_url or ""

    @cached_property
    def qr(self):
        return qr_data_uri(self.url) if self.url else ""

    @cached_property
    def updated(self):
        """The date the guide last changed, as the web page says it (ServicePage.last_updated, worded by
        content.guide.date_text: 2026年3月1日)."""
        return guide.date_text(self.page.last_updated)

    @cached_property
    def status(self):
        return printed_status(self.data["status"], self.today)

    @cached_property
    def basis(self):
        return self.data["basis"]

    @cached_property
    def conditions(self):
        return guide.lines_of(self.data["conditions"])

    @cached_property
    def materials(self):
        rows = zip(self.data["materials"], self.page.materials.all(), strict=True)
        return [PrintedMaterial(data, tuple(self._forms(row))) for data, row in rows]

    def _forms(self, row):
        root = "{0.scheme}://{0.netloc}".format(urlsplit(self.url)) if self.url else ""
        for label, document in ((_("空白表格"), row.blank_form), (_("填写样表"), row.sample_form)):
            if document is None:
                continue
            url = root + reverse("exports:form", args=[document.pk])
            link = url.split("://", 1)[-1]
            yield PrintedForm(label=label, title=document.title, link=link, url=url, qr=qr_data_uri(url))

    @property
    def to_bring(self):
        """The materials a person brings (免提交 ones the centre obtains by data sharing)."""
        return [m for m in self.materials if not m.shared]

    @property
    def shared(self):
        return [m for m in self.materials if m.shared]

    @property
    def promise_materials(self):
        return [m for m in self.materials if m.promise]

    @property
    def forms(self):
        return [(m, form) for m in self.materials for form in m.forms]

    @property
    def distinct_forms(self):
        """[(form, [numbers of the materials it is for])], each form once (the checklist prints them in one
        strip so that it stays on one sheet; one form may serve several materials)."""
        found = {}
        for number, material in enumerate(self.materials, start=1):
            for form in material.forms:
                found.setdefault((form.label, form.url), (form, []))[1].append(number)
        return list(found.values())

    @cached_property
    def steps(self):
        return self.data["process"]

    @cached_property
    def specials(self):
        return [guide.special_text(p) for p in self.data["special_procedures"]]

    @cached_property
    def fees(self):
        """One line per fee (content.guide.fees_text) with its basis."""
        return [(guide.fees_text([fee]), fee["basis"]) for fee in self.data["fees"]]

    @property
    def fees_text(self):
        return guide.fees_text(self.data["fees"])

    @cached_property
    def faqs(self):
        return self.data["faq"]

    @cached_property
    def topics(self):
        return self.data["topics"]

    @property
    def legal_limit(self):
        return guide.limit_text(self.data["legal_limit"])

    @property
    def promised_limit(self):
        return guide.limit_text(self.data["promised_limit"])

    @property
    def legal_limit_short(self):
        return guide.limit_text(self.data["legal_limit"], with_note=False)

    @property
    def promised_limit_short(self):
        return guide.limit_text(self.data["promised_limit"], with_note=False)

    @property
    def visits_text(self):
        return guide.visits_text(self.data["visits"])

    @property
    def audience_text(self):
        return self.text("audience")

    @property
    def window_authority(self):
        return guide.window_authority_text(self.data["window_authority"])

    @property
    def scope(self):
        return self.text("scope")

    @property
    def delivery(self):
        return self.text("delivery")

    @property
    def result(self):
        return self.text("result")

    @property
    def online(self):
        return self.data["online"]

    @cached_property
    def hall_roles(self):
        """[(hall, what it does with the item)] for the halls printed, or [] when no hall has roles of its
        own (every hall then handles it all, and the guide need not say so)."""
        roles = self.data["hall_roles"]
        if not roles or self.place.hall is None:
            return []
        halls = [self.place.hall, *self.place.other_halls]
        return [(hall, guide.hall_roles_text(roles.get(hall.code))) for hall in halls]

    @cached_property
    def changes(self):
        """The newest entries of 本指南变更记录 and how many older ones the web page has besides."""
        return self.data["changes"][:CHANGES_PRINTED]

    @property
    def older_changes(self):
        return max(len(self.data["changes"]) - CHANGES_PRINTED, 0)

    @cached_property
    def sections(self):
        """{section key: Chinese number} for the sections this guide has; empty ones are left out.

        收费 always prints (an item without fees says 不收费); FAQ, online handling, the result,
        告知承诺 and the change log print only when there is something to say.
        """
        keys = ["basis", "conditions", "materials"]
        if self.data["promise_note"] or self.promise_materials:
            keys.append("promise")
        keys += ["process", "limits", "fees", "place"]
        if self.online["available"] or self.online["depth"]:
            keys.append("online")
        if self.result or self.delivery:
            keys.append("result")
        keys.append("contact")
        if self.faqs:
            keys.append("faq")
        if self.changes:
            keys.append("changes")
        if not self.basis:
            keys.remove("basis")
        if not self.conditions:
            keys.remove("conditions")
        if not self.steps:
            keys.remove("process")
        return {key: chinese_numeral(n) for n, key in enumerate(keys, start=1)}

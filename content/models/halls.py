from urllib.parse import urlencode

from django import forms
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from .pages import ReadablePageManager
from .services import ServiceHall, ServicePage

WINDOW_ITEMS_SHOWN = 12


class HallLevel(models.TextChoices):
    COUNTY = "county", _("县级政务服务中心")
    TOWNSHIP = "township", _("乡镇（街道）政务服务中心")
    VILLAGE = "village", _("村（社区）便民服务站")


def group_by_level(halls):
    """Halls grouped as the three-level network: a list of (level, label, halls), empty levels left out."""
    groups = []
    for level, label in HallLevel.choices:
        members = [h for h in halls if h.level == level]
        if members:
            groups.append((level, label, members))
    return groups


class HallPage(Page):
    """A county centre, township sub-centre or village station with its numbered windows."""

    code = models.CharField(
        "中心编码", max_length=64, unique=True, help_text="稳定编码，例如 LY-SD，导入导出时用来识别大厅。"
    )
    level = models.CharField("层级", max_length=16, choices=HallLevel.choices)
    parent_hall = models.ForeignKey(
        "self", verbose_name="上级中心", null=True, blank=True, on_delete=models.SET_NULL, related_name="child_halls"
    )
    address = models.CharField("地址", max_length=255)
    phone = models.CharField("咨询电话", max_length=100)
    hours = models.TextField("办公时间")
    latitude = models.FloatField("纬度", null=True, blank=True, help_text="WGS-84 坐标，用于服务地图。")
    longitude = models.FloatField("经度", null=True, blank=True)

    objects = ReadablePageManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("level")]),
                FieldPanel("parent_hall"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("hours"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="大厅信息",
        ),
        InlinePanel("windows", label="窗口", heading="窗口"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("address"), index.FilterField("level")]
    parent_page_types = ["content.HallIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "服务大厅"
        verbose_name_plural = "服务大厅"

    @property
    def map_links(self):
        """Links that open the phone's map app (or the map website) with a marker at the hall: [(name, url)].

        Amap and Baidu both take the WGS-84 coordinates as stored and convert them themselves, so the
        marker lands on the hall and not a few hundred metres off (GCJ-02/BD-09 offset). Empty without
        coordinates.
        """
        if self.latitude is None or self.longitude is None:
            return []
        lat, lng = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
        amap = urlencode({"position": f"{lng},{lat}", "name": self.title, "coordinate": "wgs84", "callnative": 1})
        baidu = urlencode(
            {
                "location": f"{lat},{lng}",
                "title": self.title,
                "content": self.address,
                "coord_type": "wgs84",
                "output": "html",
                "src": "yimen.portal",
            }
        )
        return [
            (_("高德地图"), f"https://uri.amap.com/marker?{amap}"),
            (_("百度地图"), f"https://api.map.baidu.com/marker?{baidu}"),
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["parent"] = (
            HallPage.objects.readable().filter(pk=self.parent_hall_id).first() if self.parent_hall_id else None
        )
        context["child_halls"] = HallPage.objects.readable().filter(parent_hall=self).order_by("path")
        context["windows"] = self.window_services(limit=WINDOW_ITEMS_SHOWN)
        return context

    def windows_taking(self, service, windows=None):
        """The windows of this hall that take `service`, in window order (see `HallWindows`).

        Pass `windows` (this hall's windows, departments prefetched) when you already have them."""
        return HallWindows(self, windows).taking(service)

    def window_services(self, limit=None):
        """Each window in order, with the readable items it handles here: a list of (window, items, count).

        `items` are in catalog (code) order, at most `limit` of them when given; `count` is always the
        full number. The matching runs over plain values, so a hall with thousands of items stays quick.
        """
        windows = list(self.windows.all().prefetch_related("departments"))
        desk = HallWindows(self, windows)
        first_hall = ServiceHall.objects.filter(service=OuterRef("pk")).order_by("sort_order", "pk").values("hall")[:1]
        rows = (
            ServicePage.objects.readable()
            .for_hall(self)
            .annotate(first_hall=Subquery(first_hall))
            .order_by("code")
            .values_list("pk", "department_id", "window_number", "first_hall")
        )
        handled = {w.pk: [] for w in windows}
        for pk, department_id, window_number, first_hall_id in rows:
            for window in desk.taking_values(department_id, window_number, first_hall_id):
                handled[window.pk].append(pk)
        shown = {pk for ids in handled.values() for pk in ids[:limit]}
        pages = {p.pk: p for p in ServicePage.objects.readable().filter(pk__in=shown).select_related("department")}
        return [(w, [pages[pk] for pk in handled[w.pk][:limit] if pk in pages], len(handled[w.pk])) for w in windows]


class HallWindow(Orderable, ClusterableModel):
    """A numbered window (窗口) as printed above the desk."""

    hall = ParentalKey(HallPage, on_delete=models.CASCADE, related_name="windows")
    number = models.CharField("窗口号", max_length=20)
    name = models.CharField("窗口名称", max_length=100)
    departments = ParentalManyToManyField("content.Department", verbose_name="进驻部门", blank=True)
    scope = models.TextField("业务范围", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("name")]),
        FieldPanel("departments", widget=forms.CheckboxSelectMultiple),
        FieldPanel("scope"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="unique_window_number_per_hall")]

    def __str__(self):
        return f"{self.number}号窗口 {self.name}" if self.number.isdigit() else f"{self.number}窗口 {self.name}"

    @property
    def label_with_hall(self):
        """“三都镇政务服务中心 · 1号窗口 综合代办窗口”: every hall numbers its windows from 1."""
        return f"{self.hall.title} · {self}"


class HallWindows:
    """A hall's windows and the one rule for which of them takes an item (办事指南) there.

    At the item's first hall, the window its 窗口号 names takes it, and only that one (none, when the
    hall has no window of that number); at its other halls, or when it names no window, every window
    serving its department does. The guide page, the hall page, printed guides and booklets and the
    window a rating is filed under all ask this class, so no two of them can list different windows.
    """

    def __init__(self, hall, windows=None):
        self.hall_id = hall.pk
        self.windows = list(hall.windows.all() if windows is None else windows)
        self._by_number = {w.number: w for w in self.windows}
        self._by_department = {}
        for window in self.windows:
            for department in window.departments.all():
                self._by_department.setdefault(department.pk, []).append(window)

    def taking(self, service):
        """The windows that take `service` (a ServicePage) at this hall, in window order."""
        return self.taking_values(service.department_id, service.window_number, service.first_hall_id)

    def taking_values(self, department_id, window_number, first_hall_id):
        """The same, from an item's department id, 窗口号 and first hall id (for lists of thousands of items)."""
        if first_hall_id == self.hall_id and window_number:
            named = self._by_number.get(window_number)
            return [named] if named else []
        return list(self._by_department.get(department_id, []))

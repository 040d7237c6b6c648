"""The hall directory behind the service map (政务服务地图) and its schematic drawing."""

from dataclasses import dataclass

from django.db.models import Count

from content.models import HallPage, ServiceHall, ServicePage


@dataclass
class HallEntry:
    hall: HallPage
    items: int
    windows: list


def hall_directory():
    """Every readable hall in tree order, with its windows and the number of readable guides it offers."""
    halls = list(HallPage.objects.readable().order_by("path").select_related("parent_hall").prefetch_related("windows"))
    counts = dict(
        ServiceHall.objects.filter(service__in=ServicePage.objects.readable(), hall__in=halls)
        .order_by()
        .values("hall")
        .annotate(n=Count("service", distinct=True))
        .values_list("hall", "n")
    )
    return [HallEntry(hall=h, items=counts.get(h.pk, 0), windows=list(h.windows.all())) for h in halls]


@dataclass
class Point:
    x: float
    y: float
    label: str
    number: int
    level: str


def schematic(entries, width=640, height=360, margin=48):
    """Halls with coordinates placed by longitude and latitude in an SVG box; None with fewer than two.

    A sketch of where the halls lie relative to each other, not a survey map: no tiles are loaded.
    """
    located = [
        (n, e) for n, e in enumerate(entries, start=1) if e.hall.latitude is not None and e.hall.longitude is not None
    ]
    if len(located) < 2:
        return None
    lats = [e.hall.latitude for _n, e in located]
    lngs = [e.hall.longitude for _n, e in located]
    span = max(max(lats) - min(lats), max(lngs) - min(lngs), 1e-4)
    scale = min((width - 2 * margin) / span, (height - 2 * margin) / span)
    mid_lat, mid_lng = (max(lats) + min(lats)) / 2, (max(lngs) + min(lngs)) / 2
    points = [
        Point(
            x=width / 2 + (e.hall.longitude - mid_lng) * scale,
            y=height / 2 - (e.hall.latitude - mid_lat) * scale,
            label=e.hall.title,
            number=n,
            level=e.hall.level,
        )
        for n, e in located
    ]
    return {"width": width, "height": height, "points": points}

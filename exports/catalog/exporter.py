"""Write the portal's published catalog in the `yimen-catalog/2` exchange format (content.guide)."""

from django.db.models import QuerySet

from wagtail.models import Site

from content.guide import FORMAT, export_guide, guide_prefetch
from content.models import Department, HallPage, PortalSettings, ServicePage, StaffMember, Topic

__all__ = ["FORMAT", "export_catalog", "published_services", "service_to_dict"]


def _or_none(value):
    return value if value not in ("", None) else None


def center_to_dict(hall):
    location = None
    if hall.latitude is not None and hall.longitude is not None:
        location = {"lat": hall.latitude, "lng": hall.longitude}
    return {
        "code": hall.code,
        "name": hall.title,
        "level": hall.level,
        "parent": hall.parent_hall.code if hall.parent_hall_id else None,
        "address": hall.address,
        "phone": hall.phone,
        "hours": hall.hours,
        "location": location,
        "windows": [
            {
                "number": w.number,
                "name": w.name,
                "departments": [d.code for d in sorted(w.departments.all(), key=lambda d: d.pk)],
                "scope": _or_none(w.scope),
            }
            for w in hall.windows.all()
        ],
    }


def department_to_dict(department):
    return {"code": department.code, "name": department.name, "kind": _or_none(department.kind)}


def staff_to_dict(person):
    photo = None
    if person.photo_id:
        photo = f"photos/{person.staff_id}{_suffix(person.photo.file.name)}"
    return {
        "id": person.staff_id,
        "name": person.name,
        "center": person.hall.code,
        "window": person.window.number if person.window_id else None,
        "department": person.department.code,
        "position": person.position,
        "post": person.post or None,
        "duties": _or_none(person.duties),
        "phone": _or_none(person.phone),
        "photo": photo,
    }


def _suffix(name):
    dot = name.rfind(".")
    return name[dot:].lower() if dot != -1 else ".jpg"


def service_to_dict(page):
    """One item exactly as the exchange format has it (content.guide declares every element); the
    importer compares against this to stay idempotent."""
    return export_guide(page)


SERVICE_PREFETCH = guide_prefetch()


def published_services(readable_only=False):
    """Live service pages with everything the export reads, in catalog order; with `readable_only`,
    only those any visitor may read (no view restriction on them or an ancestor)."""
    services = ServicePage.objects.readable() if readable_only else ServicePage.objects.live()
    return services.select_related("department").prefetch_related(*SERVICE_PREFETCH).order_by("path")


def region():
    site = Site.objects.filter(is_default_site=True).first()
    settings = PortalSettings.for_site(site) if site else None
    return {
        "code": (settings.region_code if settings else "") or "000000",
        "name": (settings.region_name if settings else "") or "未设置",
    }


def export_catalog(services=None, readable_only=False):
    """The whole published catalog as a dict ready for json.dump.

    With `readable_only` (open data) it holds only what any visitor may read: guides and halls
    under a view restriction are left out, and with them the staff of such halls and their codes
    in the guides' `centers` and the other halls' `parent`. Without it (the administrators' export, a backup of the
    content) every live page is in.

    A queryset of services is read 500 at a time with their rows prefetched, so only the resulting
    dictionaries are held in memory, not 10,000 pages with all their inline rows.
    """
    if services is None:
        services = published_services(readable_only=readable_only)
    if isinstance(services, QuerySet):
        services = services.iterator(chunk_size=500)
    halls = HallPage.objects.readable() if readable_only else HallPage.objects.live()
    halls = list(halls.select_related("parent_hall").prefetch_related("windows__departments").order_by("path"))
    staff = StaffMember.objects.on_board().select_related("hall", "window", "department", "photo").order_by("pk")
    centers = [center_to_dict(h) for h in halls]
    items = (service_to_dict(p) for p in services)
    if readable_only:
        staff = staff.filter(hall__in=halls)
        shown = {h.code for h in halls}
        centers = [{**c, "parent": c["parent"] if c["parent"] in shown else None} for c in centers]
        items = (
            {
                **item,
                "centers": [c for c in item["centers"] if c in shown],
                "hall_roles": {c: r for c, r in item["hall_roles"].items() if c in shown},
            }
            for item in items
        )
    return {
        "format": FORMAT,
        "region": region(),
        "centers": centers,
        "departments": [department_to_dict(d) for d in Department.objects.order_by("pk")],
        "staff": [staff_to_dict(p) for p in staff],
        "items": list(items),
    }


def topic_order():
    return {t.name: (t.sort_order, t.name) for t in Topic.objects.all()}

"""Write the portal's published catalog in the `yimen-catalog/2` exchange format (content.guide)."""

import json
import shutil
import zipfile
from pathlib import Path, PurePosixPath

from django.db.models import QuerySet

from wagtail.documents import get_document_model
from wagtail.models import Site

from content.guide import FORMAT, document_ref, export_guide, guide_prefetch
from content.models import Department, HallPage, Material, PortalSettings, ServicePage, StaffMember, Topic

__all__ = [
    "FORMAT",
    "catalog_files",
    "export_catalog",
    "published_services",
    "service_to_dict",
    "write_catalog",
    "write_catalog_zip",
]


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
        "agent": person.is_agent,
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
                "assist_centers": [c for c in item["assist_centers"] if c in shown],
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


class MissingFile(Exception):
    """A photo or form the catalog names has no file in the portal's storage (deleted by hand)."""


def catalog_files(document):
    """{path in the catalog ("photos/SD-S01.jpg", "forms/<hash>.pdf"): the Wagtail file behind it} for every
    photo and form `document` names: what has to travel beside the JSON for an import to read it back."""
    files = {}
    photos = {p.staff_id: p.photo for p in StaffMember.objects.on_board().select_related("photo") if p.photo_id}
    for person in document["staff"]:
        if person["photo"]:
            files[person["photo"]] = photos[person["id"]]
    wanted = {
        ref["file"]
        for item in document["items"]
        for material in item["materials"]
        for ref in (material.get("blank_form"), material.get("sample_form"))
        if ref
    }
    if wanted:
        ids = set()
        for blank, sample in Material.objects.filter(service__live=True).values_list("blank_form_id", "sample_form_id"):
            ids.update(i for i in (blank, sample) if i)
        for form in get_document_model().objects.filter(pk__in=ids).order_by("pk"):
            name = document_ref(form)["file"]
            if name in wanted:
                files.setdefault(name, form)
    missing = sorted(wanted - set(files))
    if missing:  # pragma: no cover - the export just named them from these very rows
        raise MissingFile(f"找不到表格 {'、'.join(missing)}")
    return dict(sorted(files.items()))


def _open(stored, name):
    try:
        return stored.open_file()
    except FileNotFoundError:
        raise MissingFile(f"{name} 的文件不在存储中（{stored.file.name}），请在管理后台重新上传") from None


def catalog_json(document):
    return json.dumps(document, ensure_ascii=False, indent=1)


def write_catalog(path, document=None):
    """Write the catalog JSON at `path` and its photos/ and forms/ beside it, as `import_catalog` reads
    them back; the JSON is written last and atomically, so a folder with a catalog.json is complete."""
    path = Path(path)
    document = export_catalog() if document is None else document
    for name, stored in catalog_files(document).items():
        target = path.parent / PurePosixPath(name)
        target.parent.mkdir(exist_ok=True)
        with _open(stored, name) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(catalog_json(document), encoding="utf-8")
    tmp.replace(path)
    return document


# Members carry this fixed time, so the same catalog always zips to the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_catalog_zip(out, document=None):
    """The catalog as a ZIP in `out` (a binary file): catalog.json with photos/ and forms/, exactly the
    folder `write_catalog` writes, which the admin's 导入事项目录 accepts as it is."""
    document = export_catalog() if document is None else document
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(_member("catalog.json"), catalog_json(document).encode("utf-8"))
        for name, stored in catalog_files(document).items():
            with _open(stored, name) as source, archive.open(_member(name), "w") as member:
                shutil.copyfileobj(source, member)
    return document


def _member(name):
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked with unzip
    return info

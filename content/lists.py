"""The public lists (清单) a service centre publishes beside its catalog, built from the guides themselves:

- 容缺受理事项清单: items that accept an application with a material still missing, which materials
  and by when they follow;
- 告知承诺事项清单: items where a signed promise replaces proof, what the promise replaces;
- 证明清单: every certificate (a material with an issuer) still asked for, who issues it, and which
  items ask for it.

Only readable guides count (`ServicePage.objects.readable()`), so a restricted guide is named nowhere.
Materials are read in catalog form through the guide's declared parts (content.guide), and worded by
its functions (容缺 …), so a list says exactly what the guide page and the PDF say.
"""

import io
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from content.guide import MATERIAL_PARTS, MATERIAL_PARTS_2, deferral_text, join, material_marks
from content.models import CatalogPage, Material, ServicePage
from spreadsheets import CsvWriter

MATERIAL_VALUES = tuple(p for p in MATERIAL_PARTS + MATERIAL_PARTS_2 if p.kind != "document")


def material_values(material):
    """A material row in catalog form (its forms left out: lists do not offer them)."""
    return {p.key: p.export(material) for p in MATERIAL_VALUES}


def _services(materials_filter, extra=None):
    """Readable guides with a material matching `materials_filter` (or matching `extra`), in catalog
    order, each with its materials in their own order."""
    matching = Material.objects.filter(materials_filter, service=OuterRef("pk"))
    return (
        ServicePage.objects.readable()
        .filter(Q(Exists(matching)) | (extra or Q()))
        .select_related("department")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("sort_order", "pk")))
        .order_by("path")
    )


@dataclass
class ServiceEntry:
    """One item of a list: the guide and what the list says of it."""

    service: ServicePage
    materials: list = field(default_factory=list)  # catalog-form material dicts
    note: str = ""


@dataclass
class Certificate:
    """One certificate of the 证明清单: its name, who issues it, and the items asking for it."""

    name: str
    issuer: str
    uses: list = field(default_factory=list)  # [(ServicePage, its marks for it: 容缺, 可告知承诺 …)]


def deferral_entries():
    """容缺受理事项清单: every readable item with a 容缺 material, with those materials and their 补交期限."""
    entries = []
    for service in _services(Q(deferrable=True)):
        rows = [material_values(m) for m in service.materials.all()]
        entries.append(ServiceEntry(service, [dict(m, text=deferral_text(m)) for m in rows if m["deferrable"]]))
    return entries


def promise_entries():
    """告知承诺事项清单: items with a 告知承诺 note or a material a signed promise replaces."""
    entries = []
    for service in _services(Q(promise_ok=True), extra=~Q(promise_note="")):
        rows = [material_values(m) for m in service.materials.all()]
        entries.append(ServiceEntry(service, [m for m in rows if m["promise"]], note=service.promise_note))
    return entries


def certificates():
    """证明清单: one entry per certificate name and issuer, by issuer then name, with every item asking for it."""
    found = {}
    for service in _services(~Q(issuer="")):
        for material in service.materials.all():
            if material.issuer:
                key = (material.issuer, material.name)
                marks = material_marks(material_values(material))
                found.setdefault(key, Certificate(material.name, material.issuer)).uses.append((service, marks))
    return [found[key] for key in sorted(found)]


@dataclass(frozen=True)
class PublicList:
    """What one list page shows and downloads: its entries, its words, its CSV."""

    name: str  # URL name and file name
    title: str
    intro: str
    empty: str
    template: str
    entries: object  # callable() -> list
    header: tuple
    rows: object  # callable(entries) -> iterable of rows


def _deferral_rows(entries):
    for entry in entries:
        for m in entry.materials:
            yield [
                entry.service.code,
                entry.service.title,
                entry.service.department.name,
                m["name"],
                m["deferral_days"] or "",
                m["text"],
            ]


def _promise_rows(entries):
    for entry in entries:
        names = join((m["name"] for m in entry.materials), "、")
        yield [entry.service.code, entry.service.title, entry.service.department.name, entry.note, names]


def _certificate_rows(entries):
    for certificate in entries:
        for service, marks in certificate.uses:
            yield [
                certificate.name,
                certificate.issuer,
                service.code,
                service.title,
                service.department.name,
                "、".join(marks),
            ]


LISTS = {
    "deferral": PublicList(
        name="deferral",
        title="容缺受理事项清单",
        intro="下列事项实行容缺受理：申请时缺少清单所列的材料，其他条件和主要材料齐全的，窗口先受理，"
        "申请人在补交期限内补齐后办结。补交期限从受理之日起按工作日计算。",
        empty="目前没有实行容缺受理的事项。",
        template="content/lists/deferral_list.html",
        entries=deferral_entries,
        header=("实施编码", "事项名称", "实施主体", "容缺材料", "补交期限（工作日）", "说明"),
        rows=_deferral_rows,
    ),
    "promise": PublicList(
        name="promise",
        title="告知承诺事项清单",
        intro="下列事项实行证明事项告知承诺制：申请人书面承诺符合条件的，可以不提交清单所列的证明材料，"
        "或免于相应的核查。承诺不实的，依法承担责任。",
        empty="目前没有实行告知承诺的事项。",
        template="content/lists/promise_list.html",
        entries=promise_entries,
        header=("实施编码", "事项名称", "实施主体", "告知承诺说明", "承诺后可不提交的材料"),
        rows=_promise_rows,
    ),
    "certificates": PublicList(
        name="certificates",
        title="证明清单",
        intro="办理本门户各事项仍需申请人提交的证明材料，以及开具证明的单位。清单以外的证明，窗口不得要求提交。",
        empty="目前没有需要申请人提交的证明材料。",
        template="content/lists/certificate_list.html",
        entries=certificates,
        header=("证明名称", "开具单位", "实施编码", "事项名称", "实施主体", "说明"),
        rows=_certificate_rows,
    ),
}


def _list(name):
    try:
        return LISTS[name]
    except KeyError:  # pragma: no cover - the URL patterns name only known lists
        raise Http404 from None


@require_safe
def list_view(request, name):
    public_list = _list(name)
    context = {
        "list": public_list,
        "entries": public_list.entries(),
        "lists": LISTS.values(),
        "catalog": CatalogPage.objects.readable().first(),
    }
    return render(request, public_list.template, context)


@require_safe
def list_csv_view(request, name):
    """The list as CSV: UTF-8 with a byte-order mark for Excel, every cell through `spreadsheets`."""
    public_list = _list(name)
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(public_list.header)
    writer.writerows(public_list.rows(public_list.entries()))
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{public_list.title}.csv")
    return response

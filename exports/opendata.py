"""The published catalog as open data: `yimen-catalog/1` JSON, CSV and XLSX, all from one export.

CSV and XLSX are flat views of the same `exports.catalog.exporter` dictionary the JSON download
is, so the three files never disagree. Columns are declared once below, each as (header, getter).
"""

import io
import json
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from content.models import ServicePage
from spreadsheets import CsvWriter, xlsx_cell, xlsx_row

from .catalog.exporter import export_catalog


def _join(values, sep="；"):
    return sep.join(str(v) for v in values if v not in (None, ""))


def _limit(limit):
    if not limit:
        return ""
    text = "当场办结" if limit["days"] == 0 else f"{limit['days']}个{limit['unit']}"
    return f"{text}（{limit['note']}）" if limit.get("note") else text


def _basis(item):
    return _join(
        "《{}》{}{}".format(b["name"], f"（{b['number']}）" if b.get("number") else "", b.get("article") or "")
        for b in item["basis"]
    )


def _fees(item):
    if not item["fees"]:
        return "不收费"
    return _join(f"{f['name']}：{f['standard']}" + ("（可减免）" if f["reducible"] else "") for f in item["fees"])


def _process(item):
    return _join(
        f"{n}. {s['step']}" + (f"（{s['time_limit']}）" if s.get("time_limit") else "")
        for n, s in enumerate(item["process"], start=1)
    )


ITEM_COLUMNS = (
    ("实施编码", lambda i: i["code"]),
    ("基本编码", lambda i: i["catalog_code"] or ""),
    ("事项名称", lambda i: i["name"]),
    ("事项类型", lambda i: i["type"]),
    ("实施主体编码", lambda i: i["department"]),
    ("办理大厅编码", lambda i: _join(i["centers"], "、")),
    ("窗口号", lambda i: i["window"] or ""),
    ("服务对象", lambda i: _join(i["audience"], "、")),
    ("主题分类", lambda i: _join(i["topics"], "、")),
    ("办件类型", lambda i: i["handling"]),
    ("设定依据", _basis),
    ("受理条件", lambda i: i["conditions"]),
    ("申请材料数", lambda i: len(i["materials"])),
    ("办理流程", _process),
    ("法定办结时限", lambda i: _limit(i["legal_limit"])),
    ("承诺办结时限", lambda i: _limit(i["promised_limit"])),
    ("收费", _fees),
    ("到办事现场次数", lambda i: i["visits"]),
    ("可网上办理", lambda i: "是" if i["online"]["available"] else "否"),
    ("网上办理地址", lambda i: i["online"]["url"] or ""),
    ("办理结果", lambda i: (i["result"] or {}).get("name", "")),
    ("咨询电话", lambda i: i["consult_phone"]),
    ("监督投诉电话", lambda i: i["complaint_phone"]),
    ("办理地点", lambda i: i["address"] or ""),
    ("办理时间", lambda i: i["hours"] or ""),
    ("常见问题数", lambda i: len(i["faq"])),
    ("俗称和关键词", lambda i: _join(i["keywords"], "、")),
    ("指南更新日期", lambda i: i["updated"] or ""),
)

MATERIAL_COLUMNS = (
    ("材料序号", lambda m, n: n),
    ("材料名称", lambda m, n: m["name"]),
    ("材料形式", lambda m, n: m["form"]),
    ("份数", lambda m, n: m["copies"]),
    ("必要性", lambda m, n: "必要" if m["required"] else "非必要"),
    ("载体", lambda m, n: m["medium"] or ""),
    ("来源渠道", lambda m, n: m["source"] or ""),
    ("填报须知", lambda m, n: m["note"] or ""),
)

KIND_ITEM = "事项"
KIND_MATERIAL = "申请材料"


@dataclass(frozen=True)
class CatalogSummary:
    """What the open-data page says about the downloads: how many items, changed when."""

    count: int
    updated: object  # datetime.date or None


def summary():
    """How many public items there are and the date the newest change was published (or, for pages
    that never went through publishing such as bulk-created ones, the latest 指南更新日期)."""
    services = ServicePage.objects.readable()
    found = services.aggregate(published=Max("last_published_at"), updated=Max("updated"))
    dates = [d for d in (found["published"] and timezone.localdate(found["published"]), found["updated"]) if d]
    return CatalogSummary(count=services.count(), updated=max(dates) if dates else None)


def catalog():
    """The whole published catalog as the `yimen-catalog/1` dictionary (readable pages only)."""
    return export_catalog(readable_only=True)


def catalog_json(data):
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def csv_header():
    return ["记录类型", *(h for h, _ in ITEM_COLUMNS), *(h for h, _ in MATERIAL_COLUMNS)]


def csv_rows(data):
    """One row per item, then one row per material of that item (记录类型 tells them apart)."""
    blank_materials = [""] * len(MATERIAL_COLUMNS)
    for item in data["items"]:
        yield [KIND_ITEM, *(get(item) for _, get in ITEM_COLUMNS), *blank_materials]
        for n, material in enumerate(item["materials"], start=1):
            head = {"实施编码": item["code"], "事项名称": item["name"]}
            yield [
                KIND_MATERIAL,
                *(head.get(h, "") for h, _ in ITEM_COLUMNS),
                *(get(material, n) for _, get in MATERIAL_COLUMNS),
            ]


def catalog_csv(data):
    """UTF-8 with a byte-order mark, so Excel on Windows opens the Chinese text correctly; cells go through
    `spreadsheets`, so an editor's text never becomes a formula."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(csv_header())
    writer.writerows(csv_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def catalog_xlsx(data, info):
    """A workbook with one sheet of items, one of materials and one describing the data; every row goes
    through `spreadsheets.xlsx_row`, so an editor's text never becomes a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F4EFE6")

    def header(sheet, names):
        cells = []
        for name in names:
            cell = xlsx_cell(sheet, name)
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
            cells.append(cell)
        return cells

    items = workbook.create_sheet("事项")
    items.freeze_panes = "C2"
    for letter, width in zip("ABCDEFGHIJKLMNOP", (14, 14, 36, 12, 12, 20, 8, 10, 16, 10, 40, 50, 8, 40, 16, 16), strict=True):
        items.column_dimensions[letter].width = width
    items.append(header(items, [h for h, _ in ITEM_COLUMNS]))
    for item in data["items"]:
        items.append(xlsx_row(items, [get(item) for _, get in ITEM_COLUMNS]))

    materials = workbook.create_sheet("申请材料")
    materials.freeze_panes = "C2"
    for letter, width in zip("ABCDEFGHIJ", (14, 36, 8, 40, 12, 6, 8, 10, 14, 50), strict=True):
        materials.column_dimensions[letter].width = width
    materials.append(header(materials, ["实施编码", "事项名称", *(h for h, _ in MATERIAL_COLUMNS)]))
    for item in data["items"]:
        for n, material in enumerate(item["materials"], start=1):
            row = [item["code"], item["name"], *(get(material, n) for _, get in MATERIAL_COLUMNS)]
            materials.append(xlsx_row(materials, row))

    about = workbook.create_sheet("说明")
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    region = data.get("region") or {}
    for row in (
        ("数据格式", f"{data['format']}（与 JSON 下载内容相同，此表为其平面视图）"),
        ("行政区划", _join([region.get("code"), region.get("name")], " ")),
        ("事项数量", len(data["items"])),
        ("数据更新日期", info.updated.isoformat() if info.updated else ""),
        ("生成时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ):
        about.append(xlsx_row(about, row))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""The published catalog as open data: `yimen-catalog/2` JSON, CSV and XLSX, all from one export.

CSV and XLSX are flat views of the same `exports.catalog.exporter` dictionary the JSON download
is, so the three files never disagree. Columns are declared with each element in `content.guide`, each as (header, getter).
"""

import io
import json
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from content.guide import material_columns, open_data_columns
from content.models import ServicePage
from exports.catalog.exporter import export_catalog
from spreadsheets import CsvWriter, xlsx_cell, xlsx_row


def _join(values, sep="；"):
    return sep.join(str(v) for v in values if v not in (None, ""))


# Every column comes from the guide's description (content.guide), in its order.
ITEM_COLUMNS = tuple(open_data_columns())
MATERIAL_COLUMNS = tuple(material_columns())

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
    """The whole published catalog as the `yimen-catalog/2` dictionary (readable pages only)."""
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


# Wide columns for long texts; every other column is 14 characters wide.
COLUMN_WIDTHS = {
    "事项名称": 36,
    "材料名称": 36,
    "设定依据": 40,
    "受理条件": 50,
    "办理流程": 40,
    "填报须知": 50,
    "办理状态": 30,
}


def widths(sheet, headers):
    from openpyxl.utils import get_column_letter

    for n, name in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = COLUMN_WIDTHS.get(name, 14)


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
    widths(items, [h for h, _ in ITEM_COLUMNS])
    items.append(header(items, [h for h, _ in ITEM_COLUMNS]))
    for item in data["items"]:
        items.append(xlsx_row(items, [get(item) for _, get in ITEM_COLUMNS]))

    materials = workbook.create_sheet("申请材料")
    materials.freeze_panes = "C2"
    widths(materials, ["实施编码", "事项名称", *(h for h, _ in MATERIAL_COLUMNS)])
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

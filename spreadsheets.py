"""Every CSV and XLSX file the portal writes goes through here, so no cell becomes a live formula.

Excel, WPS and LibreOffice read a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula; anonymous search terms and editors' text reach the admin's exports
and the public open data, so such a cell could run ``=HYPERLINK(...)`` or worse on the reader's
machine (OWASP, "CSV Injection"). Following OWASP: in CSV every text cell is quoted and a risky one
gets a leading ``'``, which the spreadsheet shows as text; in XLSX a risky cell is stored as a string
with Excel's quote-prefix flag, so it keeps its exact text and editing it does not turn it into a
formula. Numbers, dates and booleans are written as they are.

A module of its own, below every app: ``content``, ``search`` and ``exports`` all write
spreadsheets, and ``content`` may import none of the other two.
"""

import csv
import datetime

from wagtail.admin.views.mixins import Echo
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value):
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value):
    """The value as a CSV cell: risky text behind a single quote, anything else unchanged."""
    return "'" + value if is_formula_like(value) else value


class CsvWriter:
    """`csv.writer` with every row neutralised and every text cell quoted, so a separator inside a cell
    (a ``;`` in locales that split on it) cannot start a new cell that is a formula."""

    def __init__(self, file):
        self._writer = csv.writer(file, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")

    def writerow(self, row):
        return self._writer.writerow([_csv_value(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def _csv_value(value):
    # QUOTE_NONNUMERIC would write None and dates bare; only real numbers stay unquoted.
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        value = str(value)
    return csv_cell(value)


def xlsx_cell(sheet, value):
    """A write-only cell holding value; risky text is a string cell with the quote prefix, never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        # openpyxl refuses control characters (a pasted vertical tab) with an exception: drop them.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_row(sheet, values):
    """A row for ``sheet.append``: plain values become cells through `xlsx_cell`, ready cells stay."""
    from openpyxl.cell.cell import Cell

    return [value if isinstance(value, Cell) else xlsx_cell(sheet, value) for value in values]


class SpreadsheetIndexView(IndexView):
    """An admin list (snippets, case queues, message logs) whose ``list_export`` downloads go through this module.

    Wagtail 8 stores an XLSX cell that starts with ``=`` as text but leaves ``+``, ``-`` and ``@`` alone
    and writes CSV cells unchanged."""

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            cell = xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))
            if date_format and isinstance(value, datetime.datetime):
                cell.number_format = date_format
            yield cell

    def stream_csv(self, queryset):
        writer = CsvWriter(Echo())
        yield writer.writerow([self.get_heading(queryset, field) for field in self.list_export])
        for item in queryset:
            row = self.to_row_dict(item)
            yield writer.writerow([self.preprocess_field_value(f, v, self.FORMAT_CSV) for f, v in row.items()])


class SpreadsheetSnippetViewSet(SnippetViewSet):
    """Base of every snippet admin with ``list_export``: its CSV and XLSX cannot carry formulas."""

    index_view_class = SpreadsheetIndexView

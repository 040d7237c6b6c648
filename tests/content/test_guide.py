"""The guide declared once (content.guide): the description covers every field, round-trips, and every
output shows every element it says it shows.

The walking test imports one guide with a distinctive value for every element (each element's
`example`), renders every output — web page, PDF, checklist, booklet, JSON, CSV, XLSX and the search
documents — and checks that each element's evidence is in each output its entry names. Adding an
element to the description without showing it, or showing a field the description does not declare,
fails here.
"""

import csv
import io
import json
import re
import tempfile
from pathlib import Path

from django.test import TestCase

from modelcluster.models import get_all_child_relations

from bs4 import BeautifulSoup
from openpyxl import load_workbook

from content.guide import (
    DATA_OUTPUTS,
    ELEMENTS,
    OUTPUTS,
    example_guide,
    export_guide,
    guide_prefetch,
    normalize_guide,
)
from content.models import Material, ServiceHall, ServicePage
from exports.catalog.importer import import_document
from exports.printing.booklets import BookletScope, render_booklet
from search.documents import documents_for_pages
from tests.exports.full_catalog import full_catalog
from tests.exports.test_guide_pdf import pdf_pages
from tests.factories import site_structure

# ServicePage fields that are not guide elements: the page's own bookkeeping.
NOT_ELEMENTS = {"page_ptr"}


def squash(text):
    return re.sub(r"\s+", "", text)


def imported_example():
    """The guide with every element (and two real forms) imported through a catalog file: its page, and
    the item as the file carried it."""
    site_structure()
    with tempfile.TemporaryDirectory() as folder:
        document = full_catalog(Path(folder))
        import_document(document, folder)
    return ServicePage.objects.get(code=example_guide()["code"]), document["items"][0]


class DescriptionTests(TestCase):
    def test_every_field_and_row_of_a_guide_is_an_element(self):
        declared = {name for e in ELEMENTS for name in e.fields()}
        own = {f.name for f in ServicePage._meta.local_fields} - NOT_ELEMENTS
        own |= {f.name for f in ServicePage._meta.local_many_to_many}
        own |= {r.name for r in get_all_child_relations(ServicePage) if r.field.related_model is ServicePage}
        self.assertEqual(sorted(own - declared), [], "ServicePage fields and rows no element declares")

    def test_every_material_and_hall_field_is_declared(self):
        parts = {p.attr for p in next(e for e in ELEMENTS if e.key == "materials").parts}
        own = {f.name for f in Material._meta.local_fields} - {"id", "sort_order", "service"}
        self.assertEqual(sorted(own - parts), [])
        self.assertIn("roles", {f.name for f in ServiceHall._meta.local_fields})

    def test_every_element_has_an_example_and_names_known_outputs(self):
        for e in ELEMENTS:
            with self.subTest(e.key):
                self.assertIsNotNone(e.example)
                self.assertTrue(set(e.outputs) <= set(OUTPUTS), e.outputs)
                for output in e.outputs:
                    self.assertTrue(e.evidence_for(e.example, output), "an example must leave some evidence")

    def test_the_example_guide_imports_and_exports_unchanged(self):
        page, item = imported_example()
        page = ServicePage.objects.select_related("department").prefetch_related(*guide_prefetch()).get(pk=page.pk)
        exported = export_guide(page)
        for e in ELEMENTS:
            with self.subTest(e.key):
                self.assertEqual(exported[e.key], item[e.key])

    def test_a_version_1_item_keeps_what_the_portal_has_for_later_elements(self):
        page, _ = imported_example()
        current = export_guide(page)
        item = {k: v for k, v in example_guide().items() if next(e for e in ELEMENTS if e.key == k).since == 1}
        wanted = normalize_guide(item, _Context(), version=1, current=current)
        self.assertEqual(wanted["status"], current["status"])
        self.assertEqual(wanted["window_authority"], current["window_authority"])


class _Context:
    topic_rank = {"测试主题": (1, "测试主题")}


class WalkingTest(TestCase):
    """Every output carries every element its description entry names."""

    @classmethod
    def setUpTestData(cls):
        cls.page, cls.item = imported_example()
        cls.outputs = cls.render(cls.page)

    @classmethod
    def render(cls, page):
        from django.test import Client

        client = Client()
        outputs = {}
        web = client.get(page.url)
        outputs["web"] = BeautifulSoup(web.content, "html.parser").get_text()
        pdf = client.get(f"{page.url}pdf/")
        outputs["pdf"] = "".join(pdf_pages(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content))
        checklist = client.get(f"{page.url}checklist/")
        outputs["checklist"] = BeautifulSoup(checklist.content, "html.parser").get_text()
        booklet = io.BytesIO()
        render_booklet(BookletScope(hall=page.service_halls.first().hall), booklet, processes=0)
        outputs["booklet"] = "".join(pdf_pages(booklet.getvalue()))
        cls.data = json.loads(client.get("/open-data/catalog.json").content)
        rows = list(csv.reader(io.StringIO(client.get("/open-data/catalog.csv").content.decode("utf-8-sig"))))
        cls.csv_rows = [row[1:] for row in rows]  # without 记录类型
        workbook = load_workbook(io.BytesIO(client.get("/open-data/catalog.xlsx").content), read_only=True)
        cls.xlsx_rows = [list(row) for row in workbook["事项"].iter_rows(values_only=True)]
        documents = documents_for_pages([page.pk])
        outputs["search"] = "\n".join(
            " ".join([d.name, d.code, d.faq, d.conditions, d.materials, d.basis, d.body, *d.keywords, *d.topics])
            + " "
            + " ".join(v for values in d.facets.values() for v in values)
            for d in documents
        )
        return outputs

    def test_the_json_download_carries_every_element_as_declared(self):
        item = self.data["items"][0]
        for e in ELEMENTS:
            if "json" in e.outputs:
                with self.subTest(e.key):
                    self.assertEqual(item[e.key], self.item[e.key])

    def test_csv_and_xlsx_carry_every_element_column(self):
        item = self.item
        for output, rows in (("csv", self.csv_rows), ("xlsx", self.xlsx_rows)):
            header, row = rows[0], rows[1]
            for e in ELEMENTS:
                if output not in e.outputs:
                    continue
                for title, get in e.columns():
                    with self.subTest(output=output, element=e.key, column=title):
                        self.assertIn(title, header)
                        cell = row[header.index(title)]
                        self.assertEqual(str(cell if cell is not None else ""), str(get(item)))

    def test_every_page_paper_and_search_output_shows_every_element_it_should(self):
        for e in ELEMENTS:
            for output in sorted(set(e.outputs) - DATA_OUTPUTS):
                for evidence in e.evidence_for(e.example, output):
                    with self.subTest(element=e.key, output=output, evidence=evidence):
                        shown = squash(evidence) in squash(self.outputs[output])
                        self.assertTrue(
                            shown, f"{e.label}（{e.key}）: {evidence!r} is missing from the {output} output"
                        )

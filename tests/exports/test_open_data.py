"""Open data: the published catalog as yimen-catalog/2 JSON, CSV (items and materials) and XLSX."""

import csv
import datetime
import io
import json

from django.test import TestCase

from wagtail.models import PageViewRestriction

import pytest
from openpyxl import load_workbook

from content.guide import ELEMENTS, element, keys
from exports.catalog.importer import import_file
from exports.opendata import ITEM_COLUMNS, MATERIAL_COLUMNS
from tests.factories import HallFactory, MaterialFactory, ServicePageFactory
from tests.test_spreadsheets import TYPED_FORMULAS, xlsx_cells

from .full_catalog import full_catalog


class OpenDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        hall = HallFactory(code="SD")
        cls.free = ServicePageFactory(
            title="生育登记", code="OD-01", parts__hall=hall, updated=datetime.date(2025, 2, 18)
        )
        MaterialFactory(service=cls.free, name="结婚证", form="原件", note="夫妻双方")
        cls.charged = ServicePageFactory(
            title="个体工商户设立登记", code="OD-02", parts__hall=hall, fees=[("营业执照副本工本费", "每份 10 元")]
        )
        draft = ServicePageFactory(title="草稿事项", code="OD-03", parts__hall=hall)
        draft.unpublish()
        private = ServicePageFactory(title="内部事项", code="OD-04", parts__hall=hall)
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    def test_page_shows_count_date_and_links(self):
        response = self.client.get("/open-data/")
        self.assertContains(response, "2 项")
        self.assertContains(response, "2025年9月12日")  # the factory's 指南更新日期, the newest of the two
        for fmt in ("json", "csv", "xlsx"):
            self.assertContains(response, f'href="/open-data/catalog.{fmt}"')

    def test_json_is_the_exchange_format_with_public_items_only(self):
        response = self.client.get("/open-data/catalog.json")
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        data = json.loads(response.content.decode("utf-8"))
        self.assertEqual(data["format"], "yimen-catalog/2")
        self.assertEqual([i["code"] for i in data["items"]], ["OD-01", "OD-02"])
        self.assertIn("生育登记", response.content.decode("utf-8"))  # not \\u-escaped

    def test_csv_has_a_row_per_item_and_per_material(self):
        response = self.client.get("/open-data/catalog.csv")
        self.assertTrue(response.content.startswith("\ufeff".encode()), "Excel needs the byte-order mark")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        header, body = rows[0], rows[1:]
        self.assertEqual(header[:3], ["记录类型", "实施编码", "基本编码"])
        self.assertEqual(len(header), 1 + len(ITEM_COLUMNS) + len(MATERIAL_COLUMNS))
        kinds = [(row[0], row[1]) for row in body]
        # OD-01: the factory's ID card and 结婚证; OD-02: the ID card.
        self.assertEqual(
            kinds,
            [("事项", "OD-01"), ("申请材料", "OD-01"), ("申请材料", "OD-01"), ("事项", "OD-02"), ("申请材料", "OD-02")],
        )
        column = {name: index for index, name in enumerate(header)}
        first = body[0]
        self.assertEqual(first[column["事项名称"]], "生育登记")
        self.assertEqual(first[column["收费"]], "不收费")
        self.assertEqual(first[column["指南更新日期"]], "2025-02-18")
        # The factory's ID card row has no sort order, which databases place first or last: find by name.
        marriage = next(row for row in body if row[column["材料名称"]] == "结婚证")
        self.assertEqual(
            [marriage[column[c]] for c in ("事项名称", "材料形式", "填报须知")], ["生育登记", "原件", "夫妻双方"]
        )
        self.assertEqual(sorted(row[column["材料序号"]] for row in body[1:3]), ["1", "2"])
        self.assertEqual(body[3][column["收费"]], "营业执照副本工本费：每份 10 元")

    def test_xlsx_has_items_materials_and_a_description(self):
        response = self.client.get("/open-data/catalog.xlsx")
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        self.assertEqual(workbook.sheetnames, ["事项", "申请材料", "说明"])
        items = list(workbook["事项"].iter_rows(values_only=True))
        self.assertEqual(items[0][:3], ("实施编码", "基本编码", "事项名称"))
        self.assertEqual([row[0] for row in items[1:]], ["OD-01", "OD-02"])
        materials = list(workbook["申请材料"].iter_rows(values_only=True))
        self.assertEqual(len(materials), 1 + 3)
        self.assertIn(("OD-01", "生育登记", "结婚证"), [(row[0], row[1], row[3]) for row in materials])
        about = dict(row[:2] for row in workbook["说明"].iter_rows(values_only=True))
        self.assertEqual(about["事项数量"], 2)
        self.assertTrue(about["数据格式"].startswith("yimen-catalog/2"))


class OpenDataFormulaTests(TestCase):
    """An editor's text that looks like a formula stays text in the public CSV and XLSX; numbers stay numbers."""

    @classmethod
    def setUpTestData(cls):
        hall = HallFactory(code="SD")
        cls.formulas = dict(zip(("title", "conditions", "material", "note"), TYPED_FORMULAS, strict=True))
        service = ServicePageFactory(
            title=cls.formulas["title"], code="OD-F1", conditions=cls.formulas["conditions"], parts__hall=hall, visits=2
        )
        MaterialFactory(service=service, name=cls.formulas["material"], note=cls.formulas["note"], copies=3)

    def test_csv_quotes_formula_text_and_leaves_numbers_bare(self):
        response = self.client.get("/open-data/catalog.csv")
        # QUOTE_NONNUMERIC reading turns every unquoted cell into a float: numbers stay numbers, text is quoted.
        text = response.content.decode("utf-8-sig")
        header, *body = csv.reader(io.StringIO(text), quoting=csv.QUOTE_NONNUMERIC)
        column = {name: index for index, name in enumerate(header)}
        item = body[0]
        self.assertEqual(item[column["事项名称"]], "'" + self.formulas["title"])
        self.assertEqual(item[column["受理条件"]], "'" + self.formulas["conditions"])
        self.assertEqual((item[column["申请材料数"]], item[column["到办事现场次数"]]), (2.0, 2.0))
        material = next(row for row in body if row[column["材料名称"]] == "'" + self.formulas["material"])
        self.assertEqual(material[column["填报须知"]], "'" + self.formulas["note"])
        self.assertEqual(material[column["事项名称"]], "'" + self.formulas["title"])
        self.assertEqual(material[column["份数"]], 3.0)

    def test_xlsx_stores_formula_text_as_strings(self):
        content = self.client.get("/open-data/catalog.xlsx").content
        header, item = xlsx_cells(content, "事项")
        column = {value: index for index, (value, _, _) in enumerate(header)}
        self.assertEqual(item[column["事项名称"]], (self.formulas["title"], "s", True))
        self.assertEqual(item[column["受理条件"]], (self.formulas["conditions"], "s", True))
        self.assertEqual(item[column["申请材料数"]][:2], (2, "n"))
        header, *materials = xlsx_cells(content, "申请材料")
        column = {value: index for index, (value, _, _) in enumerate(header)}
        material = next(row for row in materials if row[column["材料名称"]][0] == self.formulas["material"])
        self.assertEqual(material[column["材料名称"]][1:], ("s", True))
        self.assertEqual(material[column["填报须知"]], (self.formulas["note"], "s", True))
        self.assertEqual(material[column["事项名称"]], (self.formulas["title"], "s", True))
        self.assertEqual(material[column["份数"]][:2], (3, "n"))


# ---------------------------------------------------------------- a guide with every element


@pytest.fixture
def every_element(db, tmp_path):
    """The guide with every element (content.guide.example_guide) and its two forms, imported."""
    document = full_catalog(tmp_path)
    import_file(tmp_path / "catalog.json")
    return document["items"][0]


def _csv(client):
    text = client.get("/open-data/catalog.csv").content.decode("utf-8-sig")
    header, *body = csv.reader(io.StringIO(text))
    return header, body, text


def test_json_carries_every_element_of_format_2(client, every_element):
    data = json.loads(client.get("/open-data/catalog.json").content)
    item = data["items"][0]
    assert list(item) == keys(2)
    for key in keys(2):
        assert item[key] == every_element[key], key
    assert item["changes"] == [{"effective": "2026-03-15", "lines": ["新增申请材料：无犯罪记录证明"]}]


def test_csv_shows_every_element_it_carries(client, every_element):
    """Walks the description: each column of every element the CSV shows holds the example's value, read
    back from the imported guide (so an element lost on import or export shows as a wrong cell)."""
    header, body, _ = _csv(client)
    column = {name: n for n, name in enumerate(header)}
    item = body[0]
    shown = [e for e in ELEMENTS if "csv" in e.outputs]
    assert {e.key for e in shown} >= {"status", "window_authority", "scope", "hall_roles", "promise_note",
                                       "special_procedures", "delivery", "changes", "materials"}  # fmt: skip
    for e in shown:
        for name, get in e.columns():
            assert item[column[name]] == str(get(every_element)), (e.key, name)
    assert item[column["办理状态"]] == "暂停受理：系统升级，请到县政务服务中心综合窗口办理（自2026年1月1日起）"
    assert item[column["窗口权限"]] == "窗口可受理、审核；转报：报县市场监管局审批"
    assert item[column["特别程序"]] == "公示：7个自然日（不计入办结时限），在村务公开栏公示"
    assert item[column["最近变更"]] == "2026年3月15日起：新增申请材料：无犯罪记录证明"
    for key in ("scope", "promise_note", "delivery", "hall_roles"):
        assert item[column[element(key).label]] == element(key).text(every_element[key]), key


def test_csv_material_rows_carry_the_new_material_columns(client, every_element):
    header, body, _ = _csv(client)
    column = {name: n for n, name in enumerate(header)}
    rows = {row[column["材料名称"]]: row for row in body if row[0] == "申请材料"}

    def cells(name, *names):
        return tuple(rows[name][column[c]] for c in names)

    assert cells("居民身份证", "必要性", "可用电子证照", "常见错误", "空白表格", "填写样表") == (
        "必要", "是", "身份证过期", "居民身份证申领登记表（空表）", "居民身份证申领登记表（样表）",
    )  # fmt: skip
    assert cells("无犯罪记录证明", "必要性", "容缺补交期限（工作日）", "证明开具单位", "可告知承诺") == (
        "容缺",
        "5",
        "县公安局",
        "是",
    )
    assert cells("户口簿", "免提交", "容缺补交期限（工作日）", "证明开具单位") == ("是", "", "")


def test_xlsx_carries_the_same_columns(client, every_element):
    workbook = load_workbook(io.BytesIO(client.get("/open-data/catalog.xlsx").content), read_only=True)
    header, item = list(workbook["事项"].iter_rows(values_only=True))
    row = dict(zip(header, item, strict=True))
    assert row["办理状态"].startswith("暂停受理：系统升级") and row["最近变更"].startswith("2026年3月15日起")
    materials = list(workbook["申请材料"].iter_rows(values_only=True))
    named = {r[3]: dict(zip(materials[0], r, strict=True)) for r in materials[1:]}
    assert named["无犯罪记录证明"]["证明开具单位"] == "县公安局" and named["户口簿"]["免提交"] == "是"


def test_the_page_says_the_format_is_2(client, every_element):
    html = client.get("/open-data/").content.decode()
    assert "yimen-catalog/2" in html and "yimen-catalog/1" not in html

"""Checks made before anything is written; none of these tests needs the database."""

import json
import re

import pytest

from bench.generate_catalog import generate
from exports.catalog.validation import CatalogError, load_file, validate

from .conftest import DEMO_DIR


def problems_of(document, base_dir=DEMO_DIR):
    with pytest.raises(CatalogError) as excinfo:
        validate(document, base_dir)
    return excinfo.value.problems


def test_demo_catalog_is_valid():
    document = load_file(DEMO_DIR / "sample-catalog.json")

    assert validate(document, DEMO_DIR).warnings == []


def test_generated_bench_catalog_is_valid():
    document = generate(150)

    assert validate(document, DEMO_DIR).warnings == []
    codes = [item["code"] for item in document["items"]]
    assert len(set(codes)) == 150
    assert len({item["name"] for item in document["items"]}) == 150
    assert document["items"][60]["name"] != document["items"][0]["name"]


def test_every_problem_is_reported_at_once(small_catalog):
    small_catalog["items"][0]["department"] = "NOPE"
    small_catalog["items"][1]["name"] = "名" * 256
    small_catalog["staff"][0]["photo"] = "photos/none.jpg"

    assert problems_of(small_catalog) == [
        "staff[0].photo: 找不到照片文件 'photos/none.jpg'",
        "items[0].department: 部门 'NOPE' 不存在",
        "items[1].name: 长度 256 超过上限 255 个字符",
    ]


def test_schema_problems_name_the_path(small_catalog):
    small_catalog["items"][2]["visits"] = -1
    small_catalog["items"][0]["handling"] = "马上办"
    small_catalog["items"][1]["updated"] = "2025-02-30"
    small_catalog["centers"][0].pop("name")

    assert problems_of(small_catalog) == [
        "centers[0]: 缺少必填字段 'name'",
        'items[0].handling: 取值 "马上办" 无效，可选值：即办件、承诺件、上报件',
        "items[1].updated: 格式不符，应为 date（如 2025-09-12）",
        "items[2].visits: 不能小于 0",
    ]


def test_a_date_that_does_not_exist_alone_is_caught(small_catalog):
    """The fast validator and the detailed one agree on formats: one bad date is enough to refuse."""
    small_catalog["items"][2]["updated"] = "2025-13-01"

    assert problems_of(small_catalog) == ["items[2].updated: 格式不符，应为 date（如 2025-09-12）"]


def test_limits(small_catalog):
    small_catalog["items"][0]["promised_limit"]["days"] = 31
    small_catalog["items"][1]["promised_limit"]["days"] = 1

    assert problems_of(small_catalog) == [
        "items[0].promised_limit.days: 承诺办结时限（31工作日）不能超过法定办结时限（30工作日）",
        "items[1].promised_limit.days: 即办件应当场办结，承诺办结时限须为 0（当场办结）",
    ]


def test_promised_calendar_days_may_exceed_legal_working_days(small_catalog):
    small_catalog["items"][0]["promised_limit"] = {"days": 35, "unit": "自然日", "note": None}

    assert validate(small_catalog, DEMO_DIR).warnings == []


def test_unknown_keys_are_warnings_with_their_path(small_catalog):
    small_catalog["source"] = "省平台"
    small_catalog["staff"][1]["wechat"] = "sd-s02"

    assert validate(small_catalog, DEMO_DIR).warnings == [
        "source: 未知字段，已忽略",
        "staff[1].wechat: 未知字段，已忽略",
    ]


def test_photo_must_be_a_readable_image_inside_the_folder(tmp_path, small_catalog):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "SD-S01.jpg").write_bytes((DEMO_DIR / "photos" / "SD-S01.jpg").read_bytes()[:200])
    (tmp_path / "photos" / "SD-S02.jpg").write_bytes(b"GIF89a")
    small_catalog["staff"].append(dict(small_catalog["staff"][0], id="X", photo="../elsewhere.jpg"))

    assert problems_of(small_catalog, tmp_path) == [
        "staff[0].photo: 照片文件 'photos/SD-S01.jpg' 已损坏或不是图片",
        "staff[1].photo: 照片文件 'photos/SD-S02.jpg' 已损坏或不是图片",
        "staff[2].photo: 照片路径 '../elsewhere.jpg' 必须位于目录文件所在的文件夹内",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"format": "yimen-catalog/1",\n "items": [,]}', "JSON 格式错误：第 2 行第 12 列"),
        ('{"name": "办事指南"}'.encode("gbk"), "文件不是 UTF-8 编码"),
    ],
)
def test_unreadable_file(tmp_path, content, expected):
    path = tmp_path / "catalog.json"
    path.write_bytes(content)

    with pytest.raises(CatalogError, match=expected):
        load_file(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{\n  "format": "yimen-catalog/1",\n  \'items\': []\n}', "第 3 行第 3 列：属性名必须用英文双引号括起来"),
        ('{"items": [1, 2,]}', "第 1 行第 17 列：此处应为一个值"),
        ('{"format" "yimen-catalog/1"}', "第 1 行第 11 列：属性名后面缺少英文冒号"),
        ('{"items": [1 2]}', "第 1 行第 14 列：两项之间缺少英文逗号"),
        ('{"format": "yimen-catalog/1}', "第 1 行第 12 列：这段文字缺少结尾的英文双引号"),
        ('{"name": "第一行\n第二行"}', "第 1 行第 14 列：文字中不能直接换行"),
        ('{"name": "C:\\new\\办事"}', "第 1 行第 17 列：反斜杠"),
        ('{"name": "\\u12"}', "第 1 行第 12 列：“\\u”后面必须是四位十六进制数字"),
        ('{"format": "yimen-catalog/1"} {}', "第 1 行第 31 列：JSON 内容在此之前已经结束"),
    ],
)
def test_json_syntax_errors_are_explained_in_chinese(tmp_path, content, expected):
    path = tmp_path / "catalog.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(CatalogError) as excinfo:
        load_file(path)

    (problem,) = excinfo.value.problems
    assert problem.startswith("JSON 格式错误：") and expected in problem
    assert set(re.findall(r"[A-Za-z]{3,}", problem)) <= {"JSON", "true", "false", "null"}, problem


def test_byte_order_mark_is_accepted(tmp_path):
    """Windows Notepad writes UTF-8 files with a byte-order mark; such a file is read as any other."""
    path = tmp_path / "catalog.json"
    path.write_bytes('{"format": "yimen-catalog/1"}'.encode("utf-8-sig"))

    assert load_file(path) == {"format": "yimen-catalog/1"}


def test_missing_file(tmp_path):
    with pytest.raises(CatalogError, match="找不到文件"):
        load_file(tmp_path / "none.json")


@pytest.mark.parametrize("document", [[], "text", None])
def test_document_must_be_an_object(document):
    assert problems_of(document) == ["(根): 文件内容必须是一个 JSON 对象"]


def test_small_catalog_is_valid(small_catalog):
    """The fixture the import tests build on must itself be importable."""
    assert validate(json.loads(json.dumps(small_catalog)), DEMO_DIR).warnings == []

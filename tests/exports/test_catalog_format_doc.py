"""docs/catalog-format.md describes what exports/catalog/schema.json and content.guide define."""

import copy
import json
import re
from pathlib import Path

from django.conf import settings

from content.guide import ELEMENTS, MATERIAL_PARTS_2
from exports.catalog.validation import schema, schema_problems

from .conftest import DEMO_DIR

DOC = (Path(settings.BASE_DIR) / "docs" / "catalog-format.md").read_text(encoding="utf-8")


def section(title):
    start = DOC.index(f"## {title}")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else None]


def documented(text):
    """Every `key` the text names in its tables, including `a`, `b` pairs in one cell."""
    return set(re.findall(r"`([a-z_]+)`", text))


def test_every_key_of_the_schema_is_described():
    item = schema()["$defs"]["item"]["properties"]
    material = item["materials"]["items"]["properties"]
    assert set(item) - documented(DOC) == set()
    assert set(material) - documented(DOC) == set()


def test_every_element_new_in_2_is_in_its_section_and_marked_in_the_schema():
    new = section("New in `/2`")
    item = schema()["$defs"]["item"]["properties"]
    for e in ELEMENTS:
        if e.since == 2:
            assert f"| `{e.key}` |" in new, e.key
            assert item[e.key].get("description", "").startswith("/2: "), e.key
    material = item["materials"]["items"]["properties"]
    for part in MATERIAL_PARTS_2:
        assert f"`{part.key}`" in new, part.key
        described = material[part.key].get("description") or schema()["$defs"]["document"]["description"]
        assert described.startswith("/2: "), part.key


def test_the_examples_are_valid_and_taken_from_the_demo():
    item, material = (json.loads(block) for block in re.findall(r"```json\n(.*?)```", section("New in `/2`"), re.S))
    document = json.loads((DEMO_DIR / "sample-catalog.json").read_text(encoding="utf-8"))
    demo = {i["code"]: i for i in document["items"]}
    assert {k: v for k, v in demo[item["code"]].items() if k in item and k not in ("materials", "status")} == {
        k: v for k, v in item.items() if k not in ("materials", "status")
    }
    assert all(m in demo[item["code"]]["materials"] for m in item["materials"])
    assert material in demo["LY-SD-0002"]["materials"]
    changed = copy.deepcopy(document)
    next(i for i in changed["items"] if i["code"] == item["code"]).update(item)
    assert schema_problems(changed) == []

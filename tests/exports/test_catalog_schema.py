"""schema.json is written from the guide's declared description: the file and the description agree."""

import io

from django.core.management import CommandError, call_command

import pytest

from content.guide import ELEMENTS
from exports.catalog.validation import SCHEMA_PATH, schema, schema_text


def test_the_published_schema_is_the_declared_one():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run manage.py catalog_schema"


def test_every_element_is_an_item_property_and_only_those():
    assert list(schema()["$defs"]["item"]["properties"]) == [e.key for e in ELEMENTS]


def test_the_check_refuses_a_drifted_file(tmp_path, monkeypatch):
    drifted = tmp_path / "schema.json"
    drifted.write_text(SCHEMA_PATH.read_text(encoding="utf-8").replace('"受理条件"', '"条件"'), encoding="utf-8")
    monkeypatch.setattr("exports.management.commands.catalog_schema.SCHEMA_PATH", drifted)
    with pytest.raises(CommandError, match="不一致"):
        call_command("catalog_schema", "--check", stdout=io.StringIO())
    call_command("catalog_schema", stdout=io.StringIO())
    assert "受理条件" in drifted.read_text(encoding="utf-8")

"""What the Open311 tests share: the served OpenAPI document's schemas and reading an Open311 error list."""

import copy
import json
from pathlib import Path

import jsonschema

API = "/api/v1/open311"
SPEC = json.loads((Path(__file__).resolve().parents[2] / "search" / "openapi.json").read_text(encoding="utf-8"))


def _json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema says it (the validator knows only the latter)."""
    if isinstance(node, dict):
        node = {key: _json_schema(value) for key, value in node.items()}
        if node.pop("nullable", False):
            node = {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    return node


COMPONENTS = _json_schema(copy.deepcopy(SPEC["components"]))


def conforms(payload, schema_name):
    """The payload is what the served OpenAPI document promises (search/openapi.json)."""
    jsonschema.validate(payload, {"$ref": f"#/components/schemas/{schema_name}", "components": COMPONENTS})


def descriptions(response):
    payload = response.json()
    conforms(payload, "Open311Errors")
    assert {entry["code"] for entry in payload} == {response.status_code}
    return [entry["description"] for entry in payload]

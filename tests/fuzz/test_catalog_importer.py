"""Hypothesis against the catalog importer (exports.catalog.importer.import_document).

Each example starts from the small valid catalog of the exports tests and changes it: values
replaced by other JSON values or arbitrary text, keys removed, entries duplicated, items renamed.
The importer must do one of two things:
- reject the document with CatalogError, every problem starting with the JSON path it concerns,
  and the database exactly as before (same export, same row counts);
- import it fully: the catalog export then holds every item as sent (compared through the
  importer's own normalisation), and importing the same document again changes nothing.
Any other exception is a failure. Each example runs in its own transaction.
"""

import copy
import re

from django.apps import apps

from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from content.guide import ImportContext
from exports.catalog.exporter import export_catalog, topic_order
from exports.catalog.importer import import_document, normalize_item
from exports.catalog.validation import CatalogError
from tests.exports.conftest import DEMO_DIR, small_catalog_document

from .config import any_text, fuzz, text

# "items[2].materials[0].name: …", "centers[0].parent: …" or "(根): …" for the document itself.
PROBLEM = re.compile(r"^(\(根\)|[A-Za-z_]+(\[\d+\])*(\.[A-Za-z_]+(\[\d+\])*)*): \S")
COUNTED = ["content.ServicePage", "content.HallPage", "content.Department", "content.Topic", "content.StaffMember",
           "content.Material", "content.FAQ", "content.ServiceFee", "content.HallWindow", "wagtailcore.Page",
           "wagtailcore.Revision", "content.PortalImage"]  # fmt: skip

json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False, allow_infinity=False), text
    ),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(any_text, children, max_size=3)),
    max_leaves=6,
)


def _paths(node, prefix=()):
    """Every place in the document that a mutation can touch, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _get(document, path):
    for part in path:
        document = document[part]
    return document


@st.composite
def mutated_catalogs(draw):
    document = small_catalog_document()
    for _ in range(draw(st.integers(0, 3), "mutations")):
        paths = [p for p in _paths(document) if p]
        path = draw(st.sampled_from(paths), "path")
        parent, key = _get(document, path[:-1]), path[-1]
        action = draw(st.sampled_from(["replace", "text", "delete", "duplicate", "rename"]), "action")
        if action == "replace":
            parent[key] = draw(json_values, "value")
        elif action == "text" and isinstance(parent[key], str):
            parent[key] = draw(
                st.one_of(text, st.text(min_size=1, max_size=20).map(lambda t, old=parent[key]: old + t)), "text"
            )
        elif action == "delete":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "rename" and isinstance(parent[key], dict) and "name" in parent[key]:
            parent[key]["name"] = draw(st.text(min_size=1, max_size=30), "name")
    return document


def _database_state():
    return export_catalog(), {label: apps.get_model(label).objects.count() for label in COUNTED}


class CatalogImporterFuzz(TestCase):
    @fuzz(40)
    @given(document=mutated_catalogs())
    def test_import_is_all_or_nothing(self, document):
        before = _database_state()
        sent = copy.deepcopy(document)
        try:
            result = import_document(document, DEMO_DIR)
        except CatalogError as error:
            event("rejected")
            assert error.problems, "a rejection names at least one problem"
            for problem in error.problems:
                assert PROBLEM.match(problem), f"problem without a JSON path: {problem!r}"
            assert _database_state() == before
            return
        event("imported")
        assert result.created + result.updated + result.unchanged == len(sent["items"])
        exported = {item["code"]: item for item in export_catalog()["items"]}
        rank = ImportContext(topic_rank=topic_order())
        for item in sent["items"]:
            assert normalize_item(exported[item["code"]], rank) == normalize_item(item, rank), item["code"]
        again = import_document(copy.deepcopy(sent), DEMO_DIR)
        assert (again.created, again.updated, again.unchanged) == (0, 0, len(sent["items"]))

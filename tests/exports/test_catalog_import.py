import copy
import json

import pytest

from content.models import Department, HallPage, ServicePage, StaffMember
from exports.catalog.exporter import export_catalog
from exports.catalog.importer import import_document, import_file
from exports.catalog.validation import CatalogError

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(demo_catalog_path):
    return json.loads(demo_catalog_path.read_text(encoding="utf-8"))


def counts():
    return (ServicePage.objects.count(), HallPage.objects.count(), Department.objects.count(), StaffMember.objects.count())


def test_valid_file_loads_everything(demo_catalog_path):
    result = import_file(demo_catalog_path)
    assert result.created == 60
    assert counts() == (60, 4, 29, 16)
    page = ServicePage.objects.get(code="LY-SD-0001")
    assert page.live and page.title == "最低生活保障审核确认"
    assert page.materials.count() == 7 and page.basis.count() == 3
    assert [h.hall.code for h in page.service_halls.all()] == ["LY-SD", "LY-SD-XM", "LY-SD-DF"]
    assert StaffMember.objects.get(staff_id="SD-S01").photo.width > 0


def test_reimport_is_idempotent(demo_catalog_path):
    import_file(demo_catalog_path)
    revisions = ServicePage.objects.get(code="LY-SD-0001").revisions.count()
    result = import_file(demo_catalog_path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 60)
    assert counts() == (60, 4, 29, 16)
    assert ServicePage.objects.get(code="LY-SD-0001").revisions.count() == revisions


def test_changed_item_becomes_new_revision(sample, demo_catalog_path):
    import_file(demo_catalog_path)
    page = ServicePage.objects.get(code="LY-SD-0001")
    revisions = page.revisions.count()
    sample["items"][0]["name"] = "最低生活保障审核确认（新）"
    result = import_document(sample, demo_catalog_path.parent)
    assert (result.created, result.updated) == (0, 1)
    page.refresh_from_db()
    assert page.title == "最低生活保障审核确认（新）"
    assert page.revisions.count() == revisions + 1
    assert ServicePage.objects.filter(code="LY-SD-0001").count() == 1


def test_round_trip(sample, demo_catalog_path):
    import_file(demo_catalog_path)
    first = export_catalog()
    ServicePage.objects.all().delete()
    import_document(copy.deepcopy(first), demo_catalog_path.parent)
    assert export_catalog()["items"] == first["items"]
    # Against the original file, only the order inside sets (topics, window departments) may differ.
    original = {i["code"]: i for i in sample["items"]}
    for item in first["items"]:
        source = original[item["code"]]
        assert sorted(item["topics"]) == sorted(source["topics"])
        assert {k: v for k, v in item.items() if k != "topics"} == {k: v for k, v in source.items() if k != "topics"}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["items"][3].__setitem__("type", "随便"), "items[3].type"),
        (lambda d: d["items"][12]["promised_limit"].__setitem__("days", 999), "items[12].promised_limit.days"),
        (lambda d: d["items"][5].__setitem__("department", "NOPE"), "items[5].department"),
        (lambda d: d["items"][5]["centers"].append("NOPE"), "items[5].centers[1]"),
        (lambda d: d.__setitem__("format", "other/2"), "format"),
        (lambda d: d["items"][0].pop("conditions"), "items[0]"),
        (lambda d: d["staff"][0].__setitem__("photo", "photos/missing.jpg"), "staff[0].photo"),
    ],
)
def test_bad_file_changes_nothing(sample, demo_catalog_path, mutate, expected):
    import_file(demo_catalog_path)
    before = counts()
    title = ServicePage.objects.get(code="LY-SD-0001").title
    sample["items"][0]["name"] = "不应写入的新名称"
    mutate(sample)
    with pytest.raises(CatalogError) as excinfo:
        import_document(sample, demo_catalog_path.parent)
    assert any(p.startswith(expected) for p in excinfo.value.problems), excinfo.value.problems
    assert counts() == before
    assert ServicePage.objects.get(code="LY-SD-0001").title == title


def test_bad_json_names_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "yimen-catalog/1",\n "items": [,]}', encoding="utf-8")
    with pytest.raises(CatalogError, match="第 2 行"):
        import_file(path)
    assert counts() == (0, 0, 0, 0)

"""可代办 and 代办员 travel in the catalog (`assist_centers` on an item, `agent` on a person): export and import
agree, a file without them keeps what the portal has, and open data names only stations anyone may read."""

import copy

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import pytest

from content.models import Department, HallPage, ServiceHall, ServicePage, StaffMember
from exports.catalog.exporter import export_catalog
from exports.catalog.importer import import_document
from exports.catalog.validation import CatalogError, newer_keys
from tests.factories import ViewRestrictionFactory

pytestmark = pytest.mark.django_db


def item_of(document, code="LY-SD-0005"):
    return next(item for item in document["items"] if item["code"] == code)


def assisted():
    return set(ServiceHall.objects.filter(can_assist=True).values_list("service__code", "hall__code"))


def agents():
    return set(StaffMember.objects.filter(is_agent=True).values_list("staff_id", flat=True))


def test_the_flags_come_back_as_they_went_out(township, tmp_path):
    document = export_catalog()
    assert item_of(document)["assist_centers"] == ["LY-SD-XM", "LY-SD-DF"]
    assert {p["id"]: p["agent"] for p in document["staff"]} == {
        township.agent.staff_id: True,
        township.other_agent.staff_id: True,
    }
    before = (assisted(), agents())

    StaffMember.objects.all().delete()
    ServicePage.objects.all().delete()
    HallPage.objects.all().delete()
    Department.objects.all().delete()
    import_document(copy.deepcopy(document), tmp_path)
    assert (assisted(), agents()) == before
    again = export_catalog()
    assert again["items"] == document["items"] and again["staff"] == document["staff"]
    assert import_document(copy.deepcopy(again), tmp_path).unchanged == len(again["items"])


def test_a_file_without_the_keys_keeps_the_portals_flags(township, tmp_path):
    document = export_catalog()
    for item in document["items"]:
        del item["assist_centers"]
        item["conditions"] += "\n3. 年满八十周岁。"  # a changed guide: its hall rows are written again
    for person in document["staff"]:
        del person["agent"]
    before = (assisted(), agents())
    result = import_document(document, tmp_path)
    assert result.updated == len(document["items"])
    assert (assisted(), agents()) == before


def test_the_file_decides_when_it_says(township, tmp_path):
    document = export_catalog()
    item_of(document)["assist_centers"] = ["LY-SD-DF"]
    next(p for p in document["staff"] if p["id"] == township.agent.staff_id)["agent"] = False
    import_document(document, tmp_path)
    assert assisted() == {("LY-SD-0005", "LY-SD-DF")}
    assert agents() == {township.other_agent.staff_id}


def test_a_station_outside_the_items_centers_is_refused(township, tmp_path):
    document = export_catalog()
    item_of(document)["assist_centers"] = ["LY-SD-XM", "LY-SD-XX"]
    with pytest.raises(CatalogError) as refused:
        import_document(document, tmp_path)
    assert any(
        p.startswith("items[0].assist_centers[1]: 中心 'LY-SD-XX' 不在本事项的 centers 中")
        for p in refused.value.problems
    )
    assert assisted() == {("LY-SD-0005", "LY-SD-XM"), ("LY-SD-0005", "LY-SD-DF")}


def test_open_data_names_only_stations_anyone_may_read(township):
    ViewRestrictionFactory(
        page=township.other_station,
        restriction_type=PageViewRestriction.GROUPS,
        groups=[Group.objects.create(name="内部")],
    )
    open_data = export_catalog(readable_only=True)
    assert item_of(open_data)["assist_centers"] == ["LY-SD-XM"]
    assert township.other_agent.staff_id not in {p["id"] for p in open_data["staff"]}


def test_a_version_1_file_is_told_that_agent_is_not_read(township):
    document = export_catalog()
    document["format"] = "yimen-catalog/1"
    assert "staff[0].agent: 是 yimen-catalog/2 的字段，yimen-catalog/1 文件中不读取，已忽略" in newer_keys(document)

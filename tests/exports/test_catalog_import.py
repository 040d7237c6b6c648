import copy
import datetime
import threading
from pathlib import Path

from django.conf import settings
from django.db.models.signals import post_save

from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

import pytest

from content.guide import ELEMENTS, MATERIAL_PARTS_2, export_guide
from content.models import (
    CatalogPage,
    Department,
    HallPage,
    HallWindow,
    Material,
    PortalImage,
    PortalSettings,
    ServiceFee,
    ServicePage,
    StaffMember,
    Topic,
)
from content.signals import catalog_imported
from exports.catalog import indexing
from exports.catalog.importer import import_document
from exports.catalog.publishing import BulkPublisher
from exports.catalog.validation import CatalogError
from search.wagtail_backend import cut_text
from tests.factories import ServicePageFactory

from .conftest import DEMO_DIR

pytestmark = pytest.mark.django_db


def load(document, base_dir=DEMO_DIR, **kwargs):
    return import_document(copy.deepcopy(document), base_dir, **kwargs)


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def snapshot():
    """Everything an import can touch, to prove a refused import touched nothing."""
    return {
        "pages": list(
            Page.objects.order_by("pk").values_list(
                "pk", "path", "depth", "numchild", "title", "live", "latest_revision_id", "live_revision_id"
            )
        ),
        "services": list(
            ServicePage.objects.order_by("pk").values_list("pk", "code", "title", "conditions", "keywords")
        ),
        "rows": [
            m.objects.count()
            for m in (
                Revision,
                PageLogEntry,
                Material,
                ServiceFee,
                HallWindow,
                StaffMember,
                PortalImage,
                Topic,
                ReferenceIndex,
                IndexEntry,
            )
        ],
        "departments": list(Department.objects.order_by("pk").values_list("code", "name", "kind")),
        "settings": list(PortalSettings.objects.values_list("region_code", "region_name")),
        "media": media_files(),
    }


@pytest.fixture
def announced():
    """Every `catalog_imported` sent during the test, as the list of its page ids."""
    calls = []

    def receiver(sender, page_ids, **kwargs):
        calls.append(sorted(page_ids))

    catalog_imported.connect(receiver)
    yield calls
    catalog_imported.disconnect(receiver)


def test_new_items_become_live_pages_with_a_revision_and_history(small_catalog):
    result = load(small_catalog)

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert (result.halls_created, result.staff) == (2, 2)
    page = ServicePage.objects.get(code="LY-SD-0001")
    assert page.live and not page.has_unpublished_changes and page.first_published_at
    assert page.url == "/services/ly-sd-0001/"
    assert page.title == page.draft_title == "最低生活保障审核确认"
    assert page.latest_revision_id == page.live_revision_id
    assert page.revisions.count() == 1
    assert [m.name for m in page.materials.all()] == [m["name"] for m in small_catalog["items"][0]["materials"]]
    assert [link.hall.code for link in page.service_halls.all()] == ["LY-SD"]
    assert [t.name for t in page.topics.all()] == ["社会救助"]
    assert ServiceFee.objects.get(service__code="LY-SD-0034").standard == "每份 10 元"
    actions = list(PageLogEntry.objects.filter(page=page).order_by("id").values_list("action", "revision_id"))
    assert actions == [("wagtail.create", None), ("wagtail.publish", page.live_revision_id)]


def test_the_revision_holds_the_saved_page(small_catalog):
    load(small_catalog)
    page = ServicePage.objects.get(code="LY-SD-0001")

    restored = page.live_revision.as_object()

    assert restored.title == page.title
    assert [m.pk for m in restored.materials.all()] == [m.pk for m in page.materials.all()]
    assert [t.pk for t in restored.topics.all()] == [t.pk for t in page.topics.all()]


def test_staff_photos_become_wagtail_images(small_catalog):
    load(small_catalog)

    person = StaffMember.objects.get(staff_id="SD-S01")
    assert isinstance(person.photo, PortalImage)
    assert person.photo.width > 0 and person.photo.collection.name == "阳光台照片"
    assert "刘建华" in person.photo.alt_text


def test_the_page_tree_stays_consistent(small_catalog):
    existing = ServicePageFactory()  # a guide an editor created through Wagtail before the first import
    load(small_catalog)
    small_catalog["items"][1]["name"] += "（修订）"
    small_catalog["items"].append(dict(small_catalog["items"][0], code="LY-SD-9001", name="新增事项"))
    load(small_catalog)

    assert all(problems == [] for problems in Page.find_problems())
    catalog = CatalogPage.objects.get()
    children = list(catalog.get_children())
    assert catalog.numchild == len(children) == 5
    assert children[0].pk == existing.pk
    assert children[-1].url_path == catalog.url_path + "ly-sd-9001/"


def test_reimport_changes_nothing(small_catalog, announced, django_capture_on_commit_callbacks):
    load(small_catalog)
    before = snapshot()
    saved = []

    def record(sender, **kwargs):
        saved.append(sender.__name__)

    post_save.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = load(small_catalog)
    finally:
        post_save.disconnect(record)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert (result.halls_created, result.halls_updated) == (0, 0)
    assert result.page_ids == [] and announced == []
    assert saved == []  # not a single row written
    assert snapshot() == before


def test_changed_staff_are_updated(small_catalog):
    load(small_catalog)
    small_catalog["staff"][1].update(duties="户籍业务受理", window="2", photo=None)

    load(small_catalog)

    person = StaffMember.objects.get(staff_id="SD-S02")
    assert (person.duties, person.window.number, person.photo) == ("户籍业务受理", "2", None)
    assert StaffMember.objects.get(staff_id="SD-S01").photo is not None


def test_changed_item_becomes_new_published_revision(small_catalog):
    load(small_catalog)
    page = ServicePage.objects.get(code="LY-SD-0001")
    first_revision = page.live_revision_id
    small_catalog["items"][0]["name"] = "最低生活保障审核确认（2025年修订）"
    small_catalog["items"][0]["materials"] = small_catalog["items"][0]["materials"][:2]
    small_catalog["items"][0]["topics"] = ["兜底保障"]

    result = load(small_catalog)

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    page = ServicePage.objects.get(code="LY-SD-0001")
    assert page.pk == result.page_ids[0]
    assert page.title == page.draft_title == "最低生活保障审核确认（2025年修订）"
    assert page.live and not page.has_unpublished_changes
    assert page.revisions.count() == 2
    assert page.live_revision_id == page.latest_revision_id != first_revision
    assert page.materials.count() == 2 and [t.name for t in page.topics.all()] == ["兜底保障"]
    assert ServicePage.objects.filter(code="LY-SD-0001").count() == 1
    actions = PageLogEntry.objects.filter(page=page, revision_id=page.live_revision_id).order_by("id")
    assert [e.action for e in actions] == ["wagtail.edit", "wagtail.rename", "wagtail.publish"]
    assert actions[1].data["title"] == {"old": "最低生活保障审核确认", "new": "最低生活保障审核确认（2025年修订）"}
    assert all(problems == [] for problems in Page.find_problems())


def test_user_is_recorded_as_author(small_catalog, django_user_model):
    editor = django_user_model.objects.create_user("editor")

    load(small_catalog, user=editor)

    page = ServicePage.objects.get(code="LY-SD-0001")
    assert page.owner == editor and page.live_revision.user == editor
    assert set(PageLogEntry.objects.filter(page=page).values_list("user_id", flat=True)) == {editor.pk}


def test_catalog_imported_names_every_created_and_changed_page(
    small_catalog, announced, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = load(small_catalog)
    services = sorted(ServicePage.objects.values_list("pk", flat=True))
    halls = sorted(HallPage.objects.values_list("pk", flat=True))
    assert announced == [sorted(services + halls)]
    assert sorted(first.page_ids) == sorted(services + halls)

    small_catalog["items"][2]["keywords"].append("开个体户")
    with django_capture_on_commit_callbacks(execute=True):
        load(small_catalog)

    assert announced[1] == [ServicePage.objects.get(code="LY-SD-0034").pk]


def test_catalog_imported_waits_for_the_commit(small_catalog, announced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load(small_catalog)
    assert announced == []

    for callback in callbacks:
        callback()
    assert len(announced) == 1


def test_indexes_are_updated_for_imported_pages(small_catalog):
    load(small_catalog)
    page = ServicePage.objects.get(code="LY-SD-0001")
    hall = HallPage.objects.get(code="LY-SD")

    references = ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list("model_path", "to_object_id")
    assert ("department", str(page.department_id)) in references
    assert ("service_halls.item.hall", str(hall.pk)) in references
    # The admin's index holds the title cut into words (search.wagtail_backend).
    assert IndexEntry.objects.filter(object_id=str(page.pk), title=cut_text(page.title)).exists()

    page.title = "最低生活保障"
    page.save()  # an editor's save afterwards is indexed as usual again
    assert IndexEntry.objects.filter(object_id=str(page.pk), title=cut_text("最低生活保障")).exists()


def test_deferred_indexing_is_per_thread(monkeypatch):
    indexed = []
    with indexing.deferred_index_updates(ServicePage):
        monkeypatch.setattr(
            indexing, "search_update_on_save", lambda sender, instance, **kwargs: indexed.append(instance)
        )
        indexing._search_update_unless_deferred(sender=ServicePage, instance="this thread")
        other = threading.Thread(
            target=indexing._search_update_unless_deferred, kwargs={"sender": ServicePage, "instance": "other thread"}
        )
        other.start()
        other.join()
        monkeypatch.undo()

    assert indexed == ["other thread"]


def test_unknown_keys_are_warnings(small_catalog):
    small_catalog["generator"] = "某县系统导出"
    small_catalog["items"][1]["colour"] = "红色"

    result = load(small_catalog)

    assert result.created == 3
    assert result.warnings == ["generator: 未知字段，已忽略", "items[1].colour: 未知字段，已忽略"]
    assert not hasattr(ServicePage.objects.get(code="LY-SD-0018"), "colour")


def _long(field_value):
    return field_value * 300


INVALID = [
    ("schema", lambda d, base: d["items"][1].__setitem__("type", "随便"), "items[1].type"),
    ("missing field", lambda d, base: d["items"][1].pop("conditions"), "items[1]: 缺少必填字段 'conditions'"),
    ("format", lambda d, base: d.__setitem__("format", "other/2"), "format"),
    ("dangling department", lambda d, base: d["items"][1].__setitem__("department", "NOPE"), "items[1].department"),
    ("dangling centre", lambda d, base: d["items"][1]["centers"].append("NOPE"), "items[1].centers[2]"),
    ("dangling window", lambda d, base: d["staff"][0].__setitem__("window", "99"), "staff[0].window"),
    ("promised > legal", lambda d, base: d["items"][0]["promised_limit"].__setitem__("days", 40), "items[0].promised_limit.days: 承诺办结时限（40工作日）不能超过法定办结时限"),
    ("即办件 with days", lambda d, base: d["items"][1]["promised_limit"].__setitem__("days", 3), "items[1].promised_limit.days: 即办件"),
    ("duplicate item code", lambda d, base: d["items"][2].__setitem__("code", "LY-SD-0001"), "items[2].code"),
    ("duplicate staff id", lambda d, base: d["staff"][1].__setitem__("id", "SD-S01"), "staff[1].id"),
    ("codes differing in case", lambda d, base: d["items"].append(dict(d["items"][0], code="ly-sd-x")) or d["items"].append(dict(d["items"][0], code="LY-SD-X")), "items[5].code: 编码 'LY-SD-X' 与 items[4] 仅大小写不同"),
    ("long item name", lambda d, base: d["items"][1].__setitem__("name", _long("长")), "items[1].name: 长度 300 超过上限 255"),
    ("long material", lambda d, base: d["items"][1]["materials"][0].__setitem__("name", _long("材")), "items[1].materials[0].name"),
    ("long topic", lambda d, base: d["items"][1].__setitem__("topics", [_long("主")]), "items[1].topics[0]"),
    ("long window", lambda d, base: d["centers"][1]["windows"][0].__setitem__("name", _long("窗")), "centers[1].windows[0].name"),
    ("missing photo", lambda d, base: d["staff"][0].__setitem__("photo", "photos/missing.jpg"), "staff[0].photo: 找不到"),
    ("photo outside", lambda d, base: d["staff"][0].__setitem__("photo", "../sample-catalog.json"), "staff[0].photo: 照片路径"),
    ("bad image", lambda d, base: (base / d["staff"][1]["photo"]).write_bytes(b"\xff\xd8 not really a JPEG"), "staff[1].photo: 照片文件"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "expected"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_file_changes_nothing(
    catalog_dir, small_catalog, mutate, expected, announced, django_capture_on_commit_callbacks
):
    load(small_catalog, catalog_dir)
    before = snapshot()
    small_catalog["items"][0]["name"] = "不应写入的新名称"
    small_catalog["items"].append(dict(small_catalog["items"][0], code="LY-SD-9001"))
    small_catalog["staff"].append(dict(small_catalog["staff"][0], id="SD-S99", photo="photos/SD-S02.jpg"))
    mutate(small_catalog, catalog_dir)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(CatalogError) as excinfo:
        load(small_catalog, catalog_dir)

    assert any(p.startswith(expected) for p in excinfo.value.problems), excinfo.value.problems
    assert snapshot() == before
    assert announced == []


def test_address_taken_by_another_page_changes_nothing(small_catalog):
    load(small_catalog)
    ServicePageFactory(slug="ly-sd-9001", code="OTHER-1", title="编辑手工建的页面")
    before = snapshot()
    small_catalog["items"].append(dict(small_catalog["items"][0], code="LY-SD-9001"))

    with pytest.raises(CatalogError) as excinfo:
        load(small_catalog)

    assert excinfo.value.problems == ["items[3].code: 网址 /services/ly-sd-9001/ 已被页面“编辑手工建的页面”占用"]
    assert snapshot() == before


def test_failure_while_writing_changes_nothing(small_catalog, monkeypatch):
    first = copy.deepcopy(small_catalog)
    first["staff"] = first["staff"][:1]
    load(first)
    before = snapshot()
    small_catalog["items"][0]["name"] = "写到一半失败"

    def fail(self, plans):
        raise RuntimeError("disk full")

    monkeypatch.setattr(BulkPublisher, "publish", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load(small_catalog)  # SD-S02's photo is written to storage before the failure

    assert snapshot() == before


def edit_in_the_admin(code):
    """What an editor adds in the admin that a `/1` file cannot say: 办理状态, a 容缺 certificate."""
    page = ServicePage.objects.get(code=code)
    page.status, page.status_reason = "暂停受理", "系统升级，请到县政务服务中心办理"
    page.status_from, page.status_until = datetime.date(2027, 1, 5), datetime.date(2027, 1, 10)
    materials = list(page.materials.all())
    materials[1].deferrable, materials[1].deferral_days, materials[1].issuer = True, 5, "耒阳市公安局"
    page.materials = materials
    page.save_revision().publish()
    return export_guide(ServicePage.objects.get(pk=page.pk))


def as_version_1(document):
    """The document as a `/1` file says it: its format, and none of the keys `/2` added."""
    newer = {e.key for e in ELEMENTS if e.since > 1}
    newer_material = {p.key for p in MATERIAL_PARTS_2}
    document = copy.deepcopy(document)
    document["format"] = "yimen-catalog/1"
    for item in document["items"]:
        for key in newer & set(item):
            del item[key]
        for material in item["materials"]:
            for key in newer_material & set(material):
                del material[key]
    return document


@pytest.fixture
def catalog_1(small_catalog):
    return as_version_1(small_catalog)


def test_a_version_1_file_keeps_the_status_and_deferral_an_editor_set(catalog_1):
    small_catalog = catalog_1
    load(small_catalog)
    edited = edit_in_the_admin("LY-SD-0001")
    assert edited["status"]["state"] == "暂停受理" and edited["materials"][1]["deferrable"]
    small_catalog["items"][0]["updated"] = edited["updated"]  # publishing set 指南更新日期 to today

    again = load(small_catalog)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert export_guide(ServicePage.objects.get(code="LY-SD-0001")) == edited

    small_catalog["items"][0]["conditions"] += "\n5. 本条为导入新增的条件。"
    changed = load(small_catalog)

    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    after = export_guide(ServicePage.objects.get(code="LY-SD-0001"))
    assert after["conditions"].endswith("本条为导入新增的条件。")
    assert (
        after["status"]
        == edited["status"]
        == {
            "state": "暂停受理",
            "reason": "系统升级，请到县政务服务中心办理",
            "from": "2027-01-05",
            "until": "2027-01-10",
        }
    )
    material = after["materials"][1]
    assert (material["name"], material["deferrable"], material["deferral_days"], material["issuer"]) == (
        "共同生活家庭成员居民身份证",
        True,
        5,
        "耒阳市公安局",
    )
    assert after["materials"] == edited["materials"]
    # What the import changed is recorded like a publication in the admin, above the editor's own entry.
    assert [c["lines"] for c in after["changes"]][1:] == [c["lines"] for c in edited["changes"]]
    assert any(line.startswith("受理条件") for line in after["changes"][0]["lines"])


def test_a_version_1_file_gives_a_renamed_material_none_of_the_old_ones_marks(catalog_1):
    small_catalog = catalog_1
    load(small_catalog)
    edit_in_the_admin("LY-SD-0001")
    small_catalog["items"][0]["materials"][1]["name"] = "居民身份证（共同生活家庭成员）"

    load(small_catalog)

    material = export_guide(ServicePage.objects.get(code="LY-SD-0001"))["materials"][1]
    assert (material["deferrable"], material["deferral_days"], material["issuer"]) == (False, None, None)


def test_a_version_2_file_without_changes_keeps_the_record(small_catalog):
    load(small_catalog)
    edited = edit_in_the_admin("LY-SD-0001")
    assert edited["changes"]
    document = copy.deepcopy(small_catalog)
    assert "changes" not in document["items"][0]

    result = load(document)

    after = export_guide(ServicePage.objects.get(code="LY-SD-0001"))
    # A /2 file says 办理状态 and 容缺 (here: none, the defaults), but not the record of past changes.
    assert after["status"]["state"] == "正常" and not after["materials"][1]["deferrable"]
    assert result.updated == 1
    assert [c["lines"] for c in after["changes"]][1:] == [c["lines"] for c in edited["changes"]]
    assert any("暂停受理" in line for line in after["changes"][0]["lines"])


def test_a_version_1_file_imports_as_before(catalog_1, small_catalog):
    """The same guides as a /1 file and as a /2 file without the new keys are the same guides."""
    first = load(catalog_1)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert not any("yimen-catalog/2 的字段" in w for w in first.warnings)

    second = load(small_catalog)

    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)


def test_a_version_1_file_with_keys_of_2_ignores_them_and_says_so(catalog_1):
    catalog_1["items"][0]["status"] = {"state": "暂停受理", "reason": "不应读取"}
    catalog_1["items"][0]["materials"][0]["deferrable"] = True

    result = load(catalog_1)

    page = ServicePage.objects.get(code=catalog_1["items"][0]["code"])
    assert page.status == "正常" and not page.materials.first().deferrable
    assert "items[0].status: 是 yimen-catalog/2 的字段，yimen-catalog/1 文件中不读取，已忽略" in result.warnings
    assert (
        "items[0].materials[0].deferrable: 是 yimen-catalog/2 的字段，yimen-catalog/1 文件中不读取，已忽略"
        in result.warnings
    )


def test_a_version_1_file_is_not_refused_for_keys_it_cannot_carry(catalog_1):
    """They are not read, so they are not checked either: a missing form, a status without a reason."""
    catalog_1["items"][0]["status"] = {"state": "暂停受理"}
    catalog_1["items"][0]["hall_roles"] = {"NOWHERE": ["收件"]}
    catalog_1["items"][0]["materials"][0].update(
        blank_form={"title": "表", "file": "forms/missing.pdf"}, deferral_days=3
    )

    result = load(catalog_1)

    assert result.created == 3
    assert not ServicePage.objects.get(code=catalog_1["items"][0]["code"]).materials.first().blank_form

"""`load_demo`, which `./yimen start` runs on every start: demo content once into an empty portal, never over what is there.

The command is pointed at the small catalog of conftest.py (`--catalog`), never at the 60-item demo,
which is only validated (its files included) and read for what it shows.
"""

import datetime
import io
import json
import stat

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.documents import get_document_model
from wagtail.models import Revision, Site

import pytest

from complaints.models import Complaint
from content.models import PortalSettings, ServicePage
from exports.catalog.validation import validate
from ratings.models import Rating
from search.backends import get_backend
from search.documents import all_indexable_page_ids
from search.models import ElsewhereService
from tests.exports.conftest import DEMO_DIR
from transparency.management.commands import load_transparency_demo
from transparency.models import RulePage, StatisticsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(catalog_dir, settings, tmp_path):
    """load_demo on the small catalog, with its password file in a throwaway var/ and served at port 8101."""
    settings.VAR_DIR = tmp_path / "var"
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8101"

    def load():
        out, err = io.StringIO(), io.StringIO()
        call_command("load_demo", "--catalog", str(catalog_dir / "catalog.json"), stdout=out, stderr=err)
        return out.getvalue()

    return load


def portal():
    return PortalSettings.for_site(Site.objects.get(is_default_site=True))


def password_in(out):
    return out.split("密码：")[1].split("（")[0].strip()


def state():
    """Everything a rerun could change: content, its revisions, the settings, sample data, accounts."""
    return {
        "pages": sorted(
            (
                p.pk,
                p.title,
                p.live_revision_id,
                p.latest_revision_id,
                json.dumps(p.specific.serializable_data(), sort_keys=True, default=str),
            )
            for p in [*ServicePage.objects.all(), *RulePage.objects.all()]
        ),
        "revisions": Revision.objects.count(),
        "portal": (portal().portal_name, portal().hotline),
        "ratings": Rating.objects.count(),
        "complaints": Complaint.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", "password", "is_superuser", "last_login")),
        "elsewhere": list(ElsewhereService.objects.order_by("pk").values()),
    }


def test_first_run_loads_the_demo_and_prints_the_admin(demo, settings):
    out = demo()

    assert portal().portal_name == "耒阳市三都镇政务服务网"
    assert "演示门户已就绪：3 个办事指南。管理后台 http://127.0.0.1:8101/admin/" in out
    password = password_in(out)
    assert get_user_model().objects.get(username="admin").check_password(password)
    secret = settings.VAR_DIR / "admin-password"
    assert secret.read_text() == password
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert RulePage.objects.live().exists() and StatisticsPage.objects.live().count() == 1
    assert Rating.objects.exists(), "the demo statistics have sample ratings to show"
    assert set(all_indexable_page_ids()) <= set(get_backend().indexed_page_ids())
    assert ElsewhereService.objects.count() == 8 and "载入 8 条不在本中心办理的事项" in out
    assert ElsewhereService.objects.get(name="公证").where == "湖南省耒阳市公证处"


def test_a_rerun_keeps_what_editors_and_the_administrator_changed(demo):
    demo()
    editor = get_user_model().objects.get(username="admin")
    guide = ServicePage.objects.get(code="LY-SD-0001")
    guide.title = "最低生活保障审核确认（2027 年版）"
    guide.conditions = "申请人具有本市户籍。"
    guide.save_revision(user=editor).publish()
    rule = RulePage.objects.get(slug="shou-wen-ze-ren-zhi")
    rule.body = "<p>修订后的首问责任制。</p>"
    rule.save_revision(user=editor).publish()
    settings_ = portal()
    settings_.portal_name = "耒阳市政务服务网"
    settings_.hotline = "0734-4300000"
    settings_.save()
    editor.set_password("the-administrators-own-password")
    editor.save()
    notary = ElsewhereService.objects.get(name="公证")
    notary.phone = "0734-4351149"
    notary.save()
    ElsewhereService.objects.get(name="诉讼立案").delete()
    before = state()

    out = demo()

    assert state() == before
    guide.refresh_from_db()
    assert guide.title == "最低生活保障审核确认（2027 年版）" and guide.conditions == "申请人具有本市户籍。"
    assert get_user_model().objects.get(username="admin").check_password("the-administrators-own-password")
    assert "门户已有内容（3 个办事指南" in out and "没有载入演示内容" in out
    assert "管理员账号 admin 已存在，未作改动" in out
    assert "manage.py changepassword admin" in out
    assert "the-administrators-own-password" not in out and "密码：" not in out


def test_a_rerun_shows_the_generated_password_while_it_is_still_the_accounts(demo):
    password = password_in(demo())
    before = state()

    again = demo()

    assert password_in(again) == password and "账号已存在，未作改动" in again
    assert state() == before


def test_nothing_is_loaded_over_another_catalog(demo, catalog_dir, small_catalog, tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    (own / "photos").mkdir()
    for person in small_catalog["staff"]:
        (own / person["photo"]).write_bytes((catalog_dir / person["photo"]).read_bytes())
    for item in small_catalog["items"]:
        item["name"] = f"{item['name']}（本县目录）"
    (own / "catalog.json").write_text(json.dumps(small_catalog, ensure_ascii=False), encoding="utf-8")
    call_command("import_catalog", str(own / "catalog.json"), "--no-progress", stdout=io.StringIO())
    before = state()

    out = demo()

    assert "没有载入演示内容" in out
    assert all(title.endswith("（本县目录）") for title in ServicePage.objects.values_list("title", flat=True))
    assert not RulePage.objects.exists() and not Rating.objects.exists() and not Complaint.objects.exists()
    assert not ElsewhereService.objects.exists(), "made-up phone numbers never reach a real portal"
    assert portal().portal_name == PortalSettings._meta.get_field("portal_name").default
    after = state()
    assert {k: v for k, v in after.items() if k != "users"} == {k: v for k, v in before.items() if k != "users"}


def test_an_interrupted_first_run_leaves_an_empty_portal_that_the_next_run_fills(demo, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(load_transparency_demo, "load_sample_activity", fail)
    with pytest.raises(RuntimeError):
        demo()
    assert not ServicePage.objects.exists() and not RulePage.objects.exists()
    monkeypatch.undo()

    demo()

    assert ServicePage.objects.count() == 3 and RulePage.objects.exists() and Rating.objects.exists()


def test_no_demo_administrator_beside_an_existing_one(demo):
    get_user_model().objects.create_superuser("zhang", password="own-password")

    out = demo()

    assert list(get_user_model().objects.values_list("username", flat=True)) == ["zhang"]
    assert "已有管理员账号（zhang），没有再创建演示管理员 admin" in out


# ---------------------------------------------------------------- the demo's new elements (yimen-catalog/2)


def demo_catalog():
    return json.loads((DEMO_DIR / "sample-catalog.json").read_text(encoding="utf-8"))


def test_the_demo_catalog_is_valid_and_shows_the_new_elements_without_looking_odd():
    document = demo_catalog()
    validate(document, DEMO_DIR)  # forms and photos included; raises CatalogError on any problem

    assert document["format"] == "yimen-catalog/2"
    items = {i["code"]: i for i in document["items"]}
    materials = [(i, m) for i in document["items"] for m in i["materials"]]
    deferred = [m for _i, m in materials if m.get("deferrable")]
    assert len(deferred) >= 3 and all(m.get("deferral_days") for m in deferred)
    assert items["LY-SD-0038"]["promise_note"] and any(m.get("promise") for m in items["LY-SD-0038"]["materials"])
    assert any(m.get("issuer") for _i, m in materials)
    assert any(m.get("shared") and "户口簿" in m["name"] for _i, m in materials)
    forms = [m for _i, m in materials if m.get("blank_form") and m.get("sample_form")]
    assert forms and all(
        (DEMO_DIR / m[k]["file"]).read_bytes().startswith(b"%PDF-")
        for m in forms
        for k in ("blank_form", "sample_form")
    )
    assert [p["kind"] for p in items["LY-SD-0030"]["special_procedures"]] == ["公示"]  # 农村村民宅基地审批
    assert len([i for i in document["items"] if i.get("scope")]) >= 3
    village = {c["code"] for c in document["centers"] if c["level"] == "village"}
    assert any(set(i.get("hall_roles", {})) & village for i in document["items"])
    assert any(i.get("delivery") for i in document["items"])
    # 帮办代办: each village station 代办s items and has a 代办员 to call.
    stations = [c["code"] for c in document["centers"] if c["level"] == "village"]
    for station in stations:
        assert sum(station in i.get("assist_centers", []) for i in document["items"]) >= 10, station
        assert any(p["center"] == station and p.get("agent") for p in document["staff"]), station
    # The demo must look normal: no item is suspended or being changed today.
    today = datetime.date.today().isoformat()
    for item in document["items"]:
        status = item.get("status") or {"state": "正常"}
        assert status["state"] == "正常" or (status.get("from") or "") > today, item["code"]


@pytest.fixture
def catalog_with_forms(catalog_dir, small_catalog):
    """The small catalog plus the demo's 特困人员认定, whose application has a blank form and a sample."""
    item = next(i for i in demo_catalog()["items"] if i["code"] == "LY-SD-0002")
    centers = {c["code"] for c in small_catalog["centers"]}
    item["centers"] = [c for c in item["centers"] if c in centers]
    item["hall_roles"] = {c: r for c, r in item["hall_roles"].items() if c in centers}
    item["assist_centers"] = [c for c in item["assist_centers"] if c in centers]
    small_catalog["items"].append(item)
    (catalog_dir / "forms").mkdir()
    for m in item["materials"]:
        for key in ("blank_form", "sample_form"):
            if m.get(key):
                (catalog_dir / m[key]["file"]).write_bytes((DEMO_DIR / m[key]["file"]).read_bytes())
    (catalog_dir / "catalog.json").write_text(json.dumps(small_catalog, ensure_ascii=False), encoding="utf-8")
    return item


def test_the_demo_forms_load_once_and_a_rerun_changes_nothing(demo, catalog_with_forms):
    demo()
    material = ServicePage.objects.get(code="LY-SD-0002").materials.get(name="特困人员救助供养申请书")
    ref = catalog_with_forms["materials"][0]
    assert material.blank_form.title == ref["blank_form"]["title"]
    assert material.blank_form.file.read() == (DEMO_DIR / ref["blank_form"]["file"]).read_bytes()
    assert material.sample_form.title == ref["sample_form"]["title"]
    documents = get_document_model().objects.count()
    before = state()

    demo()

    assert state() == before
    assert get_document_model().objects.count() == documents == 2

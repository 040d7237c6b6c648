"""A guide with every element (content.guide) and real form files travels through export and import
unchanged: the command's folder, the admin's ZIP, into an empty portal and back, byte for byte."""

import io
import json
import zipfile

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from wagtail.documents import get_document_model

import pytest

from content.guide import ELEMENTS
from content.models import Department, GuideChange, HallPage, Material, ServicePage, Topic
from exports.catalog.exporter import export_catalog
from exports.catalog.importer import import_file

from .full_catalog import full_catalog

pytestmark = pytest.mark.django_db


def export_folder(folder):
    folder.mkdir()
    call_command("export_catalog", str(folder / "catalog.json"), stdout=io.StringIO())
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def empty_the_portal():
    """Everything an import brings, gone: the next import starts from nothing."""
    ServicePage.objects.all().delete()
    HallPage.objects.all().delete()
    Department.objects.all().delete()
    Topic.objects.all().delete()
    for document in get_document_model().objects.all():
        document.file.delete(save=False)
        document.delete()
    assert not GuideChange.objects.exists()


@pytest.fixture
def source(tmp_path):
    folder = tmp_path / "source"
    document = full_catalog(folder)
    return folder, document


def test_every_element_comes_back_as_it_went_in(source, tmp_path):
    folder, document = source
    import_file(folder / "catalog.json")

    files = export_folder(tmp_path / "first")
    exported = json.loads(files["catalog.json"])

    assert exported["format"] == "yimen-catalog/2"
    item = exported["items"][0]
    for e in ELEMENTS:  # each element by name, so a failure says which one is lost
        assert item[e.key] == document["items"][0][e.key], e.key
    forms = {name: data for name, data in files.items() if name.startswith("forms/")}
    assert forms == {name: (folder / name).read_bytes() for name in forms}
    assert len(forms) == 2 and forms.keys() == {
        item["materials"][0]["blank_form"]["file"],
        item["materials"][0]["sample_form"]["file"],
    }
    # Two materials name one file: one document, downloadable with its title.
    assert get_document_model().objects.count() == 2
    material = Material.objects.get(name="居民身份证")
    assert material.blank_form.title == "居民身份证申领登记表（空表）"
    assert material.blank_form.file.read() == (folder / item["materials"][0]["blank_form"]["file"]).read_bytes()


def test_export_import_into_an_empty_portal_export_is_byte_identical(source, tmp_path):
    folder, _ = source
    import_file(folder / "catalog.json")
    first = export_folder(tmp_path / "first")

    empty_the_portal()
    result = import_file(tmp_path / "first" / "catalog.json")
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    second = export_folder(tmp_path / "second")

    assert second == first
    assert sorted(name.split("/")[0] for name in second) == ["catalog.json", "forms", "forms"]
    again = import_file(tmp_path / "second" / "catalog.json")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    return client


def test_the_admin_zip_carries_forms_and_imports_back_into_an_empty_portal(source, admin_client):
    folder, _ = source
    import_file(folder / "catalog.json")

    assert 'href="/admin/catalog-export/"' in admin_client.get("/admin/catalog-import/").text
    response = admin_client.get("/admin/catalog-export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    first = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        exported = json.loads(archive.read("catalog.json"))
        assert exported == export_catalog()
        for name in names[1:]:
            assert archive.read(name) == (folder / name).read_bytes()
    assert names[0] == "catalog.json" and len(names) == 3 and all(n.startswith("forms/") for n in names[1:])

    empty_the_portal()
    response = admin_client.post("/admin/catalog-import/", {"file": SimpleUploadedFile("catalog.zip", first)})
    assert "事项：新增 1" in response.text
    second = b"".join(admin_client.get("/admin/catalog-export/").streaming_content)
    assert second == first


def test_the_export_is_refused_without_the_import_permission(source, client, django_user_model):
    """The ZIP holds guides under a view restriction too: only who may import (and so replace) them gets it."""
    import_file(source[0] / "catalog.json")
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(editor)

    response = client.get("/admin/catalog-export/")

    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_home"
    )  # Wagtail's "no permission"


def test_a_zip_upload_with_a_form_outside_its_folder_is_refused(source, admin_client):
    folder, document = source
    document["items"][0]["materials"][0]["blank_form"]["file"] = "../outside.pdf"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catalog.json", json.dumps(document, ensure_ascii=False))
        for path in (folder / "forms").iterdir():
            archive.write(path, f"forms/{path.name}")
        archive.writestr("../outside.pdf", b"%PDF-1.4")

    response = admin_client.post(
        "/admin/catalog-import/", {"file": SimpleUploadedFile("catalog.zip", buffer.getvalue())}
    )

    assert "catalog.zip: 压缩包内的路径 &#x27;../outside.pdf&#x27; 不安全" in response.text
    assert not ServicePage.objects.exists()


def test_a_form_the_json_names_but_the_zip_lacks_is_named(source, admin_client):
    folder, document = source
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catalog.json", json.dumps(document, ensure_ascii=False))

    response = admin_client.post(
        "/admin/catalog-import/", {"file": SimpleUploadedFile("catalog.zip", buffer.getvalue())}
    )

    missing = document["items"][0]["materials"][0]["blank_form"]["file"]
    assert f"items[0].materials[0].blank_form.file: 找不到表格文件 &#x27;{missing}&#x27;" in response.text
    assert not ServicePage.objects.exists()


def test_forms_named_by_the_editor_import_again_unchanged(source):
    """A form is known by its bytes: a file that names it forms/shenqingbiao.pdf (not the name export
    gives it) imports, and importing the same file again changes nothing."""
    folder, document = source
    item = document["items"][0]
    for material in item["materials"]:
        for key in ("blank_form", "sample_form"):
            ref = material[key]
            if ref:
                own = f"forms/editor-{key}{ref['file'][ref['file'].rfind('.') :]}"
                (folder / own).write_bytes((folder / ref["file"]).read_bytes())
                ref["file"] = own
    (folder / "catalog.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    first = import_file(folder / "catalog.json")
    again = import_file(folder / "catalog.json")

    assert (first.created, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)
    assert get_document_model().objects.count() == 2

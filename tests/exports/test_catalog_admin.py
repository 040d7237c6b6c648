import io
import json
import zipfile

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.admin.menu import admin_menu

import pytest

from content.models import ServicePage, StaffMember

from . import archives

pytestmark = pytest.mark.django_db

URL = "/admin/catalog-import/"
DAMAGED = "catalog.zip: 压缩包已损坏，catalog.json 无法解压（文件可能没有上传完整）；请重新压缩后上传"
NOT_A_ZIP = "catalog.zip: 不是有效的 ZIP 文件，或文件已损坏、没有上传完整；请重新压缩后上传"


def as_upload(document, name="catalog.json"):
    return SimpleUploadedFile(name, json.dumps(document, ensure_ascii=False).encode(), content_type="application/json")


def zipped(folder, prefix=""):
    """The folder as an editor would zip it: catalog.json and photos/, optionally inside one folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + str(path.relative_to(folder)))
    return SimpleUploadedFile("catalog.zip", buffer.getvalue(), content_type="application/zip")


@pytest.fixture
def importer(django_user_model):
    """An editor who may use the admin and import catalogs, but is no superuser."""
    group = Group.objects.create(name="目录管理员")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="exports", codename="import_catalog"),
    )
    user = django_user_model.objects.create_user("importer", password="x")
    user.groups.add(group)
    return user


@pytest.fixture
def importer_client(client, importer):
    client.force_login(importer)
    return client


@pytest.fixture
def without_photos(small_catalog):
    for person in small_catalog["staff"]:
        person["photo"] = None
    return small_catalog


def menu_urls(user, rf):
    request = rf.get("/admin/")
    request.user = user
    return [item.url for item in admin_menu.menu_items_for_request(request)]


def test_editor_without_the_permission_is_refused(client, django_user_model, rf):
    editor = django_user_model.objects.create_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)

    response = client.post(URL, {"file": SimpleUploadedFile("catalog.json", b"{}")})

    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_home"
    )  # Wagtail's "no permission"
    assert URL not in menu_urls(editor, rf)


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_menu_and_form_for_an_importer(importer_client, importer, rf):
    assert URL in menu_urls(importer, rf)
    response = importer_client.get(URL)

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text and "csrfmiddlewaretoken" in response.text


def test_upload_imports_and_shows_the_summary(importer_client, importer, without_photos):
    without_photos["items"][0]["colour"] = "红"

    response = importer_client.post(URL, {"file": as_upload(without_photos)})

    assert response.status_code == 200
    assert "“catalog.json”已导入" in response.text
    assert "事项：新增 3，更新 0（各生成一个新版本并发布），未变 0" in response.text
    assert "items[0].colour: 未知字段，已忽略" in response.text
    page = ServicePage.objects.get(code="LY-SD-0001")
    assert page.live and page.live_revision.user == importer


def test_zip_with_photos(importer_client, catalog_dir):
    response = importer_client.post(URL, {"file": zipped(catalog_dir, prefix="导出/")})

    assert "事项：新增 3" in response.text
    assert StaffMember.objects.get(staff_id="SD-S01").photo.width > 0


def test_refused_upload_lists_every_problem_and_changes_nothing(importer_client, without_photos):
    without_photos["items"][0]["department"] = "NOPE"
    without_photos["items"][2]["promised_limit"]["days"] = 9

    response = importer_client.post(URL, {"file": as_upload(without_photos)})

    assert response.status_code == 200
    assert "未导入：发现 3 处问题，数据库未作任何改动" in response.text
    for problem in (
        "items[0].department: 部门 &#x27;NOPE&#x27; 不存在",
        "items[2].promised_limit.days: 承诺办结时限（9工作日）不能超过法定办结时限（3工作日）",
        "items[2].promised_limit.days: 即办件应当场办结，承诺办结时限须为 0（当场办结）",
    ):
        assert problem in response.text
    assert not ServicePage.objects.exists()


def test_photos_missing_from_a_json_upload_are_named(importer_client, small_catalog):
    response = importer_client.post(URL, {"file": as_upload(small_catalog)})

    assert "staff[0].photo: 找不到照片文件 &#x27;photos/SD-S01.jpg&#x27;" in response.text
    assert not ServicePage.objects.exists()


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("catalog.json", b'{"format": '), "JSON 格式错误：第 1 行第 12 列：此处应为一个值"),
        (
            SimpleUploadedFile("catalog.json", b'{\n  "format": "yimen-catalog/1",\n  items: []\n}'),
            "JSON 格式错误：第 3 行第 3 列：属性名必须用英文双引号括起来",
        ),
        (SimpleUploadedFile("catalog.zip", b"PK not a zip"), NOT_A_ZIP),
    ],
)
def test_unreadable_upload(importer_client, upload, expected):
    response = importer_client.post(URL, {"file": upload})

    assert expected in response.text and not ServicePage.objects.exists()


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (archives.bad_crc, DAMAGED),
        (archives.broken_stream, DAMAGED),  # zlib.error, OSError (bzip2) or a bad CRC (stored, LZMA)
        (
            archives.unknown_method,
            "catalog.zip: 压缩包里的 catalog.json 用了不支持的压缩方式；请用常见的 ZIP（Deflate）方式重新压缩后上传",
        ),
        (archives.encrypted, "catalog.zip: 压缩包设了密码（catalog.json），无法读取；请不加密重新压缩后上传"),
        (archives.truncated, NOT_A_ZIP),
        (archives.central_directory_cut, DAMAGED),  # ValueError: negative seek when reading a member
    ],
)
def test_a_broken_zip_is_named_for_what_is_wrong(importer_client, without_photos, damage, expected, compression):
    """Found by review: a bad CRC, an unknown method or a password were a 500 (zipfile's exceptions escaped)."""
    catalog = json.dumps(without_photos, ensure_ascii=False).encode()
    upload = SimpleUploadedFile(
        "catalog.zip", damage(archives.archive({"catalog.json": catalog, "photos/readme.txt": b"x" * 64}, compression))
    )
    response = importer_client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert expected in response.text
    assert not ServicePage.objects.exists()


def test_a_zip_whose_member_is_also_a_folder_is_refused(importer_client, without_photos):
    upload = SimpleUploadedFile(
        "catalog.zip",
        archives.archive({"photos": b"x", "photos/a.jpg": b"y", "catalog.json": json.dumps(without_photos).encode()}),
    )
    response = importer_client.post(URL, {"file": upload})

    assert "catalog.zip: 压缩包里的 photos/a.jpg 与同名的文件或文件夹冲突" in response.text
    assert not ServicePage.objects.exists()


def test_zip_members_must_stay_inside(importer_client, without_photos):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../catalog.json", json.dumps(without_photos))
    response = importer_client.post(URL, {"file": SimpleUploadedFile("evil.zip", buffer.getvalue())})

    assert "evil.zip: 压缩包内的路径 &#x27;../catalog.json&#x27; 不安全" in response.text
    assert not ServicePage.objects.exists()


def test_file_type_and_size_are_limited(importer_client, without_photos, settings):
    response = importer_client.post(URL, {"file": SimpleUploadedFile("catalog.txt", b"{}")})
    assert "只能上传 .json 或 .zip 文件。" in response.text

    settings.CATALOG_IMPORT_MAX_BYTES = 1024
    response = importer_client.post(URL, {"file": as_upload(without_photos)})
    assert "超过上限 1.0" in response.text
    assert not ServicePage.objects.exists()


def test_upload_needs_the_csrf_token(importer, without_photos):
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer)

    response = client.post(URL, {"file": as_upload(without_photos)})

    assert response.status_code == 403
    assert not ServicePage.objects.exists()

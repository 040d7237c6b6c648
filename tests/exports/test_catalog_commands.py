import io
import json

from django.core.management import CommandError, call_command

import pytest

from content.guide import ELEMENTS, MATERIAL_PARTS_2
from content.models import ServicePage

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_summary_and_warnings(catalog_dir):
    document = json.loads((catalog_dir / "catalog.json").read_text(encoding="utf-8"))
    document["items"][0]["colour"] = "红"
    (catalog_dir / "catalog.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    out, err = run("import_catalog", str(catalog_dir / "catalog.json"), "--no-progress")

    assert "导入完成：事项新增 3、更新 0、未变 0；大厅新增 2、更新 0；窗口人员 2 人。" in out
    assert "警告：items[0].colour: 未知字段，已忽略" in err


def test_import_refuses_a_bad_file_and_lists_every_problem(catalog_dir):
    document = json.loads((catalog_dir / "catalog.json").read_text(encoding="utf-8"))
    document["items"][0]["department"] = "NOPE"
    document["items"][2]["promised_limit"]["days"] = 5
    (catalog_dir / "catalog.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError) as excinfo:
        run("import_catalog", str(catalog_dir / "catalog.json"), "--no-progress")

    message = str(excinfo.value)
    assert message.startswith("导入失败，数据库未作任何改动：")
    assert "  items[0].department: 部门 'NOPE' 不存在" in message
    assert "  items[2].promised_limit.days: 承诺办结时限（5工作日）不能超过法定办结时限（3工作日）" in message
    assert "  items[2].promised_limit.days: 即办件应当场办结，承诺办结时限须为 0（当场办结）" in message
    assert not ServicePage.objects.exists()


def test_import_shortens_a_long_list_of_problems(catalog_dir):
    document = json.loads((catalog_dir / "catalog.json").read_text(encoding="utf-8"))
    document["items"] = [dict(document["items"][0], code=f"X-{n}", department="NOPE") for n in range(60)]
    (catalog_dir / "catalog.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(CommandError, match="……另有 10 处问题"):
        run("import_catalog", str(catalog_dir / "catalog.json"), "--no-progress")


def test_import_of_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run("import_catalog", str(tmp_path / "none.json"), "--no-progress")


def test_export_import_export_is_identical(catalog_dir, small_catalog, tmp_path):
    run("import_catalog", str(catalog_dir / "catalog.json"), "--no-progress")
    first = tmp_path / "first" / "catalog.json"
    first.parent.mkdir()

    out, _ = run("export_catalog", str(first))

    assert out.strip() == f"已导出 3 个事项到 {first}"
    exported = json.loads(first.read_text(encoding="utf-8"))
    assert sorted(p.name for p in (first.parent / "photos").iterdir()) == ["SD-S01.jpg", "SD-S02.jpg"]
    # The source's items leave the /2 keys out; they come back as /2: their own keys unchanged (only the
    # order inside sets such as topics may differ), each /2 element at its default.
    assert exported["format"] == "yimen-catalog/2"
    defaults = {e.key: e.normalize({}, None) for e in ELEMENTS if e.since == 2}
    for item, source in zip(exported["items"], small_catalog["items"], strict=True):
        assert sorted(item.pop("topics")) == sorted(source.pop("topics"))
        for material in item["materials"]:
            for part in MATERIAL_PARTS_2:
                assert material.pop(part.key) == part.normalize({})
        assert {k: v for k, v in item.items() if k in source} == source
        assert {k: v for k, v in item.items() if k not in source} == {k: defaults[k] for k in item if k not in source}

    ServicePage.objects.all().delete()
    out, _ = run("import_catalog", str(first), "--no-progress")
    assert "事项新增 3、更新 0、未变 0" in out
    second = tmp_path / "second.json"
    run("export_catalog", str(second))

    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")
    out, _ = run("import_catalog", str(second), "--no-progress")
    assert "事项新增 0、更新 0、未变 3；大厅新增 0、更新 0" in out


def test_export_into_a_missing_folder(tmp_path):
    with pytest.raises(CommandError, match="目录不存在"):
        run("export_catalog", str(tmp_path / "none" / "catalog.json"))

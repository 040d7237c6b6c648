"""backup and restore on the suite's database backend (SQLite, then PostgreSQL in the second run).

The round trips run the commands in their own processes against a throwaway site (conftest.Site);
the checks of damaged backups and the rollback of a failed restore run in this process against
copies of that site's backup, with the live trees pointed at temporary directories.
"""

import io
import json
import os
import stat
import tarfile

from django.core.management import CommandError, call_command

import pytest

from backups import database, files, manifest, restoring, snapshot


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def _no_staging_left(*roots):
    return not any(
        entry.name.startswith(files.STAGING_PREFIX) for root in roots if root.exists() for entry in root.iterdir()
    )


def test_round_trip_restores_catalog_media_attachments_and_search(site, seeded_backup):
    before, folder = seeded_backup
    seeded = before.data
    assert len(seeded["complaints"]) == 2 and len(seeded["attachments"]) == 2
    assert all(sha for *_rest, sha in seeded["attachments"]) and all(sha for *_rest, sha in seeded["documents"])
    assert any(seeded["search"].values())
    saved = json.loads((folder / manifest.FILE).read_text(encoding="utf-8"))
    assert saved["database"]["method"] == ("pg_dump" if site.postgres else "sqlite-backup")
    assert saved["trees"]["attachments"]["files"] == 2
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    # Every member is private, whoever wrote it (the database dump, the manifest, copies of 0644 media),
    # and so is every member of an archive made from the folder.
    members = {str(path.relative_to(folder)): _mode(path) for path in folder.rglob("*")}
    assert {saved["database"]["file"], manifest.FILE, "media", "attachments"} <= set(members)
    assert members == {name: (0o700 if (folder / name).is_dir() else 0o600) for name in members}
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        tar.add(folder, arcname="backup")
    archive.seek(0)
    with tarfile.open(fileobj=archive) as tar:
        assert {member.mode for member in tar.getmembers() if member.isfile()} == {0o600}
        assert {member.mode for member in tar.getmembers() if member.isdir()} == {0o700}

    site.run("mutate()", site.state_call("changed"))
    changed = site.snapshot("changed")
    assert changed.catalog != before.catalog
    assert changed.data["complaints"] != seeded["complaints"] and changed.data["documents"] != seeded["documents"]

    result = site.manage("restore", str(folder))
    assert "恢复完成" in result.stdout and "搜索索引已重建" in result.stdout

    after = site.state("restored")
    assert after.catalog == before.catalog
    assert after.photos_equal(before)
    assert after.data == seeded
    trees = site.trees()
    assert _no_staging_left(*trees.values())
    for path in trees["attachments"].rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600)
    # Public media get the modes of uploaded media back (the web server reads them), not the backup's 0600.
    media = {str(path.relative_to(trees["media"])): _mode(path) for path in trees["media"].rglob("*")}
    assert any(name.startswith("original_images/") for name in media)
    assert media == {name: (0o755 if (trees["media"] / name).is_dir() else 0o644) for name in media}


def test_round_trip_with_django_dump(site, seeded_backup):
    folder = site.root / "backup-json"
    site.run(site.state_call("before-json"), f"call_command('backup', {str(folder)!r}, django_dump=True)", "mutate()")
    current = site.snapshot("before-json")
    assert json.loads((folder / manifest.FILE).read_text(encoding="utf-8"))["database"]["method"] == "django-json"
    assert "恢复完成" in site.manage("restore", str(folder)).stdout
    after = site.state("after-json")
    assert after.catalog == current.catalog
    assert after.data == current.data


def test_backup_leaves_out_attachment_files_without_a_row(site):
    """Files a failed or killed submission left (pending or not) hold personal data no row leads to."""
    live = site.trees()["attachments"]
    rows = sorted(p.relative_to(live).as_posix() for p in live.rglob("*") if p.is_file())
    assert rows, "the seeded site has attachments"
    orphans = [live / "2026" / "11" / "killed.jpg.pending", live / "2026" / "10" / "rowless.pdf"]
    for path in orphans:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"13800001234 personal data")
    default, dumped = site.root / "backup-orphans", site.root / "backup-orphans-json"
    try:
        site.run(
            f"call_command('backup', {str(default)!r})", f"call_command('backup', {str(dumped)!r}, django_dump=True)"
        )
    finally:
        for path in orphans:
            path.unlink()
    for folder in (default, dumped):
        saved = json.loads((folder / manifest.FILE).read_text(encoding="utf-8"))
        copied = sorted(
            p.relative_to(folder / "attachments").as_posix() for p in (folder / "attachments").rglob("*") if p.is_file()
        )
        assert copied == rows
        assert sorted(k.removeprefix("attachments/") for k in saved["files"] if k.startswith("attachments/")) == rows
        assert saved["trees"]["attachments"]["files"] == len(rows)


def test_damaged_backup_is_refused_and_the_site_left_alone(site, backup_copy):
    attachment = sorted((backup_copy / "attachments").rglob("*.png"))[0]
    data = bytearray(attachment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    attachment.write_bytes(bytes(data))
    current = site.latest if site.latest is not None else site.state("before-refusal")

    result = site.manage("restore", str(backup_copy), check=False)

    assert result.returncode == 1
    assert "不能恢复，站点没有任何改动" in result.stderr
    assert "SHA-256 不符" in result.stderr and attachment.name in result.stderr
    after = site.state("after-refusal")
    assert after.catalog == current.catalog and after.data == current.data


# ---- Checks, in this process ----


def _edit_manifest(folder, change):
    path = folder / manifest.FILE
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _remove_manifest(folder):
    (folder / manifest.FILE).unlink()


def _garble_manifest(folder):
    (folder / manifest.FILE).write_text('{"format": "yimen-backup/1", "files": {', encoding="utf-8")


def _other_format(folder):
    _edit_manifest(folder, lambda m: m.update(format="something-else/2"))


def _missing_file(folder):
    sorted((folder / "attachments").rglob("*.pdf"))[0].unlink()


def _changed_media(folder):
    path = sorted((folder / "media").rglob("*.jpg"))[0]
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x01
    path.write_bytes(bytes(data))


def _escaping_path(folder):
    _edit_manifest(folder, lambda m: m["files"].update({"media/../../etc/passwd": {"size": 1, "sha256": "0"}}))


def _truncated_database(folder):
    """A dump damaged before its checksum was taken: the manifest agrees, the file itself is broken."""
    document = json.loads((folder / manifest.FILE).read_text(encoding="utf-8"))
    name = document["database"]["file"]
    path = folder / name
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    _edit_manifest(folder, lambda m: m["files"].update({name: files.checksum(path)}))


def _newer_migrations(folder):
    _edit_manifest(folder, lambda m: m["migrations"].append("complaints.9999_from_a_newer_version"))


def _other_vendor(folder):
    other = "sqlite" if database.vendor() == "postgresql" else "postgresql"
    _edit_manifest(folder, lambda m: m["database"].update(vendor=other))


def _unknown_tree(folder):
    (folder / "extras").mkdir()
    (folder / "extras" / "x.txt").write_text("x")
    _edit_manifest(folder, lambda m: m["files"].update({"extras/x.txt": files.checksum(folder / "extras" / "x.txt")}))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_remove_manifest, "备份不完整"),
        (_garble_manifest, "已损坏，无法读取"),
        (_other_format, "不是一门的备份清单"),
        (_missing_file, "缺少文件：attachments/"),
        (_changed_media, "SHA-256 不符）：media/original_images/"),
        (_escaping_path, "清单中的路径无效"),
        (_truncated_database, "数据库"),
        (_newer_migrations, "complaints.9999_from_a_newer_version"),
        (_other_vendor, "备份与当前站点不兼容"),
        (_unknown_tree, "不认识的内容：extras"),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:] if callable(value) else "",
)
def test_restore_refuses_a_damaged_or_incompatible_backup(backup_copy, damage, expected):
    out = io.StringIO()
    call_command("restore", str(backup_copy), check=True, stdout=out)
    assert "备份完好，可以恢复" in out.getvalue()
    damage(backup_copy)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup_copy), check=True)
    assert str(refused.value).startswith("不能恢复，站点没有任何改动")
    assert expected in str(refused.value)


@pytest.fixture
def live_trees(settings, tmp_path):
    """The live trees of this process, in temporary directories with one file each."""
    settings.MEDIA_ROOT = tmp_path / "live" / "media"
    settings.COMPLAINTS_ATTACHMENT_ROOT = tmp_path / "live" / "private"
    settings.YIMEN_PRINT_DIR = tmp_path / "live" / "print"
    (settings.MEDIA_ROOT / "original_images").mkdir(parents=True)
    (settings.MEDIA_ROOT / "original_images" / "current.jpg").write_bytes(b"current photo")
    (settings.COMPLAINTS_ATTACHMENT_ROOT / "2026" / "11").mkdir(parents=True)
    (settings.COMPLAINTS_ATTACHMENT_ROOT / "2026" / "11" / "current.pdf").write_bytes(b"current attachment")
    return [settings.MEDIA_ROOT, settings.COMPLAINTS_ATTACHMENT_ROOT, settings.YIMEN_PRINT_DIR / "booklets"]


def _contents(roots):
    return {
        str(path): path.read_bytes()
        for root in roots
        if root.exists()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.django_db
def test_a_failed_database_step_puts_every_file_back(live_trees, backup_copy, monkeypatch):
    before = _contents(live_trees)
    switched = []

    def failing_restore(path, method):
        switched.append(_contents(live_trees))
        raise database.DatabaseError("模拟的数据库故障")

    monkeypatch.setattr(database, "restore", failing_restore)
    with pytest.raises(restoring.RestoreFailed, match="已回到恢复前的状态"):
        restoring.restore(backup_copy)
    assert switched and switched[0] != before  # the backup's files were in place when the database step ran
    assert _contents(live_trees) == before
    assert _no_staging_left(*live_trees)


@pytest.mark.django_db
def test_running_out_of_disk_while_staging_changes_nothing(live_trees, backup_copy, monkeypatch):
    before = _contents(live_trees)
    copied = []
    real_copy = files.copy_file

    def filling_disk(source, target):
        if copied:
            raise OSError(28, "No space left on device")
        copied.append(target)
        return real_copy(source, target)

    def must_not_run(path, method):
        raise AssertionError("the database must not be touched")

    monkeypatch.setattr(files, "copy_file", filling_disk)
    monkeypatch.setattr(database, "restore", must_not_run)
    with pytest.raises(restoring.RestoreFailed, match="站点没有任何改动"):
        restoring.restore(backup_copy)
    assert _contents(live_trees) == before
    assert _no_staging_left(*live_trees)


def test_backup_never_writes_into_a_folder_with_files(tmp_path):
    target = tmp_path / "used"
    target.mkdir()
    (target / "keep.txt").write_text("keep")
    with pytest.raises(snapshot.BackupFailed, match="不是空目录"):
        snapshot.take(target)
    assert os.listdir(target) == ["keep.txt"]

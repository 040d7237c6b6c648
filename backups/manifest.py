"""manifest.json: what a backup holds, and the checks a restore makes before it touches anything.

The manifest is written last, so a backup without one was never finished. It lists every file of
the backup with its size and SHA-256, the versions that wrote it, the database vendor and method,
and the migrations applied in the saved database. `problems()` returns every reason to refuse a
backup, each as a Chinese sentence for the operator; an empty list means it can be restored here.
"""

import datetime
import json
import platform
from pathlib import Path

import django
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import wagtail

from . import database, files

FILE = "manifest.json"
FORMAT = "yimen-backup/1"
MAX_LISTED = 20


class BackupRefused(Exception):
    """The backup cannot be restored here; `problems` says why, nothing has been changed."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def versions():
    return {"python": platform.python_version(), "django": django.get_version(), "wagtail": wagtail.__version__}


def build(database_section, tree_entries, search_section):
    """The manifest of a backup whose database file and trees are already written."""
    return {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "database": database_section,
        "migrations": database.applied_migrations(),
        "search": search_section,
        "trees": {
            name: {"files": len(entries), "bytes": sum(e["size"] for e in entries.values())}
            for name, entries in tree_entries.items()
        },
        "files": {
            **{database_section["file"]: database_section.pop("checksum")},
            **{
                f"{name}/{relative}": entry
                for name, entries in tree_entries.items()
                for relative, entry in entries.items()
            },
        },
    }


def write(folder, manifest):
    path = Path(folder) / FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def read(folder):
    """The manifest of the backup in `folder`; raises BackupRefused when it is missing or unreadable."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BackupRefused([f"备份目录不存在：{folder}"])
    path = folder / FILE
    if not path.is_file():
        raise BackupRefused([f"备份不完整：{folder} 中没有清单文件 {FILE}（备份可能没有做完，或不是一门的备份目录）。"])
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupRefused([f"清单文件 {FILE} 已损坏，无法读取：{exc}"]) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise BackupRefused([f"清单文件 {FILE} 不是一门的备份清单（格式应为 {FORMAT}，实际为 {found!r}）。"])
    required = {"database": dict, "migrations": list, "files": dict, "created_at": str}
    for key, kind in required.items():
        if not isinstance(manifest.get(key), kind):
            raise BackupRefused([f"清单文件 {FILE} 已损坏：缺少或无效的 {key}。"])
    if not isinstance(manifest["database"].get("file"), str) or manifest["database"]["file"] not in manifest["files"]:
        raise BackupRefused([f"清单文件 {FILE} 已损坏：没有列出数据库文件。"])
    return manifest


def _safe(relative):
    """A listed path must stay inside the backup: no absolute paths, no "..", no empty parts."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def damage(folder, manifest):
    """Listed files that are missing or differ from their recorded size and checksum."""
    folder = Path(folder)
    problems = []
    for relative, expected in sorted(manifest["files"].items()):
        if not _safe(relative) or not isinstance(expected, dict):
            problems.append(f"清单中的路径无效：{relative!r}")
            continue
        path = folder / relative
        if not path.is_file():
            problems.append(f"缺少文件：{relative}")
            continue
        if path.stat().st_size != expected.get("size"):
            problems.append(
                f"文件大小不符：{relative}（清单 {expected.get('size')} 字节，实际 {path.stat().st_size} 字节）"
            )
            continue
        if files.checksum(path) != {"size": expected.get("size"), "sha256": expected.get("sha256")}:
            problems.append(f"文件内容已改变（SHA-256 不符）：{relative}")
    if len(problems) > MAX_LISTED:
        problems = [*problems[:MAX_LISTED], f"……另有 {len(problems) - MAX_LISTED} 个文件有问题"]
    if problems:
        problems.insert(0, "备份已损坏，以下文件缺失或与清单不符：")
    return problems


VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def incompatibility(manifest):
    """Reasons this site cannot take the backup: another database vendor, or migrations it does not know."""
    saved = manifest["database"]
    here = database.vendor()
    problems = []
    if saved.get("vendor") != here and saved.get("method") != "django-json":
        problems.append(
            f"备份与当前站点不兼容：备份来自 {VENDOR_NAMES.get(saved.get('vendor'), saved.get('vendor'))} 数据库，"
            f"当前站点使用 {VENDOR_NAMES.get(here, here)}。"
        )
    loader = MigrationLoader(connection, ignore_no_migrations=True, load=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        listed = "、".join(unknown[:10]) + (f" 等 {len(unknown)} 个" if len(unknown) > 10 else "")
        problems.append(
            f"备份与当前程序不兼容：备份的数据库已应用了当前程序没有的迁移（{listed}），"
            f"它来自更新的程序版本（Django {manifest.get('versions', {}).get('django', '?')}、"
            f"Wagtail {manifest.get('versions', {}).get('wagtail', '?')}）。请先把程序升级到做备份时的版本再恢复。"
        )
    if saved.get("method") == "django-json":
        # loaddata fills the tables as they are now, so the schema must be the backup's.
        live = database.applied_migrations()
        if set(manifest["migrations"]) != set(live):
            problems.append(
                "备份与当前数据库结构不一致：这份备份由 Django 导出（django-json），只能恢复到迁移状态完全相同的数据库。"
                "请先用做备份时的程序版本运行 migrate，再恢复。"
            )
    if saved.get("method") not in ("sqlite-backup", "pg_dump", "django-json"):
        problems.append(f"不认识的数据库备份方式：{saved.get('method')!r}。")
    return problems

"""Restoring a backup: check everything, stage everything, then switch; never a half-restored site.

1. Checks (nothing touched yet): the manifest is there and readable, every listed file is present
   with its recorded size and SHA-256, the database file opens, the vendor matches and the code
   knows every migration the saved database has. Any problem refuses the whole backup.
2. Staging: the files of each tree are copied into a folder inside the live directory and checked
   again. A failure here (disk full, say) removes the staged copies and leaves the site as it was.
3. Switch: the trees' current contents are moved aside and the staged ones in (renames), then the
   database is replaced in one transaction. If the database step fails, the trees are moved back.
4. After the commit: migrations newer than the backup are applied, the search index is rebuilt from
   the restored database (never copied: a rebuilt index always matches the data and the code), and
   every cache is cleared so no page from before the restore is served.

Stop the application servers (and background workers) first: the switch does not wait for them.
"""

import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from . import database, files, manifest


class RestoreFailed(Exception):
    pass


def _tree_entries(document, name):
    prefix = f"{name}/"
    return {path[len(prefix) :]: entry for path, entry in document["files"].items() if path.startswith(prefix)}


def check(folder):
    """The backup's manifest when it can be restored here; raises manifest.BackupRefused otherwise."""
    document = manifest.read(folder)
    problems = manifest.damage(folder, document)
    if not problems:
        known = set(files.trees())
        db_file = document["database"]["file"]
        stray = sorted({path.split("/", 1)[0] for path in document["files"] if path != db_file} - known)
        if stray:
            problems.append(f"备份含有当前程序不认识的内容：{'、'.join(stray)}。")
        problems += manifest.incompatibility(document)
    if not problems:
        problems += database.check_file(folder / document["database"]["file"], document["database"]["method"])
    if problems:
        raise manifest.BackupRefused(problems)
    return document


def restore(folder, log=None):
    """Make this site what the backup in `folder` holds; returns a summary of what was done."""
    log = log or (lambda message: None)
    document = check(folder)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    swaps = [
        files.TreeSwap(live, folder / name, _tree_entries(document, name), stamp, private=(name == "attachments"))
        for name, live in files.trees().items()
    ]
    try:
        for swap in swaps:
            log(f"准备文件：{swap.live}……")
            swap.stage()
    except OSError as exc:
        for swap in swaps:
            swap.finish()
        raise RestoreFailed(f"准备恢复的文件时出错，站点没有任何改动：{exc}") from exc
    try:
        for swap in swaps:
            swap.apply()
        log("恢复数据库……")
        database.restore(folder / document["database"]["file"], document["database"]["method"])
    except BaseException as exc:
        for swap in reversed(swaps):
            swap.undo()
        for swap in swaps:
            swap.finish()
        if isinstance(exc, database.DatabaseError | OSError):
            raise RestoreFailed(f"恢复失败，数据库和文件已回到恢复前的状态：{exc}") from exc
        raise
    for swap in swaps:
        swap.finish()
    return _after_commit(document, log)


def _after_commit(document, log):
    summary = {"migrated": [], "search_pages": None, "search_error": ""}
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    missing = sorted({f"{app}.{name}" for app, name in loader.disk_migrations} - set(document["migrations"]))
    if missing:
        log(f"备份早于当前程序，应用 {len(missing)} 个新迁移……")
        call_command("migrate", interactive=False, verbosity=0)
        summary["migrated"] = missing
    log("重建搜索索引……")
    try:
        from search.indexing import rebuild

        summary["search_pages"] = rebuild()
    except Exception as exc:  # the site works without an index; the operator is told how to repair it
        summary["search_error"] = f"搜索索引重建失败（{exc}），请运行 manage.py rebuild_search_index。"
    for alias in settings.CACHES:
        caches[alias].clear()
    return summary

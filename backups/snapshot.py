"""Taking a backup: the database first (one consistent snapshot), then the file trees, the manifest last.

The backup is assembled in a hidden folder beside the target and renamed to the target only when
complete, so a folder with the target's name always holds a whole backup. Files added to the site
while the trees are copied may or may not be included; files the database snapshot refers to were
already there and are copied.
"""

import datetime
import os
import shutil
from pathlib import Path

from django.conf import settings

from search.backends import get_backend

from . import database, files, manifest


class BackupFailed(Exception):
    pass


def take(target, method="auto", log=None):
    """Write a complete backup of this site into `target` (absent or empty); returns its manifest."""
    log = log or (lambda message: None)
    target = Path(target).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupFailed(f"备份目录已存在且不是空目录：{target}。请换一个新目录，备份不会覆盖已有的文件。")
    if not target.parent.is_dir():
        raise BackupFailed(f"上级目录不存在：{target.parent}")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    work = target.parent / f".{target.name}.partial-{stamp}-{os.getpid()}"
    # The backup holds complainants' personal data: only the site's user may read it.
    work.mkdir(mode=files.PRIVATE_DIR)
    try:
        log("备份数据库……")
        db = database.dump(work, method)
        db["checksum"] = files.checksum(work / db["file"])
        trees = {}
        listed = files.listed_by()
        for name, root in files.trees().items():
            log(f"复制文件：{name}（{root}）……")
            # Only files the saved database refers to, read from the dump itself: a row stored after the
            # snapshot must not bring in a file that the restored database would know nothing of.
            only = set(database.column_values(work, db, *listed[name])) if name in listed else None
            trees[name] = files.copy_tree(root, work / name, only=only)
        backend = get_backend()
        search = {
            "backend": settings.YIMEN_SEARCH_BACKEND,
            "documents": backend.document_count(),
            "on_restore": "rebuilt from the restored database (rebuild_search_index)",
        }
        document = manifest.build(db, trees, search)
        manifest.write(work, document)
        # Every member, whoever wrote it (SQLite, pg_dump, dumpdata, copies of public media), is the
        # site's user's only, so a copy made with cp -a, rsync -a or tar keeps the personal data private.
        files.set_modes(work, files.PRIVATE_DIR, files.PRIVATE_FILE)
        if target.exists():
            target.rmdir()
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return document

"""Where complaint attachments live, and how a file comes to exist there only together with its row.

The directory is outside MEDIA_ROOT, so no web server ever serves it: the development server
publishes the whole of MEDIA_ROOT, and so does a typical production web server; complainants'
photos and documents must not be reachable that way. Handlers download them one at a time through
the admin, which checks their group and logs the download.

A file is first written under its final name plus `PENDING_SUFFIX`, in the same directory, and is
renamed to its final name (one atomic rename on one file system) only after the transaction that
stores its row has committed. So a file under a final name always had a committed row, and what a
failed or interrupted submission leaves is a pending file: removed at once when the submission fails
in the process, by `sweep_attachments` when the process was killed. A row committed just before a
crash, whose rename never ran, is finished by the sweep rather than lost.
"""

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

PENDING_SUFFIX = ".pending"
# Folders that backups.files.TreeSwap creates inside the live directory during a restore.
RESTORE_STAGING_PREFIX = ".yimen-restore-"


class AttachmentStorage(FileSystemStorage):
    """File storage rooted at `settings.COMPLAINTS_ATTACHMENT_ROOT`, read on every use, with no public URL."""

    def __init__(self):
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return os.fspath(settings.COMPLAINTS_ATTACHMENT_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("投诉附件没有公开地址，只能在管理后台下载。")

    def save_pending(self, name, data):
        """Write `data` for the final name `name`; returns the final name (the file is still pending)."""
        saved = self.save(name + PENDING_SUFFIX, ContentFile(data))
        return saved.removesuffix(PENDING_SUFFIX)

    def publish(self, names):
        """Give each pending file its final name, once its row is committed.

        Never raises: the rows are already stored, so a failed rename is logged and left to
        `sweep_attachments`, which finishes it (the pending file is kept while its row exists).
        """
        for name in names:
            try:
                os.replace(self.path(name + PENDING_SUFFIX), self.path(name))
            except OSError:
                logger.exception("attachment %s stays pending; sweep_attachments will finish it", name)

    def discard(self, names):
        """Remove the pending files of a submission that was not stored."""
        for name in names:
            try:
                os.remove(self.path(name + PENDING_SUFFIX))
            except FileNotFoundError:
                pass
            except OSError:
                logger.warning("could not remove pending attachment %s; sweep_attachments will", name)


_storage = AttachmentStorage()


def attachment_storage():
    return _storage


def stored_files(root):
    """Every regular file under `root`, as names relative to it (POSIX), restore staging folders left out."""
    root = Path(root)
    found = []
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if not d.startswith(RESTORE_STAGING_PREFIX)]
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


@dataclass
class SweepResult:
    removed: list = field(default_factory=list)
    finished: list = field(default_factory=list)
    kept_young: int = 0


def sweep(referenced, grace_seconds, *, dry_run=False, now=None):
    """Delete attachment files no row points to, once they are older than `grace_seconds`.

    `referenced` is the set of names the attachment rows hold. A pending file whose final name has a
    row is renamed instead (its rename after the commit never ran). Files younger than the grace
    period are kept: they may belong to a submission whose transaction is still open.
    """
    storage = attachment_storage()
    root = Path(storage.location)
    result = SweepResult()
    if not root.is_dir():
        return result
    cutoff = (now or time.time()) - grace_seconds
    for name in stored_files(root):
        final = name.removesuffix(PENDING_SUFFIX)
        pending = final != name
        if not pending and name in referenced:
            continue
        path = root / name
        try:
            if path.stat().st_mtime > cutoff:
                result.kept_young += 1
                continue
            if pending and final in referenced and not (root / final).exists():
                if not dry_run:
                    os.replace(path, root / final)
                    logger.warning("finished the rename of attachment %s after an interrupted submission", final)
                result.finished.append(final)
                continue
            if not dry_run:
                path.unlink()
                logger.info("removed attachment file %s: no row points to it", name)
            result.removed.append(name)
        except FileNotFoundError:
            continue
    return result

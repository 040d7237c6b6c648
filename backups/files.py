"""The file trees a backup carries, copied with their checksums, and swapped in whole on restore.

Each tree is a directory of the live site that the database refers to. A restore copies the backup's
files into a staging folder inside the live directory (same file system, so the switch is a few
renames even when the directory is a mount point), then moves the current contents aside and the
staged ones in; if anything fails before the restore is committed, `TreeSwap.undo` puts the
previous contents back.
"""

import hashlib
import os
import shutil
from pathlib import Path

from django.conf import settings

# Staging folders a restore creates inside a live directory; never backed up, removed when done.
STAGING_PREFIX = ".yimen-restore-"
CHUNK = 1024 * 1024


def trees():
    """Name in the backup → live directory, for every tree a backup holds."""
    return {
        # Wagtail images (originals and renditions) and documents.
        "media": Path(settings.MEDIA_ROOT),
        # Complaint attachments, kept outside MEDIA_ROOT (complaints.storage).
        "attachments": Path(settings.COMPLAINTS_ATTACHMENT_ROOT),
        # Finished booklets the admin lists (exports.models.Booklet rows point at them).
        "booklets": Path(settings.YIMEN_PRINT_DIR) / "booklets",
    }


# A backup and the complaint attachments are the portal's user's only (they hold personal data).
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def set_modes(root, directory_mode, file_mode):
    """Give `root`, every folder under it and every file in them these modes (symbolic links left alone)."""
    os.chmod(root, directory_mode)
    for folder, dirs, names in os.walk(root):
        for name in dirs:
            if not os.path.islink(os.path.join(folder, name)):
                os.chmod(os.path.join(folder, name), directory_mode)
        for name in names:
            if not os.path.islink(os.path.join(folder, name)):
                os.chmod(os.path.join(folder, name), file_mode)


def public_modes():
    """The modes Django gives uploaded media (the settings, else what the umask leaves of 0777/0666)."""
    umask = os.umask(0o077)
    os.umask(umask)
    directory_mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
    file_mode = settings.FILE_UPLOAD_PERMISSIONS
    return (
        0o777 & ~umask if directory_mode is None else directory_mode,
        0o666 & ~umask if file_mode is None else file_mode,
    )


def listed_by():
    """Tree name → (model, field) whose values name that tree's files, for trees that must hold nothing else.

    A complaint attachment without its row (a submission that failed or was killed) holds personal
    data nobody can reach or delete through the site: a backup copies only the attachments that a row
    of the saved database points to, so such a file never spreads into backups.
    """
    from django.apps import apps

    return {"attachments": (apps.get_model("complaints", "ComplaintAttachment"), "file")}


def copy_file(source, target):
    """Copy one file, keeping its mode and times; returns its size and SHA-256 as written."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
    shutil.copystat(source, target)
    return {"size": size, "sha256": digest.hexdigest()}


def checksum(path):
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def live_files(root):
    """Regular files under `root` as relative POSIX paths, sorted; symbolic links and staging folders left out."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if not d.startswith(STAGING_PREFIX)]
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return found


def copy_tree(root, target, only=None):
    """Copy every file of `root` (or those of them named in the set `only`) under `target`.

    Returns {relative path: {size, sha256}}.
    """
    entries = {}
    for relative in live_files(root):
        if only is None or relative in only:
            entries[relative] = copy_file(Path(root) / relative, Path(target) / relative)
    return entries


class TreeSwap:
    """Replace the contents of one live directory by the files listed for it in a backup.

    `stage` copies and checks the files beside the live ones, `apply` switches, `undo` switches back,
    `finish` deletes the previous contents. The live directory itself is kept (it may be a mount point).
    """

    def __init__(self, live, source, entries, stamp, private=False):
        self.live = Path(live)
        self.private = private
        self.source = Path(source)
        self.entries = entries
        self.staging = self.live / f"{STAGING_PREFIX}{stamp}"
        self.new = self.staging / "new"
        self.old = self.staging / "old"
        self.moved_out = []
        self.moved_in = []

    def stage(self):
        self.live.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR if self.private else 0o777)
        self.new.mkdir(parents=True)
        self.old.mkdir()
        for relative, expected in self.entries.items():
            written = copy_file(self.source / relative, self.new / relative)
            if written != expected:
                raise OSError(f"复制后校验不符：{relative}")
        # A backup's files are all 0600: complaint attachments stay so (as AttachmentStorage writes
        # them), the other trees get the modes of uploaded media, so the web server can read them again.
        if self.private:
            set_modes(self.new, PRIVATE_DIR, PRIVATE_FILE)
        else:
            set_modes(self.new, *public_modes())

    def apply(self):
        for entry in sorted(self.live.iterdir()):
            if entry.name.startswith(STAGING_PREFIX):
                continue
            entry.rename(self.old / entry.name)
            self.moved_out.append(entry.name)
        for entry in sorted(self.new.iterdir()):
            entry.rename(self.live / entry.name)
            self.moved_in.append(entry.name)

    def undo(self):
        for name in reversed(self.moved_in):
            (self.live / name).rename(self.new / name)
        self.moved_in = []
        for name in reversed(self.moved_out):
            (self.old / name).rename(self.live / name)
        self.moved_out = []

    def finish(self):
        shutil.rmtree(self.staging, ignore_errors=True)

"""Personal data at rest is readable and writable by the portal's own user only.

The SQLite database and the complaint attachments hold complainants' names, phone numbers and
photos; VAR_DIR holds both by default, and the secret key. Each is created private (files 0600,
directories 0700) whatever the process's umask, and the start-up checks (operations/checks.py) warn
about any of them that group or other users can open.
"""

import contextlib
import os
import stat
from pathlib import Path

from django.db.backends.signals import connection_created
from django.dispatch import receiver

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
# Any permission for the group or other users: a directory they may traverse exposes the files in it.
OPEN_TO_OTHERS = 0o077

# SQLite keeps recent writes in the -wal file and the index of it in -shm (WAL mode, base settings);
# a rollback journal appears during writes in the other modes. Each holds database pages.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def open_mode(path):
    """The permission bits of `path` when the group or other users have any, else None (also when absent)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return None
    return mode if mode & OPEN_TO_OTHERS else None


def sqlite_files(connection):
    """The files of an SQLite database on disk (the database and whichever companions exist now)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return []
    name = Path(connection.settings_dict["NAME"])
    return [path for path in (name, *(Path(f"{name}{suffix}") for suffix in SQLITE_COMPANIONS)) if path.exists()]


@receiver(connection_created, dispatch_uid="yimen-private-sqlite-files")
def make_sqlite_files_private(sender, connection, **kwargs):
    """SQLite creates a new database with the umask's mode (0644 as a rule) before any hook runs; this
    narrows it to 0600 on the first connection of every process. SQLite gives the -wal and -shm files it
    creates later the database's own mode, so they stay private from then on."""
    for path in sqlite_files(connection):
        if open_mode(path) is not None:
            # Another user's file cannot be changed here: the start-up check yimen.W001 names it and the fix.
            with contextlib.suppress(PermissionError):
                os.chmod(path, PRIVATE_FILE)

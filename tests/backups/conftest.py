"""A throwaway site for backup tests: its own database (on the suite's backend) and var/ directory.

The backup and restore commands run as an operator runs them, in their own processes, against a
database that is not the test database: a restore replaces the whole database, which the test
database of the suite must never be. SQLite runs get a file in a temporary directory; PostgreSQL
runs get a new database named after TEST_DB_NAME, dropped at the end.
"""

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from django.conf import settings

import pytest

BASE_DIR = Path(settings.BASE_DIR)


class Site:
    def __init__(self, root):
        self.root = Path(root)
        self.var = self.root / "var"
        self.var.mkdir(parents=True)
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith(("postgres://", "postgresql://"))
        if self.postgres:
            parsed = urlparse(url)
            self.db_name = f"{os.environ.get('TEST_DB_NAME', 'test')}_backups_{os.getpid()}"
            self.admin_url = urlunparse(parsed._replace(path="/postgres"))
            self.url = urlunparse(parsed._replace(path=f"/{self.db_name}"))
        else:
            self.url = f"sqlite:///{self.var / 'db.sqlite3'}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DATABASE_URL": self.url,
            "YIMEN_VAR_DIR": str(self.var),
            "JIEBA_CACHE_DIR": str(self.root),
            "TMPDIR": str(self.root),
            "PYTHONUNBUFFERED": "1",
        }
        for name in (
            "TEST_DB_NAME",
            "MEDIA_ROOT",
            "COMPLAINTS_ATTACHMENT_ROOT",
            "YIMEN_PRINT_DIR",
            "YIMEN_SEARCH_INDEX_DIR",
        ):
            self.env.pop(name, None)

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def create(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)', f'CREATE DATABASE "{self.db_name}"')
        self.manage("migrate", "--no-input", "-v0")

    def drop(self):
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def manage(self, *args, check=True):
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            env=self.env, cwd=BASE_DIR, capture_output=True, text=True, timeout=600, check=False,
            umask=0o022,  # the usual one (new files 0644): the modes the commands promise must be their own doing
        )  # fmt: skip
        if check and result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} 失败：\n{result.stdout}\n{result.stderr}")
        return result

    def run(self, *calls):
        """Run `tests.backups.site_actions.<call>` for each call, in order, in one process of this site."""
        body = "; ".join(f"site_actions.{call}" for call in calls)
        return self.manage("shell", "-c", f"from tests.backups import site_actions; {body}")

    def state_call(self, name):
        return f"state({str(self.root / name)!r})"

    def snapshot(self, name):
        """The state written by an earlier `state_call(name)`; it becomes the site's latest known state."""
        self.latest = Snapshot(self.root / name)
        return self.latest

    def state(self, name):
        """Catalog export (with photos) and the other compared data, taken now, under root/name."""
        self.run(self.state_call(name))
        return self.snapshot(name)

    def trees(self):
        return {
            "media": self.var / "media",
            "attachments": self.var / "private" / "complaints",
        }


class Snapshot:
    def __init__(self, folder):
        self.folder = Path(folder)
        self.catalog = (self.folder / "catalog.json").read_text(encoding="utf-8")
        self.data = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))

    def photos_equal(self, other):
        left, right = self.folder / "photos", other.folder / "photos"
        names = sorted(p.name for p in left.iterdir())
        if names != sorted(p.name for p in right.iterdir()):
            return False
        _match, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
        return not mismatch and not errors


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("backup-site"))
    site.create()
    try:
        site.run(f"seed({str(site.root)!r})")
        site.latest = None
        yield site
    finally:
        site.drop()


@pytest.fixture(scope="module")
def seeded_backup(site):
    """The seeded site's state and a backup of it taken with the default method."""
    folder = site.root / "backup-seeded"
    site.run(site.state_call("seeded"), f"call_command('backup', {str(folder)!r})")
    return site.snapshot("seeded"), folder


@pytest.fixture
def backup_copy(seeded_backup, tmp_path):
    """A copy of the seeded backup that a test may damage."""
    _before, folder = seeded_backup
    copy = tmp_path / "backup"
    shutil.copytree(folder, copy)
    return copy

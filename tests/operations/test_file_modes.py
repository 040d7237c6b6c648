"""Personal data at rest is created readable by the portal's user only, whatever the umask."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db.utils import ConnectionHandler

import pytest

REPO = Path(settings.BASE_DIR)
USUAL_UMASK = 0o022  # what most servers and shells run with: new files 0644, new directories 0755


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def _environment(**changes):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "YIMEN_VAR_DIR", "COMPLAINTS_ATTACHMENT_ROOT")
    }
    return {**env, **changes}


def test_settings_create_a_private_var_dir(tmp_path):
    var = tmp_path / "fresh" / "var"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO, env=_environment(DJANGO_SETTINGS_MODULE="portal.settings.test", YIMEN_VAR_DIR=str(var)),
        capture_output=True, text=True, timeout=120, umask=USUAL_UMASK, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _mode(var) == 0o700


def test_the_yimen_script_creates_a_private_var_dir(tmp_path):
    var = tmp_path / "var"
    # Without a command the script only prepares its environment and prints its usage.
    result = subprocess.run(  # noqa: S603 - the repository's own script, no arguments
        [str(REPO / "yimen")], cwd=REPO, env=_environment(YIMEN_VAR_DIR=str(var)),
        capture_output=True, text=True, timeout=60, umask=USUAL_UMASK, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and "用法" in result.stderr
    assert _mode(var) == 0o700


@pytest.fixture
def usual_umask():
    previous = os.umask(USUAL_UMASK)
    yield
    os.umask(previous)


@pytest.mark.django_db
def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path, usual_umask):
    name = tmp_path / "db.sqlite3"
    # The portal's own SQLite options (base settings): WAL, so the -wal and -shm files exist while connected.
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(name),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL"},
            }
        }
    )
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE complaint (phone TEXT)")
            cursor.execute("INSERT INTO complaint VALUES ('13800000000')")
        files = [name, Path(f"{name}-wal"), Path(f"{name}-shm")]
        assert all(path.exists() for path in files)
        assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}
    finally:
        connection.close()


@pytest.mark.django_db
def test_complaint_attachments_and_every_folder_to_them_are_private(settings, tmp_path, usual_umask):
    from complaints.attachments import clean_upload
    from complaints.handling import submit_complaint
    from tests.complaints.helpers import pdf, png

    settings.COMPLAINTS_ATTACHMENT_ROOT = tmp_path / "var" / "private" / "complaints"
    (tmp_path / "var").mkdir(mode=0o700)
    complaint, _ = submit_complaint(
        about={}, category="other", description="附件权限测试投诉内容足够长。", name="张三", phone="13800001234",
        files=[clean_upload(png()), clean_upload(pdf())], token=None,
    )  # fmt: skip
    stored = [Path(attachment.file.path) for attachment in complaint.attachments.all()]
    assert len(stored) == 2
    assert {_mode(path) for path in stored} == {0o600}
    # var/private, var/private/complaints and the year and month folders, all made by the first save.
    folders = {path.parent for path in stored} | {path.parent.parent for path in stored}
    folders |= {settings.COMPLAINTS_ATTACHMENT_ROOT, settings.COMPLAINTS_ATTACHMENT_ROOT.parent}
    assert {str(folder.relative_to(tmp_path)): _mode(folder) for folder in folders} == {
        str(folder.relative_to(tmp_path)): 0o700 for folder in folders
    }

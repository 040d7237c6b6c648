"""The start-up checks of operations/checks.py: personal data at rest that other users can open.

`manage.py check` runs in its own process, as an operator runs it (runserver and migrate run the
same checks first), against a var/ directory, a SQLite file and a backup directory made here.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.conf import settings

REPO = Path(settings.BASE_DIR)
NO_ISSUES = "System check identified no issues (0 silenced)."


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "MEDIA_ROOT",
            "COMPLAINTS_ATTACHMENT_ROOT",
            "YIMEN_BACKUP_DIR",
            "TEST_DB_NAME",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=REPO, env={**clean, **env},
        capture_output=True, text=True, timeout=300, umask=0o022, check=False,
    )  # fmt: skip


def _site(root):
    """var/ with the SQLite database and complaint attachments, and a backup directory with one backup."""
    var = root / "var"
    attachments = var / "private" / "complaints"
    attachments.mkdir(parents=True)
    database = var / "db.sqlite3"
    sqlite3.connect(database).close()
    backups = root / "backups"
    (backups / "20261130").mkdir(parents=True)
    (backups / "20261130" / "manifest.json").write_text("{}")
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "YIMEN_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{database}",
        "YIMEN_BACKUP_DIR": str(backups),
    }
    return env, {
        "database": database,
        "var": var,
        "attachments": attachments,
        "backups": backups,
        "backup": backups / "20261130",
    }


def test_check_warns_about_each_open_path_with_its_fix_and_is_silent_once_fixed(tmp_path):
    env, paths = _site(tmp_path)
    paths["database"].chmod(0o644)
    for name in ("var", "attachments", "backups", "backup"):
        paths[name].chmod(0o755)

    result = _manage("check", **env)
    assert result.returncode == 0, result.stderr  # warnings: the site still starts
    out = result.stderr
    assert f"(yimen.W001) SQLite 数据库文件 {paths['database']} 的权限是 644" in out
    assert f"chmod 600 {paths['database']}" in out
    assert f"(yimen.W002) 数据目录 VAR_DIR {paths['var']} 的权限是 755" in out and f"chmod 700 {paths['var']}" in out
    assert f"(yimen.W003) 投诉附件目录 COMPLAINTS_ATTACHMENT_ROOT {paths['attachments']} 的权限是 755" in out
    assert f"chmod -R go-rwx {paths['attachments']}" in out
    assert f"(yimen.W004) 备份目录 {paths['backups']} 的权限是 755" in out
    assert (
        f"(yimen.W004) 备份目录 {paths['backup']} 的权限是 755" in out and f"chmod -R go-rwx {paths['backup']}" in out
    )
    assert "System check identified 5 issues" in out

    paths["database"].chmod(0o600)
    for name in ("var", "attachments", "backups", "backup"):
        paths[name].chmod(0o700)
    result = _manage("check", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert NO_ISSUES in result.stdout


def test_one_readable_file_is_named_alone(tmp_path):
    env, paths = _site(tmp_path)
    for name in ("var", "attachments", "backups", "backup"):
        paths[name].chmod(0o700)
    paths["database"].chmod(0o640)  # group-readable is enough to warn
    result = _manage("check", **env)
    assert "(yimen.W001)" in result.stderr and "的权限是 640" in result.stderr
    assert "System check identified 1 issue (0 silenced)." in result.stderr


def test_a_fresh_setup_migrates_private_and_checks_clean(tmp_path):
    """What ./yimen start does first, in a var/ that does not exist yet, under the usual umask."""
    var = tmp_path / "var"
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "YIMEN_VAR_DIR": str(var), "JIEBA_CACHE_DIR": str(tmp_path)}
    migrated = _manage("migrate", "--no-input", "-v0", **env)
    assert migrated.returncode == 0, migrated.stderr
    assert (var / "db.sqlite3").stat().st_mode & 0o777 == 0o600 and var.stat().st_mode & 0o777 == 0o700
    result = _manage("check", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert NO_ISSUES in result.stdout

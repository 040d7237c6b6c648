"""Start-up checks (`manage.py check`, runserver, migrate): personal data at rest that other users can open.

Files the portal creates are private already (operations/private_files.py, complaints/storage.py,
backups/snapshot.py); these warn about what existed before, was copied in, or was made by hand, with
the command that fixes it. A missing path is no finding: it is created private when first needed.
"""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import connections

from .private_files import open_mode, sqlite_files

PERSONAL = "同组用户或其他用户可以访问，其中有投诉人的姓名、电话等个人信息"


def _finding(check_id, what, path, mode, fix):
    return CheckWarning(
        f"{what} {path} 的权限是 {mode:o}，{PERSONAL}。",
        hint=f"请用运行门户的用户执行：{fix}",
        id=check_id,
    )


def _backups(folder):
    """The backup directory and every backup in it (a subfolder with a manifest)."""
    yield folder
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() and (entry / "manifest.json").is_file():
                yield entry


@register(Tags.security)
def check_private_files(app_configs=None, **kwargs):
    findings = []
    database_files = [path for alias in connections for path in sqlite_files(connections[alias])]
    for path in database_files:
        if (mode := open_mode(path)) is not None:
            findings.append(_finding("yimen.W001", "SQLite 数据库文件", path, mode, f"chmod 600 {path}"))
    var = settings.VAR_DIR
    if (mode := open_mode(var)) is not None:
        fix = f"chmod 700 {var}（由 Web 服务器直接提供的媒体文件请放在这个目录之外，见 docs/deploy.md）"
        findings.append(_finding("yimen.W002", "数据目录 VAR_DIR", var, mode, fix))
    attachments = settings.COMPLAINTS_ATTACHMENT_ROOT
    if (mode := open_mode(attachments)) is not None:
        fix = f"chmod -R go-rwx {attachments}（目录 700、文件 600）"
        findings.append(_finding("yimen.W003", "投诉附件目录 COMPLAINTS_ATTACHMENT_ROOT", attachments, mode, fix))
    if settings.YIMEN_BACKUP_DIR is not None:
        for folder in _backups(settings.YIMEN_BACKUP_DIR):
            if (mode := open_mode(folder)) is not None:
                fix = f"chmod -R go-rwx {folder}（目录 700、文件 600）"
                findings.append(_finding("yimen.W004", "备份目录", folder, mode, fix))
    return findings

"""Attachment files exist only together with their rows: pending until the commit, swept when orphaned."""

import os
import time
from unittest import mock

from django.core.management import call_command

import pytest

from cases import handling as case_handling
from complaints.attachments import clean_upload
from complaints.handling import submit_complaint
from complaints.models import Complaint, ComplaintAttachment
from complaints.storage import PENDING_SUFFIX

from .helpers import jpeg_with_exif, pdf

pytestmark = pytest.mark.django_db
HOUR = 3600


def _submit(**overrides):
    arguments = {
        "about": {}, "category": "other", "description": "附件测试投诉内容足够长。", "name": "", "phone": "",
        "files": [clean_upload(jpeg_with_exif()), clean_upload(pdf())], "token": None, **overrides,
    }  # fmt: skip
    return submit_complaint(**arguments)


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_no_file_has_its_final_name_before_its_row_is_committed(_private_attachments):
    """A backup or a sweep running while a submission's transaction is open sees pending files only."""
    seen = {}
    real_log = case_handling.log

    def looking(complaint, action, **kwargs):
        names = list(ComplaintAttachment.objects.filter(complaint=complaint).values_list("file", flat=True))
        seen["final"] = [(_private_attachments / name).exists() for name in names]
        seen["pending"] = [(_private_attachments / (name + PENDING_SUFFIX)).exists() for name in names]
        return real_log(complaint, action, **kwargs)

    with mock.patch("cases.handling.log", looking):
        complaint, created = _submit()
    assert created and seen == {"final": [False, False], "pending": [True, True]}
    names = sorted(a.file.name for a in complaint.attachments.all())
    assert _files(_private_attachments) == names  # after the commit: final names, no pending file left


def test_a_submission_whose_transaction_fails_leaves_no_file(_private_attachments):
    with mock.patch("cases.handling.log", side_effect=RuntimeError("database gone")), pytest.raises(RuntimeError):
        _submit()
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()
    assert _files(_private_attachments) == []


def test_a_submission_inside_another_transaction_is_refused_before_any_row(_private_attachments):
    """A caller's transaction could roll the row back after the files were published: not allowed."""
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _submit()
    assert _files(_private_attachments) == []


def _write(root, name, age_seconds, data=b"personal data"):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))
    return path


def test_sweep_removes_old_orphans_keeps_rows_and_young_files_and_finishes_interrupted_renames(
    _private_attachments, capsys
):
    complaint, _created = _submit()
    kept = sorted(a.file.name for a in complaint.attachments.all())
    for name in kept:
        os.utime(_private_attachments / name, (time.time() - 5 * HOUR,) * 2)
    root = _private_attachments
    killed = _write(root, "2026/11/killed.jpg.pending", 2 * HOUR)  # the process died before the commit
    forgotten = _write(root, "2026/10/forgotten.pdf", 2 * HOUR)  # a row deleted without its file
    young = _write(root, "2026/11/in-flight.png.pending", 60)  # a submission still in its transaction
    # Committed just before a crash, so its rename never ran: the row points at the final name.
    interrupted = complaint.attachments.first()
    os.replace(root / interrupted.file.name, root / (interrupted.file.name + PENDING_SUFFIX))

    call_command("sweep_attachments", grace_minutes=60)

    out = capsys.readouterr().out
    assert not killed.exists() and not forgotten.exists() and young.exists()
    assert all((root / name).exists() for name in kept)
    assert not (root / (interrupted.file.name + PENDING_SUFFIX)).exists()
    assert "已删除 2 个没有记录的附件文件，补上改名 1 个，1 个未满 60 分钟的文件暂不处理" in out
    assert "2026/11/killed.jpg.pending" in out and "2026/10/forgotten.pdf" in out


def test_sweep_dry_run_changes_nothing(_private_attachments, capsys):
    orphan = _write(_private_attachments, "2026/10/orphan.jpg", 2 * HOUR)
    call_command("sweep_attachments", dry_run=True)
    assert orphan.exists() and "将删除：2026/10/orphan.jpg" in capsys.readouterr().out

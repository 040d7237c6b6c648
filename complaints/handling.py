"""Everything that changes a complaint, each step written to Wagtail's audit log (ModelLogEntry).

Views call exactly one of these functions; they are the only place where a complaint's status moves:
受理 (received) → 处理中 (assigned to a department) → 已答复 (reply published) → 已办结 (closed).
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.log_actions import log

from . import codes, storage
from .deadlines import due_date
from .models import Complaint, ComplaintAttachment, ComplaintNote, Complexity, Status, attachment_path
from .storage import attachment_storage

logger = logging.getLogger(__name__)
CODE_ATTEMPTS = 8


class AttachmentStorageError(Exception):
    """The attachments could not be written (disk full, permissions); nothing was saved."""


class HandlingError(Exception):
    """A step that does not fit the complaint's current state; the message is for the handler."""


def submit_complaint(*, about, category, description, name, phone, files, token):
    """Store a complaint with its cleaned attachments exactly once per form token.

    Returns (complaint, created). A second submission of the same form (double click, resent
    request) returns the complaint stored the first time. Attachment files are written as pending
    files before the row and get their final names only after the row's transaction committed
    (complaints.storage): a complaint never points at a file that was not written, and a failed
    submission leaves no file behind (a killed one leaves pending files for `sweep_attachments`).
    The transaction is durable, so "committed" means committed: it cannot be rolled back later by
    a caller's transaction.
    """
    if token:
        existing = Complaint.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, False
    store = attachment_storage()
    stored = []
    try:
        for clean in files:
            stored.append((clean, store.save_pending(attachment_path(None, clean.stored_name), clean.data)))
    except OSError as exc:
        store.discard(name_ for _clean, name_ in stored)
        logger.exception("complaint attachments could not be stored")
        raise AttachmentStorageError(str(exc)) from exc
    names = [name_ for _clean, name_ in stored]

    now = timezone.now()
    received_on = timezone.localdate(now)
    fields = {
        **about,
        "category": category,
        "description": description,
        "name": name,
        "phone": phone,
        "consented_at": now,
        "received_at": now,
        "due_on": due_date(received_on, Complexity.ORDINARY),
        "submission_token": token or None,
    }
    try:
        for attempt in range(CODE_ATTEMPTS):
            try:
                with transaction.atomic(durable=True):
                    complaint = Complaint.objects.create(tracking_code=codes.new_code(received_on.year), **fields)
                    ComplaintAttachment.objects.bulk_create(
                        ComplaintAttachment(
                            complaint=complaint,
                            file=name_,
                            original_name=clean.original_name,
                            content_type=clean.content_type,
                            size=len(clean.data),
                        )
                        for clean, name_ in stored
                    )
                    log(complaint, "complaints.submit", data={"attachments": len(stored)})
            except IntegrityError:
                if token:
                    existing = Complaint.objects.filter(submission_token=token).first()
                    if existing is not None:
                        store.discard(names)
                        return existing, False
                if attempt == CODE_ATTEMPTS - 1:
                    raise
            else:
                break
    except BaseException:
        store.discard(names)
        raise
    store.publish(names)
    return complaint, True


def sweep_orphan_attachments(grace_seconds, *, dry_run=False):
    """Delete attachment files without a row (older than the grace period); see complaints.storage."""
    referenced = set(ComplaintAttachment.objects.values_list("file", flat=True))
    return storage.sweep(referenced, grace_seconds, dry_run=dry_run)


def record_view(complaint, user, *, personal_data_shown):
    log(complaint, "complaints.view", user=user, data={"personal_data_shown": personal_data_shown})


def record_public_lookup(complaint):
    log(complaint, "complaints.track")


def record_download(attachment, user):
    log(attachment.complaint, "complaints.download", user=user, data={"attachment": attachment.pk})


@transaction.atomic
def assign(complaint, *, department, complexity, user):
    """Hand the complaint to a department and set how complex it is, which fixes its deadline."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status == Status.CLOSED:
        raise HandlingError("已办结的投诉不能再交办。")
    before = {
        "department": complaint.department_id,
        "complexity": complaint.complexity,
        "due_on": complaint.due_on.isoformat(),
    }
    complaint.department = department
    complaint.complexity = complexity
    complaint.due_on = due_date(complaint.received_on, complexity)
    if complaint.status == Status.RECEIVED:
        complaint.status = Status.ASSIGNED
    complaint.assigned_at = timezone.now()
    complaint.save(update_fields=["department", "complexity", "due_on", "status", "assigned_at"])
    log(
        complaint,
        "complaints.assign",
        user=user,
        data={
            "before": before,
            "after": {"department": department.pk, "complexity": complexity, "due_on": complaint.due_on.isoformat()},
        },
    )
    return complaint


@transaction.atomic
def add_note(complaint, *, text, user):
    note = ComplaintNote.objects.create(complaint=complaint, author=user, text=text)
    log(complaint, "complaints.note", user=user, data={"note": note.pk})
    return note


@transaction.atomic
def publish_reply(complaint, *, reply, user):
    """Publish (or correct) the reply the complainant reads on the tracking page."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status == Status.CLOSED:
        raise HandlingError("已办结的投诉不能再修改答复。")
    first = complaint.replied_at is None
    complaint.reply = reply
    if first:
        complaint.replied_at = timezone.now()
    complaint.status = Status.REPLIED
    complaint.save(update_fields=["reply", "replied_at", "status"])
    log(complaint, "complaints.reply", user=user, data={"first_reply": first, "on_time": complaint.answered_on_time})
    return complaint


@transaction.atomic
def close(complaint, *, note, user):
    """Close a complaint whose reply is published, with an internal note on what was done."""
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status == Status.CLOSED:
        raise HandlingError("这件投诉已经办结。")
    if complaint.replied_at is None:
        raise HandlingError("请先发布答复，再办结投诉。")
    ComplaintNote.objects.create(complaint=complaint, author=user, text=f"【办结】{note}")
    complaint.status = Status.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["status", "closed_at"])
    log(complaint, "complaints.close", user=user)
    return complaint

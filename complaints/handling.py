"""What only complaints do beyond the case core (cases.handling): attachments stored with the complaint.

Every other step (assign, reply, extend, close, reopen, 回访) is `cases.handling`'s, the same for
every kind of case.
"""

import logging

from wagtail.log_actions import log

from cases import handling

from . import storage
from .kind import COMPLAINT
from .models import ComplaintAttachment, attachment_path
from .storage import attachment_storage

logger = logging.getLogger(__name__)


class AttachmentStorageError(Exception):
    """The attachments could not be written (disk full, permissions); nothing was saved."""


def submit_complaint(*, about, category, description, name, phone, files, token, email="", notify_by="", **extra):
    """Store a complaint with its cleaned attachments exactly once per form token.

    Returns (complaint, created). Attachment files are written as pending files before the row and get
    their final names only after the row's transaction committed (complaints.storage): a complaint never
    points at a file that was not written, and a failed submission leaves no file behind (a killed one
    leaves pending files for `sweep_attachments`). `extra` carries what offline intake adds (channel,
    12345 work-order number, who recorded it, when it was received, severity).
    """
    if token:
        existing = COMPLAINT.model.objects.filter(submission_token=token).first()
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

    def attach(complaint):
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

    fields = {
        **about,
        "category": category,
        "description": description,
        "name": name,
        "phone": phone,
        "email": email,
        "notify_by": notify_by,
        **extra,
    }
    user = fields.pop("recorded_by", None)
    if user is not None:
        fields["recorded_by"] = user
    try:
        complaint, created = handling.store_once(
            COMPLAINT, fields, token=token, inside=attach, user=user, log_data={"attachments": len(stored)}
        )
    except BaseException:
        store.discard(names)
        raise
    if not created:
        store.discard(names)
        return complaint, False
    store.publish(names)
    return complaint, True


def sweep_orphan_attachments(grace_seconds, *, dry_run=False):
    """Delete attachment files without a row (older than the grace period); see complaints.storage."""
    referenced = set(ComplaintAttachment.objects.values_list("file", flat=True))
    return storage.sweep(referenced, grace_seconds, dry_run=dry_run)


def record_download(attachment, user):
    log(attachment.complaint, COMPLAINT.action("download"), user=user, data={"attachment": attachment.pk})

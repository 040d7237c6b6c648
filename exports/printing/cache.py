"""Guide PDFs kept on disk, one per page revision, so an unchanged guide is never laid out twice.

The file name is a fingerprint of everything the PDF prints that can change: the page's live
revision, the halls it names (their live revisions carry the windows), its department, the portal
settings, its public URL, the print templates and the 办理状态 as printed today (a scheduled status
starts and ends without a new revision). A published change therefore never serves a stale
PDF, even if the publish signal was missed; the signal only frees the disk early.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

from content.guide import element

from .guides import printed_status
from .rendering import template_version


def fingerprint(page, portal=None):
    halls = sorted((link.hall_id, link.hall.live_revision_id) for link in page.service_halls.all())
    parts = [
        template_version(),
        page.pk,
        page.live_revision_id,
        page.last_published_at,
        page.full_url,
        page.department.name,
        halls,
        (portal.portal_name, portal.hotline) if portal is not None else None,
        printed_status(element("status").export(page)),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


class PdfCache:
    """A folder per page under YIMEN_PRINT_DIR/<kind>/ holding at most the current PDF."""

    def __init__(self, kind="guides"):
        self.kind = kind

    @property
    def root(self):
        return Path(settings.YIMEN_PRINT_DIR) / self.kind

    def path(self, page_id, key):
        return self.root / str(page_id) / f"{key}.pdf"

    def get(self, page_id, key):
        try:
            return self.path(page_id, key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, page_id, key, data):
        """Store atomically (readers never see half a file) and drop older versions of the page."""
        target = self.path(page_id, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".part", delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
        for other in target.parent.glob("*.pdf"):
            if other != target:
                other.unlink(missing_ok=True)

    def invalidate(self, page_id):
        shutil.rmtree(self.root / str(page_id), ignore_errors=True)


guide_cache = PdfCache("guides")

"""What the round-trip tests do to a throwaway site, run inside `manage.py shell` of that site.

Each function prints nothing but writes its result as JSON to the path it is given, so the test
process can compare states taken by different processes.
"""

import hashlib
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command  # noqa: F401 - also called by the tests through `run`

from wagtail.documents import get_document_model

from complaints.attachments import clean_upload
from complaints.handling import submit_complaint
from complaints.models import Complaint, ComplaintAttachment
from content.models import ServicePage
from search import engine
from tests.complaints.helpers import pdf, png
from tests.exports.conftest import DEMO_DIR, small_catalog_document

SEARCH_WORDS = ("低保", "营业执照")


def _complaint(description, phone, files):
    complaint, _created = submit_complaint(
        about={"hall": None, "window": None, "staff": None, "service": ServicePage.objects.live().first()},
        category="attitude",
        description=description,
        name="张三",
        phone=phone,
        files=[clean_upload(f) for f in files],
        token=None,
    )
    return complaint


def seed(folder):
    """A small catalog with staff photos, a Wagtail document, two complaints (one with two attachments)."""
    folder = Path(folder)
    catalog = small_catalog_document()
    (folder / "photos").mkdir(exist_ok=True)
    for person in catalog["staff"]:
        (folder / person["photo"]).write_bytes((DEMO_DIR / person["photo"]).read_bytes())
    (folder / "catalog.json").write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    call_command("import_catalog", str(folder / "catalog.json"), no_progress=True, verbosity=0)
    get_document_model().objects.create(title="办事须知", file=ContentFile(b"%PDF-1.4 notice " * 64, name="notice.pdf"))
    _complaint("窗口工作人员态度生硬，多次催促仍不办理。", "13800001234", [png("现场.png"), pdf("说明.pdf")])
    _complaint("等候时间超过两个小时，无人解释原因。", "", [])
    call_command("rebuild_search_index", no_progress=True, verbosity=0)


def mutate():
    """Changes of every kind a restore has to undo: pages, complaints, attachment and media files."""
    pages = list(ServicePage.objects.live().order_by("code"))
    pages[0].delete()
    revision = pages[1].save_revision()
    page = revision.as_object()
    page.title = "改过的事项名称"
    page.save_revision().publish()
    first = Complaint.objects.order_by("received_at").first()
    for attachment in first.attachments.all():
        attachment.file.delete(save=False)
    first.delete()
    _complaint("恢复之后不应该再有这条投诉。", "13900001111", [png("新的.png")])
    for document in get_document_model().objects.all():
        Path(document.file.path).unlink()
    get_document_model().objects.create(title="新文件", file=ContentFile(b"new", name="new.pdf"))


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).is_file() else None


def state(out):
    """Everything the tests compare before and after: the catalog export and what it leaves out."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    call_command("export_catalog", str(out / "catalog.json"), verbosity=0)
    result = {
        "complaints": sorted((c.tracking_code, c.description, c.phone, c.status) for c in Complaint.objects.all()),
        "attachments": sorted(
            (a.complaint.tracking_code, a.original_name, a.size, _sha(a.file.path))
            for a in ComplaintAttachment.objects.select_related("complaint")
        ),
        "documents": sorted((d.title, d.file.name, _sha(d.file.path)) for d in get_document_model().objects.all()),
        "search": {word: [item.code for item in engine.run_search(word, log=False).items] for word in SEARCH_WORDS},
    }
    (out / "state.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")

"""Load a `yimen-catalog/1` or `/2` document into the portal: all or nothing, idempotent, matched on codes."""

import datetime
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Site

from tqdm import tqdm

from content.guide import ImportContext, apply_guide, change_lines, normalize_guide, version_of
from content.models import (
    Department,
    GuideChange,
    HallPage,
    HallWindow,
    PortalImage,
    PortalSettings,
    ServicePage,
    StaffMember,
    Topic,
)
from content.signals import catalog_imported
from content.structure import ensure_site_structure

from .exporter import SERVICE_PREFETCH, center_to_dict, service_to_dict
from .indexing import deferred_index_updates, update_indexes
from .publishing import BulkPublisher, PagePlan
from .validation import CatalogError, load_file, validate

PHOTO_COLLECTION = "阳光台照片"
FORMS_COLLECTION = "办事表格"
BATCH_SIZE = 500  # items compared and written together: bounds memory and statement size


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    halls_created: int = 0
    halls_updated: int = 0
    staff: int = 0
    warnings: list = field(default_factory=list)
    page_ids: list = field(default_factory=list)  # every page created or changed, services and halls
    timings: dict = field(default_factory=dict)  # seconds spent checking, writing, and committing with what follows


def _blank(value):
    return "" if value is None else value


def _or_none(value):
    return value if value not in ("", None) else None


def normalize_item(item, context, version=2, current=None):
    """The item as the exporter will write it back (content.guide), so an unchanged item is recognised."""
    return normalize_guide(item, context, version=version, current=current)


class _Importer:
    def __init__(self, document, base_dir, show_progress, user):
        self.document = document
        self.base_dir = Path(base_dir)
        self.show_progress = show_progress
        self.user = user
        self.result = ImportResult()
        self.saved_files = []  # photo and form files written to storage, removed again if the import fails
        self.version = version_of(document["format"])
        self.forms = {}  # file name in the catalog → Document, for forms used by several materials
        self.form_names = {}  # file name in the catalog → the name export gives its bytes
        self.form_paths = {}  # and back: that name → a file in the catalog's folder with those bytes

    def run(self):
        home, self.catalog, self.hall_index = ensure_site_structure()
        problems = _slug_problems("centers", self.document["centers"], HallPage, self.hall_index)
        problems += _slug_problems("items", self.document["items"], ServicePage, self.catalog)
        if problems:
            raise CatalogError(problems)
        self._region(home)
        with deferred_index_updates(Department, HallPage, StaffMember, ServicePage):
            self._departments()
            self._topics()
            self._halls()
            self._staff()
            self._services()
        return self.result

    def _region(self, home):
        settings = PortalSettings.for_site(Site.objects.get(root_page=home))
        region = self.document["region"]
        if (settings.region_code, settings.region_name) != (region["code"], region["name"]):
            settings.region_code, settings.region_name = region["code"], region["name"]
            settings.save()

    def _departments(self):
        self.departments = existing = {d.code: d for d in Department.objects.all()}
        saved = []
        for entry in self.document["departments"]:
            dept = existing.get(entry["code"]) or Department(code=entry["code"])
            values = {"name": entry["name"], "kind": _blank(entry.get("kind"))}
            if dept.pk is None or any(getattr(dept, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(dept, k, v)
                dept.save()
                saved.append(dept)
            existing[dept.code] = dept
        update_indexes(Department, saved)

    def _topics(self):
        existing = {t.name: t for t in Topic.objects.all()}
        next_order = max((t.sort_order for t in existing.values()), default=0) + 1
        for item in self.document["items"]:
            for name in item.get("topics") or []:
                if name not in existing:
                    existing[name] = Topic.objects.create(name=name, sort_order=next_order)
                    next_order += 1
        self.topics = existing
        self.topic_rank = {name: (t.sort_order, name) for name, t in existing.items()}

    def _context(self):
        return ImportContext(
            departments=self.departments,
            halls=self.halls,
            topic_rank=self.topic_rank,
            topic_objects=self.topics,
            document=self._form,
            form_name=self._form_name,
        )

    def _halls(self):
        self.halls = halls = {h.code: h for h in HallPage.objects.all()}
        changed = set()
        for center in self.document["centers"]:
            hall = halls.get(center["code"])
            if hall is not None and _same_center(hall, center):
                continue
            is_new = hall is None
            if is_new:
                hall = HallPage(code=center["code"], slug=center["code"].lower())
            hall.title = center["name"]
            hall.level = center["level"]
            hall.address, hall.phone, hall.hours = center["address"], center["phone"], center["hours"]
            location = center.get("location")
            hall.latitude = location["lat"] if location else None
            hall.longitude = location["lng"] if location else None
            hall.parent_hall = None  # set below, once every hall exists
            existing_windows = {} if is_new else {w.number: w for w in hall.windows.all()}
            windows = []
            for order, entry in enumerate(center["windows"]):
                window = existing_windows.get(entry["number"]) or HallWindow(number=entry["number"])
                window.name, window.scope, window.sort_order = entry["name"], _blank(entry.get("scope")), order
                window.departments = [self.departments[c] for c in entry["departments"]]
                windows.append(window)
            hall.windows = windows
            if is_new:
                self.hall_index.add_child(instance=hall)
                self.result.halls_created += 1
            else:
                self.result.halls_updated += 1
            halls[hall.code] = hall
            changed.add(hall.code)
        for center in self.document["centers"]:
            hall = halls[center["code"]]
            parent = halls.get(center["parent"]) if center.get("parent") else None
            if hall.parent_hall_id != (parent.pk if parent else None) or hall.code in changed:
                hall.parent_hall = parent
                # Whoever may import a catalog may publish what it contains; the caller checks that.
                revision = hall.save_revision(user=self.user, log_action=True)
                revision.publish(user=self.user, log_action=True, skip_permission_checks=True)
                self.result.page_ids.append(hall.pk)
        published = HallPage.objects.filter(pk__in=self.result.page_ids).prefetch_related("windows")
        update_indexes(HallPage, published)

    def _staff(self):
        """Staff matched on their id; a person whose entry and photo are unchanged is not written again."""
        people = {p.staff_id: p for p in StaffMember.objects.select_related("photo")}
        windows = {(w.hall_id, w.number): w for w in HallWindow.objects.all()}
        collection = None
        saved = []
        for entry in self.document.get("staff") or []:
            person = people.get(entry["id"]) or StaffMember(staff_id=entry["id"])
            hall = self.halls[entry["center"]]
            photo = None
            if entry.get("photo"):
                collection = collection or _photo_collection()
                photo = self._photo(entry, person, hall, collection)
            window = windows.get((hall.pk, entry["window"])) if entry.get("window") else None
            values = {
                "name": entry["name"],
                "hall": hall,
                "window": window,
                "department": self.departments[entry["department"]],
                "position": entry["position"],
                "post": _blank(entry.get("post")),
                "duties": _blank(entry.get("duties")),
                "phone": _blank(entry.get("phone")),
                "photo": photo,
            }
            if "agent" in entry and self.version >= 2:  # a file without it (or a /1 file) keeps who is 代办员
                values["is_agent"] = bool(entry["agent"])
            self.result.staff += 1
            if person.pk is not None and all(_same_value(person, k, v) for k, v in values.items()):
                continue
            for k, v in values.items():
                setattr(person, k, v)
            person.save()
            saved.append(person)
        update_indexes(StaffMember, saved)

    def _photo(self, entry, person, hall, collection):
        """The Wagtail image for this photo: the person's current one or any with the same bytes, else a new one."""
        path = (self.base_dir / entry["photo"]).resolve()
        data = path.read_bytes()
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
        if person.photo is not None and person.photo.file_hash == digest:
            return person.photo
        same = PortalImage.objects.filter(file_hash=digest).first()
        if same is not None:
            return same
        with path.open("rb") as handle:
            image = PortalImage(
                title=f"{entry['name']}（{entry['id']}）",
                alt_text=f"{hall.title}{entry['position']}{entry['name']}的工作照",
                collection=collection,
                file=ImageFile(handle, name=f"{entry['id']}{path.suffix.lower()}"),
                file_size=len(data),
                file_hash=digest,  # what Wagtail's upload form records; lets the next import recognise the photo
            )
            image.save()
        self.saved_files.append((image.file.storage, image.file.name))
        return image

    def _services(self):
        """Compare each item with its live page in batches; write only the new and the changed ones."""
        items = self.document["items"]
        publisher = BulkPublisher(self.catalog, user=self.user)
        written = []
        progress = tqdm(total=len(items), desc="导入事项", unit="项", disable=not self.show_progress)
        with progress:
            for start in range(0, len(items), BATCH_SIZE):
                batch = items[start : start + BATCH_SIZE]
                existing = {
                    p.code: p
                    for p in ServicePage.objects.filter(code__in=[item["code"] for item in batch])
                    .select_related("department")
                    .prefetch_related(*SERVICE_PREFETCH, "wagtail_admin_comments")
                }
                plans = []
                context = self._context()
                for item in batch:
                    page = existing.get(item["code"])
                    current = service_to_dict(page) if page is not None else None
                    wanted = normalize_item(item, context, version=self.version, current=current)
                    if current is not None and current != wanted and not self._carries_changes(item):
                        wanted["changes"] = _with_change_recorded(current, wanted)
                    if current == wanted:
                        self.result.unchanged += 1
                    else:
                        plans.append(self._plan_service(page, wanted, context))
                publisher.publish(plans)
                _replace_changes(plans)
                update_indexes(ServicePage, [plan.page for plan in plans])
                written += [plan.page.pk for plan in plans]
                self.result.created += sum(plan.is_new for plan in plans)
                self.result.updated += sum(not plan.is_new for plan in plans)
                progress.update(len(batch))
        self.result.page_ids += written

    def _carries_changes(self, item):
        return self.version >= 2 and "changes" in item

    def _plan_service(self, page, item, context):
        old_title = None
        if page is None:
            page = ServicePage(code=item["code"], slug=item["code"].lower())
        else:
            old_title = page.title
        apply_guide(page, item, context)
        return PagePlan(
            page=page,
            children=dict(context.children),
            topics=list(context.topics),
            old_title=old_title,
            changes=context.changes,
        )

    def _form_name(self, relative):
        """The name export gives the form at `relative` (forms/<first 16 hex of its SHA-1><suffix>)."""
        if relative not in self.form_names:
            path = (self.base_dir / relative).resolve()
            if not path.is_file():  # a /1 file's form keys are not read (and a /2 file's were checked)
                return relative
            digest = hashlib.sha1(path.read_bytes()).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
            self.form_names[relative] = name = f"forms/{digest[:16]}{path.suffix.lower()}"
            self.form_paths.setdefault(name, relative)
        return self.form_names[relative]

    def _form(self, ref):
        """The Wagtail document for a downloadable form: one with the same bytes, else a new one."""
        key = (ref["file"], ref["title"])  # one file may serve two materials under two titles
        if key in self.forms:
            return self.forms[key]
        path = (self.base_dir / self.form_paths.get(ref["file"], ref["file"])).resolve()
        data = path.read_bytes()
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
        Document = get_document_model()
        document = Document.objects.filter(file_hash=digest, title=ref["title"]).first()
        if document is None:
            with path.open("rb") as handle:
                document = Document(title=ref["title"], collection=_collection(FORMS_COLLECTION))
                document.file.save(path.name, File(handle), save=False)
                document.file_size, document.file_hash = len(data), digest
                document.save()
            self.saved_files.append((document.file.storage, document.file.name))
        self.forms[key] = document
        return document


def _with_change_recorded(current, wanted):
    """本指南变更记录 with an entry for what this import changes, as publishing in the admin would add
    (content.signals.record_guide_changes): for a file that does not carry the record itself (a `/1`
    file, or a `/2` file without `changes`), so a changed fee or material still shows on the guide."""
    lines = change_lines(current, wanted)
    if not lines:
        return wanted["changes"]
    effective = wanted.get("change_effective")
    if not effective or effective == current.get("change_effective"):
        effective = timezone.localdate().isoformat()
    return [{"effective": effective, "lines": lines}, *wanted["changes"]]


def _replace_changes(plans):
    """本指南变更记录 as a `/2` file has it, for the pages just written; a `/1` file leaves them be."""
    carried = [plan for plan in plans if plan.changes is not None]
    if not carried:
        return
    GuideChange.objects.filter(service__in=[plan.page for plan in carried if not plan.is_new]).delete()
    GuideChange.objects.bulk_create(
        [
            GuideChange(service=plan.page, effective=datetime.date.fromisoformat(c["effective"]), lines=c["lines"])
            for plan in carried
            for c in reversed(plan.changes)  # oldest first, so the newest has the latest recorded_at
        ]
    )


def _slug_problems(section, entries, model, parent):
    """New pages get the lower-cased code as their address; it must be free under their parent page."""
    known = set(model.objects.filter(code__in=[e["code"] for e in entries]).values_list("code", flat=True))
    wanted = {}
    problems = []
    for i, entry in enumerate(entries):
        if entry["code"] in known:
            continue
        slug = entry["code"].lower()
        if slug in wanted:
            problems.append(
                f"{section}[{i}].code: 编码 {entry['code']!r} 与 {section}[{wanted[slug]}] 仅大小写不同，网址会重复"
            )
        wanted.setdefault(slug, i)
    for slug, title in Page.objects.child_of(parent).filter(slug__in=wanted).values_list("slug", "title"):
        problems.append(
            f"{section}[{wanted[slug]}].code: 网址 {parent.url or parent.url_path}{slug}/ 已被页面“{title}”占用"
        )
    return problems


def _same_value(obj, name, value):
    """Whether field `name` of `obj` already holds `value`; relations are compared by id, without a query."""
    field = obj._meta.get_field(name)
    if field.is_relation:
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    return getattr(obj, name) == value


def _same_center(hall, center):
    current = center_to_dict(hall)
    wanted = {
        "code": center["code"],
        "name": center["name"],
        "level": center["level"],
        "parent": center.get("parent"),
        "address": center["address"],
        "phone": center["phone"],
        "hours": center["hours"],
        "location": {"lat": center["location"]["lat"], "lng": center["location"]["lng"]}
        if center.get("location")
        else None,
        "windows": [
            {
                "number": w["number"],
                "name": w["name"],
                "departments": sorted(w["departments"]),
                "scope": _or_none(w.get("scope")),
            }
            for w in center["windows"]
        ],
    }
    for window in current["windows"]:
        window["departments"].sort()
    return current == wanted


def _photo_collection():
    return _collection(PHOTO_COLLECTION)


def _collection(name):
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def import_document(document, base_dir, show_progress=False, user=None):
    """Validate then apply in one transaction; raises CatalogError and changes nothing on any problem.

    After the commit, `catalog_imported` announces every page created or changed, once per import.
    """
    started = time.perf_counter()
    report = validate(
        document,
        base_dir,
        known_departments=Department.objects.values_list("code", flat=True),
        known_centers=HallPage.objects.values_list("code", flat=True),
    )
    checked = time.perf_counter()
    importer = _Importer(document, base_dir, show_progress, user)
    try:
        with transaction.atomic():
            result = importer.run()
            if result.page_ids:
                page_ids = list(result.page_ids)
                transaction.on_commit(lambda: catalog_imported.send(sender=ServicePage, page_ids=page_ids))
            written = time.perf_counter()
    except BaseException:
        for storage, name in importer.saved_files:
            storage.delete(name)
        raise
    result.warnings = report.warnings
    result.timings = {
        "checks": checked - started,
        "writing": written - checked,
        "commit": time.perf_counter() - written,
    }
    return result


def import_file(path, show_progress=False, user=None):
    path = Path(path)
    return import_document(load_file(path), path.parent, show_progress=show_progress, user=user)

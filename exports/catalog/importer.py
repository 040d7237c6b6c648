"""Load a `yimen-catalog/1` document into the portal: all or nothing, idempotent, matched on codes."""

import datetime
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.models import Collection, Page, Site

from tqdm import tqdm

from content.models import (
    AUDIENCES,
    FAQ,
    Department,
    HallPage,
    HallWindow,
    LegalBasis,
    Material,
    PortalImage,
    PortalSettings,
    ProcessStep,
    ServiceFee,
    ServiceHall,
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


def _limit(limit):
    if limit is None:
        return None
    return {"days": limit["days"], "unit": limit["unit"], "note": _or_none(limit.get("note"))}


def _keywords(values):
    text = "\n".join(v.strip() for v in values or [] if v and v.strip())
    return [k.strip() for k in text.replace("，", "\n").replace("、", "\n").splitlines() if k.strip()]


def normalize_item(item, topic_rank):
    """The item as the exporter will write it back, so an unchanged item can be recognised."""
    online = item.get("online") or {}
    result = item.get("result")
    return {
        "code": item["code"],
        "catalog_code": _or_none(item.get("catalog_code")),
        "name": item["name"],
        "type": item["type"],
        "department": item["department"],
        "centers": list(item["centers"]),
        "window": _or_none(item.get("window")),
        "audience": [a for a in AUDIENCES if a in item["audience"]],
        "topics": sorted(dict.fromkeys(item.get("topics") or []), key=lambda name: topic_rank[name]),
        "handling": item["handling"],
        "basis": [
            {k: (b[k] if k == "name" else _or_none(b.get(k))) for k in ("name", "number", "article", "content")}
            for b in item["basis"]
        ],
        "conditions": item["conditions"],
        "materials": [
            {
                "name": m["name"],
                "form": m["form"],
                "copies": m["copies"],
                "required": m["required"],
                "medium": _or_none(m.get("medium")),
                "source": _or_none(m.get("source")),
                "note": _or_none(m.get("note")),
            }
            for m in item["materials"]
        ],
        "process": [
            {k: (s[k] if k == "step" else _or_none(s.get(k))) for k in ("step", "actor", "time_limit", "standard")}
            for s in item["process"]
        ],
        "legal_limit": _limit(item.get("legal_limit")),
        "promised_limit": _limit(item["promised_limit"]),
        "fees": [
            {
                "name": f["name"],
                "standard": f["standard"],
                "basis": _or_none(f.get("basis")),
                "reducible": f.get("reducible", False),
            }
            for f in item["fees"]
        ],
        "visits": item["visits"],
        "online": {
            "available": bool(online.get("available", False)),
            "url": _or_none(online.get("url")),
            "depth": _or_none(online.get("depth")),
        },
        "result": {"name": result["name"], "type": _or_none(result.get("type"))}
        if result and result.get("name")
        else None,
        "consult_phone": item["consult_phone"],
        "complaint_phone": item["complaint_phone"],
        "address": _or_none(item.get("address")),
        "hours": _or_none(item.get("hours")),
        "faq": [{"q": f["q"], "a": f["a"]} for f in item.get("faq") or []],
        "keywords": _keywords(item.get("keywords")),
        "updated": item.get("updated"),
    }


class _Importer:
    def __init__(self, document, base_dir, show_progress, user):
        self.document = document
        self.base_dir = Path(base_dir)
        self.show_progress = show_progress
        self.user = user
        self.result = ImportResult()
        self.saved_files = []  # photo files written to storage, removed again if the import fails

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
                for item in batch:
                    page = existing.get(item["code"])
                    wanted = normalize_item(item, self.topic_rank)
                    if page is not None and service_to_dict(page) == wanted:
                        self.result.unchanged += 1
                    else:
                        plans.append(self._plan_service(page, wanted))
                publisher.publish(plans)
                update_indexes(ServicePage, [plan.page for plan in plans])
                written += [plan.page.pk for plan in plans]
                self.result.created += sum(plan.is_new for plan in plans)
                self.result.updated += sum(not plan.is_new for plan in plans)
                progress.update(len(batch))
        self.result.page_ids += written

    def _plan_service(self, page, item):
        old_title = None
        if page is None:
            page = ServicePage(code=item["code"], slug=item["code"].lower())
        else:
            old_title = page.title
        _fill_service(page, item, self.departments)
        children = {
            "service_halls": [ServiceHall(hall=self.halls[code], sort_order=n) for n, code in enumerate(item["centers"])],
            "basis": [
                LegalBasis(name=b["name"], number=_blank(b["number"]), article=_blank(b["article"]), content=_blank(b["content"]), sort_order=n)
                for n, b in enumerate(item["basis"])
            ],
            "materials": [
                Material(
                    name=m["name"], form=m["form"], copies=m["copies"], required=m["required"], medium=_blank(m["medium"]),
                    source=_blank(m["source"]), note=_blank(m["note"]), sort_order=n,
                )
                for n, m in enumerate(item["materials"])
            ],
            "process_steps": [
                ProcessStep(step=s["step"], actor=_blank(s["actor"]), time_limit=_blank(s["time_limit"]), standard=_blank(s["standard"]), sort_order=n)
                for n, s in enumerate(item["process"])
            ],
            "fees": [
                ServiceFee(name=f["name"], standard=f["standard"], basis=_blank(f["basis"]), reducible=f["reducible"], sort_order=n)
                for n, f in enumerate(item["fees"])
            ],
            "faqs": [FAQ(question=f["q"], answer=f["a"], sort_order=n) for n, f in enumerate(item["faq"])],
        }  # fmt: skip
        topics = [self.topics[name] for name in item["topics"]]
        return PagePlan(page=page, children=children, topics=topics, old_title=old_title)


def _fill_service(page, item, departments):
    """Copy the normalised item's own fields onto the page; inline rows and topics are planned separately."""
    page.title = item["name"]
    page.catalog_code = _blank(item["catalog_code"])
    page.item_type = item["type"]
    page.department = departments[item["department"]]
    page.window_number = _blank(item["window"])
    page.for_individuals = "自然人" in item["audience"]
    page.for_organisations = "法人" in item["audience"]
    page.handling = item["handling"]
    page.conditions = item["conditions"]
    legal = item["legal_limit"]
    page.legal_limit_days = legal["days"] if legal else None
    page.legal_limit_unit = legal["unit"] if legal else "工作日"
    page.legal_limit_note = _blank(legal["note"]) if legal else ""
    promised = item["promised_limit"]
    page.promised_limit_days, page.promised_limit_unit = promised["days"], promised["unit"]
    page.promised_limit_note = _blank(promised["note"])
    page.visits = item["visits"]
    page.online_available = item["online"]["available"]
    page.online_url = _blank(item["online"]["url"])
    page.online_depth = _blank(item["online"]["depth"])
    result = item["result"] or {"name": "", "type": None}
    page.result_name, page.result_type = result["name"], _blank(result["type"])
    page.consult_phone, page.complaint_phone = item["consult_phone"], item["complaint_phone"]
    page.address, page.hours = _blank(item["address"]), _blank(item["hours"])
    page.keywords = "\n".join(item["keywords"])
    page.updated = datetime.date.fromisoformat(item["updated"]) if item["updated"] else None


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
        problems.append(f"{section}[{wanted[slug]}].code: 网址 {parent.url or parent.url_path}{slug}/ 已被页面“{title}”占用")
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
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=PHOTO_COLLECTION).first()
    return existing or root.add_child(name=PHOTO_COLLECTION)


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
    result.timings = {"checks": checked - started, "writing": written - checked, "commit": time.perf_counter() - written}
    return result


def import_file(path, show_progress=False, user=None):
    path = Path(path)
    return import_document(load_file(path), path.parent, show_progress=show_progress, user=user)

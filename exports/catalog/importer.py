"""Load a `yimen-catalog/1` document into the portal: all or nothing, idempotent, matched on codes."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import models, transaction

from wagtail.models import Collection, Site

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
from content.structure import ensure_site_structure

from .exporter import SERVICE_PREFETCH, center_to_dict, service_to_dict
from .validation import CatalogError, load_file, validate

PHOTO_COLLECTION = "阳光台照片"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    halls_created: int = 0
    halls_updated: int = 0
    staff: int = 0
    warnings: list = field(default_factory=list)


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
            {"name": f["name"], "standard": f["standard"], "basis": _or_none(f.get("basis")), "reducible": f.get("reducible", False)}
            for f in item["fees"]
        ],
        "visits": item["visits"],
        "online": {
            "available": bool(online.get("available", False)),
            "url": _or_none(online.get("url")),
            "depth": _or_none(online.get("depth")),
        },
        "result": {"name": result["name"], "type": _or_none(result.get("type"))} if result and result.get("name") else None,
        "consult_phone": item["consult_phone"],
        "complaint_phone": item["complaint_phone"],
        "address": _or_none(item.get("address")),
        "hours": _or_none(item.get("hours")),
        "faq": [{"q": f["q"], "a": f["a"]} for f in item.get("faq") or []],
        "keywords": _keywords(item.get("keywords")),
        "updated": item.get("updated"),
    }


def _length_problems(obj, where, names):
    """CharField overflows, reported with the JSON key the editor wrote (`names` maps field → key)."""
    problems = []
    for model_field in obj._meta.concrete_fields:
        if isinstance(model_field, models.CharField) and model_field.name in names:
            value = getattr(obj, model_field.attname) or ""
            if len(value) > model_field.max_length:
                problems.append(f"{where}.{names[model_field.name]}: 长度 {len(value)} 超过上限 {model_field.max_length} 个字符")
    return problems


class _Importer:
    def __init__(self, document, base_dir, show_progress):
        self.document = document
        self.base_dir = Path(base_dir)
        self.show_progress = show_progress
        self.result = ImportResult()
        self.problems = []

    def run(self):
        home, self.catalog, self.hall_index = ensure_site_structure()
        self._region(home)
        for phase in (self._departments, self._topics, self._halls, self._staff, self._services):
            phase()
            if self.problems:
                raise CatalogError(self.problems)
        return self.result

    def _region(self, home):
        site = Site.objects.get(root_page=home)
        settings = PortalSettings.for_site(site)
        settings.region_code = self.document["region"]["code"]
        settings.region_name = self.document["region"]["name"]
        settings.save()

    def _departments(self):
        self.departments = existing = {d.code: d for d in Department.objects.all()}
        for i, entry in enumerate(self.document["departments"]):
            dept = existing.get(entry["code"]) or Department(code=entry["code"])
            values = {"name": entry["name"], "kind": _blank(entry.get("kind"))}
            if dept.pk is None or any(getattr(dept, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(dept, k, v)
                self.problems += _length_problems(dept, f"departments[{i}]", {"code": "code", "name": "name", "kind": "kind"})
                dept.save()
            existing[dept.code] = dept

    def _topics(self):
        existing = {t.name: t for t in Topic.objects.all()}
        next_order = max((t.sort_order for t in existing.values()), default=0) + 1
        for item in self.document["items"]:
            for name in item.get("topics") or []:
                if name not in existing:
                    if len(name) > 50:
                        self.problems.append(f"items[{self.document['items'].index(item)}].topics: 主题 {name[:20]!r}… 超过 50 个字符")
                        continue
                    existing[name] = Topic.objects.create(name=name, sort_order=next_order)
                    next_order += 1
        self.topic_rank = {name: (t.sort_order, name) for name, t in existing.items()}

    def _halls(self):
        self.halls = halls = {h.code: h for h in HallPage.objects.all()}
        for i, center in enumerate(self.document["centers"]):
            hall = halls.get(center["code"])
            wanted = dict(center, location=center.get("location"), scope=None)
            if hall is not None and _same_center(hall, wanted):
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
            hall.parent_hall = None  # set after every hall exists
            existing_windows = {} if is_new else {w.number: w for w in hall.windows.all()}
            windows = []
            for order, entry in enumerate(center["windows"]):
                window = existing_windows.get(entry["number"]) or HallWindow(number=entry["number"])
                window.name, window.scope, window.sort_order = entry["name"], _blank(entry.get("scope")), order
                window.departments = [self.departments[c] for c in entry["departments"]]
                self.problems += _length_problems(window, f"centers[{i}].windows[{order}]", {"number": "number", "name": "name"})
                windows.append(window)
            hall.windows = windows
            self.problems += _length_problems(
                hall, f"centers[{i}]", {"title": "name", "code": "code", "address": "address", "phone": "phone"}
            )
            if self.problems:
                continue
            if is_new:
                self.hall_index.add_child(instance=hall)
                self.result.halls_created += 1
            else:
                self.result.halls_updated += 1
            halls[hall.code] = hall
            hall._needs_publish = True
        for center in self.document["centers"]:
            hall = halls.get(center["code"])
            if hall is None:
                continue
            parent = halls.get(center["parent"]) if center.get("parent") else None
            if hall.parent_hall_id != (parent.pk if parent else None) or getattr(hall, "_needs_publish", False):
                hall.parent_hall = parent
                hall.save_revision(log_action=True).publish(log_action=True)

    def _staff(self):
        people = {p.staff_id: p for p in StaffMember.objects.select_related("photo")}
        collection = None
        for i, entry in enumerate(self.document.get("staff") or []):
            person = people.get(entry["id"]) or StaffMember(staff_id=entry["id"])
            hall = self.halls[entry["center"]]
            person.name, person.hall = entry["name"], hall
            person.window = hall.windows.filter(number=entry["window"]).first() if entry.get("window") else None
            person.department = self.departments[entry["department"]]
            person.position, person.post = entry["position"], _blank(entry.get("post"))
            person.duties, person.phone = _blank(entry.get("duties")), _blank(entry.get("phone"))
            if entry.get("photo"):
                collection = collection or _photo_collection()
                person.photo = self._photo(entry, person, hall, collection)
            else:
                person.photo = None
            self.problems += _length_problems(
                person, f"staff[{i}]", {"staff_id": "id", "name": "name", "position": "position", "phone": "phone"}
            )
            person.save()
            self.result.staff += 1

    def _photo(self, entry, person, hall, collection):
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
            )
            try:
                image.save()
            except Exception as exc:  # Willow raises several types for a broken file
                raise CatalogError([f"staff[{self.document['staff'].index(entry)}].photo: 无法读取图片：{exc}"]) from exc
        return image

    def _services(self):
        items = self.document["items"]
        codes = [item["code"] for item in items]
        existing = {
            p.code: p
            for p in ServicePage.objects.filter(code__in=codes)
            .select_related("department")
            .prefetch_related(*SERVICE_PREFETCH)
        }
        topics = {t.name: t for t in Topic.objects.all()}
        for i, item in enumerate(tqdm(items, desc="导入事项", unit="项", disable=not self.show_progress)):
            page = existing.get(item["code"])
            wanted = normalize_item(item, self.topic_rank)
            if page is not None and service_to_dict(page) == wanted:
                self.result.unchanged += 1
                continue
            is_new = page is None
            if is_new:
                page = ServicePage(code=item["code"], slug=item["code"].lower())
            self._fill_service(page, wanted, topics)
            page_problems = _length_problems(page, f"items[{i}]", _SERVICE_KEYS)
            for relation, key, names in _CHILD_KEYS:
                for j, child in enumerate(getattr(page, relation).all()):
                    page_problems += _length_problems(child, f"items[{i}].{key}[{j}]", names)
            if page_problems:
                self.problems += page_problems
                continue
            if is_new:
                self.catalog.add_child(instance=page)
                self.result.created += 1
            else:
                self.result.updated += 1
            page.save_revision(log_action=True).publish(log_action=True)

    def _fill_service(self, page, item, topics):
        page.title = item["name"]
        page.catalog_code = _blank(item["catalog_code"])
        page.item_type = item["type"]
        page.department = self.departments[item["department"]]
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
        page.updated = item["updated"]
        page.topics = [topics[name] for name in item["topics"]]
        page.service_halls = [ServiceHall(hall=self.halls[code], sort_order=n) for n, code in enumerate(item["centers"])]
        page.basis = [
            LegalBasis(name=b["name"], number=_blank(b["number"]), article=_blank(b["article"]), content=_blank(b["content"]), sort_order=n)
            for n, b in enumerate(item["basis"])
        ]
        page.materials = [
            Material(
                name=m["name"], form=m["form"], copies=m["copies"], required=m["required"], medium=_blank(m["medium"]),
                source=_blank(m["source"]), note=_blank(m["note"]), sort_order=n,
            )
            for n, m in enumerate(item["materials"])
        ]
        page.process_steps = [
            ProcessStep(step=s["step"], actor=_blank(s["actor"]), time_limit=_blank(s["time_limit"]), standard=_blank(s["standard"]), sort_order=n)
            for n, s in enumerate(item["process"])
        ]
        page.fees = [
            ServiceFee(name=f["name"], standard=f["standard"], basis=_blank(f["basis"]), reducible=f["reducible"], sort_order=n)
            for n, f in enumerate(item["fees"])
        ]
        page.faqs = [FAQ(question=f["q"], answer=f["a"], sort_order=n) for n, f in enumerate(item["faq"])]


_SERVICE_KEYS = {
    "title": "name", "code": "code", "catalog_code": "catalog_code", "window_number": "window",
    "legal_limit_note": "legal_limit.note", "promised_limit_note": "promised_limit.note", "online_url": "online.url",
    "result_name": "result.name", "result_type": "result.type", "consult_phone": "consult_phone",
    "complaint_phone": "complaint_phone", "address": "address",
}  # fmt: skip
_CHILD_KEYS = (
    ("basis", "basis", {"name": "name", "number": "number", "article": "article"}),
    ("materials", "materials", {"name": "name", "source": "source"}),
    ("process_steps", "process", {"step": "step", "actor": "actor", "time_limit": "time_limit"}),
    ("fees", "fees", {"name": "name", "standard": "standard", "basis": "basis"}),
    ("faqs", "faq", {"question": "q"}),
)


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
        "location": {"lat": center["location"]["lat"], "lng": center["location"]["lng"]} if center.get("location") else None,
        "windows": [
            {"number": w["number"], "name": w["name"], "departments": sorted(w["departments"]), "scope": _or_none(w.get("scope"))}
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


def import_document(document, base_dir, show_progress=False):
    """Validate then apply in one transaction; raises CatalogError and changes nothing on any problem."""
    report = validate(
        document,
        base_dir,
        known_departments=Department.objects.values_list("code", flat=True),
        known_centers=HallPage.objects.values_list("code", flat=True),
    )
    with transaction.atomic():
        result = _Importer(document, base_dir, show_progress).run()
    result.warnings = report.warnings
    return result


def import_file(path, show_progress=False):
    path = Path(path)
    return import_document(load_file(path), path.parent, show_progress=show_progress)

"""The service guide (办事指南), declared once.

`ELEMENTS` lists every element a guide has, in the order the national list gives them. Each element
knows its fields on `ServicePage` (or its inline rows), its key and value in the `yimen-catalog`
exchange format and the conversion both ways, the length of every text it stores, the rules it must
keep, how people read it (时限、跑动次数、收费 …), its open-data columns, what search reads of it,
and which outputs show it. The web page, the printed guide, the checklist, booklets, open data, the
importer, the exporter, the search documents and the change log all read this list; adding an
element is one entry here plus its model fields and migration, and `tests/content/test_guide.py`
walks the list and checks that every output carries every element.

Values here are always in catalog form (plain JSON: str, int, bool, None, lists and dicts, dates as
ISO strings), so one function serves the file, the open data and the comparison that keeps an
import idempotent.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from content.models import (
    AUDIENCES,
    DELIVERY_METHODS,
    FAQ,
    HALL_ROLES,
    WINDOW_POWERS,
    Handling,
    LegalBasis,
    Material,
    ProcessStep,
    ServiceFee,
    ServiceHall,
    ServicePage,
    ServiceStatus,
    SpecialProcedure,
    necessity_of,
    status_in_force,
)

FORMAT_1 = "yimen-catalog/1"
FORMAT_2 = "yimen-catalog/2"
FORMATS = (FORMAT_1, FORMAT_2)
FORMAT = FORMAT_2  # what export writes

# Every output a guide has; an element's `outputs` names those that show it.
OUTPUTS = ("web", "pdf", "checklist", "booklet", "json", "csv", "xlsx", "search")
EVERYWHERE = frozenset(OUTPUTS)
PRINTED = frozenset({"web", "pdf", "booklet", "json", "csv", "xlsx"})
DATA_OUTPUTS = frozenset({"json", "csv", "xlsx"})

# Words a list of materials or conditions must not end with (seed 004: 不得出现“等”“其他”字样).
VAGUE_ENDINGS = ("等", "其他", "其它", "等等", "等材料", "等相关材料", "其他材料")


# ---------------------------------------------------------------- how values read for people


def or_none(value):
    return value if value not in ("", None) else None


def blank(value):
    return "" if value is None else value


def join(values, sep="、"):
    return sep.join(str(v) for v in values if v not in (None, ""))


NO_LEGAL_LIMIT = "法律法规未规定"


def limit_text(limit, with_note=True):
    """当场办结, 20个工作日, 30个自然日（note）; 法律法规未规定 when there is no such limit."""
    if not limit or limit.get("days") is None:
        return NO_LEGAL_LIMIT
    text = "当场办结" if limit["days"] == 0 else f"{limit['days']}个{limit['unit']}"
    if with_note and limit.get("note"):
        text += f"（{limit['note']}）"
    return text


def visits_text(visits):
    """到办事现场次数 in words, on the web page, on paper and in the open data alike."""
    if visits == 0:
        return "不用跑（全程网办）"
    if visits == 1:
        return "最多跑一次"
    return f"跑 {visits} 次"


def fees_text(fees):
    if not fees:
        return "不收费"
    return join((f"{f['name']}：{f['standard']}" + ("（可减免）" if f.get("reducible") else "") for f in fees), "；")


def necessity_text(material):
    """必要, 容缺 or 非必要, the same word on the web page, the PDF, the checklist and the open data."""
    return necessity_of(material["required"], material.get("deferrable"))


def deferral_text(material):
    """“容缺受理，可在受理后5个工作日内补交” for a 容缺 material; "" for others."""
    if not material.get("deferrable"):
        return ""
    days = material.get("deferral_days")
    return f"容缺受理，可在受理后{days}个工作日内补交" if days else "容缺受理，可在受理后补交"


def material_marks(material):
    """The short marks printed beside a material: 容缺, 免提交, 可用电子证照, 可告知承诺."""
    marks = []
    if material.get("deferrable"):
        marks.append("容缺")
    if material.get("shared"):
        marks.append("免提交（部门共享获取）")
    if material.get("e_license"):
        marks.append("可用电子证照")
    if material.get("promise"):
        marks.append("可告知承诺")
    return marks


def date_text(iso):
    """A date as people read it: 2026-03-01 → 2026年3月1日 (on the web page and on paper alike)."""
    if not iso:
        return ""
    day = datetime.date.fromisoformat(iso) if isinstance(iso, str) else iso
    return f"{day.year}年{day.month}月{day.day}日"


def status_text(status):
    """“暂停受理：系统升级（2027-01-05 至 2027-01-10）”; "" when the item is handled normally."""
    if not status or status["state"] == ServiceStatus.NORMAL:
        return ""
    text = status["state"]
    if status.get("reason"):
        text += f"：{status['reason']}"
    dates = ""
    start, end = date_text(status.get("from")), date_text(status.get("until"))
    if start and end:
        dates = f"{start}至{end}"
    elif start:
        dates = f"自{start}起"
    elif end:
        dates = f"至{end}"
    return f"{text}（{dates}）" if dates else text


def status_on(status, day):
    """The state in force on `day` (a date) for a status value in catalog form (models' status_in_force)."""
    if not status:
        return ServiceStatus.NORMAL
    start, end = (datetime.date.fromisoformat(status[k]) if status.get(k) else None for k in ("from", "until"))
    return status_in_force(status["state"], start, end, day)


def status_notice(status, today):
    """The 办理状态 notice a guide shows on `today`, on the web page and on paper alike: while it is in
    force, and already while it is still to come (a reader is told of a suspension set for next week;
    paper also outlives the day it is printed); "" when 正常 or over."""
    if not status or status["state"] == ServiceStatus.NORMAL:
        return ""
    upcoming = (status.get("from") or "") > today.isoformat()
    if status_on(status, today) == ServiceStatus.NORMAL and not upcoming:
        return ""
    return status_text(status)


def window_authority_text(authority):
    if not authority or not (authority["powers"] or authority.get("passes_on")):
        return ""
    parts = []
    if authority["powers"]:
        parts.append("窗口可" + "、".join(authority["powers"]))
    if authority.get("passes_on"):
        parts.append(f"转报：{authority['passes_on']}")
    return "；".join(parts)


def hall_roles_text(roles):
    """What one hall does with an item (县乡同办), for the villager deciding where to go: “收件、出件（受理、审批
    不在本大厅）”; no roles, or all of them, reads 全程办理."""
    roles = [r for r in HALL_ROLES if r in (roles or [])]
    if not roles or len(roles) == len(HALL_ROLES):
        return "全程办理（" + "、".join(HALL_ROLES) + "）"
    others = [r for r in HALL_ROLES if r not in roles]
    return f"{'、'.join(roles)}（{'、'.join(others)}不在本大厅）"


def special_text(procedure):
    text = f"{procedure['kind']}：{procedure['time_limit']}（不计入办结时限）"
    return text + (f"，{procedure['note']}" if procedure.get("note") else "")


def lines_of(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def vague_ending(text):
    """The vague word a list ends with (等, 其他 …), or None."""
    stripped = (text or "").strip().rstrip("。；;，,、.")
    for word in sorted(VAGUE_ENDINGS, key=len, reverse=True):
        if stripped.endswith(word):
            return word
    return None


# ---------------------------------------------------------------- the fields elements are made of


@dataclass(frozen=True)
class Part:
    """One value of an element: catalog key ↔ model attribute, converted by `kind`.

    kinds: text (a required string), opt (optional string: "" on the model, null in the file),
    int, optint (None allowed), bool, date (ISO string in the file), list (a ChoiceListField),
    document (a Wagtail document; in the file {"title", "file"} with the file beside the JSON).
    `default` is the value in a file that lacks the key (a /1 file, or an optional key left out).
    """

    key: str
    attr: str
    kind: str = "text"
    default: object = None
    options: tuple = ()  # for a list: the allowed values, in the order they are kept
    required: bool | None = None  # whether a file must give it (default: text and int values must)
    schema: dict | None = None  # its JSON Schema, where the kind's default does not fit

    def is_required(self):
        return self.required if self.required is not None else self.kind in ("text", "int") and self.default is None

    def json_schema(self, model, since=None):
        """The JSON Schema of this value in a catalog file, from its kind and its model field's choices."""
        if self.schema is not None:
            found = dict(self.schema)
        else:
            choices = (
                [c for c, _ in model._meta.get_field(self.attr).choices or []] if self.kind in ("text", "opt") else []
            )
            found = {
                "text": {"enum": choices} if choices else {"$ref": "#/$defs/text"},
                "opt": {"enum": [*choices, None]} if choices else {"type": ["string", "null"]},
                "int": {"type": "integer", "minimum": 0},
                "optint": {"type": ["integer", "null"], "minimum": 0},
                "bool": {"type": "boolean"},
                "date": {"$ref": "#/$defs/date"},
                "list": {"type": "array", "items": {"enum": list(self.options)}},
                "document": {"$ref": "#/$defs/document"},
            }[self.kind]
        if since and since > 1:
            found = {"description": f"/{since}: {model._meta.get_field(self.attr).verbose_name}", **found}
        return found

    def empty(self):
        """The value when the whole group is absent (no legal limit, no result)."""
        if self.default is not None:
            return self.default
        return {"text": "", "int": 0, "bool": False, "list": []}.get(self.kind)

    def export(self, obj):
        value = getattr(obj, self.attr)
        if self.kind == "opt":
            return or_none(value)
        if self.kind == "date":
            return value.isoformat() if value else None
        if self.kind == "list":
            return list(value or [])
        if self.kind == "document":
            document = getattr(obj, self.attr)
            return document_ref(document) if document else None
        return value

    def normalize(self, data, context=None):
        value = data.get(self.key, self.default) if isinstance(data, dict) else self.default
        if self.kind == "opt":
            return or_none(value)
        if self.kind == "bool":
            return bool(value)
        if self.kind == "list":
            return [o for o in self.options if o in (value or [])]
        if self.kind == "document":
            if not value:
                return None
            # A form is known by its bytes: whatever a file names it, it compares as the name export
            # gives it (forms/<hash><suffix>), so an unchanged form never makes an item "changed".
            name = getattr(context, "form_name", None)
            return {"title": value["title"], "file": name(value["file"]) if name else value["file"]}
        return value

    def apply(self, obj, value, context):
        if self.kind == "opt":
            value = blank(value)
        elif self.kind == "date":
            value = datetime.date.fromisoformat(value) if value else None
        elif self.kind == "list":
            value = [o for o in self.options if o in (value or [])]
        elif self.kind == "document":
            value = context.document(value) if value else None
        setattr(obj, self.attr, value)

    def max_length(self, model):
        if self.kind not in ("text", "opt"):
            return None
        return model._meta.get_field(self.attr).max_length


def document_ref(document):
    """A downloadable form in catalog form: its title and a file name that depends only on its bytes,
    so the same form exports to the same name from any portal."""
    name = document.file.name
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return {"title": document.title, "file": f"forms/{document_key(document)}{suffix}"}


def document_key(document):
    if not document.file_hash:
        document._set_document_file_metadata()
        type(document).objects.filter(pk=document.pk).update(file_hash=document.file_hash, file_size=document.file_size)
    return document.file_hash[:16]


# ---------------------------------------------------------------- elements


@dataclass(frozen=True)
class Element:
    """One element of the guide. Subclasses say how its value is read from and written to a page."""

    key: str
    label: str
    since: int = 1  # the first catalog format version that carries it
    outputs: frozenset = EVERYWHERE
    search: str = ""  # which SearchDocument field its text goes into ("" = not searched)
    tracked: bool = True  # whether a change to it goes into 本指南变更记录
    example: object = None  # a complete, distinctive value (catalog form) for tests and the demo
    # Texts a page, paper or search output showing the example must contain (default: its `text`);
    # the data outputs (JSON, CSV, XLSX) are checked against the value and the columns themselves.
    evidence: tuple = ()
    # A file without the key keeps the portal's value: a record, not content (changes), or a key that files
    # written before it existed lack (assist_centers).
    kept_when_absent: bool = False

    # How people read the value: one line of plain text (the CSV cell, the search text, the change log).
    def text(self, value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return join(value)
        return str(value)

    def search_text(self, value):
        """What search indexes of the value: its words, without the wording marks of `text`."""
        return self.text(value)

    def columns(self):
        """Open-data columns: (header, getter(item dict)); one column with the label by default."""
        return [(self.label, lambda item, key=self.key: self.text(item.get(key)))]

    def checks(self, value, where):
        """Problems with the value (path, message); the importer and ServicePage.clean both run these."""
        return []

    def advice(self, value, where):
        """Wording the rules forbid (path, message): an error when an editor saves the guide, a warning
        when a catalog file is imported, so an older file still loads and its editors are told."""
        return []

    def changes(self, old, new):
        """Lines for 本指南变更记录 when the value changed from `old` to `new`."""
        return [f"{self.label}由“{self.text(old) or '无'}”改为“{self.text(new) or '无'}”"]

    def lengths(self):
        """(catalog path within the item, model, attribute) for every stored text, for length checks."""
        return []

    required: bool = False  # whether every item must carry it
    min_items: int = 0  # for a list: how many entries at least

    # Each kind of element gives `json_schema()`, its JSON Schema in a catalog item (schema.json is
    # written from these); tests/exports/test_catalog_schema.py checks that every element has one.
    def _described(self, found):
        label = f"/{self.since}: {self.label}" if self.since > 1 else self.label
        return {"description": label, **found}

    def keep_newer(self, value, current, version):
        """`value` read from a file of `version`, with what that version cannot carry taken from `current`
        (the portal's value, None for a new guide)."""
        return value

    def evidence_for(self, value, output="web"):
        if output == "search" and self.search:
            return lines_of(self.search_text(value))
        return [e for e in (self.evidence or (self.text(value),)) if e]


@dataclass(frozen=True)
class Scalar(Element):
    part: Part = None

    def export(self, page):
        return self.part.export(page)

    def normalize(self, item, context):
        return self.part.normalize(item if self.part.key == self.key else {self.part.key: item.get(self.key)})

    def apply(self, page, value, context):
        self.part.apply(page, value, context)

    def lengths(self):
        limit = self.part.max_length(ServicePage)
        return [(self.key, ServicePage, self.part.attr)] if limit else []

    def json_schema(self):
        return self._described(self.part.json_schema(ServicePage))

    def fields(self):
        return [self.part.attr]


@dataclass(frozen=True)
class Group(Element):
    """A value made of several page fields, written as one object (or null when `present` says so)."""

    parts: tuple = ()
    nullable: bool = False  # null when the first part is empty (no legal limit, no result)

    def export(self, page):
        value = {p.key: p.export(page) for p in self.parts}
        if self.nullable and value[self.parts[0].key] in (None, ""):
            return None
        return value

    def normalize(self, item, context):
        data = item.get(self.key)
        if self.nullable and (not data or data.get(self.parts[0].key) in (None, "")):
            return None
        return {p.key: p.normalize(data or {}) for p in self.parts}

    def apply(self, page, value, context):
        for p in self.parts:
            p.apply(page, value[p.key] if value else p.empty(), context)

    def lengths(self):
        return [(f"{self.key}.{p.key}", ServicePage, p.attr) for p in self.parts if p.max_length(ServicePage)]

    def json_schema(self):
        found = {
            "type": ["object", "null"] if self.nullable or not any(p.is_required() for p in self.parts) else "object",
            "required": [p.key for p in self.parts if p.is_required()],
            "properties": {p.key: p.json_schema(ServicePage) for p in self.parts},
        }
        if not found["required"]:
            del found["required"]
        return self._described(found)

    def fields(self):
        return [p.attr for p in self.parts]


@dataclass(frozen=True)
class Rows(Element):
    """Inline rows (材料、流程、收费 …), each written as an object; `name` is the part that names a row."""

    relation: str = ""
    model: type = None
    parts: tuple = ()
    name: str = "name"

    def export(self, page):
        return [{p.key: p.export(row) for p in self.parts} for row in getattr(page, self.relation).all()]

    def normalize(self, item, context):
        return [{p.key: p.normalize(row, context) for p in self.parts} for row in item.get(self.key) or []]

    def apply(self, page, value, context):
        rows = []
        for n, data in enumerate(value):
            row = self.model(sort_order=n)
            for p in self.parts:
                p.apply(row, data[p.key], context)
            rows.append(row)
        context.children[self.relation] = rows

    def text(self, value):
        return join((self.row_text(row) for row in value or []), "；")

    def row_text(self, row):
        return str(row[self.name])

    def changes(self, old, new):
        old, new = old or [], new or []
        old_names = [r[self.name] for r in old]
        new_names = [r[self.name] for r in new]
        lines = [f"新增{self.label}：{n}" for n in new_names if n not in old_names]
        lines += [f"删除{self.label}：{n}" for n in old_names if n not in new_names]
        changed = [
            n
            for n in new_names
            if n in old_names and dict(zip(old_names, old, strict=True))[n] != dict(zip(new_names, new, strict=True))[n]
        ]
        lines += [f"修改{self.label}：{n}" for n in changed]
        if not lines and old != new:
            lines.append(f"调整了{self.label}的顺序")
        return lines

    def lengths(self):
        return [(f"{self.key}[].{p.key}", self.model, p.attr) for p in self.parts if p.max_length(self.model)]

    def json_schema(self):
        row = {
            "type": "object",
            "required": [p.key for p in self.parts if p.is_required()],
            "properties": {p.key: p.json_schema(self.model, since=self.part_since(p)) for p in self.parts},
        }
        found = {"type": "array", "items": row}
        if self.min_items:
            found["minItems"] = self.min_items
        return self._described(found)

    def part_since(self, part):
        return 1

    def fields(self):
        return [self.relation]


# Elements whose conversion is their own.


@dataclass(frozen=True)
class Name(Scalar):
    def apply(self, page, value, context):
        page.title = value


@dataclass(frozen=True)
class DepartmentElement(Element):
    def export(self, page):
        return page.department.code

    def normalize(self, item, context):
        return item["department"]

    def apply(self, page, value, context):
        page.department = context.departments[value]

    def json_schema(self):
        return self._described({"$ref": "#/$defs/text"})

    def columns(self):
        return [(f"{self.label}编码", lambda item: item["department"])]

    def fields(self):
        return ["department"]

    def text(self, value):
        return value or ""


@dataclass(frozen=True)
class Centers(Element):
    """The halls where the item is handled, in order (the first is where `window` applies)."""

    def export(self, page):
        return [link.hall.code for link in page.service_halls.all()]

    def json_schema(self):
        return self._described({"type": "array", "minItems": 1, "items": {"type": "string"}})

    def normalize(self, item, context):
        return list(item["centers"])

    def apply(self, page, value, context):
        roles, assisted = context.hall_roles, context.hall_assist
        context.children["service_halls"] = [
            ServiceHall(
                hall=context.halls[code], sort_order=n, roles=list(roles.get(code, [])), can_assist=code in assisted
            )
            for n, code in enumerate(value)
        ]

    def fields(self):
        return ["service_halls"]

    def columns(self):
        return [(f"{self.label}编码", lambda item: join(item["centers"]))]


@dataclass(frozen=True)
class HallRoles(Element):
    """Per hall, what it does with the item (收件、受理、审批、出件); halls that do everything are left out."""

    def export(self, page):
        return {link.hall.code: list(link.roles) for link in page.service_halls.all() if link.roles}

    def normalize(self, item, context):
        field = ServiceHall._meta.get_field("roles")
        return {code: field.ordered(roles) for code, roles in (item.get(self.key) or {}).items() if roles}

    def apply(self, page, value, context):
        context.hall_roles = value  # read by Centers, which builds the rows

    def json_schema(self):
        roles = {"type": "array", "items": {"enum": list(HALL_ROLES)}}
        return self._described({"type": "object", "additionalProperties": roles})

    def text(self, value):
        return "；".join(f"{code}：{'、'.join(roles)}" for code, roles in (value or {}).items())

    def checks(self, value, where):
        return []

    def fields(self):
        return ["service_halls"]


@dataclass(frozen=True)
class AssistCenters(Element):
    """The halls of `centers` (village stations above all) that 代办 the item for people free of charge (可代办):
    the guide offers “请服务站帮我办” there. Kept in the order of `centers`."""

    def export(self, page):
        return [link.hall.code for link in page.service_halls.all() if link.can_assist]

    def normalize(self, item, context):
        wanted = set(item.get(self.key) or [])
        return [code for code in item.get("centers") or [] if code in wanted]

    def apply(self, page, value, context):
        context.hall_assist = set(value)  # read by Centers, which builds the rows

    def json_schema(self):
        return self._described({"type": "array", "items": {"type": "string"}})

    def columns(self):
        return [(f"{self.label}编码", lambda item: join(item.get(self.key) or []))]

    def fields(self):
        return ["service_halls"]


@dataclass(frozen=True)
class Audience(Element):
    def export(self, page):
        return page.audience

    def normalize(self, item, context):
        return [a for a in AUDIENCES if a in item["audience"]]

    def apply(self, page, value, context):
        page.for_individuals = AUDIENCES[0] in value
        page.for_organisations = AUDIENCES[1] in value

    def json_schema(self):
        return self._described({"type": "array", "minItems": 1, "items": {"enum": list(AUDIENCES)}})

    def checks(self, value, where):
        return [] if value else [(f"{where}", "请至少选择一种服务对象（自然人或法人）")]

    def fields(self):
        return ["for_individuals", "for_organisations"]


@dataclass(frozen=True)
class Topics(Element):
    def export(self, page):
        return [t.name for t in sorted(page.topics.all(), key=lambda t: (t.sort_order, t.name))]

    def normalize(self, item, context):
        return sorted(dict.fromkeys(item.get("topics") or []), key=lambda name: context.topic_rank[name])

    def apply(self, page, value, context):
        context.topics = [context.topic_objects[name] for name in value]

    def json_schema(self):
        return self._described({"type": "array", "items": {"type": "string"}})

    def fields(self):
        return ["topics"]


@dataclass(frozen=True)
class Keywords(Element):
    def export(self, page):
        return page.keyword_list

    def normalize(self, item, context):
        text = "\n".join(v.strip() for v in item.get("keywords") or [] if v and v.strip())
        return [k.strip() for k in text.replace("，", "\n").replace("、", "\n").splitlines() if k.strip()]

    def apply(self, page, value, context):
        page.keywords = "\n".join(value)

    def json_schema(self):
        return self._described({"type": "array", "items": {"type": "string"}})

    def fields(self):
        return ["keywords"]


@dataclass(frozen=True)
class Conditions(Scalar):
    def checks(self, value, where):
        return [] if (value or "").strip() else [(where, "不能为空")]

    def advice(self, value, where):
        problems = []
        for n, line in enumerate(lines_of(value), start=1):
            word = vague_ending(line)
            if word:
                problems.append((where, f"第{n}条以“{word}”结尾：受理条件须逐项写明，不得出现“等”“其他”字样"))
        return problems


@dataclass(frozen=True)
class Limit(Group):
    def text(self, value):
        return limit_text(value)


@dataclass(frozen=True)
class Visits(Scalar):
    def text(self, value):
        return visits_text(value) if value is not None else ""

    def columns(self):
        return [(self.label, lambda item: item["visits"])]


@dataclass(frozen=True)
class Online(Group):
    def text(self, value):
        if not value or not value["available"]:
            return "否"
        return join(["是", value.get("url"), value.get("depth")], "；")

    def changes(self, old, new):
        return [f"网上办理由“{self.text(old)}”改为“{self.text(new)}”"]

    def columns(self):
        return [
            ("可网上办理", lambda item: "是" if item["online"]["available"] else "否"),
            ("网上办理地址", lambda item: item["online"]["url"] or ""),
        ]


@dataclass(frozen=True)
class Result(Group):
    def text(self, value):
        if not value:
            return ""
        return value["name"] + (f"（{value['type']}）" if value.get("type") else "")

    def columns(self):
        return [(self.label, lambda item: (item["result"] or {}).get("name", ""))]

    def search_text(self, value):
        return value["name"] if value else ""


@dataclass(frozen=True)
class Status(Group):
    def text(self, value):
        return status_text(value) or "正常"

    def search_text(self, value):
        return status_text(value)

    def checks(self, value, where):
        problems = []
        if value and value.get("from") and value.get("until") and value["until"] < value["from"]:
            problems.append((f"{where}.until", "状态结束日期不能早于开始日期"))
        if value and value["state"] != ServiceStatus.NORMAL and not (value.get("reason") or "").strip():
            problems.append((f"{where}.reason", "暂停受理或调整中时，请写明原因和替代办法"))
        return problems


@dataclass(frozen=True)
class WindowAuthority(Group):
    def text(self, value):
        return window_authority_text(value)


@dataclass(frozen=True)
class Materials(Rows):
    def row_text(self, row):
        marks = material_marks(row)
        head = f"{row['name']}（{necessity_text(row)}，{row['form']}{row['copies']}份）"
        return head + (f"[{'、'.join(marks)}]" if marks else "")

    def search_text(self, value):
        return "\n".join(m["name"] + (f"（{m['note']}）" if m.get("note") else "") for m in value or [])

    def part_since(self, part):
        return 2 if part in MATERIAL_PARTS_2 else 1

    def columns(self):
        return [(f"{self.label}数", lambda item: len(item["materials"]))]

    def row_columns(self):
        """The materials sheet: one row per material, (header, getter(material, number))."""
        return (
            ("材料序号", lambda m, n: n),
            ("材料名称", lambda m, n: m["name"]),
            ("材料形式", lambda m, n: m["form"]),
            ("份数", lambda m, n: m["copies"]),
            ("必要性", lambda m, n: necessity_text(m)),
            ("容缺补交期限（工作日）", lambda m, n: m.get("deferral_days") or ""),
            ("载体", lambda m, n: m["medium"] or ""),
            ("来源渠道", lambda m, n: m["source"] or ""),
            ("证明开具单位", lambda m, n: m.get("issuer") or ""),
            ("免提交", lambda m, n: "是" if m.get("shared") else ""),
            ("可用电子证照", lambda m, n: "是" if m.get("e_license") else ""),
            ("可告知承诺", lambda m, n: "是" if m.get("promise") else ""),
            ("空白表格", lambda m, n: (m.get("blank_form") or {}).get("title", "")),
            ("填写样表", lambda m, n: (m.get("sample_form") or {}).get("title", "")),
            ("填报须知", lambda m, n: m["note"] or ""),
            ("常见错误", lambda m, n: m.get("mistakes") or ""),
        )

    def advice(self, value, where):
        problems = []
        for n, row in enumerate(value or []):
            word = vague_ending(row["name"])
            if word:
                problems.append(
                    (
                        f"{where}[{n}].name",
                        f"材料名称“{row['name']}”以“{word}”结尾：申请材料须逐项列明，不得出现“等”“其他”字样",
                    )
                )
        return problems

    def keep_newer(self, value, current, version):
        """A `/1` file has no 容缺, 证明, 免提交, forms …: each of its materials keeps those of the portal's
        material of the same name (the first, when two share it); a material new to the guide has none,
        whatever `/2` keys the file holds (they are not read, and the validator says so)."""
        if version >= 2:
            return value
        by_name = {}
        for row in current or []:
            by_name.setdefault(row["name"], row)
        empty = {p.key: p.normalize({}) for p in MATERIAL_PARTS_2}
        return [{**row, **{k: by_name.get(row["name"], empty)[k] for k in empty}} for row in value]

    def checks(self, value, where):
        problems = []
        for n, row in enumerate(value or []):
            if row.get("deferral_days") and not row.get("deferrable"):
                problems.append((f"{where}[{n}].deferral_days", "只有容缺受理的材料才有补交期限"))
        return problems


@dataclass(frozen=True)
class Fees(Rows):
    def text(self, value):
        return fees_text(value)

    def search_text(self, value):
        return "\n".join(f"{f['name']} {f['standard']}" for f in value or [])


@dataclass(frozen=True)
class Process(Rows):
    name: str = "step"

    def row_text(self, row):
        return row["step"] + (f"（{row['time_limit']}）" if row.get("time_limit") else "")

    def search_text(self, value):
        return "\n".join(" ".join(blank(s.get(k)) for k in ("step", "actor", "standard")) for s in value or [])


@dataclass(frozen=True)
class Specials(Rows):
    name: str = "kind"

    def row_text(self, row):
        return special_text(row)


@dataclass(frozen=True)
class Basis(Rows):
    def row_text(self, row):
        return "《{}》{}{}".format(
            row["name"], f"（{row['number']}）" if row.get("number") else "", row.get("article") or ""
        )

    def search_text(self, value):
        return "\n".join(
            join([b["name"], b.get("number"), b.get("article"), b.get("content")], "\n") for b in value or []
        )


@dataclass(frozen=True)
class Faqs(Rows):
    name: str = "q"

    def columns(self):
        return [(f"{self.label}数", lambda item: len(item["faq"]))]

    def search_text(self, value):
        return "\n".join(f"{f['q']}\n{f['a']}" for f in value or [])


@dataclass(frozen=True)
class Choices(Scalar):
    def text(self, value):
        return join(value or [])


@dataclass(frozen=True)
class Changes(Element):
    """本指南变更记录, newest first: written by publishing (content.signals), carried by the catalog file."""

    def export(self, page):
        return [{"effective": c.effective.isoformat(), "lines": list(c.lines)} for c in page.changes.all()]

    def normalize(self, item, context):
        return [{"effective": c["effective"], "lines": list(c["lines"])} for c in item.get(self.key) or []]

    def apply(self, page, value, context):
        context.changes = value

    def json_schema(self):
        entry = {
            "type": "object",
            "required": ["effective", "lines"],
            "properties": {
                "effective": {"type": "string", "format": "date"},
                "lines": {"type": "array", "items": {"type": "string"}},
            },
        }
        return self._described({"type": "array", "items": entry})

    def text(self, value):
        return "；".join(f"{date_text(c['effective'])}起：{'，'.join(c['lines'])}" for c in value or [])

    def columns(self):
        return [("最近变更", lambda item: self.text((item.get("changes") or [])[:1]))]

    def fields(self):
        return []


@dataclass(frozen=True)
class Updated(Scalar):
    def text(self, value):
        return date_text(value)

    def columns(self):
        return [(self.label, lambda item: item["updated"] or "")]  # ISO in data, as machines read dates


def P(key, attr=None, kind="text", default=None, options=(), required=None, schema=None):  # noqa: N802 - a declaration
    return Part(key, attr or key, kind, default, tuple(options), required, schema)


MATERIAL_PARTS = (
    P("name"),
    P("form"),
    P("copies", kind="int"),
    P("required", kind="bool", required=True),
    P("medium", kind="opt"),
    P("source", kind="opt"),
    P("note", kind="opt"),
)
MATERIAL_PARTS_2 = (
    P("deferrable", kind="bool", default=False),
    P("deferral_days", kind="optint", schema={"type": ["integer", "null"], "minimum": 1}),
    P("issuer", kind="opt"),
    P("shared", kind="bool", default=False),
    P("e_license", kind="bool", default=False),
    P("promise", "promise_ok", kind="bool", default=False),
    P("blank_form", kind="document"),
    P("sample_form", kind="document"),
    P("mistakes", kind="opt"),
)

ELEMENTS = (
    Scalar("code", "实施编码", part=P("code"), tracked=False, required=True, example="TEST-ALL-001", outputs=EVERYWHERE - {"checklist"}),
    Scalar("catalog_code", "基本编码", part=P("catalog_code", kind="opt"), tracked=False, example="000123456000",
           outputs=frozenset({"json", "csv", "xlsx"})),
    Name("name", "事项名称", part=P("name", "title"), search="name", required=True, example="全要素测试事项"),
    Scalar("type", "事项类型", part=P("type", "item_type"), example="行政许可", search="body", required=True,
           outputs=PRINTED | {"search"}),
    DepartmentElement("department", "实施主体", example="DEPT-T", required=True, evidence=("测试县测试局",),
                      outputs=EVERYWHERE - {"checklist"}),
    Centers("centers", "办理大厅", example=["HALL-T"], required=True, evidence=("测试县政务服务中心",),
            outputs=EVERYWHERE),
    HallRoles("hall_roles", "各大厅承担环节", since=2, example={"HALL-T": ["收件", "出件"]},
              evidence=("收件、出件",), outputs=PRINTED),
    AssistCenters("assist_centers", "可代办大厅", since=2, example=["HALL-T"], tracked=False, kept_when_absent=True,
                  evidence=("本站可免费代办此事项",), outputs=frozenset({"web", "json", "csv", "xlsx"})),
    Scalar("window", "窗口号", part=P("window", "window_number", kind="opt"), example="7",
           outputs=frozenset({"web", "pdf", "checklist", "booklet", "json", "csv", "xlsx"}), evidence=("7号窗口",)),
    WindowAuthority("window_authority", "窗口权限", since=2,
                    parts=(P("powers", "window_powers", kind="list", options=WINDOW_POWERS, required=True), P("passes_on", "window_passes_on", kind="opt")),
                    example={"powers": ["受理", "审核"], "passes_on": "报县市场监管局审批"},
                    evidence=("受理、审核", "报县市场监管局审批"), outputs=PRINTED),
    Scalar("scope", "通办范围", since=2, part=P("scope", kind="opt"), example="全市通办", outputs=PRINTED | {"search"},
           search="body"),
    Audience("audience", "服务对象", example=["自然人", "法人"], required=True, evidence=("自然人", "法人"),
             outputs=PRINTED),
    Topics("topics", "主题分类", example=["测试主题"], outputs=frozenset({"web", "json", "csv", "xlsx", "search"}),
           search="topics"),
    Scalar("handling", "办件类型", part=P("handling"), example="承诺件", required=True, outputs=PRINTED),
    Status("status", "办理状态", since=2,
           parts=(P("state", "status", default=ServiceStatus.NORMAL, required=True), P("reason", "status_reason", kind="opt"),
                  P("from", "status_from", kind="date"), P("until", "status_until", kind="date")),
           example={"state": "暂停受理", "reason": "系统升级，请到县政务服务中心综合窗口办理", "from": "2026-01-01", "until": None},
           evidence=("暂停受理", "系统升级"), outputs=EVERYWHERE, search="body"),
    Basis("basis", "设定依据", relation="basis", model=LegalBasis, required=True, min_items=1,
          parts=(P("name"), P("number", kind="opt"), P("article", kind="opt"), P("content", kind="opt")),
          example=[{"name": "测试依据条例", "number": "国务院令第1号", "article": "第三条", "content": "依据条款内容"}],
          evidence=("测试依据条例",), outputs=PRINTED | {"search"}, search="basis"),
    Conditions("conditions", "受理条件", part=P("conditions"), required=True, example="申请人年满十八周岁\n户籍在本县",
               evidence=("年满十八周岁", "户籍在本县"), outputs=PRINTED | {"search"}, search="conditions"),
    Materials("materials", "申请材料", relation="materials", model=Material, required=True, parts=MATERIAL_PARTS + MATERIAL_PARTS_2,
              example=[
                  {"name": "居民身份证", "form": "原件", "copies": 1, "required": True, "medium": "纸质", "source": "申请人自备",
                   "note": None, "deferrable": False, "deferral_days": None, "issuer": None, "shared": False,
                   "e_license": True, "promise": False, "blank_form": None, "sample_form": None, "mistakes": "身份证过期"},
                  {"name": "无犯罪记录证明", "form": "原件", "copies": 1, "required": True, "medium": None, "source": None,
                   "note": None, "deferrable": True, "deferral_days": 5, "issuer": "县公安局", "shared": False,
                   "e_license": False, "promise": True, "blank_form": None, "sample_form": None, "mistakes": None},
                  {"name": "户口簿", "form": "复印件", "copies": 1, "required": True, "medium": None, "source": None,
                   "note": None, "deferrable": False, "deferral_days": None, "issuer": None, "shared": True,
                   "e_license": False, "promise": False, "blank_form": None, "sample_form": None, "mistakes": None},
              ],
              evidence=("居民身份证", "容缺", "无犯罪记录证明", "免提交"), search="materials"),
    Scalar("promise_note", "告知承诺", since=2, part=P("promise_note", kind="opt"),
           example="申请人书面承诺符合卫生条件的，免于现场核查", evidence=("免于现场核查",), outputs=PRINTED),
    Process("process", "办理流程", relation="process_steps", model=ProcessStep, required=True, min_items=1,
            parts=(P("step"), P("actor", kind="opt"), P("time_limit", kind="opt"), P("standard", kind="opt")),
            example=[{"step": "受理", "actor": "综合窗口", "time_limit": "即时", "standard": "材料齐全"},
                     {"step": "决定", "actor": "县测试局", "time_limit": "10个工作日", "standard": None}],
            evidence=("受理", "决定"), outputs=PRINTED | {"search"}, search="body"),
    Limit("legal_limit", "法定办结时限", nullable=True,
          parts=(P("days", "legal_limit_days", kind="optint", required=True, schema={"type": "integer", "minimum": 0}),
                 P("unit", "legal_limit_unit", default="工作日", required=True),
                 P("note", "legal_limit_note", kind="opt")),
          example={"days": 20, "unit": "工作日", "note": None}, evidence=("20个工作日",), outputs=PRINTED),
    Limit("promised_limit", "承诺办结时限", required=True,
          parts=(P("days", "promised_limit_days", kind="int"), P("unit", "promised_limit_unit", default="工作日", required=True),
                 P("note", "promised_limit_note", kind="opt")),
          example={"days": 12, "unit": "工作日", "note": "不含公示时间"}, evidence=("12个工作日",),
          outputs=PRINTED | {"checklist"}),
    Specials("special_procedures", "特别程序", since=2, relation="special_procedures", model=SpecialProcedure,
             parts=(P("kind"), P("time_limit"), P("note", kind="opt")),
             example=[{"kind": "公示", "time_limit": "7个自然日", "note": "在村务公开栏公示"}],
             evidence=("公示", "7个自然日", "不计入办结时限"), outputs=PRINTED),
    Fees("fees", "收费", relation="fees", model=ServiceFee, required=True,
         parts=(P("name"), P("standard"), P("basis", kind="opt"), P("reducible", kind="bool", default=False)),
         example=[{"name": "工本费", "standard": "每证10元", "basis": None, "reducible": True}],
         evidence=("工本费", "每证10元"), outputs=PRINTED | {"checklist", "search"}, search="body"),
    Visits("visits", "到办事现场次数", part=P("visits", kind="int"), required=True, example=1, evidence=("最多跑一次",),
           outputs=PRINTED | {"checklist"}),
    Online("online", "网上办理",
           parts=(P("available", "online_available", kind="bool", default=False), P("url", "online_url", kind="opt"),
                  P("depth", "online_depth", kind="opt")),
           example={"available": True, "url": "https://zwfw.example.gov.cn/t", "depth": "全程网办"},
           evidence=("https://zwfw.example.gov.cn/t",), outputs=PRINTED),
    Result("result", "办理结果", nullable=True, parts=(P("name", "result_name", required=False, schema={"type": "string"}), P("type", "result_type", kind="opt")),
           example={"name": "测试许可证", "type": "证照"}, evidence=("测试许可证",), outputs=PRINTED | {"search"},
           search="body"),
    Choices("delivery", "结果送达方式", since=2, part=P("delivery", kind="list", options=DELIVERY_METHODS), example=["窗口领取", "免费寄递"],
            evidence=("免费寄递",), outputs=PRINTED),
    Scalar("consult_phone", "咨询电话", part=P("consult_phone"), required=True, example="0851-1234567",
           outputs=PRINTED | {"checklist"}),
    Scalar("complaint_phone", "监督投诉电话", part=P("complaint_phone"), required=True, example="12345", outputs=PRINTED),
    Scalar("address", "办理地点", part=P("address", kind="opt"), example="测试县政务服务中心二楼",
           outputs=PRINTED | {"checklist"}),
    Scalar("hours", "办理时间", part=P("hours", kind="opt"), example="工作日 9:00-17:00", outputs=PRINTED),
    Faqs("faq", "常见问题", relation="faqs", model=FAQ, parts=(P("q", "question"), P("a", "answer")),
         example=[{"q": "可以代办吗？", "a": "可以，带上委托书"}], evidence=("可以代办吗？",),
         outputs=frozenset({"web", "pdf", "booklet", "json", "search"}), search="faq"),
    Keywords("keywords", "俗称和关键词", example=["测试俗称"], tracked=False,
             outputs=frozenset({"json", "csv", "xlsx", "search"}), search="keywords"),
    Updated("updated", "指南更新日期", part=P("updated", kind="date"), tracked=False, example="2026-03-01",
            evidence=("2026年3月1日",), outputs=PRINTED - {"booklet"}),
    Scalar("change_effective", "本次变更生效日期", since=2, part=P("change_effective", kind="date"), tracked=False,
           example="2026-03-15", outputs=frozenset({"json"})),
    Changes("changes", "本指南变更记录", since=2, tracked=False, kept_when_absent=True,
            example=[{"effective": "2026-03-15", "lines": ["新增申请材料：无犯罪记录证明"]}],
            evidence=("新增申请材料：无犯罪记录证明",), outputs=frozenset({"web", "pdf", "json", "csv", "xlsx"})),
)  # fmt: skip

BY_KEY = {e.key: e for e in ELEMENTS}
if len(BY_KEY) != len(ELEMENTS):  # pragma: no cover - a declaration mistake
    raise ValueError("two guide elements share a catalog key")


def element(key):
    return BY_KEY[key]


def keys(version=2):
    return [e.key for e in ELEMENTS if e.since <= version]


def version_of(document_format):
    return FORMATS.index(document_format) + 1


# ---------------------------------------------------------------- whole guides


def guide_prefetch(halls=None):
    """The related rows `export_guide` reads, to prefetch for any number of guides; `halls` replaces
    the hall links' queryset (search and open data keep only readable halls)."""
    return (
        Prefetch("service_halls", queryset=halls if halls is not None else ServiceHall.objects.select_related("hall")),
        "topics",
        "basis",
        Prefetch("materials", queryset=Material.objects.select_related("blank_form", "sample_form")),
        "process_steps",
        "special_procedures",
        "fees",
        "faqs",
        "changes",
    )


def export_guide(page):
    """The guide as the exchange format has it (the exporter, open data and the change log read this)."""
    return {e.key: e.export(page) for e in ELEMENTS}


@dataclass
class ImportContext:
    """What the importer supplies for references (codes → rows) and collects for rows and relations."""

    departments: dict = field(default_factory=dict)
    halls: dict = field(default_factory=dict)
    topic_rank: dict = field(default_factory=dict)
    topic_objects: dict = field(default_factory=dict)
    document: object = None  # callable(ref) -> Wagtail Document
    form_name: object = None  # callable(file name in the catalog) -> the name export gives those bytes
    children: dict = field(default_factory=dict)
    topics: list = field(default_factory=list)
    hall_roles: dict = field(default_factory=dict)
    hall_assist: set = field(default_factory=set)
    changes: list = None


def normalize_guide(item, context, version=2, current=None):
    """The item as `export_guide` will give it back, so an unchanged item is recognised.

    An element the file's format cannot carry (a `/1` file has no 办理状态, its materials no 容缺)
    keeps what the portal has (`current`, the existing page's `export_guide`), or its default for a new
    guide: importing an old file never wipes what editors added since. The validator warns about such
    keys in the file. A file of any version that leaves out 本指南变更记录 leaves the portal's record be.
    """
    normalized = {}
    for e in ELEMENTS:
        if e.since <= version and not (e.kept_when_absent and e.key not in item and current is not None):
            normalized[e.key] = e.normalize(item, context)
        elif current is not None:
            normalized[e.key] = current[e.key]
        else:
            normalized[e.key] = e.normalize({}, context)
        normalized[e.key] = e.keep_newer(normalized[e.key], current[e.key] if current else None, version)
    return normalized


def apply_guide(page, guide, context):
    """Write a normalized guide onto `page`; its rows, topics and changes are left in `context`."""
    context.children, context.topics, context.hall_roles, context.hall_assist, context.changes = {}, [], {}, set(), None
    first = ("hall_roles", "assist_centers")  # read by another element's apply (Centers)
    for key in first:
        BY_KEY[key].apply(page, guide[key], context)
    for e in ELEMENTS:
        if e.key not in first:
            e.apply(page, guide[e.key], context)
    return context


def guide_problems(guide, where):
    """Every rule of every element, on a guide in catalog form; paths start with `where`."""
    problems = []
    for e in ELEMENTS:
        problems += e.checks(guide.get(e.key), f"{where}.{e.key}")
    promised, legal = guide.get("promised_limit"), guide.get("legal_limit")
    problems += limit_problems(guide.get("handling"), promised, legal, where)
    return problems


# Elements that are page fields (not rows or relations), so an unsaved page in the edit form has them.
def _page_fields_only(e):
    return isinstance(e, (Scalar, Group, Audience))


def _attr_for(e, rest):
    """The model field a problem at `rest` (the path below the element's key) belongs to."""
    if isinstance(e, Audience):
        return "for_individuals"
    if isinstance(e, Group):
        key = rest.lstrip(".").split(".")[0]
        return next((p.attr for p in e.parts if p.key == key), e.parts[0].attr)
    return e.part.attr


def page_problems(page):
    """{field name: [message]} for an edited page: the same rules an import checks, and the wording
    rules as errors (editors write the text here). Rows are checked by `row_problems`."""
    guide = {e.key: e.export(page) for e in ELEMENTS if _page_fields_only(e)}
    found = []
    for e in ELEMENTS:
        if _page_fields_only(e):
            found += [(e, path) for path in e.checks(guide[e.key], e.key) + e.advice(guide[e.key], e.key)]
    found += [
        (BY_KEY["promised_limit"], path)
        for path in limit_problems(guide["handling"], guide["promised_limit"], guide["legal_limit"], "")
    ]
    errors = {}
    for e, (path, message) in found:
        rest = path.lstrip(".")[len(e.key) :]
        errors.setdefault(_attr_for(e, rest), []).append(message + "。")
    return errors


def row_problems(key, row):
    """{field name: [message]} for one inline row (a material …) being edited."""
    e = BY_KEY[key]
    data = {p.key: p.export(row) for p in e.parts}
    errors = {}
    for path, message in e.checks([data], "") + e.advice([data], ""):
        part_key = path.rsplit(".", 1)[-1]
        attr = next((p.attr for p in e.parts if p.key == part_key), e.parts[0].attr)
        errors.setdefault(attr, []).append(message + "。")
    return errors


def guide_advice(guide, where):
    """Every wording rule of every element (see `Element.advice`)."""
    problems = []
    for e in ELEMENTS:
        problems += e.advice(guide.get(e.key), f"{where}.{e.key}")
    return problems


def limit_problems(handling, promised, legal, where):
    problems = []
    if promised is None or promised.get("days") is None:
        return problems
    if handling == Handling.IMMEDIATE and promised["days"] != 0:
        problems.append((f"{where}.promised_limit.days", "即办件应当场办结，承诺办结时限须为 0（当场办结）"))
    comparable = legal is not None and legal.get("days") is not None
    if comparable and promised["days"] > legal["days"] and promised["unit"] in (legal["unit"], "工作日"):
        problems.append(
            (
                f"{where}.promised_limit.days",
                f"承诺办结时限（{promised['days']}{promised['unit']}）不能超过法定办结时限（{legal['days']}{legal['unit']}）",
            )
        )
    return problems


def change_lines(old, new):
    """What changed between two guides (catalog form) that a citizen should be told, line by line."""
    lines = []
    for e in ELEMENTS:
        if e.tracked and old.get(e.key) != new.get(e.key):
            lines += e.changes(old.get(e.key), new.get(e.key))
    return lines


def open_data_columns():
    """The items sheet of the open data: every element's columns, in the description's order."""
    return [column for e in ELEMENTS for column in e.columns()]


def item_schema():
    """The JSON Schema of one catalog item, written from the description (see exports/catalog/schema.json)."""
    return {
        "type": "object",
        "required": [e.key for e in ELEMENTS if e.required],
        "properties": {e.key: e.json_schema() for e in ELEMENTS},
    }


def material_columns():
    return BY_KEY["materials"].row_columns()


def search_texts(guide, fields=None):
    """{SearchDocument field: text} from every searched element of a guide in catalog form (only
    those going into `fields`, when given)."""
    texts = {}
    for e in ELEMENTS:
        if e.search and (fields is None or e.search in fields):
            texts.setdefault(e.search, []).append(e.search_text(guide[e.key]))
    return {name: "\n".join(t for t in parts if t) for name, parts in texts.items()}


def status_today(guide):
    return status_on(guide.get("status"), timezone.localdate())


def example_guide():
    """A guide in catalog form with a distinctive value for every element (tests and docs)."""
    return {e.key: e.example for e in ELEMENTS}


def text(key, value):
    return BY_KEY[key].text(value)


POWERS, ROLES, DELIVERY = WINDOW_POWERS, HALL_ROLES, DELIVERY_METHODS

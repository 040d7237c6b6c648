"""Checks a `yimen-catalog/1` or `/2` document before anything is written, with errors that name the JSON path."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator
from PIL import Image

from content.guide import ELEMENTS, FORMATS, MATERIAL_PARTS_2, guide_advice, guide_problems, item_schema, version_of
from content.models import Department, HallPage, HallWindow, StaffMember, Topic

SCHEMA_PATH = Path(__file__).with_name("schema.json")


class CatalogError(Exception):
    """The file cannot be imported; `problems` lists every reason, each starting with its JSON path."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass
class Report:
    warnings: list = field(default_factory=list)


@cache
def schema():
    """The exchange format's JSON Schema: schema.json, whose item definition is the guide's declared
    description (content.guide.item_schema); `manage.py catalog_schema` writes the file from it."""
    found = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    found["$defs"]["item"] = item_schema()
    return found


def schema_text():
    """schema.json as `catalog_schema` writes it."""
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


def json_path(parts):
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(根)"


_REASONS = {
    "required": lambda e: f"缺少必填字段 {e.message.split(chr(39))[1]!r}" if "'" in e.message else "缺少必填字段",
    "type": lambda e: f"类型错误，应为 {e.validator_value}，实际为 {json.dumps(e.instance, ensure_ascii=False)[:60]}",
    "enum": lambda e: (
        f"取值 {json.dumps(e.instance, ensure_ascii=False)[:60]} 无效，可选值：{'、'.join(str(v) for v in e.validator_value)}"
    ),
    "const": lambda e: f"必须为 {e.validator_value!r}，实际为 {json.dumps(e.instance, ensure_ascii=False)[:60]}",
    "minLength": lambda e: "不能为空",
    "minItems": lambda e: f"至少需要 {e.validator_value} 项",
    "minimum": lambda e: f"不能小于 {e.validator_value}",
    "maximum": lambda e: f"不能大于 {e.validator_value}",
    "pattern": lambda e: f"格式不符（应匹配 {e.validator_value}）",
    "format": lambda e: f"格式不符，应为 {e.validator_value}（如 2025-09-12）",
    "oneOf": lambda e: "取值不符合任何一种允许的形式",
}


@cache
def _fast_validator():
    return jsonschema_rs.validator_for(schema(), validate_formats=True)


def schema_problems(document):
    """Every schema violation, each with its JSON path and a Chinese reason.

    A valid document, the usual case, is recognised by the compiled validator in milliseconds even with
    10,000 items; only a document it rejects is walked again by `jsonschema` for the precise messages.
    """
    if _fast_validator().is_valid(document):
        return []
    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = []
    for error in sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]):
        reason = _REASONS.get(error.validator, lambda e: e.message)(error)
        problems.append(f"{json_path(error.absolute_path)}: {reason}")
    return problems


def unknown_keys(document):
    """Keys the schema does not define: kept out of the data, reported as warnings."""
    defs = schema()["$defs"]
    known = {
        "": set(schema()["properties"]),
        "centers": set(defs["center"]["properties"]),
        "departments": set(defs["department"]["properties"]),
        "staff": set(defs["staff"]["properties"]),
        "items": set(defs["item"]["properties"]),
    }
    warnings = [f"{k}: 未知字段，已忽略" for k in document if k not in known[""]]
    for section in ("centers", "departments", "staff", "items"):
        for i, entry in enumerate(document.get(section) or []):
            if isinstance(entry, dict):
                warnings += [f"{section}[{i}].{k}: 未知字段，已忽略" for k in entry if k not in known[section]]
    return warnings


def wording_warnings(document):
    """Material and condition lists ending in 等 or 其他 (seed 004): imported, and the editor is told."""
    return [
        f"{path}: {message}"
        for i, item in enumerate(document.get("items") or [])
        for path, message in guide_advice(item, f"items[{i}]")
    ]


def newer_keys(document):
    """Keys of a later format in an older file: a `/1` file's 办理状态 is not read, and the editor is told."""
    version = version_of(document["format"])
    newer = {e.key: e.since for e in ELEMENTS if e.since > version}
    newer_material = {p.key for p in MATERIAL_PARTS_2} if version < 2 else set()
    warnings = []
    if version < 2:
        warnings += [
            f"staff[{i}].agent: 是 yimen-catalog/2 的字段，{document['format']} 文件中不读取，已忽略"
            for i, person in enumerate(document.get("staff") or [])
            if isinstance(person, dict) and "agent" in person
        ]
    for i, item in enumerate(document.get("items") or []):
        warnings += [
            f"items[{i}].{k}: 是 yimen-catalog/{newer[k]} 的字段，{document['format']} 文件中不读取，已忽略"
            for k in item
            if k in newer
        ]
        for k, material in enumerate(item.get("materials") or []):
            warnings += [
                f"items[{i}].materials[{k}].{key}: 是 yimen-catalog/2 的字段，{document['format']} 文件中不读取，已忽略"
                for key in material
                if key in newer_material
            ]
    return warnings


def _duplicates(entries, key, section, problems):
    seen = {}
    for i, entry in enumerate(entries):
        value = entry[key]
        if value in seen:
            problems.append(f"{section}[{i}].{key}: 编码 {value!r} 与 {section}[{seen[value]}] 重复")
        else:
            seen[value] = i
    return seen


def reference_problems(document, base_dir, known_departments=(), known_centers=()):
    """Cross-references and rules the schema cannot express; `known_*` are codes already in the portal."""
    problems = []
    version = version_of(document["format"])
    centers = {c["code"]: c for c in document["centers"]}
    _duplicates(document["centers"], "code", "centers", problems)
    _duplicates(document["departments"], "code", "departments", problems)
    _duplicates(document.get("staff", []), "id", "staff", problems)
    _duplicates(document["items"], "code", "items", problems)
    departments = {d["code"] for d in document["departments"]} | set(known_departments)
    center_codes = set(centers) | set(known_centers)

    for i, center in enumerate(document["centers"]):
        if center.get("parent") and center["parent"] not in center_codes:
            problems.append(f"centers[{i}].parent: 上级中心 {center['parent']!r} 不存在")
        if center.get("parent") == center["code"]:
            problems.append(f"centers[{i}].parent: 不能以自己为上级中心")
        numbers = set()
        for j, window in enumerate(center["windows"]):
            if window["number"] in numbers:
                problems.append(f"centers[{i}].windows[{j}].number: 窗口号 {window['number']!r} 在本中心重复")
            numbers.add(window["number"])
            for k, dept in enumerate(window["departments"]):
                if dept not in departments:
                    problems.append(f"centers[{i}].windows[{j}].departments[{k}]: 部门 {dept!r} 不存在")

    def window_exists(center_code, number):
        center = centers.get(center_code)
        return center is None or any(w["number"] == number for w in center["windows"])

    for i, person in enumerate(document.get("staff", [])):
        if person["center"] not in center_codes:
            problems.append(f"staff[{i}].center: 中心 {person['center']!r} 不存在")
        elif person.get("window") and not window_exists(person["center"], person["window"]):
            problems.append(f"staff[{i}].window: 中心 {person['center']!r} 没有 {person['window']!r} 号窗口")
        if person["department"] not in departments:
            problems.append(f"staff[{i}].department: 部门 {person['department']!r} 不存在")
        if person.get("photo"):
            problem = _photo_problem(base_dir, person["photo"])
            if problem:
                problems.append(f"staff[{i}].photo: {problem}")

    for i, item in enumerate(document["items"]):
        where = f"items[{i}]"
        if item["department"] not in departments:
            problems.append(f"{where}.department: 部门 {item['department']!r} 不存在")
        for k, code in enumerate(item["centers"]):
            if code not in center_codes:
                problems.append(f"{where}.centers[{k}]: 中心 {code!r} 不存在")
        if item.get("window") and item["centers"] and not window_exists(item["centers"][0], item["window"]):
            problems.append(f"{where}.window: 中心 {item['centers'][0]!r} 没有 {item['window']!r} 号窗口")
        if version < 2:  # the /2 keys of a /1 file are not read (newer_keys warns about them), nor checked
            problems += [f"{path}: {message}" for path, message in guide_problems(_as_version_1(item), where)]
            continue
        roles = item.get("hall_roles") or {}
        for code in roles:
            if code not in item["centers"]:
                problems.append(f"{where}.hall_roles.{code}: 中心 {code!r} 不在本事项的 centers 中")
        for k, code in enumerate(item.get("assist_centers") or []):
            if code not in item["centers"]:
                problems.append(f"{where}.assist_centers[{k}]: 中心 {code!r} 不在本事项的 centers 中，不能在那里代办")
        for k, material in enumerate(item["materials"]):
            for key in ("blank_form", "sample_form"):
                if material.get(key):
                    problem = _form_problem(base_dir, material[key]["file"])
                    if problem:
                        problems.append(f"{where}.materials[{k}].{key}.file: {problem}")
        problems += [f"{path}: {message}" for path, message in guide_problems(item, where)]
    return problems


def _as_version_1(item):
    """The item without the keys a `/1` file cannot carry."""
    newer = {e.key for e in ELEMENTS if e.since > 1}
    newer_material = {p.key for p in MATERIAL_PARTS_2}
    materials = [{k: v for k, v in m.items() if k not in newer_material} for m in item["materials"]]
    return {**{k: v for k, v in item.items() if k not in newer}, "materials": materials}


FORM_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".jpg", ".jpeg", ".png")
FORM_MAX_BYTES = 20 * 1024 * 1024


def _form_problem(base_dir, relative):
    """Why a downloadable form cannot be used, or None: a file inside the catalog's folder, of a kind
    people can open, not too large."""
    base = base_dir.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        return f"表格路径 {relative!r} 必须位于目录文件所在的文件夹内"
    if not path.is_file():
        return f"找不到表格文件 {relative!r}"
    if path.suffix.lower() not in FORM_SUFFIXES:
        return f"表格须为 {'、'.join(s.lstrip('.').upper() for s in FORM_SUFFIXES)} 文件"
    if path.stat().st_size > FORM_MAX_BYTES:
        return f"表格文件 {relative!r} 超过 {FORM_MAX_BYTES // 1024 // 1024} MB"
    return None


def _photo_problem(base_dir, relative):
    """Why the photo cannot be used, or None: it must be a readable JPEG or PNG inside the file's folder."""
    base = base_dir.resolve()
    photo = (base / relative).resolve()
    if not photo.is_relative_to(base):
        return f"照片路径 {relative!r} 必须位于目录文件所在的文件夹内"
    if not photo.is_file():
        return f"找不到照片文件 {relative!r}"
    if photo.suffix.lower() not in (".jpg", ".jpeg", ".png"):
        return "照片须为 JPEG 或 PNG 文件"
    try:
        with Image.open(photo) as image:
            image.load()
            image_format = image.format
    except Exception:  # Pillow raises many exception types for a broken or truncated file
        return f"照片文件 {relative!r} 已损坏或不是图片"
    if image_format not in ("JPEG", "PNG"):
        return f"照片文件 {relative!r} 实际格式为 {image_format}，须为 JPEG 或 PNG"
    return None


# Where each text the importer stores ends up: JSON key → model field, whose max_length is the limit.
_LENGTH_RULES = {
    "departments": (Department, {"code": "code", "name": "name", "kind": "kind"}, {}),
    "centers": (
        HallPage,
        {"code": "code", "name": "title", "address": "address", "phone": "phone"},
        {"windows": (HallWindow, {"number": "number", "name": "name"}, {})},
    ),
    "staff": (StaffMember, {"id": "staff_id", "name": "name", "position": "position", "phone": "phone"}, {}),
}  # fmt: skip


def _lookup(entry, dotted_key):
    for key in dotted_key.split("."):
        entry = entry.get(key) if isinstance(entry, dict) else None
    return entry


def _length_problems(entries, where, rule):
    model, fields, children = rule
    limits = {key: model._meta.get_field(name).max_length for key, name in fields.items()}
    problems = []
    for i, entry in enumerate(entries or []):
        for key, limit in limits.items():
            value = _lookup(entry, key)
            if isinstance(value, str) and len(value) > limit:
                problems.append(f"{where}[{i}].{key}: 长度 {len(value)} 超过上限 {limit} 个字符")
        for key, child_rule in children.items():
            problems += _length_problems(entry.get(key), f"{where}[{i}].{key}", child_rule)
    return problems


def _item_length_problems(items):
    """Every stored text of every guide element (content.guide declares where each one goes)."""
    rules = [(path, model._meta.get_field(attr).max_length) for e in ELEMENTS for path, model, attr in e.lengths()]
    problems = []
    for i, item in enumerate(items):
        for path, limit in rules:
            for where, value in _values_at(item, path, f"items[{i}]"):
                if isinstance(value, str) and len(value) > limit:
                    problems.append(f"{where}: 长度 {len(value)} 超过上限 {limit} 个字符")
    return problems


def _values_at(entry, path, where):
    """(JSON path, value) for `path` such as "materials[].name" or "online.url" inside `entry`."""
    head, _, rest = path.partition(".")
    if head.endswith("[]"):
        key = head[:-2]
        rows = entry.get(key) if isinstance(entry, dict) else None
        for n, row in enumerate(rows or []):
            yield from _values_at(row, rest, f"{where}.{key}[{n}]")
        return
    value = entry.get(head) if isinstance(entry, dict) else None
    if rest:
        yield from _values_at(value, rest, f"{where}.{head}")
    else:
        yield f"{where}.{head}", value


def length_problems(document):
    """Texts longer than the column that stores them, found before anything is written."""
    problems = []
    for section, rule in _LENGTH_RULES.items():
        problems += _length_problems(document.get(section), section, rule)
    problems += _item_length_problems(document.get("items") or [])
    topic_limit = Topic._meta.get_field("name").max_length
    for i, item in enumerate(document["items"]):
        for k, name in enumerate(item.get("topics") or []):
            if len(name) > topic_limit:
                problems.append(f"items[{i}].topics[{k}]: 长度 {len(name)} 超过上限 {topic_limit} 个字符")
    return problems


def validate(document, base_dir, known_departments=(), known_centers=()):
    """Raise CatalogError listing every problem; return a Report with warnings when the document is importable."""
    if not isinstance(document, dict):
        raise CatalogError(["(根): 文件内容必须是一个 JSON 对象"])
    if document.get("format") not in FORMATS:
        raise CatalogError(
            [f"format: 不支持的格式 {document.get('format')!r}，只能导入 {' 或 '.join(repr(f) for f in FORMATS)}"]
        )
    problems = schema_problems(document)
    if problems:
        raise CatalogError(problems)
    problems = reference_problems(document, Path(base_dir), known_departments, known_centers) + length_problems(
        document
    )
    if problems:
        raise CatalogError(problems)
    return Report(warnings=unknown_keys(document) + newer_keys(document) + wording_warnings(document))


# Python's JSON parser explains a syntax error in English; the editor reads these instead, each with the
# usual cause. Keys are the start of the parser's message (some end with the offending character).
JSON_ERRORS = {
    "Expecting property name enclosed in double quotes": (
        "属性名必须用英文双引号括起来（也可能是最后一项后面多了逗号）"
    ),
    "Expecting value": "此处应为一个值（用英文双引号括起来的文字、数字、对象、数组、true、false 或 null）；"
    "也可能是最后一项后面多了逗号",
    "Expecting ':' delimiter": "属性名后面缺少英文冒号“:”",
    "Expecting ',' delimiter": "两项之间缺少英文逗号“,”（或者括号没有配对）",
    "Illegal trailing comma": "最后一项后面多了逗号",
    "Unterminated string starting at": "这段文字缺少结尾的英文双引号",
    "Invalid control character": "文字中不能直接换行或含有制表符等控制字符，换行请写成 \\n",
    "Invalid \\uXXXX escape": "“\\u”后面必须是四位十六进制数字",
    "Invalid \\escape": "反斜杠“\\”后面的转义写法无效，文字中的反斜杠请写成 \\\\",
    "Extra data": "JSON 内容在此之前已经结束，后面还有多余的内容",
}


def json_error_text(exc):
    """The editor's words for a JSON syntax error: where it is and what is wrong, in Chinese."""
    where = f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列"
    for english, chinese in JSON_ERRORS.items():
        if exc.msg.startswith(english):
            return f"{where}：{chinese}"
    # A message this table does not know yet is passed on as the parser wrote it rather than lost.
    return f"{where}：{exc.msg}"


def load_file(path):
    """Parse the file, turning I/O and JSON errors into CatalogError with line and column."""
    path = Path(path)
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark, which the JSON parser refuses.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError([f"找不到文件：{path}"]) from None
    except UnicodeDecodeError as exc:
        raise CatalogError([f"文件不是 UTF-8 编码（第 {exc.start} 字节）"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError([json_error_text(exc)]) from None

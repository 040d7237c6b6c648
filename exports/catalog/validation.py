"""Checks a `yimen-catalog/1` document before anything is written, with errors that name the JSON path."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jsonschema_rs
from jsonschema import Draft202012Validator
from PIL import Image

from content.models import (
    FAQ,
    Department,
    HallPage,
    HallWindow,
    LegalBasis,
    Material,
    ProcessStep,
    ServiceFee,
    ServicePage,
    StaffMember,
    Topic,
)

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
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


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


def _duplicates(entries, key, section, problems):
    seen = {}
    for i, entry in enumerate(entries):
        value = entry[key]
        if value in seen:
            problems.append(f"{section}[{i}].{key}: 编码 {value!r} 与 {section}[{seen[value]}] 重复")
        else:
            seen[value] = i
    return seen


def _limit_days(limit):
    return None if limit is None else limit["days"]


def reference_problems(document, base_dir, known_departments=(), known_centers=()):
    """Cross-references and rules the schema cannot express; `known_*` are codes already in the portal."""
    problems = []
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
        legal, promised = item.get("legal_limit"), item["promised_limit"]
        if (
            legal is not None
            and promised["days"] > legal["days"]
            and (promised["unit"] == legal["unit"] or promised["unit"] == "工作日")
        ):
            problems.append(
                f"{where}.promised_limit.days: 承诺时限 {promised['days']}{promised['unit']} "
                f"不能超过法定时限 {legal['days']}{legal['unit']}（must be ≤ legal_limit.days）"
            )
        if item["handling"] == "即办件" and promised["days"] != 0:
            problems.append(f"{where}.promised_limit.days: 即办件的承诺时限须为 0（当场办结）")
        if not (item["conditions"] or "").strip():
            problems.append(f"{where}.conditions: 不能为空")
    return problems


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
    "items": (
        ServicePage,
        {
            "code": "code", "catalog_code": "catalog_code", "name": "title", "window": "window_number",
            "legal_limit.note": "legal_limit_note", "promised_limit.note": "promised_limit_note",
            "online.url": "online_url", "result.name": "result_name", "result.type": "result_type",
            "consult_phone": "consult_phone", "complaint_phone": "complaint_phone", "address": "address",
        },
        {
            "basis": (LegalBasis, {"name": "name", "number": "number", "article": "article"}, {}),
            "materials": (Material, {"name": "name", "source": "source"}, {}),
            "process": (ProcessStep, {"step": "step", "actor": "actor", "time_limit": "time_limit"}, {}),
            "fees": (ServiceFee, {"name": "name", "standard": "standard", "basis": "basis"}, {}),
            "faq": (FAQ, {"q": "question"}, {}),
        },
    ),
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


def length_problems(document):
    """Texts longer than the column that stores them, found before anything is written."""
    problems = []
    for section, rule in _LENGTH_RULES.items():
        problems += _length_problems(document.get(section), section, rule)
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
    if document.get("format") != "yimen-catalog/1":
        raise CatalogError([f"format: 不支持的格式 {document.get('format')!r}，只能导入 'yimen-catalog/1'"])
    problems = schema_problems(document)
    if problems:
        raise CatalogError(problems)
    problems = reference_problems(document, Path(base_dir), known_departments, known_centers) + length_problems(
        document
    )
    if problems:
        raise CatalogError(problems)
    return Report(warnings=unknown_keys(document))


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

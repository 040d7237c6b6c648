"""The Open311 services: one per kind of case and category, read from the kinds registry (cases.kinds).

This module never names a kind. A kind is offered through the API when its `Kind.extra["open311"]`
declares, in terms of the kind's own public form (so the API checks exactly what the form checks):

- "form": a function returning the form class (ComplaintForm, QuestionForm);
- "category": the form field, also the model field, that holds the category: one service per choice
  (`complaint.attitude`); None for a kind offered as one service (`<kind key>`);
- "text": the form field the Open311 `description` fills (投诉内容, 您的问题);
- "attributes": the other form fields a client sends as `attribute[<field name>]` (涉及事项, 涉及大厅,
  通知方式, the consent …), described to clients by the service definition;
- "submit": `submit(form, *, token, channel)`: stores a valid form through the kind's own path (which
  ends in `cases.handling.store_once`) and returns (case, created).

Name, phone and e-mail come from Open311's own `first_name`/`last_name`, `phone` and `email`, into the
core's ContactMixin fields every kind's form has.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django import forms

from cases import kinds

OPEN311 = "open311"
CONTACT_FIELDS = ("name", "phone", "email")

# What a client developer needs to know about the core's shared fields, where the form's help text
# speaks of the web page (输入时会提示 …).
FIELD_NOTES = {
    "service": "办事指南的实施编码（例如 LY-SD-0001）；也可以写事项名称或平常的叫法，按本门户搜索的方式确定是哪个事项。不清楚可不传。",
    "hall": "大厅编码，见 values；不清楚可不传。",
    "notify_by": "sms（短信，需在 phone 中填 11 位手机号）或 email（电子邮件，需填 email）；不需要通知就不传。",
}


@dataclass(frozen=True)
class Declaration:
    """What a kind declares in `extra["open311"]` (see the module's docstring)."""

    form: Callable
    category: str | None
    text: str
    attributes: tuple
    submit: Callable


def declaration(kind):
    """The kind's Open311 declaration, or None when the kind is not offered through the API."""
    declared = kind.extra.get(OPEN311)
    return Declaration(**declared) if declared is not None else None


@dataclass(frozen=True)
class Service:
    """One Open311 service: a kind of case and one of its categories (or the whole kind)."""

    kind: kinds.Kind
    category: str | None
    category_label: str | None

    @cached_property
    def declaration(self):
        return declaration(self.kind)

    @property
    def code(self):
        return f"{self.kind.key}.{self.category}" if self.category else self.kind.key

    @property
    def name(self):
        return f"{self.kind.label}：{self.category_label}" if self.category else self.kind.label

    @property
    def group(self):
        return self.kind.label

    @property
    def description(self):
        title = self.kind.extra.get("form_title", self.kind.label)
        return f"{title}（{self.category_label}）" if self.category else title

    @property
    def keywords(self):
        words = [self.kind.label, self.kind.extra.get("form_title"), self.category_label]
        return ",".join(dict.fromkeys(word for word in words if word))

    def form_class(self):
        return self.declaration.form()


def _choices(field):
    """(key, label) of a choice field, optgroups flattened, the empty choice left out."""
    for key, label in field.choices:
        if isinstance(label, list | tuple):
            yield from ((str(k), str(v)) for k, v in label if k not in ("", None))
        elif key not in ("", None):
            yield str(key), str(label)


def all_services():
    """Every service of every kind that declares `extra["open311"]`, in the registry's and the form's order."""
    services = []
    for kind in kinds.all_kinds():
        declared = declaration(kind)
        if declared is None:
            continue
        if declared.category is None:
            services.append(Service(kind, None, None))
            continue
        field = declared.form().base_fields[declared.category]
        services.extend(Service(kind, key, label) for key, label in _choices(field))
    return services


def find(code):
    """The service with this service_code, or None."""
    return next((service for service in all_services() if service.code == code), None)


def service_of(case):
    """The service a stored case belongs to (its kind and category)."""
    kind = kinds.of(case)
    declared = declaration(kind)
    if declared is None or declared.category is None:
        return Service(kind, None, None)
    category = getattr(case, declared.category)
    label = dict(_choices(declared.form().base_fields[declared.category])).get(category, category)
    return Service(kind, category, label)


# ---- The service definition: the attributes a client sends, described from the form's own fields ----


def _length_rule(field):
    low, high = getattr(field, "min_length", None), getattr(field, "max_length", None)
    if low and high:
        return f"{low} 至 {high} 个字"
    if high:
        return f"最多 {high} 个字"
    return ""


def _text(value):
    return str(value).strip() if value else ""


def _describe(name, field):
    """An attribute of the service definition (Open311 `attribute`) for one form field."""
    label = _text(field.label)
    if isinstance(field, forms.BooleanField):
        values = [{"key": "true", "name": "是"}] + ([] if field.required else [{"key": "false", "name": "否"}])
        if field.required:
            description = f"必须传 true：请先把这段声明展示给群众，群众同意后再提交。声明：{label}"
        else:
            description = f"{label}（传 true 或 false，不传为 false）"
        return {"datatype": "singlevaluelist", "values": values, "description": description}
    if isinstance(field, forms.ModelChoiceField):
        values = [{"key": obj.code, "name": str(obj.title)} for obj in field.queryset]
        return {"datatype": "singlevaluelist", "values": values, "description": f"{label}：{FIELD_NOTES.get(name, '')}"}
    if isinstance(field, forms.ChoiceField):
        values = [{"key": key, "name": text} for key, text in _choices(field)]
        note = FIELD_NOTES.get(name) or _text(field.help_text)
        return {"datatype": "singlevaluelist", "values": values, "description": f"{label}：{note}".rstrip("：")}
    datatype = "text" if isinstance(field.widget, forms.Textarea) else "string"
    note = FIELD_NOTES.get(name) or _text(field.help_text)
    return {
        "datatype": datatype,
        "datatype_description": _length_rule(field) or None,
        "description": f"{label}：{note}".rstrip("："),
    }


def attributes(service):
    """The service definition's attributes: first the text that goes in `description` (an attribute that only
    informs, `variable: false`), then every declared form field, each with the form's own rules."""
    declared = service.declaration
    form = service.form_class()()
    text = form.fields[declared.text]
    rule = _length_rule(text)
    described = [
        {
            "variable": False,
            "code": "description",
            "datatype": "text",
            "required": text.required,
            "datatype_description": rule or None,
            "description": f"{_text(text.label)}：放在 description 参数中。{_text(text.help_text) or rule}",
        }
    ]
    for name in declared.attributes:
        field = form.fields[name]
        described.append(
            {"variable": True, "code": name, "required": field.required, "datatype_description": None}
            | _describe(name, field)
        )
    for order, attribute in enumerate(described, start=1):
        attribute["order"] = order
        attribute.setdefault("values", [])
    return described

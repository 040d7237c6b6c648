"""Message templates: the defaults apps register in code, editors' overrides, validation and rendering.

An app declares each message once, in its `message_templates.py` (found by NotificationsConfig.ready)::

    from notifications.templates import register

    register(
        "complaints.received",
        label="投诉已受理（告知查询码）",
        subject="您的投诉已受理，查询码 {{ code }}",
        body="您好，我们已收到您的投诉。查询码：{{ code }}……",
        sms="您的投诉已受理，查询码{{ code }}，可在门户“查询进度”中查看。",
        variables={"code": "查询码"},
        examples={"code": "TS-2026-AB12-CD34"},
    )

Text is Django template language, rendered with autoescape off (plain-text e-mail and SMS), from an engine
of its own that loads no file and no tag library. Editors may use only the listed variables and the tags in
`ALLOWED_TAGS`; `{% include %}`, `{% load %}` or `{% debug %}` would read files or the whole context.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.base import FilterExpression, Lexer, NodeList, TokenType, Variable
from django.template.defaulttags import ForNode, WithNode
from django.template.smartif import TokenBase

ALLOWED_TAGS = {
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "empty",
    "endfor",
    "with",
    "endwith",
    "firstof",
    "now",
    "comment",
    "endcomment",
}
FIELDS = {"subject": "邮件主题", "body": "邮件正文", "sms": "短信内容"}

ENGINE = Engine(debug=True, autoescape=False, string_if_invalid="", loaders=[], libraries={})


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    label: str
    subject: str
    body: str
    sms: str
    variables: dict = field(default_factory=dict)
    examples: dict = field(default_factory=dict)


class Registry:
    def __init__(self):
        self._templates = {}

    def register(self, template):
        self._templates[template.key] = template

    def get(self, key):
        return self._templates.get(key)

    def __iter__(self):
        return iter(sorted(self._templates.values(), key=lambda t: t.key))

    def __contains__(self, key):
        return key in self._templates


registry = Registry()


def register(key, *, label, subject="", body="", sms="", variables, examples=None):
    """Declare a message template and its default text; a default that does not check out stops start-up."""
    template = DefaultTemplate(key, label, subject, body, sms, dict(variables), dict(examples or {}))
    for name, text in (("subject", subject), ("body", body), ("sms", sms)):
        if text:
            try:
                check(text, template.variables)
            except ValidationError as error:
                raise ImproperlyConfigured(f"消息模板 {key} 的默认{FIELDS[name]}有误：{error.messages[0]}") from error
    if (subject or body) and not (subject and body):
        raise ImproperlyConfigured(f"消息模板 {key} 的邮件主题和正文要么都有，要么都没有。")
    registry.register(template)
    return template


def _tag_name(token):
    bits = token.split_contents()
    return bits[0] if bits else ""


def _compile(source):
    """The template, or a ValidationError saying in Chinese where and what is wrong."""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK and _tag_name(token) not in ALLOWED_TAGS:
            name = _tag_name(token)
            raise ValidationError(
                f"第 {token.lineno} 行：不能使用模板标签“{{% {name} %}}”。消息模板只能用 if、for、with、firstof、now 和 comment。"
            )
    try:
        return Template(source, engine=ENGINE)
    except TemplateSyntaxError as error:
        raise ValidationError(_syntax_message(error)) from error


def _syntax_message(error):
    text = str(error)
    line = getattr(error, "template_debug", {}).get("line")
    where = f"第 {line} 行：" if line else ""
    if match := re.match(r"Unclosed tag on line \d+: '(\w+)'", text):
        return f"{where}“{{% {match[1]} %}}”没有结束，缺少“{{% end{match[1]} %}}”。"
    if match := re.match(r"Invalid filter: '([^']+)'", text):
        return f"{where}没有名为“{match[1]}”的过滤器。"
    if match := re.match(r"Invalid block tag on line \d+: '(\w+)'", text):
        return f"{where}“{{% {match[1]} %}}”放错了位置，前面没有与它配对的标签。"
    if "Could not parse" in text or "Empty variable tag" in text:
        return f'{where}“{{{{ }}}}”里的写法有误：只能写变量名，后面可接过滤器，如 {{{{ 变量名|date:"Y年n月j日" }}}}。'
    return f"{where}模板写法有误，请检查花括号和标签是否成对。（{text}）"


def _expressions(value):
    """FilterExpressions and Variables inside a node's attribute (conditions of `if` included)."""
    if isinstance(value, FilterExpression | Variable):
        yield value
    elif isinstance(value, list | tuple) and not isinstance(value, NodeList):
        for item in value:
            yield from _expressions(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _expressions(item)
    elif isinstance(value, TokenBase):  # a condition of {% if %}: a literal or an operator and its operands
        for item in vars(value).values():
            yield from _expressions(item)


def _names(expression):
    """Top-level variable names an expression reads, its filter arguments included."""
    if isinstance(expression, Variable):
        if expression.lookups:
            yield expression.lookups[0]
        return
    yield from _names(expression.var) if isinstance(expression.var, Variable) else ()
    for _func, args in expression.filters:
        for _lookup, arg in args:
            if isinstance(arg, Variable):
                yield from _names(arg)


def used_variables(template):
    """Every (top-level variable name, line) the template reads, leaving out names its own for/with define."""
    found = []

    def walk(nodelist, local):
        for node in nodelist:
            inner = set(local)
            if isinstance(node, ForNode):
                inner |= {*node.loopvars, "forloop"}
            elif isinstance(node, WithNode):
                inner |= set(node.extra_context)
            line = node.token.lineno if getattr(node, "token", None) else None
            for name, value in vars(node).items():
                if name in ("token", "origin") or isinstance(value, NodeList):
                    continue
                for expression in _expressions(value):
                    # A for loop's sequence and a with's values are read outside what they define.
                    scope = local if isinstance(node, ForNode | WithNode) else inner
                    found.extend((n, line) for n in _names(expression) if n not in scope)
            # IfNode.nodelist is every branch; other nodes name their nodelists in child_nodelists.
            for attr in node.child_nodelists:
                child = getattr(node, attr, None)
                if child:
                    walk(child, inner)

    walk(template.nodelist, set())
    return found


def check(source, variables):
    """Compile `source` and refuse any variable not in `variables`; returns the compiled template."""
    template = _compile(source)
    for name, line in used_variables(template):
        if name not in variables:
            listed = "、".join(f"{key}（{label}）" for key, label in variables.items()) or "（无）"
            raise ValidationError(f"第 {line} 行：模板中的变量“{name}”不存在。可以用的变量：{listed}。")
    return template


def render_text(source, context):
    if not source:
        return ""
    return _compile(source).render(Context(context, autoescape=False))


def one_line(text):
    """A subject: one line (a newline in an e-mail header is refused), spaces collapsed."""
    return " ".join(text.split())[:255]


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str
    sms_params: dict


def effective_texts(key):
    """The subject, body and SMS text in use for `key`: the editors' override where there is one."""
    from .models import MessageTemplate

    default = registry.get(key)
    if default is None:
        raise LookupError(f"没有登记名为 {key} 的消息模板。")
    texts = {"subject": default.subject, "body": default.body, "sms": default.sms}
    override = MessageTemplate.objects.filter(key=key).first()
    if override:
        texts = {name: getattr(override, name) or text for name, text in texts.items()}
    return default, texts


def render(key, context):
    """Subject, body and SMS text of template `key` for `context`, and the variables its SMS text reads
    (an SMS provider that sends from its own copy of the template needs them)."""
    default, texts = effective_texts(key)
    sms_params = {}
    if texts["sms"]:
        for name, _line in used_variables(_compile(texts["sms"])):
            if name in default.variables and name not in sms_params:
                sms_params[name] = str(context.get(name, ""))
    return Rendered(
        subject=one_line(render_text(texts["subject"], context)),
        body=render_text(texts["body"], context).strip(),
        sms=" ".join(render_text(texts["sms"], context).split()),
        sms_params=sms_params,
    )


def validate_override(instance):
    """Model.clean() of MessageTemplate: each text compiles and uses only the listed variables."""
    default = registry.get(instance.key)
    if default is None:
        return
    errors = {}
    for name in FIELDS:
        text = getattr(instance, name)
        if text:
            try:
                check(text, default.variables)
            except ValidationError as error:
                errors[name] = error.messages
    if default.subject and not instance.effective("subject").strip():
        errors.setdefault("subject", []).append("邮件主题不能为空。")
    if errors:
        raise ValidationError(errors)


def examples(default):
    """Values to preview a template with: the registered examples, else each variable's label in 〔〕."""
    return {name: default.examples.get(name, f"〔{label}〕") for name, label in default.variables.items()}


SMS_SEGMENT = 70  # characters in one SMS; longer ones are sent as several, each 67 characters


def preview(instance):
    """What the template sends with example values, or the error that stops it, for the admin preview."""
    default = instance.default
    if default is None:
        return {"missing": True}
    values = examples(default)
    out = {"label": default.label, "variables": default.variables, "values": values}
    for name in FIELDS:
        text = instance.effective(name)
        try:
            check(text, default.variables) if text else None
            out[name] = render_text(text, values)
        except ValidationError as error:
            out[f"{name}_error"] = error.messages[0]
    out["subject"] = one_line(out.get("subject", ""))
    sms = " ".join(out.get("sms", "").split())
    out["sms"] = sms
    out["sms_length"] = len(sms)
    out["sms_segments"] = 1 if len(sms) <= SMS_SEGMENT else -(-len(sms) // 67)
    return out


def create_template_rows(using="default", **kwargs):
    """After migrate: a MessageTemplate row for every registered template, so editors find each in the admin."""
    from .models import MessageTemplate

    rows = MessageTemplate.objects.using(using)
    existing = set(rows.values_list("key", flat=True))
    rows.bulk_create([MessageTemplate(key=t.key) for t in registry if t.key not in existing])

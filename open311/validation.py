"""Reading an Open311 POST into the kind's own public form, so the API refuses what the form refuses with
the form's words: length limits, phone rules, the item typed (resolved as search resolves it), the hall,
the required consent.

What a client sends is read as text: form-encoded (the standard's `service_code=…&attribute[consent]=true`),
multipart, or a JSON object (where `attribute` may also be a nested object). A problem with the shape of
the request itself (no service_code, a token too long, a yes/no attribute that is neither) is refused
before the form; every problem the form finds is one entry of the answer, named with the Open311
parameter it came from.
"""

import hashlib
import json

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError

from . import services

MAX_BODY_BYTES = 64 * 1024  # a complaint is at most 2,000 characters; Open311 allows 4,000 in description
TOKEN_MAX_LENGTH = 200
TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# A stored token is this prefix and a digest, 64 characters like the column: it never equals a web form's
# token (URL-safe base64 has no colon), so neither channel can reach the other's submissions.
TOKEN_PREFIX = "open311:"  # noqa: S105  (a label, not a secret)


class Refused(Exception):
    """The request cannot go on: an Open311 error answer with `status` and one message per problem."""

    def __init__(self, status, *messages, headers=None):
        super().__init__(*messages)
        self.status = status
        self.messages = list(messages)
        self.headers = headers or {}


def _as_text(name, value, *, yes_no=False):
    """A JSON value as the text a form would have sent: null is not sent (Open311), true/false only for attributes."""
    if value is None or isinstance(value, str):
        return value
    if yes_no and isinstance(value, bool):
        return "true" if value else "false"
    raise Refused(400, f"参数 {name} 应为文字{'或 true/false' if yes_no else ''}。")


def read_params(request):
    """The posted parameters as {name: text}; `attribute[code]` keys for the attributes."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refused(400, "请求头 Content-Length 不是数字。") from None
    if length > MAX_BODY_BYTES:
        raise Refused(413, f"请求正文过大：最多 {MAX_BODY_BYTES // 1024} KB。")
    content_type = request.content_type or ""
    if content_type == "application/json":
        return _json_params(request)
    if content_type in FORM_CONTENT_TYPES or not request.body:
        try:
            return {name: request.POST.get(name) for name in request.POST}
        except (RequestDataTooBig, TooManyFieldsSent):
            raise Refused(413, f"请求正文过大：最多 {MAX_BODY_BYTES // 1024} KB。") from None
        except MultiPartParserError:
            raise Refused(400, "请求正文（multipart/form-data）格式不对。") from None
    raise Refused(415, "请以 application/x-www-form-urlencoded（Open311 标准）或 application/json 提交。")


def _json_params(request):
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "请求正文不是有效的 JSON（UTF-8）。") from None
    if not isinstance(body, dict):
        raise Refused(400, '请求正文应为一个 JSON 对象，例如 {"service_code": "complaint.attitude", …}。')
    params = {}
    for name, value in body.items():
        if name == "attribute" and isinstance(value, dict):
            for code, item in value.items():
                params[f"attribute[{code}]"] = _as_text(f"attribute[{code}]", item, yes_no=True)
        else:
            params[name] = _as_text(name, value, yes_no=name.startswith("attribute["))
    return {name: value for name, value in params.items() if value is not None}


def service(params):
    """The service the request is for (400 when not named, 404 when there is no such service)."""
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Refused(400, "请提供 service_code（服务代码），可用的服务见 GET services.json。")
    found = services.find(code)
    if found is None:
        raise Refused(404, f"没有服务代码为“{code[:64]}”的服务，可用的服务见 GET services.json。")
    return found


def _full_name(first, last):
    """Open311 sends the given and the family name apart: 王 + 小明 is 王小明; Latin names keep their order."""
    first, last = (first or "").strip(), (last or "").strip()
    if first.isascii() and last.isascii():
        return " ".join(part for part in (first, last) if part)
    return f"{last}{first}"


def form_data(service, params):
    """The data the kind's form is bound to, from the Open311 parameters."""
    declared = service.declaration
    fields = declared.form().base_fields
    data = {
        declared.text: params.get("description", ""),
        "name": _full_name(params.get("first_name"), params.get("last_name")),
        "phone": params.get("phone", ""),
        "email": params.get("email", ""),
    }
    if declared.category is not None:
        data[declared.category] = service.category
    problems = []
    for name in declared.attributes:
        raw = params.get(f"attribute[{name}]")
        if raw is None:
            continue
        field = fields[name]
        if isinstance(field, forms.BooleanField):
            value = raw.strip().lower()
            if value not in TRUE | FALSE:
                problems.append(f"attribute[{name}] 只能是 true 或 false。")
                continue
            data[name] = "true" if value in TRUE else "false"
        elif isinstance(field, forms.ModelChoiceField):
            data[name] = _model_choice(field, raw.strip())
        else:
            data[name] = raw
    if problems:
        raise Refused(400, *problems)
    return data


def _model_choice(field, code):
    """A hall (or any model choice) is named by its code; the form then checks it may be chosen."""
    if not code:
        return ""
    found = field.queryset.model.objects.filter(code=code).values_list("pk", flat=True).first()
    # An unknown code becomes a value no id field accepts, so the form answers with its own message.
    return str(found) if found is not None else f"code:{code}"


def bound_form(service, params):
    return service.form_class()(data=form_data(service, params))


def problems(service, form):
    """Every error of the form as one message each, followed by the Open311 parameter it belongs to."""
    declared = service.declaration
    where = {
        declared.text: "description",
        "name": "first_name、last_name",
        "phone": "phone",
        "email": "email",
        **{name: f"attribute[{name}]" for name in declared.attributes},
    }
    if declared.category is not None:
        where[declared.category] = "service_code"
    messages = []
    for field, errors in form.errors.items():
        for message in errors:
            name = where.get(field)
            if field == NON_FIELD_ERRORS or name is None:
                messages.append(message)
            else:
                messages.append(f"{message}（{name}）")
    choices = getattr(form, "service_choices", None)
    if choices:
        offered = "、".join(f"{page.code}（{page.title}）" for page in choices)
        messages.append(f"attribute[service] 可以是这些事项的实施编码之一：{offered}。")
    return messages


def submission_token(request, params, data, service):
    """The form token of this submission, from the client's `token` (or header X-Request-ID), or None.

    Stored as a digest of the token with the service and everything the form was given: a retried POST
    (same token, same content) finds the request stored the first time, while someone who guesses or
    reuses another client's token without sending the very same content gets a request of their own,
    never another person's tracking code.
    """
    sent = [params.get("token") or "", request.headers.get("X-Request-ID") or ""]
    if any(len(value.strip()) > TOKEN_MAX_LENGTH for value in sent):  # either one, even when the other is used
        raise Refused(400, f"token（或请求头 X-Request-ID）最多 {TOKEN_MAX_LENGTH} 个字符。")
    raw = next((value.strip() for value in sent if value.strip()), "")
    if not raw:
        return None
    content = json.dumps([service.code, sorted(data.items())], ensure_ascii=False)
    digest = hashlib.sha256(f"{raw}\n{content}".encode()).hexdigest()
    return TOKEN_PREFIX + digest[: 64 - len(TOKEN_PREFIX)]

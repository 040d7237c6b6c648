"""The Open311 GeoReport v2 API (JSON only) for every kind of case: services, a service's definition, a new
service request, and one request by its tracking code.

Every answer is JSON, errors as Open311's list `[{"code": 400, "description": "…"}]` in Chinese.
There is no listing of requests (GET requests.json): service requests are citizens' complaints and
questions, and one is opened only by its tracking code (with the phone's last four digits), as on the
tracking page.

CSRF-exempt: the API reads and sets no cookie and no session, and needs no key, so a forged request
could act as nobody and send nothing a client could not send itself; a CSRF token is something no API
client could obtain. The one thing a foreign web page could borrow, its visitors' addresses for the
rate limit, is refused by `guards.from_another_site`.
"""

import math
from functools import wraps

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from cases import handling, tracking
from cases.forms import TrackForm
from cases.models import Channel

from . import guards, serialisers, services, validation
from .validation import Refused

LISTING_REFUSED = (
    "不提供服务请求列表：为保护群众的信息，只能凭查询码逐件查询（GET requests/{service_request_id}.json）。"
    "提交新的服务请求请用 POST。"
)


def answer(payload, status=200, headers=None):
    response = JsonResponse(payload, status=status, safe=False, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def refuse(status, *messages, headers=None):
    return answer(serialisers.errors(status, messages), status=status, headers=headers)


def _retry_after(seconds):
    return {"Retry-After": str(seconds)}


def open311(*methods, wrong_method=None):
    """An API view: CSRF-exempt (see the module's docstring), only `methods` (GET includes HEAD) with an Open311
    405 otherwise, and a `Refused` raised anywhere inside answered as the Open311 error it describes."""
    allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in allowed:
                message = wrong_method or f"只接受 {'、'.join(methods)} 请求。"
                return refuse(405, message, headers={"Allow": ", ".join(allowed)})
            try:
                return view(request, *args, **kwargs)
            except Refused as refused:
                return refuse(refused.status, *refused.messages, headers=refused.headers)

        return wrapper

    return decorate


@open311("GET")
def discovery(request):
    endpoint = request.build_absolute_uri(reverse("open311:discovery")).rsplit("/", 1)[0]
    return answer(serialisers.discovery(endpoint, request.build_absolute_uri(reverse("transparency:contact"))))


@open311("GET")
def service_list(request):
    return answer([serialisers.service(item) for item in services.all_services()])


@open311("GET")
def service_definition(request, service_code):
    item = services.find(service_code)
    if item is None:
        raise Refused(404, f"没有服务代码为“{service_code[:64]}”的服务，可用的服务见 GET services.json。")
    return answer(serialisers.definition(item, services.attributes(item)))


@never_cache  # the answer carries a tracking code
@open311("POST", wrong_method=LISTING_REFUSED)
def create_request(request):
    """POST requests: a new case of the service's kind, checked by that kind's own form and stored once per token."""
    if guards.from_another_site(request):
        raise Refused(403, "不接受其他网站的网页代为提交：请从您的应用或服务器直接调用本接口。")
    wait = guards.wait_seconds(request, "open311")
    if wait:
        raise Refused(429, f"提交过于频繁，请 {math.ceil(wait / 60)} 分钟后再试。", headers=_retry_after(wait))
    params = validation.read_params(request)
    item = validation.service(params)
    data = validation.form_data(item, params)
    token = validation.submission_token(request, params, data, item)
    form = item.form_class()(data=data)
    if not form.is_valid():
        raise Refused(400, *validation.problems(item, form))
    case, created = item.declaration.submit(form, token=token, channel=Channel.API)
    return answer(serialisers.created(case, item.kind), status=201 if created else 200)


@never_cache
@open311("GET")
def request_status(request, service_request_id):
    """GET requests/{id}: by tracking code, with the tracking page's rules (core's `cases.tracking`): a code given
    with a phone needs its last four digits, failures count towards the code's lock, and an unknown code
    and wrong digits are answered alike."""
    wait = guards.wait_seconds(request, "track")
    if wait:
        raise Refused(429, f"查询过于频繁，请 {math.ceil(wait / 60)} 分钟后再试。", headers=_retry_after(wait))
    form = TrackForm({"code": service_request_id, "phone_last4": request.GET.get("phone_last4", "")})
    if not form.is_valid():
        if "code" in form.errors:
            raise Refused(404, *form.errors["code"])
        raise Refused(400, *(f"{message}（phone_last4）" for message in form.errors.get("phone_last4", [])))
    code, kind = form.cleaned_data["code"], form.kind
    minutes = tracking.locked_minutes(code)
    if minutes:
        message = _(
            "这个查询码连续多次核对不符，为保护您的信息已暂停查询，请 %(minutes)d 分钟后再试。"
            "请核对查询码；提交时留了电话的，还需提供电话号码的最后四位（phone_last4）。"
        ) % {"minutes": minutes}
        raise Refused(429, message, headers=_retry_after(minutes * 60))
    case = tracking.look_up(request, kind, code, form.cleaned_data["phone_last4"])
    if case is None:
        raise Refused(
            404,
            _("没有找到对应的%(label)s。请核对查询码；提交时留了电话的，还需提供电话号码的最后四位（phone_last4）。")
            % {"label": kind.label},
        )
    handling.record_public_lookup(case)
    return answer(serialisers.tracked(case, services.service_of(case)))


@csrf_exempt
def not_found(request, rest=""):
    """Anything else under the API's address, with any method: a JSON 404 (XML is not offered), never the
    portal's HTML page."""
    return refuse(
        404, "没有这个接口。本接口只提供 JSON（.json）格式，可用的接口见 GET discovery.json 和 /api/v1/openapi.json。"
    )

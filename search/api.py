"""The JSON API: GET /api/v1/search, GET /api/v1/suggest and their OpenAPI description.

Every answer is JSON, errors included ({"error": "…"} with 400, 405 or 429); each client (IP address)
gets a number of requests per minute counted in the cache (`limits`; searches count together with the
results page's).
"""

import json
import math
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from content.inputs import parse_int

from . import engine, limits

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
MAX_PAGE = 100
ELSEWHERE_FIELDS = ("name", "where", "address", "phone", "hours", "url", "note")


def _error(message, status, **headers):
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name] = value
    return response


def _get_only(view):
    """Like require_GET, but the 405 answer is JSON like every other answer of the API.

    CSRF-exempt: these views change nothing and refuse every method but GET and HEAD, so the CSRF
    middleware would only turn that JSON 405 into an HTML 403 for POST, PUT, DELETE and the like.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return _error("只接受 GET 请求。", 405, Allow="GET, HEAD")
        return view(request, *args, **kwargs)

    return wrapper


def _limited(wait):
    """A 429 response when this client used up its requests for the window (`wait` seconds left), else None."""
    if wait:
        return _error("请求过于频繁，请稍后再试。", 429, **{"Retry-After": str(wait)})
    return None


def _query_param(request, required):
    raw = request.GET.get("q")
    if raw is None or not raw.strip():
        if required:
            return None, _error("请提供搜索词 q，例如 q=低保怎么申请。", 400)
        return "", None
    if len(raw) > engine.max_length():
        return None, _error(f"搜索词 q 不能超过 {engine.max_length()} 个字符。", 400)
    return raw, None


@_get_only
def search(request):
    limited = _limited(limits.search_wait(request))
    if limited:
        return limited
    raw, error = _query_param(request, required=True)
    if error:
        return error
    page = parse_int(request.GET.get("page", "1"), minimum=1, maximum=MAX_PAGE)
    if page is None:
        return _error(f"页码 page 必须是 1 到 {MAX_PAGE} 之间的整数（阿拉伯数字 0–9）。", 400)
    per_page = settings.YIMEN_SEARCH_RESULTS_PER_PAGE
    outcome = engine.run_search(raw, offset=(page - 1) * per_page, limit=per_page)
    return JsonResponse(
        {
            "query": raw,
            "total": outcome.total,
            "page": page,
            "pages": math.ceil(outcome.total / per_page),
            "results": [
                {
                    "code": item.code,
                    "name": item.name,
                    "url": request.build_absolute_uri(item.url),
                    "score": item.score,
                    "snippet": item.snippet,
                    "kind": item.kind,
                }
                for item in outcome.items
            ],
            "message": outcome.message,
            "suggestion": outcome.suggestion,
            "notice": outcome.notice,
            "relaxed": outcome.relaxed,
            "understood": outcome.understood,
            "elsewhere": [
                {field: getattr(service, field) for field in ELSEWHERE_FIELDS} for service in outcome.elsewhere
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@_get_only
def suggest(request):
    limited = _limited(limits.suggest_wait(request))
    if limited:
        return limited
    raw, error = _query_param(request, required=False)
    if error:
        return error
    suggestions = engine.suggest(raw) if raw else []
    for suggestion in suggestions:
        suggestion["url"] = request.build_absolute_uri(suggestion["url"])
    return JsonResponse({"query": raw, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False})


@lru_cache(maxsize=1)
def _description():
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@_get_only
def openapi(request):
    return JsonResponse(_description(), json_dumps_params={"ensure_ascii": False})

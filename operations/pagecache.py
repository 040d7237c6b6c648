"""A shared cache of the public pages anonymous visitors read, invalidated by a site-wide generation.

What is cached: the HTML of a GET answered 200 to a visitor who has no session, on a path
outside `YIMEN_PAGE_CACHE_SKIP_PREFIXES` (admin, previews, forms, search, the API). Anything personal
keeps a request out of the cache: a session or messages cookie, an Authorization header, a view that
set a cookie, touched the session or said `Cache-Control: private/no-cache/no-store` (`never_cache`).

Variations: the key holds the host, the path, the query parameters pages read
(`YIMEN_PAGE_CACHE_QUERY_PARAMS`: page, the catalog's facets…, in name order), the language and the
value of every cookie in `YIMEN_PAGE_CACHE_VARY_COOKIES` (the elder-mode cookie `yimen_elder`) when it
is one of the values that change the page; any other value (garbage, `0`) shares the entry of no
cookie. Any other query parameter (`utm_source`, a random one) is removed from the request before
the page renders, so `/?utm=<random>` is answered with, and stored as, the page of `/`: made-up
parameters and cookie values cannot multiply the entries, and what a visitor added to the address
never shows up in a page served to others. A view that reads other parameters must be under
`YIMEN_PAGE_CACHE_SKIP_PREFIXES`.

Size: the alias `YIMEN_PAGE_CACHE_ALIAS` ("pages") is the pages' own, so they never push out
anything else: in process memory it holds at most `YIMEN_PAGE_CACHE_MAX_ENTRIES`; in Redis its keys
have their own prefix and expire after `YIMEN_PAGE_CACHE_SECONDS` (docs/deploy.md, eviction).

Forms (the rating form on guide pages): the visitor's CSRF token is cut out of the stored HTML and
each answer from the cache gets a fresh token for *its* visitor (and the CSRF cookie when it has
none), so a cached form posts exactly like a freshly rendered one. The rating form's one-use view
token (one rating per page view) is likewise replaced by a new one on every answer.

Invalidation: every entry is stored with the generation current when its request *started*; any
publish, unpublish, delete, move, snippet or setting change, or catalog import bumps the generation
after its transaction commits (`receivers.py`). An entry older than the current generation is a
miss, and a page rendered while a change was committing is stored under the old generation and so
never served. `YIMEN_PAGE_CACHE_SECONDS` bounds what no signal announces (the working-day clock,
rating and complaint figures). One cache read per request: the generation and the entry come in a
single `get_many`.

Turned on by `YIMEN_PAGE_CACHE` (on by default when `REDIS_URL` is set): with several processes the
cache must be shared, or a publish would only clear the cache of the process that handled it.
"""

import re
import secrets
import time
from types import SimpleNamespace

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "yimen:pages:generation"
PLACEHOLDER = "\x00yimen-csrf\x00"
# A masked CSRF token as Django writes it into forms.
_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")
# Headers a page response carries that belong to the page, not to the visitor.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")
HEADER = "X-Page-Cache"
# The rating form's signed one-use token, and what stands for it in a stored page (keeps the page id).
_VIEW_TOKEN = re.compile(r'(name="token" value=")([^"]+)(")')
_VIEW_PLACEHOLDER = re.compile("\x00yimen-view-token:(\\d+)\x00")


def _cache():
    return caches[settings.YIMEN_PAGE_CACHE_ALIAS]


def _start_generation(cache):
    """A generation no earlier entry can carry (entries may outlive a lost generation key)."""
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)


def bump_generation():
    """Make every cached page stale, in every process sharing the cache."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was missing (first change, or the cache was emptied)
        _start_generation(cache)


def eligible(request):
    if request.method != "GET":
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not request.path_info.startswith(tuple(settings.YIMEN_PAGE_CACHE_SKIP_PREFIXES))


def keep_page_parameters(request):
    """Leave the request only the query parameters pages read, in name order (each one's values in order)."""
    original = request.META.get("QUERY_STRING", "")
    if not original:
        return
    kept = QueryDict(mutable=True)
    for name in sorted(set(request.GET) & set(settings.YIMEN_PAGE_CACHE_QUERY_PARAMS)):
        kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != original:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


def _cookie_variant(request, name, values):
    value = request.COOKIES.get(name, "")
    return value if value in values else ""


def cache_key(request):
    variant = ";".join(
        f"{name}={_cookie_variant(request, name, values)}"
        for name, values in settings.YIMEN_PAGE_CACHE_VARY_COOKIES.items()
    )
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"yimen:pages:{request.get_host()}:{language}:{variant}:{request.get_full_path()}"


def storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store", "max-age=0")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"cookie", "accept-language", "accept-encoding"}:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _without_tokens(request, html):
    """The page with the visitor's CSRF tokens replaced by PLACEHOLDER; None if a token is unaccounted for."""
    secret = request.META.get("CSRF_COOKIE")
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or not secret:
        return html  # the page used no token

    def replace(match):
        token = match.group(0)
        return PLACEHOLDER if _unmask_cipher_token(token) == secret else token

    return _TOKEN.sub(replace, html)


def _without_view_tokens(html):
    from ratings.forms import SIGNING_SALT

    def replace(match):
        try:
            page_id = int(signing.loads(match.group(2), salt=SIGNING_SALT)["p"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return match.group(0)
        return f"{match.group(1)}\x00yimen-view-token:{page_id}\x00{match.group(3)}"

    return _VIEW_TOKEN.sub(replace, html)


def _fresh_view_tokens(html):
    from ratings.forms import view_token

    return _VIEW_PLACEHOLDER.sub(
        lambda m: view_token(SimpleNamespace(pk=int(m.group(1))), secrets.token_urlsafe(16)), html
    )


class PageCacheMiddleware:
    """Serve and store anonymous public pages (see the module docstring); below the CSRF middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.YIMEN_PAGE_CACHE or not eligible(request):
            return self.get_response(request)
        keep_page_parameters(request)
        cache = _cache()
        key = cache_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = _start_generation(cache)
        entry = found.get(key)
        if entry is not None and entry["generation"] == generation:
            return self._from_cache(request, entry)
        response = self.get_response(request)
        if storable(request, response):
            html = _without_view_tokens(_without_tokens(request, response.content.decode(response.charset)))
            entry = {
                "generation": generation,
                "html": html,
                "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
            }
            cache.set(key, entry, settings.YIMEN_PAGE_CACHE_SECONDS)
            patch_vary_headers(response, ("Cookie",))
            response[HEADER] = "miss"
        return response

    def _from_cache(self, request, entry):
        html = entry["html"]
        if PLACEHOLDER in html:
            html = html.replace(PLACEHOLDER, get_token(request))  # marks the CSRF cookie for sending
        if "\x00yimen-view-token:" in html:
            html = _fresh_view_tokens(html)
        response = HttpResponse(html)
        for header, value in entry["headers"].items():
            response[header] = value
        patch_vary_headers(response, ("Cookie",))
        response[HEADER] = "hit"
        return response

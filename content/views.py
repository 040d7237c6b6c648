"""Public endpoints of the theme: the branded colour stylesheet and the elder-mode (适老化) switch without JavaScript."""

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from content.elder import ELDER_COOKIE, ELDER_COOKIE_MAX_AGE
from content.models import PortalSettings
from content.theme import theme_css as build_theme_css
from content.theme import theme_version

# A URL's version names its content for good, so browsers keep it a year without asking again.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600
# An old version (a page cached before the colours changed) gets today's colours, kept only briefly.
STALE_MAX_AGE = 300


def site_theme_css(request):
    """The stylesheet text and version for the request's site."""
    portal = PortalSettings.for_request(request)
    css = build_theme_css(portal.primary_colour, portal.accent_colour)
    return css, theme_version(css)


def theme_css(request, version):
    css, current = site_theme_css(request)
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if version == current:
        patch_cache_control(response, public=True, max_age=IMMUTABLE_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=STALE_MAX_AGE)
    return response


@require_http_methods(["GET", "POST"])
def elder_mode(request):
    """Turn elder mode on (`on=1`) or off (`on=0`) by cookie, then go back to the page the switch was on.

    This is the no-JavaScript path of the header switch; with JavaScript the page sets the same cookie
    itself. The cookie only holds a display preference, so a plain GET form is enough (POST works too,
    with Django's usual CSRF check).
    """
    data = request.POST if request.method == "POST" else request.GET
    back = data.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)
    response.status_code = 303
    if data.get("on") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=ELDER_COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure())
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response

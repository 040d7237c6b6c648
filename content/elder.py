"""Elder mode (适老化: large type, high contrast) is a cookie, so the server puts the class on <html> before anything paints."""

ELDER_COOKIE = "yimen_elder"
ELDER_COOKIE_MAX_AGE = 365 * 24 * 3600
ELDER_CLASS = "elder-mode"


def elder_mode_on(request):
    """Whether this request's page should be drawn in elder mode."""
    return request is not None and request.COOKIES.get(ELDER_COOKIE) == "1"

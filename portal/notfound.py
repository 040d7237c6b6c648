"""The portal's own 404 page also while DEBUG is on (development, `./yimen start`)."""

from django.http import Http404
from django.urls import Resolver404, get_resolver, get_urlconf, resolve


def page_not_found(request, exception):
    """The answer of the project's 404 handler (handler404, themes/templates/404.html), as production gives it."""
    return get_resolver(get_urlconf()).resolve_error_handler(404)(request, exception)


class NotFoundPageMiddleware:
    """Answers an unknown address with the Chinese 404 page instead of Django's English debug page.

    With DEBUG on, Django ignores handler404 and shows its technical page, which also lists every URL
    pattern. This answers both kinds of 404 with the handler's page: an address no URL pattern
    matches, and a view that raises Http404 (Wagtail's page serving for a path with no page).
    Placed innermost, so CommonMiddleware still redirects "/services" to "/services/" on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exc:
            return page_not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None

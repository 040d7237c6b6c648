"""What stands in front of the API's views: the public forms' rate limits and the one thing CSRF protection
would have stopped.

The rate limits are the forms' own counters: the same django-ratelimit group names and key as
`publicforms.protection.limit_exceeded`, so `PUBLIC_FORM_RATES["open311"]` counts the API's submissions
and `PUBLIC_FORM_RATES["track"]` counts its lookups together with the tracking pages'. That function's
message speaks of the form below it and does not give the time left, which an API answers in
Retry-After; hence these few lines of its own.
"""

from urllib.parse import urlsplit

from django.conf import settings

from django_ratelimit.core import get_usage


def wait_seconds(request, group):
    """0 when the request may go on, else the seconds this client must wait; every call counts one attempt."""
    usage = get_usage(request, group=f"yimen.{group}", key="ip", rate=settings.PUBLIC_FORM_RATES[group], increment=True)
    if usage is None or not usage["should_limit"]:
        return 0
    return max(1, int(usage["time_left"]))


def from_another_site(request):
    """True when a browser sent the request from another site's page.

    The API is CSRF-exempt (open311.views), which would let any web page make its visitors' browsers post
    service requests here, each from the visitor's own address and so past the per-address rate limit.
    Browsers say where such a request comes from (Sec-Fetch-Site, Origin); API clients — servers, apps,
    the 12345 hotline's system — send neither, so they are not affected.
    """
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return urlsplit(origin).netloc != request.get_host()

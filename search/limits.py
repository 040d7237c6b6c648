"""Per-client (IP) request limits of search, counted in the "ratelimit" cache (django-ratelimit).

The results page /search/ and the JSON API /api/v1/search count in one group against one rate
(`YIMEN_SEARCH_API_RATE`), so a client that used up the API's searches cannot go on through the HTML
page, nor the other way round. Suggestions, asked for at every keystroke, have a limit of their own,
and so have opened results (/search/go/…): past it the link still leads to its page, only the open is
not counted, so nobody is stopped on the way to a guide and nobody can inflate the counts.
"""

from django.conf import settings

from django_ratelimit.core import get_usage

SEARCH_GROUP = "search-api"
SUGGEST_GROUP = "search-suggest"
OPEN_GROUP = "search-open"


def _seconds_to_wait(request, group, rate):
    usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    if usage and usage["should_limit"]:
        return max(1, usage["time_left"])
    return None


def search_wait(request):
    """Count one search by this client; the seconds until it may search again if over the limit, else None."""
    return _seconds_to_wait(request, SEARCH_GROUP, settings.YIMEN_SEARCH_API_RATE)


def suggest_wait(request):
    """Count one suggestion request by this client; like `search_wait`, against the suggestions' rate."""
    return _seconds_to_wait(request, SUGGEST_GROUP, settings.YIMEN_SEARCH_SUGGEST_RATE)


def open_wait(request):
    """Count one opened result by this client; like `search_wait`, against the opens' rate."""
    return _seconds_to_wait(request, OPEN_GROUP, settings.YIMEN_SEARCH_OPEN_RATE)

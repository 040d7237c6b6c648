"""Login lockout (django-axes): repeated failed logins lock a client out of the admin for a while.

Two counts, both kept in axes' tables so every process and server sees the same numbers:
one account from one client address (`AXES_FAILURE_LIMIT`, guessing one person's password), and one
client address across all accounts (`YIMEN_LOGIN_FAILURES_PER_CLIENT`, trying many accounts). A
locked-out client is refused even with the right password until `AXES_COOLOFF_TIME` has passed
since its last failure, and sees a page in Chinese saying how long to wait and whom to call.

The client address is taken exactly as the rate limits take it (`RATELIMIT_IP_META_KEY`), so one
proxy setting serves both.
"""

import math

from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt


def client_ip(request):
    """The client's address: REMOTE_ADDR, or what RATELIMIT_IP_META_KEY names (a META key or a function)."""
    source = settings.RATELIMIT_IP_META_KEY
    if not source:
        return request.META.get("REMOTE_ADDR")
    if callable(source):
        return source(request)
    if "." in source:
        return import_string(source)(request)
    return request.META.get(source) or request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the per-client count.

    Axes compares the largest of its counts with one limit. The per-client count is scaled to the
    per-account limit here, so it reaches that limit exactly when it reaches
    `YIMEN_LOGIN_FAILURES_PER_CLIENT`.
    """

    def get_failures(self, request, credentials=None):
        limit = get_failure_limit(request, credentials)
        per_client = settings.YIMEN_LOGIN_FAILURES_PER_CLIENT
        worst = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if parameter == "ip_address":
                failures = failures * limit // per_client
            worst = max(worst, failures)
        return worst


def minutes_to_wait(ip_address):
    """Whole minutes until the client's last failure is older than the cool-off period (at least 1)."""
    last = AccessAttempt.objects.filter(ip_address=ip_address).aggregate(last=Max("attempt_time"))["last"]
    if last is None:
        return 1
    left = (last + settings.AXES_COOLOFF_TIME - timezone.now()).total_seconds()
    return max(1, math.ceil(left / 60))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the Chinese lockout page, status 429 with Retry-After."""
    minutes = minutes_to_wait(getattr(request, "axes_ip_address", None) or client_ip(request))
    context = {"minutes": minutes, "contact": settings.YIMEN_LOCKOUT_CONTACT}
    response = render(request, "operations/lockout.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response

"""Looking a case up by its tracking code, with a lockout per code against guessing the digits.

A code with a phone needs the phone's last four digits: only 10^4 possibilities, so after
`MAX_FAILURES` failed lookups of one code within `LOCK_SECONDS` that code is locked for `LOCK_SECONDS`,
whoever asks and from whichever address (the per-address rate limit does not stop a spread-out
attack). Failures are counted for every well-formed code, existing or not, and the answers are the
same for both, so neither the lock nor its message tells whether a code exists. The counters live in
the rate-limit cache (Redis in production), which every process and server shares. Every failed
lookup is logged with the code partly masked and the client address. The same rules hold for every
kind of case, on the tracking pages and in the Open311 API.
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches

from operations.lockout import client_ip
from publicforms.phones import phone_digits

logger = logging.getLogger(__name__)

MAX_FAILURES = 5
LOCK_SECONDS = 60 * 60


def _cache():
    return caches[settings.RATELIMIT_USE_CACHE]


def _key(code, kind):
    # Hashed: the cache holds no tracking codes, which with the phone's digits open a case.
    return f"yimen.track.{kind}.{hashlib.sha256(code.encode()).hexdigest()}"


def masked(code):
    """TS-2026-7KQ4-M2XD → TS-2026-7K**-****: enough to tell lookups apart in the log, not to use."""
    return code[:10] + "".join("-" if ch == "-" else "*" for ch in code[10:])


def locked_minutes(code):
    """Minutes (at least 1) until `code` may be looked up again, or 0 when it is not locked."""
    until = _cache().get(_key(code, "locked"))
    if until is None:
        return 0
    return max(1, math.ceil((until - time.time()) / 60))


def matches(case, last4):
    """True when `last4` are the last digits of the case's phone; a case without a phone needs none."""
    return not case.phone or phone_digits(case.phone)[-4:] == last4


def look_up(request, kind, code, last4):
    """The case of `kind` with `code` when the digits match its phone, else None.

    Callers check `locked_minutes` first. A failure counts towards the lock and is logged; a success
    clears the count, so someone who mistyped a few times starts afresh.
    """
    case = kind.model.objects.select_related("hall", "service").filter(tracking_code=code).first()
    if case is not None and matches(case, last4):
        _cache().delete(_key(code, "failures"))
        return case
    failures = _count_failure(code)
    logger.warning(
        "failed %s tracking lookup: code %s, %s, client %s, failure %d of %d",
        kind.key, masked(code), "unknown code" if case is None else "wrong phone digits", client_ip(request), failures, MAX_FAILURES,
    )  # fmt: skip
    if failures >= MAX_FAILURES:
        _cache().set(_key(code, "locked"), time.time() + LOCK_SECONDS, LOCK_SECONDS)
        _cache().delete(_key(code, "failures"))
        logger.warning(
            "tracking code %s locked for %d minutes after %d failed lookups", masked(code), LOCK_SECONDS // 60, failures
        )
    return None


def _count_failure(code):
    cache, key = _cache(), _key(code, "failures")
    # add() then incr(): atomic in Redis, so parallel guesses from several servers are all counted.
    cache.add(key, 0, LOCK_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, LOCK_SECONDS)
        return 1

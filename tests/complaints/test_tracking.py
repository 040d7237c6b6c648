"""The tracking page locks a code after repeated failed lookups and logs every failure."""

import logging
import re
import time

from django.core.cache import caches
from django.urls import reverse

import pytest

from cases import tracking
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
TRACK = reverse("complaints:track")
LOCKED = "这个查询码连续多次核对不符"
REDIS = "redis://127.0.0.1:6379/2"  # this helper's own Redis database


@pytest.fixture(params=["locmem", "redis"])
def counters(request, settings):
    """The rate-limit cache the lock counts in: local memory, and Redis as in production (shared by every process)."""
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            settings.RATELIMIT_USE_CACHE: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS},
        }
    cache = caches[settings.RATELIMIT_USE_CACHE]
    cache.clear()
    yield cache
    cache.clear()


def _track(client, code, digits):
    return client.post(TRACK, {"code": code, "phone_last4": digits}, REMOTE_ADDR="203.0.113.7")


def test_five_wrong_digits_lock_the_code_even_for_the_right_digits(client, counters):
    complaint = ComplaintFactory(phone="13800005678")
    for digits in ("0000", "1111", "2222", "3333", "4444"):
        assert _track(client, complaint.tracking_code, digits).status_code == 404
    locked = _track(client, complaint.tracking_code, "5678")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert LOCKED in html and "60 分钟后再试" in html and "已答复" not in html
    other = ComplaintFactory(phone="13900001234")
    assert _track(client, other.tracking_code, "1234").status_code == 200  # other codes are not affected


def test_the_lock_does_not_tell_whether_a_code_exists(client, counters):
    complaint = ComplaintFactory(phone="13800005678")
    unknown = "TS-2026-0000-0000"
    for _ in range(tracking.MAX_FAILURES):
        wrong, missing = _track(client, complaint.tracking_code, "0000"), _track(client, unknown, "0000")
        assert wrong.status_code == missing.status_code == 404
    wrong, missing = _track(client, complaint.tracking_code, "0000"), _track(client, unknown, "0000")
    assert wrong.status_code == missing.status_code == 429
    assert _page(wrong).replace(complaint.tracking_code, unknown) == _page(missing)


def _page(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_the_lock_ends_after_its_period(client, counters, monkeypatch):
    monkeypatch.setattr(tracking, "LOCK_SECONDS", 2)
    complaint = ComplaintFactory(phone="13800005678")
    for _ in range(tracking.MAX_FAILURES):
        _track(client, complaint.tracking_code, "0000")
    assert _track(client, complaint.tracking_code, "5678").status_code == 429
    time.sleep(2.2)
    assert _track(client, complaint.tracking_code, "5678").status_code == 200


def test_a_successful_lookup_starts_the_count_afresh(client, counters):
    complaint = ComplaintFactory(phone="13800005678")
    for _ in range(tracking.MAX_FAILURES - 1):
        _track(client, complaint.tracking_code, "0000")
    assert _track(client, complaint.tracking_code, "5678").status_code == 200
    for _ in range(tracking.MAX_FAILURES - 1):
        _track(client, complaint.tracking_code, "0000")
    assert _track(client, complaint.tracking_code, "5678").status_code == 200


def test_every_failed_lookup_is_logged_with_the_code_masked_and_the_address(client, counters, caplog):
    complaint = ComplaintFactory(phone="13800005678")
    code = complaint.tracking_code
    with caplog.at_level(logging.WARNING, logger="cases.tracking"):
        for _ in range(tracking.MAX_FAILURES):
            _track(client, code, "0000")
        _track(client, "TS-2026-0000-0000", "")
        _track(client, code, "5678")  # locked: refused before any lookup, so not counted again
    failures = [r.getMessage() for r in caplog.records if "failed complaint tracking lookup" in r.getMessage()]
    assert len(failures) == tracking.MAX_FAILURES + 1
    assert all("203.0.113.7" in line for line in failures)
    assert f"code {code[:10]}**-****, wrong phone digits" in failures[0]
    assert "code TS-2026-00**-****, unknown code" in failures[-1]
    assert any("locked for 60 minutes" in r.getMessage() for r in caplog.records)
    assert not any(code in r.getMessage() or "5678" in r.getMessage() for r in caplog.records)

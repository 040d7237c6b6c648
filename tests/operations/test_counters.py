"""Rate-limit counters are shared by every process: on disk under VAR_DIR without Redis (counted under a
lock, expiry kept, live counters never culled for expired ones), in their own Redis database with it."""

import json
import os
import stat
import subprocess
import sys
import time

from django.conf import settings

from operations.counters import SharedFileCache
from portal.settings.base import _next_redis_database

# A process of the default configuration counting `n` requests of one client with django-ratelimit
# (`n` = 0 reads the count). The settings are all it needs; loading every app would take seconds.
WORKER = """
import sys
from django.test import RequestFactory
from django_ratelimit.core import get_usage
request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
n = int(sys.argv[1])
for _ in range(n):
    usage = get_usage(request, group="shared-test", key="ip", rate="100000/d", increment=bool(n))
if not n:
    usage = get_usage(request, group="shared-test", key="ip", rate="100000/d", increment=False)
print(usage["count"])
"""


def _environment(var_dir, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "REDIS_RATELIMIT_URL", "DATABASE_URL")}
    return {**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "YIMEN_VAR_DIR": str(var_dir), **extra}


def test_two_processes_of_the_default_configuration_share_one_counter(tmp_path):
    env = _environment(tmp_path)
    command = [sys.executable, "-c", WORKER]
    # Both count at the same time: a lost update would leave fewer than 2 × 150.
    workers = [
        subprocess.Popen([*command, "150"], cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
        for _ in range(2)
    ]
    for worker in workers:
        worker.communicate(timeout=120)
        assert worker.returncode == 0
    total = subprocess.run(  # noqa: S603
        [*command, "0"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert total.stdout.strip() == "300"
    directory = tmp_path / "ratelimit-cache"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def _caches_with(var_dir, **env):
    script = "import json, portal.settings.base as s; print(json.dumps(s.CACHES))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=_environment(var_dir, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_with_redis_the_counters_have_a_database_of_their_own(tmp_path):
    caches = _caches_with(tmp_path, REDIS_URL="redis://127.0.0.1:6379/4")
    assert caches["ratelimit"]["LOCATION"] == "redis://127.0.0.1:6379/5"
    assert caches["default"]["LOCATION"] == "redis://127.0.0.1:6379/4"
    # The cached pages: the same database, a prefix and a lifetime of their own.
    assert (caches["pages"]["LOCATION"], caches["pages"]["KEY_PREFIX"], caches["pages"]["TIMEOUT"]) == (
        "redis://127.0.0.1:6379/4",
        "yimen-pages",
        300,
    )
    chosen = _caches_with(
        tmp_path, REDIS_URL="redis://127.0.0.1:6379/4", REDIS_RATELIMIT_URL="redis://limits.internal:6379/0"
    )
    assert chosen["ratelimit"]["LOCATION"] == "redis://limits.internal:6379/0"
    assert _next_redis_database("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379/1"
    assert _next_redis_database("unix:///run/redis.sock?db=2") == "unix:///run/redis.sock?db=3"


def test_counting_keeps_the_window_expiry(tmp_path):
    cache = SharedFileCache(str(tmp_path / "c"), {"TIMEOUT": 300})
    cache.add("k", 1, 600)
    fname = cache._key_to_file("k")
    expiry = _expiry(fname)
    time.sleep(0.01)
    assert cache.incr("k") == 2
    assert _expiry(fname) == expiry  # Django's own incr would set now + 300 s here


def test_making_room_drops_expired_counters_and_keeps_live_ones(tmp_path):
    cache = SharedFileCache(str(tmp_path / "c"), {"OPTIONS": {"MAX_ENTRIES": 5, "CULL_SECONDS": 0}})
    for i in range(4):
        cache.add(f"old{i}", 1, 1)
    for i in range(4):
        cache.add(f"live{i}", 1, 600)
    time.sleep(1.1)
    cache.add("new", 1, 600)  # over MAX_ENTRIES: Django's cull would delete a random third
    assert all(cache.get(f"live{i}") == 1 for i in range(4))
    assert cache.get("new") == 1
    assert len(cache._list_cache_files()) == 5


def _expiry(fname):
    import pickle

    with open(fname, "rb") as f:
        return pickle.load(f)  # noqa: S301

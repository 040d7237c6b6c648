"""Tests: fast hashing, media and indexes in a throwaway directory."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "tests-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_TMP = Path(tempfile.mkdtemp(prefix="yimen-test-"))
MEDIA_ROOT = _TMP / "media"
YIMEN_TEST_TMP = _TMP
YIMEN_PRINT_DIR = _TMP / "print"
WAGTAILADMIN_BASE_URL = "http://testserver"
os.environ.setdefault("JIEBA_CACHE_DIR", str(_TMP))
YIMEN_SEARCH_INDEX_DIR = _TMP / "search-index"
if CACHES["ratelimit"]["BACKEND"] == "operations.counters.SharedFileCache":  # noqa: F405
    CACHES["ratelimit"]["LOCATION"] = str(_TMP / "ratelimit-cache")  # noqa: F405
YIMEN_SEARCH_BACKGROUND_REFRESH = False  # rebuild the word list in the request, so tests see it at once
# client.login() gives authenticate() no request; logins through the login page are still counted.
AUTHENTICATION_BACKENDS = [
    "tests.login_backend.RequestOptionalLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Background tasks. Wagtail's own (search and reference index updates) run at once, in the caller, as the
# rest of the suite has always had them. The notifications app and the schedule queue theirs on a real
# database queue of their own ("notifications"), so enqueueing, run_after and retries are the production
# code paths: unit tests run what is queued with django-tasks-db's own Worker.run_task
# (tests/notifications/queue.py, faster than a process and inside the test's transaction), and the kill test
# runs a real `manage.py db_worker --backend notifications` process.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "notifications": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
YIMEN_TASKS_BACKEND = "notifications"

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

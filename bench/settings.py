"""Benchmark settings: the development settings with DEBUG off, so pages render as a production process renders them."""

from portal.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# A benchmark asks for unknown addresses on purpose; their "Not Found" warnings would drown the report.
LOGGING = {**LOGGING, "loggers": {"django.request": {"level": "ERROR"}}}  # noqa: F405

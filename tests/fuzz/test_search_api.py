"""schemathesis against the search API, using the OpenAPI description the portal itself serves.

The description is fetched from /api/v1/openapi.json through the WSGI application, so what is
checked is what clients read. For every generated request (valid ones and ones that break the
description, e.g. a missing or overlong q, a page of 0 or "abc"): no 500, and the status, content
type, headers and body conform to the description. Requests go through the WSGI application in
this process, against a handful of indexed guides, with the per-client rate limits lifted. The Open311
routes of the same description have a fuzz test of their own (tests/open311/test_fuzz.py): their POST is
checked by the kinds' forms, whose rules no schema can state.
"""

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis

from search import synonyms, vocabulary
from tests.search.catalog import build_guides

from .config import fuzz

OPENAPI_URL = "/api/v1/openapi.json"


@pytest.fixture
def indexed_guides(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.YIMEN_SEARCH_INDEX_DIR = tmp_path / "index"  # a setting change opens a fresh backend
    settings.YIMEN_SEARCH_BACKEND = "whoosh"
    settings.YIMEN_SEARCH_API_RATE = "1000000/m"
    settings.YIMEN_SEARCH_SUGGEST_RATE = "1000000/m"
    vocabulary.invalidate()
    synonyms.invalidate()
    with django_capture_on_commit_callbacks(execute=True):
        build_guides(None)
    # As Django's own test client does: a request must not close the connection that holds the
    # test's transaction (with CONN_MAX_AGE=0 the handler closes it after every request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    vocabulary.invalidate()
    synonyms.invalidate()


# Loaded at collection time through the application (the view reads a file, not the database).
# schemathesis.pytest.from_fixture would defer this to the test, but it does not work with pytest 9.
schema = schemathesis.openapi.from_wsgi(OPENAPI_URL, get_wsgi_application()).exclude(path_regex="^/api/v1/open311/")


@schema.parametrize()
@fuzz(60)
def test_search_api_conforms_to_its_description(case, indexed_guides):
    # Every WSGI server sets REMOTE_ADDR (the rate limits count per address); werkzeug's test client does not.
    case.call_and_validate(environ_base={"REMOTE_ADDR": "127.0.0.1"})

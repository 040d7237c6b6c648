"""schemathesis against the Open311 routes of the OpenAPI description the portal serves (/api/v1/openapi.json).

For every generated request (valid ones and ones that break the description: no service_code, a token or
X-Request-ID past 200 characters, phone digits that are not four, unknown codes): no 500, the status,
content type, headers and body as described, and the store agrees with the answer — a refused POST
stores nothing, a 201 stores one case, a 200 (a retry) none.

One check is left out for POST requests.json: schemathesis's "a schema-valid request is accepted". The
description cannot state the forms' rules (the item is resolved by search, SMS needs a mobile number,
the lengths depend on the kind), so a schema-valid request may rightly be refused with 400.
Requests go through the WSGI application in this process with the per-client rate limits lifted.
"""

from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cases import kinds
from tests.fuzz.config import fuzz

OPENAPI_URL = "/api/v1/openapi.json"


@pytest.fixture
def open311_world(guides, settings):
    settings.PUBLIC_FORM_RATES = {**settings.PUBLIC_FORM_RATES, "open311": "1000000/m", "track": "1000000/m"}
    # As Django's own test client does: a request must not close the connection that holds the test's
    # transaction (with CONN_MAX_AGE=0 the handler closes it after every request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def stored():
    return sum(kind.model.objects.count() for kind in kinds.all_kinds())


schema = schemathesis.openapi.from_wsgi(OPENAPI_URL, get_wsgi_application()).include(path_regex="^/api/v1/open311/")


@schema.parametrize()
@fuzz(60)
def test_open311_conforms_to_its_description(case, open311_world):
    posting = case.method == "POST"
    before = stored()
    # Every WSGI server sets REMOTE_ADDR (the rate limits count per address); werkzeug's test client does not.
    response = case.call_and_validate(
        environ_base={"REMOTE_ADDR": "127.0.0.1"}, excluded_checks=[positive_data_acceptance] if posting else []
    )
    expected = 1 if posting and response.status_code == 201 else 0
    assert stored() - before == expected, (response.status_code, response.text[:500])

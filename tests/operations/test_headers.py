"""Every response, public, admin, API or error, denies the device features the portal does not use."""

import pytest

from tests.factories import site_structure


@pytest.mark.django_db
def test_every_response_carries_the_permissions_policy(client):
    site_structure()
    for path in ("/", "/admin/login/", "/api/v1/search?q=低保", "/healthz", "/no-such-page/"):
        policy = client.get(path)["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert f"{feature}=()" in policy, path

"""deploy/gunicorn.conf.py keeps gunicorn's name and version out of the Server header."""

import runpy
from pathlib import Path
from unittest import mock

from django.conf import settings

import gunicorn.http.wsgi


def test_the_configuration_hides_gunicorn_from_the_server_header():
    with mock.patch.object(gunicorn.http.wsgi, "SERVER", gunicorn.http.wsgi.SERVER):
        runpy.run_path(str(Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"))
        request = mock.Mock(version=(1, 1), method="GET", headers=[], should_close=lambda: False)
        response = gunicorn.http.wsgi.Response(request, mock.Mock(), mock.Mock(keepalive=2))
        response.status, response.status_code = "200 OK", 200
        headers = "".join(response.default_headers())
    assert "Server: yimen" in headers and "gunicorn" not in headers.lower()

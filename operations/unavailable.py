"""When the database drops (restart, failover, a killed connection), visitors get a 503 page in Chinese.

A request that fails because the database went away answers 503 with `Retry-After`, not a 500, and a
submitted form (POST) says plainly that nothing was saved and no tracking code was issued: a failed
transaction is rolled back, so a complaint either has its code and its row, or neither. The broken
connection is closed, so the worker's next request opens a new one.
"""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("数据库不可用：%s %s", request.method, request.path, exc_info=exception)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        html = render_to_string("operations/unavailable.html", {"submitted": request.method == "POST"})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "10"
        return response

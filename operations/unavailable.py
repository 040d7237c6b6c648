"""When the database drops (restart, failover, a killed connection), visitors get a 503 page in Chinese.

A request that fails because the database went away answers 503 with `Retry-After`, not a 500, and a
submitted form (POST) says plainly that nothing was saved and no tracking code was issued: a failed
transaction is rolled back, so a complaint either has its code and its row, or neither. The broken
connection is closed, so the worker's next request opens a new one.
"""

import logging
import sys

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

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
        return _unavailable({"submitted": request.method == "POST"})


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a database drop while it saves an existing session
    answers the 503 page like every other database drop. Django turns any database error during that
    save into SessionInterrupted, a 400 meant for a session deleted by a concurrent logout."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except SessionInterrupted as interrupted:
            cause = interrupted.__context__
            while cause is not None and not isinstance(cause, OperationalError | InterfaceError):
                cause = cause.__context__
            if cause is None:
                raise
            logger.error("数据库不可用（保存会话时）：%s %s", request.method, request.path, exc_info=cause)
            return _unavailable({"uncertain": request.method == "POST"})


def server_error(request):
    """handler500: a database that drops after the view (a middleware saving the session, say) gets the
    503 page too. The view may have saved the form by then, so a POST is told it may not have gone
    through, never that nothing was saved."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError | InterfaceError):
        return _unavailable({"uncertain": request.method == "POST"})
    return defaults.server_error(request)


def _unavailable(context):
    # A connection inside an atomic block belongs to someone else's transaction (a test case's): leave it.
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
    response = HttpResponse(render_to_string("operations/unavailable.html", context), status=503)
    response["Retry-After"] = "10"
    return response

"""GET /healthz: can this process answer? Checks the database and the search index, answers JSON.

200 when both work, 503 otherwise, so a load balancer takes a broken worker out of rotation and a
monitor sees which part failed. The answer names no host, path or version: the endpoint is public.
"""

import logging
import time

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _timed(check):
    started = time.perf_counter()
    try:
        result = check()
    except Exception as error:  # any failure of a dependency is an unhealthy answer, never a 500
        logger.warning("健康检查失败：%s", error, exc_info=True)
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_search():
    """The index answers, and holds documents whenever there are live guides to find."""
    from content.models import ServicePage
    from search import repair
    from search.backends import get_backend

    backend = get_backend()
    documents = backend.document_count()
    result = {"ok": True, "backend": backend.name, "documents": documents}
    if repair.rebuilding():
        result.update(ok=False, error="rebuilding")
    elif documents == 0 and ServicePage.objects.live().exists():
        result.update(ok=False, error="empty")
    return result


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _timed(check_database)}
    # Without a database the index check cannot tell "empty" from "fine"; report it as not run.
    checks["search"] = _timed(check_search) if checks["database"]["ok"] else {"ok": False, "error": "skipped"}
    healthy = all(c["ok"] for c in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)

from django.conf import settings
from django.core.checks import Error, register
from django.db import connection

from .backends import BACKENDS


@register()
def search_backend_check(app_configs, **kwargs):
    name = getattr(settings, "YIMEN_SEARCH_BACKEND", "whoosh")
    if name not in BACKENDS:
        return [Error(f"YIMEN_SEARCH_BACKEND = {name!r}：只能是 {' 或 '.join(BACKENDS)}。", id="search.E001")]
    if name == "postgres" and connection.vendor != "postgresql":
        return [
            Error(
                "YIMEN_SEARCH_BACKEND = 'postgres' 需要 PostgreSQL 数据库（DATABASE_URL=postgres://…）。",
                hint="单台服务器请使用默认的 whoosh 后端。",
                id="search.E002",
            )
        ]
    return []

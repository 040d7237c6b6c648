"""A search index that vanished while the site was serving rebuilds itself, and searches say so meanwhile.

When a search finds nothing, the index holds no document at all and the database has live guides,
the index was lost (deleted, a fresh disk, a restored database without its index). The process that
notices starts `indexing.rebuild()`; a marker in the default cache makes that happen once across
every worker sharing the cache, and every search shows `REBUILDING_MESSAGE` until the rebuild ends.
The rest of the site never depends on the index, so it keeps answering.
"""

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from content.models import ServicePage

from .indexing import rebuild

logger = logging.getLogger(__name__)

MARKER = "yimen:search:rebuilding"
# A rebuild of 10,000 guides takes about a minute; a worker killed mid-rebuild frees the marker
# after this long, and the next fruitless search starts again.
MARKER_SECONDS = 15 * 60


def rebuilding_message():
    return _("搜索服务正在重建索引，暂时可能搜不到部分事项，请几分钟后再试；也可以从“办事指南”目录按主题查找。")


def rebuilding():
    return bool(cache.get(MARKER))


def index_lost(backend):
    """True when the index is empty although there are live guides (checked only after an empty search)."""
    return backend.document_count() == 0 and ServicePage.objects.live().exists()


def start_rebuild():
    """Rebuild the whole index unless some process is already doing it; in the background when allowed."""
    if not cache.add(MARKER, True, MARKER_SECONDS):
        return False
    logger.warning("搜索索引为空而网站有已发布的事项：开始重建索引。")
    if settings.YIMEN_SEARCH_BACKGROUND_REFRESH:
        threading.Thread(target=_rebuild, kwargs={"own_thread": True}, name="search-index-rebuild", daemon=True).start()
    else:
        _rebuild()
    return True


def _rebuild(own_thread=False):
    try:
        pages = rebuild()
        logger.warning("搜索索引已重建：%s 个页面。", pages)
    except Exception:
        logger.exception("搜索索引重建失败，请运行 manage.py rebuild_search_index。")
    finally:
        cache.delete(MARKER)
        if own_thread:
            connection.close()  # the thread's own database connection; nothing else will close it

"""Keeping the index in step with the published site.

`sync_pages(ids)` makes the index hold exactly what is live now for those pages: it adds or replaces
the documents of live pages and drops those of unpublished, deleted or no-longer-indexable ones.
Inside a transaction the work waits for the commit, and every page touched in that transaction is
handled in one writer batch (a catalog import of 10,000 guides is one index commit, not 10,000).
"""

import datetime
import logging

from django.db import transaction

from wagtail.models import Page

from . import vocabulary
from .backends import get_backend
from .documents import all_indexable_page_ids, documents_for_pages

logger = logging.getLogger(__name__)

BATCH = 200


def _apply(page_ids):
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return
    backend = get_backend()
    try:
        for start in range(0, len(page_ids), 2000):
            chunk = page_ids[start : start + 2000]
            backend.index(documents_for_pages(chunk), chunk)
    except Exception:
        # A broken index must never stop an editor from publishing; `rebuild_search_index` repairs it.
        logger.exception("搜索索引更新失败（页面 %s），请运行 manage.py rebuild_search_index。", page_ids[:20])
    finally:
        vocabulary.mark_stale()


class _Batch:
    """Page ids waiting for the current transaction to commit."""

    def __init__(self):
        self.page_ids = set()
        self.done = False

    def __call__(self):
        self.done = True
        _apply(self.page_ids)


def sync_pages(page_ids, using=None):
    """Bring the index in line with the database for these pages, now or when the transaction commits."""
    page_ids = {int(i) for i in page_ids}
    if not page_ids:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _apply(page_ids)
        return
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _Batch) and not callback.done:
            callback.page_ids |= page_ids
            return
    batch = _Batch()
    batch.page_ids |= page_ids
    transaction.on_commit(batch, using=using)


def subtree_page_ids(page):
    """The page and all its descendants: a move changes every URL below it."""
    return list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


def rebuild(progress=None):
    """Rebuild the whole index from the database; returns the number of pages indexed.

    `progress(page_id)` is called once per indexed document. The live index keeps answering until
    the new one is complete; pages published meanwhile are caught up before the swap.
    """
    page_ids = all_indexable_page_ids()

    def documents():
        for start in range(0, len(page_ids), BATCH):
            yield from documents_for_pages(page_ids[start : start + BATCH])

    def catch_up(target, started):
        since = datetime.datetime.fromtimestamp(started - 2, tz=datetime.UTC)
        live = set(all_indexable_page_ids())
        changed = set(Page.objects.filter(pk__in=live, last_published_at__gte=since).values_list("pk", flat=True))
        indexed = target.indexed_page_ids()
        stale = (indexed - live) | (live - indexed) | changed
        if stale:
            target.index(documents_for_pages(stale), stale)

    get_backend().rebuild(documents(), progress=progress, catch_up=catch_up)
    vocabulary.invalidate()
    return len(page_ids)

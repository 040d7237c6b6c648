"""Wagtail's two per-save indexes (references and search), deferred during a bulk write and updated in batches.

Wagtail updates its reference index (object usage) and its search index from `post_save`, one object
at a time and again for every child row. A catalog import writes thousands of pages, so it switches
both off for its own thread and updates them once, in batches, for the pages it wrote.
"""

import logging
from contextlib import contextmanager

from django.db.models.signals import post_save

from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from asgiref.local import Local
from modelsearch.backends import get_search_backends_with_name
from modelsearch.index import class_is_indexed
from modelsearch.signal_handlers import post_save_signal_handler as search_update_on_save

logger = logging.getLogger(__name__)

_deferring = Local()


def _search_update_unless_deferred(sender, instance, **kwargs):
    """Stands in for modelsearch's own receiver while a bulk write runs: other threads still index per save."""
    if not getattr(_deferring, "active", False):
        search_update_on_save(sender=sender, instance=instance, **kwargs)


@contextmanager
def deferred_index_updates(*models):
    """Saves of `models` made by this thread inside the block update neither Wagtail index.

    The caller must call `update_indexes` for what it wrote before the transaction commits. Other
    threads keep indexing per save: the search receiver is swapped for one that checks the thread,
    connected before the original is removed and removed after it is back, so no save goes unindexed.
    """
    swapped = []
    for model in models:
        post_save.connect(_search_update_unless_deferred, sender=model)
        if post_save.disconnect(search_update_on_save, sender=model):
            swapped.append(model)
        else:  # the model is not searchable or opted out of auto-update; leave it so
            post_save.disconnect(_search_update_unless_deferred, sender=model)
    _deferring.active = True
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _deferring.active = False
        for model in swapped:
            post_save.connect(search_update_on_save, sender=model)
            post_save.disconnect(_search_update_unless_deferred, sender=model)


def update_indexes(model, objects):
    """Bring Wagtail's reference index and every auto-updated search backend up to date for `objects`.

    The objects are read as they are in memory, inline rows included, so pass them as just written.
    """
    objects = list(objects)
    if not objects:
        return
    if ReferenceIndex.is_indexed(model):
        for obj in objects:
            ReferenceIndex.create_or_update_for_object(obj)
    if not (class_is_indexed(model) and getattr(model, "search_auto_update", True)):
        return
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        try:
            backend.add_bulk(model, objects)
        except Exception:
            # The same policy as modelsearch's per-save update: an external service being down must not
            # lose the editor's data, but a database backend's error aborts the transaction anyway.
            logger.exception("Could not add %d %s objects to the %r search backend", len(objects), model.__name__, name)
            if not backend.catch_indexing_errors:
                raise

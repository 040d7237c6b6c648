"""What makes cached pages stale: any change to published content, announced by a signal.

Pages, snippets (departments, topics, staff, halls' inline rows), images, documents, redirects, site
settings and sites all live in the apps below; a save or delete of any of their models, a publish,
unpublish or move, and a catalog import bump the page-cache generation once per transaction, after
it commits (a bump before the commit would let a request re-cache the old content). Complaints,
ratings and search logs are not content: their writes never empty the cache.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from content.signals import catalog_imported

from .pagecache import bump_generation

CONTENT_APPS = {
    "content",
    "transparency",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "wagtailredirects",
    "wagtailsettings",
    "taggit",
}


class _BumpAfterCommit:
    """One bump for everything changed in the current transaction."""

    def __init__(self):
        self.done = False

    def __call__(self):
        self.done = True
        bump_generation()


def invalidate(using=None):
    if not settings.YIMEN_PAGE_CACHE:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        bump_generation()
        return
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _BumpAfterCommit) and not callback.done:
            return
    transaction.on_commit(_BumpAfterCommit(), using=using)


@receiver(post_save)
@receiver(post_delete)
@receiver(m2m_changed)
def model_changed(sender, using=None, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        invalidate(using)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(catalog_imported)
def content_changed(sender, **kwargs):
    invalidate()

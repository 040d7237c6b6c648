"""Reactions to content changes: free cached guide PDFs as soon as their page is published again.

The cache key already includes the live revision, so a missed signal never serves a stale PDF;
these receivers only keep the print folder from filling up with superseded files.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from content.models import ServicePage
from content.signals import catalog_imported

from .cache import guide_cache


@receiver(page_published, sender=ServicePage)
@receiver(page_unpublished, sender=ServicePage)
def forget_guide_pdf(sender, instance, **kwargs):
    guide_cache.invalidate(instance.pk)


@receiver(post_delete, sender=ServicePage)
def forget_deleted_guide_pdf(sender, instance, **kwargs):
    guide_cache.invalidate(instance.pk)


@receiver(catalog_imported)
def forget_imported_guide_pdfs(sender, page_ids=(), **kwargs):
    for page_id in page_ids:
        guide_cache.invalidate(page_id)

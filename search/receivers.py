"""The index follows the content: content sends signals, search listens (content never imports search)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from content.models import Department, ServiceHall, ServicePage, Topic
from content.signals import catalog_imported

from . import elsewhere, synonyms
from .indexing import subtree_page_ids, sync_pages
from .models import ElsewhereService, Synonym


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    sync_pages([instance.pk])


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    sync_pages([instance.pk])


@receiver(post_delete)
def page_was_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        sync_pages([instance.pk])


@receiver(post_page_move)
def page_was_moved(sender, instance, **kwargs):
    sync_pages(subtree_page_ids(instance))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    """A restriction set or lifted hides or shows its page and every page below it at once; guides
    handled at a hall in that subtree are re-indexed too, since their documents name readable halls."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when the restriction goes with its page
    subtree = set(subtree_page_ids(page)) if page else {instance.page_id}
    guides = ServiceHall.objects.filter(hall_id__in=subtree).values_list("service_id", flat=True)
    sync_pages(subtree | set(guides))


@receiver(catalog_imported)
def catalog_was_imported(sender, page_ids, **kwargs):
    sync_pages(page_ids)


@receiver(post_save, sender=Department)
def department_was_saved(sender, instance, created, **kwargs):
    if not created:
        sync_pages(ServicePage.objects.live().filter(department=instance).values_list("pk", flat=True))


@receiver(post_save, sender=Topic)
def topic_was_saved(sender, instance, created, **kwargs):
    if not created:
        sync_pages(ServicePage.objects.live().filter(topics=instance).values_list("pk", flat=True))


@receiver(post_save, sender=Synonym)
@receiver(post_delete, sender=Synonym)
def synonym_changed(sender, **kwargs):
    synonyms.invalidate()


@receiver(post_save, sender=ElsewhereService)
@receiver(post_delete, sender=ElsewhereService)
def elsewhere_service_changed(sender, **kwargs):
    elsewhere.invalidate()

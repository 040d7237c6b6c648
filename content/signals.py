"""Signals content sends so other apps can react without content importing them, and content's own
reactions to Wagtail's publish signals."""

import json

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.dispatch import Signal
from django.utils import timezone

from modelcluster.models import get_all_child_relations
from wagtail.models import PageLogEntry, Revision

from content.guide import change_lines, export_guide, guide_prefetch
from content.models import GuideChange, ServicePage

# Sent once after a bulk change of many service pages has been committed (for example a catalog
# import), with `page_ids`: the ids of every page created or changed. Receivers such as the search
# index update those pages in one batch instead of one at a time.
catalog_imported = Signal()

# History entries Wagtail writes when a revision goes live (now, or at its scheduled time).
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def what_the_guide_says(content):
    """A revision's content reduced to what a citizen reads in the guide: the title, every field the
    guide declares and its rows in order, without ids, bookkeeping or the 更新日期 itself."""
    names = ["title", *(f.name for f in ServicePage._meta.local_fields if f.name not in ("page_ptr", "updated"))]
    names += [f.name for f in ServicePage._meta.local_many_to_many]
    said = {name: content.get(name) for name in names}
    for relation in get_all_child_relations(ServicePage):
        if relation.field.related_model is not ServicePage:
            continue  # Wagtail's own (editors' comments)
        skip = {"pk", "id", relation.field.name}
        said[relation.name] = [
            {k: v for k, v in row.items() if k not in skip} for row in content.get(relation.name) or []
        ]
    return said


def as_stored(content):
    """Revision content as the database holds it: a revision just saved still has dates and decimals
    as Python objects, one read back has them as strings."""
    return json.loads(json.dumps(content, cls=DjangoJSONEncoder))


def previous_publication(page, revision):
    """The history entry of the publication before `revision` went live, with its revision; None on a first one."""
    return (
        PageLogEntry.objects.filter(page=page, action__in=PUBLISH_ACTIONS, revision__isnull=False)
        .exclude(revision=revision)
        .select_related("revision")
        .order_by("-pk")  # written in the order publications happen, whatever clock they carry
        .first()
    )


def date_guide_on_publish(sender, instance, revision, **kwargs):
    """Keep 更新日期 (ServicePage.updated) the day, in Beijing time, the guide last said something new.

    A publication that changes what the guide says (materials, fees, time limits …) dates it today,
    unless the editor changed the date in that same revision: then the editor's date stands. A
    publication that changes nothing a citizen reads (a republish, a new SEO title) keeps the date.
    The date is written to the page and to the live revision, so the web page, the PDF, the home
    page's 最近更新 and the next edit form all show the same day.
    """
    if revision is None or not isinstance(instance, ServicePage) or not instance.live:
        return  # not live yet: dated when its scheduled publication comes
    new = as_stored(revision.content)
    given = new.get("updated")
    entry = previous_publication(instance, revision)
    if entry is None:
        date = given or timezone.localdate().isoformat()
    else:
        old = as_stored(entry.revision.content)
        if what_the_guide_says(new) != what_the_guide_says(old):
            date = given if given != old.get("updated") and given else timezone.localdate().isoformat()
        else:
            # Unchanged guide: the date stays; a guide never dated keeps the day it last changed.
            date = given or old.get("updated") or timezone.localdate(entry.timestamp).isoformat()
    if date == given:
        return  # publishing copied the revision's date to the page already
    revision.content["updated"] = date
    Revision.objects.filter(pk=revision.pk).update(content=revision.content)
    ServicePage.objects.filter(pk=instance.pk).update(updated=date)
    instance.updated = ServicePage._meta.get_field("updated").to_python(date)


def _guide_as_published(page):
    """What the guide says (content.guide, catalog form) for a page or a revision's page object."""
    return export_guide(page)


def record_guide_changes(sender, instance, revision, **kwargs):
    """Add an entry to 本指南变更记录 when a publication changes what the guide tells people.

    The lines come from the guide's declared elements (materials added or removed, fees, time limits,
    conditions …) by comparing the publication before with this one. Its date is the 本次变更生效日期
    the editor set in this revision, else the day (Beijing time) it was published. A first publication
    and a republish that changes nothing people read add nothing.
    """
    if revision is None or not isinstance(instance, ServicePage) or not instance.live:
        return
    entry = previous_publication(instance, revision)
    if entry is None:
        return
    try:
        old = _guide_as_published(entry.revision.as_object())
    except ObjectDoesNotExist:
        return  # the earlier revision names a hall or department since deleted: nothing to compare with
    page = ServicePage.objects.select_related("department").prefetch_related(*guide_prefetch()).get(pk=instance.pk)
    new = _guide_as_published(page)
    lines = change_lines(old, new)
    if not lines:
        return
    effective = page.change_effective
    if effective is None or effective.isoformat() == old.get("change_effective"):
        effective = timezone.localdate()
    GuideChange.objects.create(service=page, effective=effective, lines=lines)

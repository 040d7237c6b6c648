from dataclasses import dataclass

from django import template
from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page

from content.models import readable
from transparency.models import HallMapPage, NoticeIndexPage, NoticePage, RuleIndexPage, StatisticsPage

register = template.Library()


@register.filter
def percent(value):
    """A share (0–1) as 97.5%; None (nothing to divide by) as —."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@dataclass
class Section:
    """One 政务公开 page as the links to it show it: `kind` names the model, `page` is a plain Page."""

    kind: str
    page: Page


SECTION_MODELS = {
    "rules": RuleIndexPage,
    "notices": NoticeIndexPage,
    "statistics": StatisticsPage,
    "hall_map": HallMapPage,
}


@register.simple_tag
def transparency_sections():
    """`{% transparency_sections as sections %}`: the readable 政务公开 pages in a fixed order (rules, notices, statistics, hall map), one query.

    A page that is missing, unpublished or under a view restriction is left out, so no link on a
    public page leads to a 404 or a password prompt; the titles are the editors'.
    """
    models = SECTION_MODELS
    types = ContentType.objects.get_for_models(*models.values())
    kind_of = {types[model].pk: kind for kind, model in models.items()}
    found = {}
    for page in readable(Page.objects.filter(content_type__in=kind_of)).order_by("path"):
        found.setdefault(kind_of[page.content_type_id], page)
    return [Section(kind, found[kind]) for kind in models if kind in found]


@register.simple_tag
def latest_notices(count=3):
    """`{% latest_notices 3 as notices %}`: the newest readable notices (通知公告)."""
    return list(readable(NoticePage.objects.all()).order_by("-date", "-pk")[:count])

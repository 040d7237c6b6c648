"""The printed documents of one guide as PDF bytes: the guide itself and its materials checklist."""

from django.utils import timezone

from wagtail.models import Site

from content.models import PortalSettings

from .cache import fingerprint, guide_cache
from .checklists import Checklist
from .guides import PrintedGuide
from .rendering import render_pdf


def portal_settings():
    """The default site's PortalSettings (portal name, hotline), or None before the site exists."""
    site = Site.objects.filter(is_default_site=True).first()
    return PortalSettings.for_site(site) if site is not None else None


def render_guide_pdf(page, portal=None):
    """Lay out the guide afresh, without the cache."""
    guide = PrintedGuide(page)
    return render_pdf(
        "exports/guide_pdf.html",
        {"guide": guide, "portal": portal},
        title=f"{page.title} 办事指南",
        author=guide.place.hall.title if guide.place.hall else (portal.portal_name if portal else ""),
    )


def guide_pdf(page):
    """The guide's PDF, laid out once per revision and served from the cache afterwards."""
    portal = portal_settings()
    key = fingerprint(page, portal)
    data = guide_cache.get(page.pk, key)
    if data is None:
        data = render_guide_pdf(page, portal)
        guide_cache.put(page.pk, key, data)
    return data


def checklist_context(page, today=None):
    portal = portal_settings()
    return {"checklist": Checklist(PrintedGuide(page), today or timezone.localdate()), "portal": portal}


def checklist_pdf(page, today=None):
    """The one-page materials checklist; never cached, since its expected date moves with today."""
    context = checklist_context(page, today)
    return render_pdf("exports/checklist_pdf.html", context, title=f"{page.title} 一次性告知单")

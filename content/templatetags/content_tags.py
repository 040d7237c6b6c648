"""Template helpers for the public pages: links to the portal's fixed places, breadcrumbs, the plain-language
wording of a guide's figures and phone numbers as links."""

import re
from dataclasses import dataclass

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wagtail.models import Page

from content import guide
from content.models import CatalogPage, HallIndexPage, readable

register = template.Library()


@dataclass(frozen=True)
class PortalLinks:
    """The addresses of the portal's fixed places; "" for a page that is missing or that visitors may not read."""

    home: str
    catalog: str
    halls: str


def home_url():
    """The site root, under whatever path prefix the portal is served at (no database needed)."""
    return reverse("wagtail_serve", args=[""])


@register.simple_tag(takes_context=True)
def portal_links(context):
    """`{% portal_links as links %}`: the home page, the catalog and the hall list as addresses.

    The pages are found by their type, not their slug, and addressed the way `{% pageurl %}` does, so a
    renamed slug or a portal served under a path prefix still links right. One query per request.
    """
    request = context.get("request")
    cached = getattr(request, "_portal_links", None)
    if cached is not None:
        return cached
    types = ContentType.objects.get_for_models(CatalogPage, HallIndexPage)
    kind_of = {types[CatalogPage].pk: "catalog", types[HallIndexPage].pk: "halls"}
    found = {}
    for page in readable(Page.objects.filter(content_type__in=kind_of)).order_by("path"):
        found.setdefault(kind_of[page.content_type_id], page.get_url(request) or "")
    links = PortalLinks(home=home_url(), catalog=found.get("catalog", ""), halls=found.get("halls", ""))
    if request is not None:
        request._portal_links = links
    return links


@register.simple_tag
def nav_current(path, url):
    """` aria-current="page"` on the link to where one is, ` aria-current="true"` on the section one is inside."""
    if not url:
        return ""
    if path == url:
        return mark_safe(' aria-current="page"')
    if url != home_url() and path.startswith(url):
        return mark_safe(' aria-current="true"')
    return ""


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, current="", via="", via_url="", css_class=""):
    """The one breadcrumb trail of the public site: 首页 › … › where one is.

    `{% breadcrumbs page %}` for a page of the tree (the site root left out); `{% breadcrumbs page current=label %}`
    for a view of that page (its checklist, staff board, history); `{% breadcrumbs current=label %}` for a
    view outside the tree, with an optional step `via`/`via_url` between the home page and it.
    """
    request = context.get("request")
    if page is not None:
        ancestors = Page.objects.ancestor_of(page).filter(depth__gte=2).order_by("depth") if page.depth > 2 else []
        trail = [(_("首页") if a.depth == 2 else a.title, a.get_url(request)) for a in ancestors]
        if current:
            trail.append((page.title, page.get_url(request)))
        else:
            current = page.title
    else:
        trail = [(_("首页"), home_url())]
    if via:
        trail.append((via, via_url))
    return {"trail": trail, "current": current, "css_class": css_class}


@register.filter
def time_limit(days, unit):
    """A time limit as people say it (content.guide.limit_text): 0 → 当场办结, 20 → 20个工作日."""
    return guide.limit_text({"days": days, "unit": unit}, with_note=False)


@register.filter
def visits_text(visits):
    """到办事现场次数 in words (content.guide.visits_text): 0 → 不用跑（全程网办）, 1 → 最多跑一次."""
    return guide.visits_text(visits)


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with Paginator.ELLIPSIS where numbers are skipped."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


# A phone number as editors write it: digits with dashes or spaces between groups (0734-4362011,
# 138 0000 1234, 12345, +86 734 4362011). At least five digits, so years and counts in a sentence
# stay text; an extension after 转 or - stays in the shown text but is not dialled.
_PHONE = re.compile(r"(?<![0-9])\+?[0-9](?:[0-9]|[- ](?=[0-9])){3,}[0-9](?![0-9])")


@register.filter(needs_autoescape=True)
def tel_links(value, autoescape=True):
    """Every phone number in `value` as a tap-to-call link (`tel:` with the digits only); the rest stays text.

    For web pages only: printed documents and PDFs show the number as it was written.
    """
    escape = conditional_escape if autoescape else str
    text = str(value or "")
    parts, last = [], 0
    for match in _PHONE.finditer(text):
        number = match.group(0)
        digits = re.sub(r"[^0-9+]", "", number)
        if len(digits.lstrip("+")) < 5:
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(format_html('<a class="tel" href="tel:{}">{}</a>', digits, number))
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 - every part is escaped above


@register.filter
def required_count(materials):
    """How many of a guide's materials are 必要 (the rest are 容缺 or 非必要)."""
    return sum(1 for material in materials if material.required)

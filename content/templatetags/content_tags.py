"""Template helpers for the public pages: links to the portal's fixed places, breadcrumbs, the plain-language
wording of a guide's elements (always through content.guide, so the page says what the PDF and the open
data say) and phone numbers as links."""

import json
import re
from dataclasses import dataclass

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wagtail.models import Page

from content import guide
from content.models import CatalogPage, HallIndexPage, PortalSettings, ServiceStatus, SiteBanner, readable

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
def date_text(day):
    """A date as people read it (content.guide.date_text): 2026年3月1日, on the page and on paper alike."""
    return guide.date_text(day)


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
    """How many of a guide's materials are 必要 (the rest are 容缺 or 非必要), as content.guide words each."""
    return sum(1 for material in materials if guide.necessity_text(_material(material)) == "必要")


@register.filter
def guide_text(page, key):
    """One element of the guide as people read it (content.guide.text): `{{ page|guide_text:"scope" }}`."""
    return guide.text(key, guide.element(key).export(page))


def _material(material):
    """A Material row in catalog form, without its documents (the page links those itself)."""
    return {p.key: p.export(material) for p in guide.element("materials").parts if p.kind != "document"}


@register.filter
def material_marks(material):
    """The marks beside a material other than 容缺, which its 必要性 already says: 免提交（部门共享获取）,
    可用电子证照, 可告知承诺 (content.guide.material_marks)."""
    return [mark for mark in guide.material_marks(_material(material)) if mark != "容缺"]


@register.filter
def promise_materials(materials):
    """The materials a signed promise replaces (可告知承诺)."""
    return [material for material in materials if material.promise_ok]


@register.filter
def deferral_text(material):
    """“容缺受理，可在受理后5个工作日内补交” for a 容缺 material, "" for others (content.guide.deferral_text)."""
    return guide.deferral_text(_material(material))


@register.filter
def text_lines(text):
    """The non-empty lines of a text field (常见错误 is one per line)."""
    return guide.lines_of(text)


@register.filter
def special_text(procedure):
    """A 特别程序 with its time, said not to count in the time limit (content.guide.special_text)."""
    return guide.special_text({"kind": procedure.kind, "time_limit": procedure.time_limit, "note": procedure.note})


@register.filter
def guide_changes(page):
    """本指南变更记录, newest first; none for a guide previewed before its first save (no rows can point at it)."""
    return list(page.changes.all()) if page.pk else []


@register.simple_tag
def hall_roles(page):
    """{hall id: what that hall does with the item (content.guide.hall_roles_text)}, or {} when no hall of the
    guide has roles of its own (then every hall handles it all and the page need not say so)."""
    links = list(page.service_halls.all())
    if not any(link.roles for link in links):
        return {}
    return {link.hall_id: guide.hall_roles_text(link.roles) for link in links}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.filter
def status_notice(page):
    """The guide's 办理状态 notice today (content.guide.status_notice: while in force or still to come,
    as paper prints it); "" while 正常 and after its end date."""
    return guide.status_notice(guide.element("status").export(page), timezone.localdate())


@register.filter
def status_class(state):
    """The CSS modifier of a 办理状态 badge or notice: 暂停受理 stands out more than 调整中."""
    return "suspended" if state == ServiceStatus.SUSPENDED else "adjusting"


@register.inclusion_tag("components/site_banner.html")
def site_banners():
    """The 全站通知横幅 showing now, the most urgent first. A banner's save or delete empties the page
    cache; one that starts or ends on its own shows up or goes within the cache's lifetime (300 s)."""
    return {"banners": list(SiteBanner.objects.current())}


# What json_script escapes: no "</script>", "<!--" or "&" an editor wrote can end the element or be
# read as markup, and the JSON stays the same to any JSON reader.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _drop_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def government_service(page, places, request):
    """The guide as schema.org GovernmentService: who provides it, where it is served, and each hall (with
    its address and phone) and the online service as a ServiceChannel."""
    portal = PortalSettings.for_request(request) if request is not None else None
    channels = []
    for hall, _windows in places:
        location = {
            "@type": "Place",
            "name": hall.title,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": page.address or hall.address,
                "addressCountry": "CN",
            },
            "telephone": hall.phone,
        }
        if hall.latitude is not None and hall.longitude is not None:
            location["geo"] = {"@type": "GeoCoordinates", "latitude": hall.latitude, "longitude": hall.longitude}
        channels.append(
            _drop_empty(
                {
                    "@type": "ServiceChannel",
                    "name": hall.title,
                    "serviceUrl": hall.get_full_url(request),
                    "serviceLocation": _drop_empty(location),
                }
            )
        )
    if page.online_available:
        url = page.online_url if page.online_url.startswith(("https://", "http://")) else ""
        channels.append(
            _drop_empty(
                {"@type": "ServiceChannel", "name": "网上办理", "serviceUrl": url, "description": page.online_depth}
            )
        )
    return _drop_empty(
        {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": page.title,
            "serviceType": page.item_type,
            "identifier": page.code,
            "url": page.get_full_url(request),
            "description": page.search_description,
            "provider": {"@type": "GovernmentOrganization", "name": page.department.name},
            "areaServed": {"@type": "AdministrativeArea", "name": portal.region_name}
            if portal and portal.region_name
            else None,
            "availableChannel": channels,
        }
    )


@register.simple_tag(takes_context=True)
def guide_json_ld(context, page, places):
    """The guide's GovernmentService as a `<script type="application/ld+json">` data block: not a script the
    browser runs, so the public CSP (script-src 'self') lets it be; escaped like json_script."""
    data = json.dumps(government_service(page, places, context.get("request")), ensure_ascii=False)
    escaped = mark_safe(data.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped like json_script
    return format_html('<script type="application/ld+json">{}</script>', escaped)

"""Template helpers for the public pages: breadcrumbs and the plain-language wording of a guide's figures."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail.models import Page

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page):
    """The trail from the home page down to `page` (首页 › 办事指南 › item); the site root is left out."""
    ancestors = Page.objects.ancestor_of(page).filter(depth__gte=2).order_by("depth") if page.depth > 2 else []
    return {"request": context.get("request"), "ancestors": ancestors, "page": page}


@register.filter
def time_limit(days, unit):
    """A time limit as people say it: 0 → 当场办结, 20 → 20个工作日; None → 无法定时限."""
    if days is None:
        return _("法律法规未规定")
    if days == 0:
        return _("当场办结")
    return _("%(days)s个%(unit)s") % {"days": days, "unit": unit}


@register.filter
def visits_text(visits):
    """到办事现场次数 in words: 0 → 全程网办, 1 → 最多跑一次, n → n 次."""
    if visits == 0:
        return _("不用跑（全程网办）")
    if visits == 1:
        return _("最多跑一次")
    return ngettext("跑 %(n)s 次", "跑 %(n)s 次", visits) % {"n": visits}


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current one, with Paginator.ELLIPSIS where numbers are skipped."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))

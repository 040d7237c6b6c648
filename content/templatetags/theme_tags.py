"""Template helpers for the site theme: the branded stylesheet's URL and the elder-mode state."""

from django import template
from django.urls import reverse

from content.elder import elder_mode_on
from content.views import site_theme_css

register = template.Library()


@register.simple_tag(takes_context=True)
def theme_css_url(context):
    """URL of the site's colour stylesheet, versioned by its content so it can be cached for a year."""
    request = context.get("request")
    if request is None:
        return ""
    _css, version = site_theme_css(request)
    return reverse("content:theme_css", args=[version])


@register.simple_tag(takes_context=True)
def elder_mode(context):
    """True when the visitor switched elder mode on (cookie `yimen_elder=1`)."""
    return elder_mode_on(context.get("request"))

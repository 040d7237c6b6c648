import secrets
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from content.models import HallPage, ServicePage

from ..forms import RatingForm, view_token

register = template.Library()


@register.simple_tag
def rating_form(page):
    """An unbound rating form for `page`, carrying a fresh one-use token for this page view."""
    return RatingForm(page=page, initial={"token": view_token(page, secrets.token_urlsafe(16))})


@register.simple_tag
def complaint_url(page):
    """The complaint form with this guide or hall filled in."""
    url = reverse("complaints:form")
    if isinstance(page, ServicePage):
        return f"{url}?{urlencode({'service': page.code})}"
    if isinstance(page, HallPage):
        return f"{url}?{urlencode({'hall': page.code})}"
    return url

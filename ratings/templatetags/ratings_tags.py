import secrets

from django import template

from ..forms import RatingForm, view_token

register = template.Library()


@register.simple_tag
def rating_form(page):
    """An unbound rating form for `page`, carrying a fresh one-use token for this page view."""
    return RatingForm(page=page, initial={"token": view_token(page, secrets.token_urlsafe(16))})

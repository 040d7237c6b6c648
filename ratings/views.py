"""The rating endpoint: every guide and hall page posts its 好差评 form here."""

import secrets

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from publicforms.protection import limit_exceeded, refuse

from .forms import RatingForm, view_token
from .handling import DuplicateRating, submit_rating


@never_cache
@require_POST
def rate(request):
    form = RatingForm(request.POST)
    message = limit_exceeded(request, "rating")
    if message:
        return _retry(request, refuse(form, message), status=429)
    if not form.is_valid():
        return _retry(request, form, status=400)
    data = form.cleaned_data
    try:
        submit_rating(
            page=form.page,
            nonce=data["token"],
            score=data["score"],
            comment=data["comment"],
            contact_phone=data["contact_phone"],
            hall=data["hall"],
        )
    except DuplicateRating:
        form.add_error(None, _("这次浏览已经评价过了，感谢您的参与。如需再次评价，请重新打开页面。"))
        return _retry(request, form, status=409)
    return HttpResponseRedirect(f"{form.page.url}?rated=1#rating")


def _retry(request, form, status):
    """The rating form again, with the person's choice and comment, and the reason it was not taken.

    A stale or reused form gets a fresh token, so sending it again works.
    """
    if form.page is not None and ("token" in form.errors or status == 409):
        form.data = form.data.copy()
        form.data["token"] = view_token(form.page, secrets.token_urlsafe(16))
    return render(request, "ratings/rating_retry.html", {"form": form, "page": form.page}, status=status)

"""Protection shared by the public forms (complaints, questions, 代办 requests, tracking, ratings): honeypot,
per-client rate limits and refusing a form without losing what was typed.

Rate limits count every POST per client IP in `settings.PUBLIC_FORM_RATES` (django-ratelimit's
counters in the "ratelimit" cache). A limited request is answered with status 429 and the same
form, bound to what the person typed, so nothing they wrote is lost.
"""

import math

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_ratelimit.core import get_usage

HONEYPOT_FIELD = "website"


class HoneypotMixin(forms.Form):
    """Adds a field people never see; software that fills every input fills it, and the form refuses."""

    website = forms.CharField(
        label=gettext_lazy("网址（请留空）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise ValidationError(
                _("提交未通过安全校验。如果您使用了自动填表工具，请关闭后重新提交；您填写的内容已保留。"),
                code="honeypot",
            )
        return cleaned


def limit_exceeded(request, group):
    """None when the request may go on; otherwise a Chinese message saying when to try again.

    Every call counts one attempt for the client's IP in `group`.
    """
    rate = settings.PUBLIC_FORM_RATES[group]
    usage = get_usage(request, group=f"yimen.{group}", key="ip", rate=rate, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    minutes = max(1, math.ceil(usage["time_left"] / 60)) if usage["time_left"] > 0 else 1
    return _("提交过于频繁，请 %(minutes)d 分钟后再试。您填写的内容已保留在下面的表单中。") % {"minutes": minutes}


def refuse(form, message):
    """Bind `message` to the form as its only error, without validating (and so without reading uploads)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, message)
    return form

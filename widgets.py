"""Form widgets every form of the portal shares, so a browser can always show back what was stored.

A browser shows an `<input type="date">` only when its value is an ISO date (2026-12-03) and sends an
empty value back for anything else. Django renders a date in the first of the active language's input
formats, which for zh-hans is 2026/12/03: the field then looks empty and saving the form again erases
the stored date. This widget always renders the ISO form the input type requires; every date input
of the portal uses it (tests/test_admin_roundtrip.py re-saves every admin form unchanged).

A browser sends the line breaks of a `<textarea>` as CRLF (the HTML standard says so), while imported
catalogs and everything typed elsewhere use LF. Stored as sent, a guide saved again unchanged would
differ from itself (its 更新日期 would move, its change log would show edits nobody made).
`MultilineField` stores LF whatever the browser sends, and every plain text field of the Wagtail
admin uses it (`register_admin_text_fields`).
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class IsoDateInput(forms.DateInput):
    """`<input type="date">` with its value always in the ISO form the browser shows and sends back."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class IsoDateTimeInput(forms.DateTimeInput):
    """`<input type="datetime-local">` with its value in the ISO form (2026-12-03T09:30) the browser needs."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)


class MultilineField(forms.CharField):
    """Text from a `<textarea>` with its line breaks stored as LF, however the browser sent them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def register_admin_text_fields():
    """Every plain TextField in Wagtail's admin forms (pages, their inline rows, snippets, settings) takes
    MultilineField, keeping Wagtail's own auto-height textarea (RichTextField is a subclass and stays as is)."""
    from django.db import models

    from wagtail.admin.forms.models import register_form_field_override
    from wagtail.admin.widgets import AdminAutoHeightTextInput

    register_form_field_override(
        models.TextField, override={"form_class": MultilineField, "widget": AdminAutoHeightTextInput}, exact_class=True
    )

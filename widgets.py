"""Form widgets every form of the portal shares, so a browser can always show back what was stored.

A browser shows an `<input type="date">` only when its value is an ISO date (2026-12-03) and sends an
empty value back for anything else. Django renders a date in the first of the active language's input
formats, which for zh-hans is 2026/12/03: the field then looks empty and saving the form again erases
the stored date. This widget always renders the ISO form the input type requires; every date input
of the portal uses it (tests/test_admin_roundtrip.py re-saves every admin form unchanged).
"""

from django import forms

ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """`<input type="date">` with its value always in the ISO form the browser shows and sends back."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


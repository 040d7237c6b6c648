"""Chinese phone numbers as people type them: full-width digits, spaces, brackets, +86, dashes."""

import re
import unicodedata

from django import forms

# ASCII digits only: Python's \d also matches Arabic-Indic, Devanagari and other digits, which no
# Chinese phone number contains and which would be stored as they were typed.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")


def normalise_phone(value):
    """Digits and at most two dashes; full-width digits and signs made half-width (NFKC), spaces, brackets and a +86 prefix removed."""
    value = unicodedata.normalize("NFKC", value or "")
    value = re.sub(r"[\s()]", "", value).replace("—", "-")
    if value.startswith("+86"):
        value = value[3:]
    return value


def is_valid_phone(phone):
    """True for a normalised mobile number or a landline with its area code."""
    return bool(_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone))


def is_mobile(phone):
    """True for a normalised mobile number: the only kind an SMS can reach."""
    return bool(_MOBILE.fullmatch(phone or ""))


def phone_digits(value):
    return re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", value or ""))


def masked_phone(phone):
    """138****1234: enough for a handler's list or a log line, not to call."""
    digits = phone_digits(phone)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class PhoneInput(forms.TextInput):
    """A phone field that opens the phone keypad on touch screens (type="tel") and lets the browser fill it in."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})

"""Whole numbers from the outside (query strings, form fields): the one parser every integer parameter goes through.

A number from a visitor is ASCII digits and nothing else. Python's int() also reads other scripts'
digits (‘٣’, ‘३’, full-width ‘３’) and the database cannot hold every integer Python can (SQLite raises
OverflowError past 2**63 - 1), so `int()` on raw input either picks an object the visitor never saw or
answers 500. `parse_int` gives None for anything but a number in range, so every caller can answer
400, fall back to a default or say "no such choice"; `IdChoiceField` does the same for model choices.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models, router

# Twenty digits is more than any integer column holds, and keeps int() on hostile input cheap.
_DIGITS = re.compile(r"[0-9]{1,20}")
# Every backend the portal runs on stores integers in at most 64 bits.
BIGGEST = 2**63 - 1


def parse_int(value, *, minimum=0, maximum=BIGGEST):
    """The integer `value` spells in ASCII digits, or None.

    None also when it lies outside [minimum, maximum]; spaces, signs, decimal points and other
    scripts' digits are not numbers here.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if minimum <= number <= maximum else None


def id_range(model):
    """(lowest, highest) primary key the model's table can hold on the database it is read from.

    A child page's key is a link to its parent's, so the range is that of the column it points to.
    """
    field = model._meta.pk
    while field.is_relation:
        field = field.target_field
    low, high = connections[router.db_for_read(model)].ops.integer_field_range(field.get_internal_type())
    return max(low or 0, 0), min(high or BIGGEST, BIGGEST)


def parse_id(value, model):
    """The primary key `value` names for `model`, or None when it cannot be one (not digits, out of range)."""
    low, high = id_range(model)
    return parse_int(value, minimum=low, maximum=high)


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose value is read with `parse_id`.

    An id in another script's digits or beyond the table's range is an invalid choice, like any id not
    on the list, never a database error.
    """

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, models.Model) or self.to_field_name:
            return super().to_python(value)
        key = parse_id(value, self.queryset.model)
        if key is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(key)

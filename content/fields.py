"""Model fields the guide's elements share."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.JSONField):
    """A few values from a fixed list (窗口权限, a hall's roles, how the result is received), stored as a
    JSON list in the list's own order and edited as checkboxes."""

    def __init__(self, *args, options=(), **kwargs):
        self.options = tuple(options)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["options"] = self.options
        if kwargs.get("default") is list:
            del kwargs["default"]
        kwargs.pop("blank", None)
        if not self.blank:
            kwargs["blank"] = False
        return name, path, args, kwargs

    def ordered(self, values):
        """`values` in the options' order, each once; unknown values raise ValueError."""
        values = list(values or [])
        unknown = [v for v in values if v not in self.options]
        if unknown:
            raise ValueError(unknown)
        return [o for o in self.options if o in values]

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            self.ordered(value)
        except ValueError as error:
            raise ValidationError(
                "%(field)s 的取值 %(values)s 无效，可选：%(options)s",
                params={
                    "field": self.verbose_name,
                    "values": "、".join(map(str, error.args[0])),
                    "options": "、".join(self.options),
                },
                code="invalid_choice",
            ) from None

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, (list, tuple)) and all(v in self.options for v in value):
            value = self.ordered(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=[(o, o) for o in self.options],
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )

"""The registry of case kinds: each kind's app declares once what the core needs to know about it.

A kind registers itself in its AppConfig.ready(); the core (codes, tracking, handling, access, the
admin queue, notifications and the Open311 API) reads everything kind-specific from here and never
imports a kind's app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps


@dataclass(frozen=True)
class Kind:
    key: str  # "complaint": the Open311 service group and the audit-log prefix's kind
    label: str  # "投诉": used in every message ("投诉已办结")
    prefix: str  # "TS": the tracking code's first letters, which tell the kind of a typed code
    model_label: str  # "complaints.Complaint"
    handler_group: str  # the group whose members see personal data and handle this kind
    working_days: Callable  # (case) -> working days from the day received to the deadline
    track_template: str  # the public tracking page's result, rendered for a code of this kind
    track_url: str  # URL name of the kind's tracking page
    follow_up: bool = False  # 回访 with the citizen's satisfaction after the reply
    extra: dict = field(default_factory=dict)

    @property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def app_label(self):
        return self.model_label.split(".")[0]

    def action(self, verb):
        """The audit-log action of a step, e.g. complaints.reply."""
        return f"{self.app_label}.{verb}"

    def example_code(self):
        return f"{self.prefix}-2026-7KQ4-M2XD"


_KINDS: dict[str, Kind] = {}


def register(kind):
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"case kind {kind.key!r} registered twice")
    if any(other.prefix == kind.prefix and other.key != kind.key for other in _KINDS.values()):
        raise ValueError(f"tracking code prefix {kind.prefix!r} already taken")
    _KINDS[kind.key] = kind
    return kind


def get(key):
    return _KINDS[key]


def all_kinds():
    return list(_KINDS.values())


def by_prefix(prefix):
    return next((kind for kind in _KINDS.values() if kind.prefix == prefix), None)


def of(case):
    """The kind of a case instance."""
    label = case._meta.label
    return next(kind for kind in _KINDS.values() if kind.model_label == label)


def handler_groups():
    return {kind.handler_group for kind in _KINDS.values()}

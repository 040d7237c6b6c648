"""Everything that changes a case, of any kind, each step written to Wagtail's audit log (ModelLogEntry).

Views, the Open311 API and commands call exactly one of these functions; they are the only place where a
case's status moves: 已受理 (received) → 处理中 (assigned to a department) → 已答复 (reply published) →
已办结 (closed), with an extension of the deadline, the citizen reopening it once (a second time it goes
to the centre's head) and, for complaints, a 回访 recording the citizen's satisfaction.
Every step sends `cases.signals.case_changed` inside its transaction.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.log_actions import log

from content.workdays import add_working_days

from . import codes, kinds
from .deadlines import due_date
from .models import Status
from .signals import case_changed

CODE_ATTEMPTS = 8
REOPEN_WORKING_DAYS = 3


class HandlingError(Exception):
    """A step that does not fit the case's current state; the message is for the handler or the citizen."""


def announce(case, event, *, user=None, **data):
    """Log step `event` of `case` and send `case_changed`: for a kind's own steps (complaints' severity, 代办 steps)."""
    kind = kinds.of(case)
    log(case, kind.action(event), user=user, data=data or None)
    case_changed.send(sender=kind.model, case=case, kind=kind, event=event, user=user, data=data)


def store_once(kind, fields, *, token, inside=None, user=None, log_data=None):
    """Store a new case of `kind` exactly once per form token; returns (case, created).

    A second submission of the same form (double click, resent request, a client retrying the API)
    returns the case stored the first time. `inside(case)` runs in the same transaction (attachments'
    rows). The transaction is durable, so "committed" means committed: a caller's transaction cannot
    roll it back later. The deadline is the kind's working days from the day received.
    """
    model = kind.model
    if token:
        existing = model.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    fields = {"consented_at": now, "received_at": now, **fields, "submission_token": token or None}
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic(durable=True):
                case = model(**fields)
                received_on = timezone.localdate(case.received_at)
                case.tracking_code = codes.new_code(kind.prefix, received_on.year)
                if not fields.get("due_on"):
                    case.due_on = due_date(case, received_on)
                case.save(force_insert=True)
                if inside is not None:
                    inside(case)
                announce(case, "submit", user=user, channel=case.channel, **(log_data or {}))
        except IntegrityError:
            if token:
                existing = model.objects.filter(submission_token=token).first()
                if existing is not None:
                    return existing, False
            if attempt == CODE_ATTEMPTS - 1:
                raise
        else:
            return case, True
    raise AssertionError("unreachable")


def _locked(case):
    return type(case).objects.select_for_update().get(pk=case.pk)


def record_view(case, user, *, personal_data_shown):
    log(case, kinds.of(case).action("view"), user=user, data={"personal_data_shown": personal_data_shown})


def record_public_lookup(case):
    log(case, kinds.of(case).action("track"))


@transaction.atomic
def assign(case, *, department, user, **changes):
    """Hand the case to a department; `changes` are kind-specific fields that fix the deadline (complexity)."""
    kind = kinds.of(case)
    case = _locked(case)
    if case.status == Status.CLOSED:
        raise HandlingError(f"已办结的{kind.label}不能再交办。")
    names = ["department", *changes]
    before = {name: _plain(getattr(case, name)) for name in names} | {"due_on": case.due_on.isoformat()}
    case.department = department
    for name, value in changes.items():
        setattr(case, name, value)
    if case.extended_at is None and case.reopen_count == 0:
        case.due_on = due_date(case)
    if case.status == Status.RECEIVED:
        case.status = Status.ASSIGNED
    case.assigned_at = timezone.now()
    case.save(update_fields=[*names, "due_on", "status", "assigned_at"])
    after = {name: _plain(getattr(case, name)) for name in names} | {"due_on": case.due_on.isoformat()}
    announce(case, "assign", user=user, before=before, after=after)
    return case


def _plain(value):
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def add_note(case, *, text, user):
    note = case.notes.create(author=user, text=text)
    log(case, kinds.of(case).action("note"), user=user, data={"note": note.pk})
    return note


@transaction.atomic
def publish_reply(case, *, reply, user):
    """Publish (or correct) the reply the citizen reads on the tracking page."""
    kind = kinds.of(case)
    case = _locked(case)
    if case.status == Status.CLOSED:
        raise HandlingError(f"已办结的{kind.label}不能再修改答复。")
    first = case.replied_at is None
    case.reply = reply
    if first:
        case.replied_at = timezone.now()
    case.status = Status.REPLIED
    case.save(update_fields=["reply", "replied_at", "status"])
    announce(case, "reply", user=user, first_reply=first, on_time=case.answered_on_time)
    return case


@transaction.atomic
def close(case, *, note, user):
    """Close a case whose reply is published, with an internal note on what was done."""
    kind = kinds.of(case)
    case = _locked(case)
    if case.status == Status.CLOSED:
        raise HandlingError(f"这件{kind.label}已经办结。")
    if case.replied_at is None:
        raise HandlingError(f"请先发布答复，再办结{kind.label}。")
    case.notes.create(author=user, text=f"【办结】{note}")
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])
    announce(case, "close", user=user)
    return case


@transaction.atomic
def extend(case, *, due_on, reason, user):
    """Move the deadline to a later working day, with a reason the citizen reads on the tracking page."""
    kind = kinds.of(case)
    case = _locked(case)
    if case.replied_at is not None or case.status == Status.CLOSED:
        raise HandlingError(f"这件{kind.label}已经答复，不需要延期。")
    if due_on <= case.due_on:
        raise HandlingError(f"新的期限必须晚于现在的期限（{case.due_on:%Y年%-m月%-d日}）。")
    before = case.due_on
    if case.original_due_on is None:
        case.original_due_on = before
    case.due_on = due_on
    case.extension_reason = reason
    case.extended_at = timezone.now()
    case.save(update_fields=["due_on", "original_due_on", "extension_reason", "extended_at"])
    announce(case, "extend", user=user, before=before.isoformat(), after=due_on.isoformat(), reason=reason)
    return case


@transaction.atomic
def reopen(case, *, reason):
    """The citizen says the reply did not solve it: the first time the case reopens with a new deadline,
    the second time it goes to the centre's head (and cannot be reopened again)."""
    kind = kinds.of(case)
    case = _locked(case)
    if not case.may_reopen:
        raise HandlingError(
            f"这件{kind.label}已转中心负责人督办，请等待答复。"
            if case.escalated_at
            else f"这件{kind.label}还没有答复，请等待答复后再反馈。"
        )
    now = timezone.now()
    previous = case.reply
    case.notes.create(author=None, text=f"【群众反馈未解决】{reason}\n【原答复】{previous}")
    case.reopen_reason = reason
    case.reopened_at = now
    case.reopen_count += 1
    case.replied_at = None
    case.closed_at = None
    case.status = Status.ASSIGNED if case.department_id else Status.RECEIVED
    case.due_on = add_working_days(timezone.localdate(now), REOPEN_WORKING_DAYS)
    event = "reopen"
    if case.reopen_count >= 2:
        case.escalated_at = now
        event = "escalate"
    case.save(
        update_fields=[
            "reopen_reason",
            "reopened_at",
            "reopen_count",
            "replied_at",
            "closed_at",
            "status",
            "due_on",
            "escalated_at",
        ]
    )
    announce(case, event, count=case.reopen_count)
    return case


@transaction.atomic
def follow_up(case, *, satisfaction, note, user):
    """回访: the citizen was called after the reply and said how satisfied they are."""
    kind = kinds.of(case)
    if not kind.follow_up:
        raise HandlingError(f"{kind.label}没有回访环节。")
    case = _locked(case)
    if case.replied_at is None:
        raise HandlingError(f"请先答复，再回访{kind.label}。")
    case.satisfaction = satisfaction
    case.followed_up_at = timezone.now()
    case.save(update_fields=["satisfaction", "followed_up_at"])
    case.notes.create(author=user, text=f"【回访】{case.get_satisfaction_display()}：{note}")
    announce(case, "follow_up", user=user, satisfaction=satisfaction)
    return case

"""The daily digest: at 08:00 every handler hears what of their kind is overdue and what is due today."""

from datetime import time

from django.urls import reverse
from django.utils import timezone

from notifications import notify_staff
from notifications.schedule import periodic

from . import kinds
from .notices import _date, _site, members

DIGEST_LINES = 50


@periodic("cases.daily_digest", daily_at=time(8, 0))
def send_daily_digest(now):
    today = timezone.localdate(now)
    for kind in kinds.all_kinds():
        cases = list(kind.model.objects.due_by(today).order_by("due_on", "pk").only("tracking_code", "due_on"))
        if not cases:
            continue
        overdue = [c for c in cases if c.due_on < today]
        due = [c for c in cases if c.due_on == today]
        notify_staff(
            "cases.digest",
            users=members(kind.handler_group),
            context={
                "today": _date(today),
                "label": kind.label,
                "due_count": len(due),
                "overdue_count": len(overdue),
                "due": [f"{c.tracking_code}（{_date(c.due_on)}）" for c in due[:DIGEST_LINES]],
                "overdue": [f"{c.tracking_code}（{_date(c.due_on)}）" for c in overdue[:DIGEST_LINES]],
                "queue_url": _site(reverse(kind.extra["admin_namespace"] + ":index")),
            },
            dedupe_key=f"{kind.key}:digest:{today.isoformat()}",
            about_label=kind.label,
        )

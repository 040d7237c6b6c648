"""Who hears what about a case (cases.signals.case_changed → notifications).

The citizen, when they asked for it (短信 or 电子邮件, never when anonymous): the tracking code on arrival and
every change of status (交办, 答复, 延期, 办结, 重新办理; a kind's own steps through the "step" event, whose
data names the step's `label`).
The kind's handlers: every new case, a serious one flagged in the subject (and by the daily digest,
cases.schedules). 中心负责人: every escalated case. Messages are created in the step's transaction and
sent after it commits; each event has its own dedupe key, so a step repeated or a form resent sends once.
Contexts carry plain values only, never the person's name, phone or text.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse

from notifications import notify, notify_staff

from .models import NotifyBy
from .signals import case_changed

CITIZEN_EVENTS = {"submit", "assign", "reply", "extend", "close", "reopen", "escalate", "step"}


def _site(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def _event_key(case, kind, event, data):
    """One key per event that tells the citizen something new: a second reply edit or the same extension
    sent twice is no news."""
    part = {
        "assign": lambda: "",
        "reply": lambda: str(case.reopen_count),
        "extend": lambda: case.due_on.isoformat(),
        "reopen": lambda: str(case.reopen_count),
        "escalate": lambda: "",
        "step": lambda: str(data.get("after", "")),
    }.get(event, lambda: "")()
    return f"{kind.key}:{case.pk}:{event}:{part}"


def _citizen(case, kind, event, data):
    if case.notify_by == NotifyBy.SMS:
        to = {"phone": case.phone}
    elif case.notify_by == NotifyBy.EMAIL:
        to = {"email": case.email}
    else:
        return
    if not any(to.values()):
        return
    if event == "assign" and data.get("before", {}).get("department"):
        return  # handed on again: the citizen heard of the first assignment
    if event == "reply" and not data.get("first_reply"):
        return  # a corrected reply is no new status
    context = {
        "label": kind.label,
        "code": case.tracking_code,
        "status": case.get_status_display(),
        "due_on": _date(case.due_on),
        "track_url": _site(reverse(kind.track_url)),
    }
    template = "cases.progress"
    if event == "submit":
        template = "cases.received"
    elif event == "reply":
        template = "cases.replied"
        context["reply"] = case.reply
    else:
        context["note"] = {
            "assign": f"已交{case.department.name}办理。" if case.department_id else "",
            "extend": f"答复期限延至{_date(case.due_on)}，理由：{case.extension_reason}。",
            "close": "已办结。",
            "reopen": "您反馈问题没有解决，已重新办理。",
            "escalate": "您再次反馈问题没有解决，已转服务中心负责人督办。",
            "step": f"办理进度：{data['label']}。" if data.get("label") else "",
        }.get(event, "")
    notify(
        template,
        **to,
        context=context,
        dedupe_key=_event_key(case, kind, event, data),
        about_label=kind.label,
        about_code=case.tracking_code,
    )


def _staff_context(case, kind):
    return {
        "label": kind.label,
        "code": case.tracking_code,
        "due_on": _date(case.due_on),
        "hall": case.hall.title if case.hall_id else "（未指定）",
        "service": case.service.title if case.service_id else "（未指定）",
        "channel": case.get_channel_display(),
        "serious": "是" if kind.extra.get("is_serious", lambda c: False)(case) else "否",
        "admin_url": _site(reverse(kind.extra["admin_namespace"] + ":edit", args=[case.pk])),
    }


def members(group_name):
    return get_user_model().objects.filter(groups__name=group_name, is_active=True).order_by("pk")


@receiver(case_changed, dispatch_uid="cases.notices")
def case_changed_notices(sender, case, kind, event, user, data, **kwargs):
    if event in CITIZEN_EVENTS:
        _citizen(case, kind, event, data)
    serious = kind.extra.get("is_serious", lambda c: False)(case)
    if event == "submit" or (event == "severity" and serious):
        notify_staff(
            "cases.new_for_handlers",
            users=members(kind.handler_group),
            context=_staff_context(case, kind),
            dedupe_key=f"{kind.key}:{case.pk}:{'new' if event == 'submit' else 'serious'}",
            about_label=kind.label,
            about_code=case.tracking_code,
        )
    elif event == "escalate":
        notify_staff(
            "cases.escalated",
            users=members(settings.CASES_HEAD_GROUP),
            context=_staff_context(case, kind),
            dedupe_key=f"{kind.key}:{case.pk}:escalated",
            about_label=kind.label,
            about_code=case.tracking_code,
        )

"""The JSON shapes of GeoReport v2 (https://wiki.open311.org/GeoReport_v2), in Chinese where people read them.

A tracked request carries what the tracking page shows and nothing more: status, the published reply,
the deadline and its extension, the department. Never the name, phone, e-mail or the citizen's own
text (Open311's `description`), which the API does not return at all.
"""

import datetime

from django.utils import timezone

from cases.models import Status

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this API last changed in a way a client may care about (Open311 service discovery's changeset).
CHANGESET = "2026-12-04T00:00:00+08:00"


def errors(status, messages):
    return [{"code": status, "description": str(message)} for message in messages]


def _w3(moment):
    """An aware datetime in the W3C form Open311 asks for, in the portal's time zone: 2026-12-04T09:30:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _day(day):
    return f"{day.year}年{day.month}月{day.day}日"


def discovery(endpoint_url, contact_url):
    return {
        "changeset": CHANGESET,
        "contact": f"本门户“联系我们”：{contact_url}",
        "key_service": "不需要 API key：群众的投诉、咨询和网页表单一样，无需注册即可提交。",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json"],
            }
        ],
    }


def service(item):
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.description,
        "metadata": True,
        "type": "realtime",
        "keywords": item.keywords,
        "group": item.group,
    }


def definition(item, attributes):
    return {"service_code": item.code, "attributes": attributes}


def created(case, kind):
    """The answer to POST requests: the tracking code is the service request id."""
    digits = "和联系电话的后四位（phone_last4）" if case.phone else ""
    notice = (
        f"{kind.label}已收到，答复期限为{_day(case.due_on)}。"
        f"凭查询码{digits}可以查看办理进度和答复：本接口 GET requests/{case.tracking_code}.json，"
        f"或本门户的办理进度查询页。"
    )
    return [{"service_request_id": case.tracking_code, "service_notice": notice, "account_id": None}]


def _public_notice(case, today):
    """What the tracking page says besides the reply: the state, an extension, lateness, escalation."""
    parts = [f"当前状态：{case.get_status_display()}。"]
    if case.extended_at and case.original_due_on:
        parts.append(
            f"答复期限已延长：原定{_day(case.original_due_on)}前答复，延至{_day(case.due_on)}。"
            f"延期理由：{case.extension_reason}"
        )
    if case.replied_at is None:
        if case.is_overdue(today):
            parts.append("答复已超过期限，我们深表歉意。中心正在督办，也可拨打政务服务便民热线反映。")
        elif case.reopen_count:
            parts.append("您反馈问题没有解决，已重新办理，新的答复发布后凭查询码可以看到。")
        else:
            parts.append("正在处理，答复发布后凭查询码可以看到。")
    if case.escalated_at:
        parts.append(f"您两次反馈问题没有解决，{_day(timezone.localdate(case.escalated_at))}已转服务中心负责人督办。")
    return "".join(parts)


def _updated(case):
    steps = (
        case.received_at,
        case.assigned_at,
        case.replied_at,
        case.closed_at,
        case.extended_at,
        case.reopened_at,
        case.escalated_at,
    )
    return max(moment for moment in steps if moment)


def _deadline(day):
    """The last moment of the day a case must be answered by (its `due_on`)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def tracked(case, item):
    """GET requests/{id}: one request, as Open311 lists it, without any personal data."""
    return [
        {
            "service_request_id": case.tracking_code,
            "status": "closed" if case.status == Status.CLOSED else "open",
            "status_notes": case.reply if case.replied_at else None,
            "service_name": item.name,
            "service_code": item.code,
            "agency_responsible": case.department.name if case.department else None,
            "service_notice": _public_notice(case, timezone.localdate()),
            "requested_datetime": _w3(case.received_at),
            "updated_datetime": _w3(_updated(case)),
            "expected_datetime": _w3(_deadline(case.due_on)),
        }
    ]

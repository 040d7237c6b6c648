"""代办 as a kind of case (cases.kinds): a village station (便民服务站) handles an item for the person free of
charge; the station answers within ASSISTANCE_WORKING_DAYS working days (default 5)."""

from django.conf import settings

from cases.kinds import Kind

HANDLER_GROUP = "帮办代办人员"


def working_days(request):
    return settings.ASSISTANCE_WORKING_DAYS


def open311_form():
    from .forms import AssistanceForm

    return AssistanceForm


def open311_submit(form, **extra):
    """A valid AssistanceForm from the Open311 API, stored as the form view stores it."""
    from .handling import submit_request

    return submit_request(about=form.about(), details=form.details(), contact=form.contact(), **extra)


ASSISTANCE = Kind(
    key="assistance",
    label="代办",
    prefix="DB",
    model_label="assistance.AssistanceRequest",
    handler_group=HANDLER_GROUP,
    working_days=working_days,
    track_template="assistance/includes/track_result.html",
    track_url="assistance:track",
    extra={
        "form_url": "assistance:form",
        "form_title": "请服务站帮我办",
        # The Open311 API (open311.services): one service (代办 has no categories), checked by the public form.
        "open311": {
            "form": open311_form,
            "category": None,
            "text": "note",
            "attributes": (
                "service",
                "hall",
                "village",
                "preferred_time",
                "home_visit",
                "home_visit_reason",
                "address",
                "notify_by",
                "consent",
            ),
            "submit": open311_submit,
        },
        "log_actions": {
            # The core's 交办 is how a 代办员 is assigned here (the request stays with its item's department).
            "assign": ("分派代办员", "分派了代办员"),
            "step": ("更新进度", "更新了代办进度"),
        },
    },
)

"""代办 as a kind of case (cases.kinds): a village station (便民服务站) handles an item for the person free of
charge; the station answers within ASSISTANCE_WORKING_DAYS working days (default 5)."""

from django.conf import settings

from cases.kinds import Kind

HANDLER_GROUP = "帮办代办人员"


def working_days(request):
    return settings.ASSISTANCE_WORKING_DAYS


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
        "log_actions": {
            # The core's 交办 is how a 代办员 is assigned here (the request stays with its item's department).
            "assign": ("分派代办员", "分派了代办员"),
            "step": ("更新进度", "更新了代办进度"),
        },
    },
)

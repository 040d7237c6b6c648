"""投诉 as a kind of case (cases.kinds): its code prefix, handler group and deadlines."""

from django.conf import settings

from cases.kinds import Kind

HANDLER_GROUP = "投诉处理人员"


def working_days(complaint):
    """The 投诉制度: the same or the next day for an ordinary complaint, within a week for a complex one."""
    return settings.COMPLAINTS_WORKING_DAYS[complaint.complexity]


COMPLAINT = Kind(
    key="complaint",
    label="投诉",
    prefix="TS",
    model_label="complaints.Complaint",
    handler_group=HANDLER_GROUP,
    working_days=working_days,
    track_template="complaints/includes/track_result.html",
    track_url="complaints:track",
    follow_up=True,
    extra={
        "form_url": "complaints:form",
        "form_title": "投诉举报",
        "is_serious": lambda complaint: complaint.severity == "serious",
    },
)

"""咨询 as a kind of case (cases.kinds): answered within QUESTIONS_WORKING_DAYS working days (default 3)."""

from django.conf import settings

from cases.kinds import Kind

HANDLER_GROUP = "咨询答复人员"


def working_days(question):
    return settings.QUESTIONS_WORKING_DAYS


def open311_form():
    from .forms import QuestionForm

    return QuestionForm


def open311_submit(form, **extra):
    """A valid QuestionForm from the Open311 API, stored as the form view stores it."""
    from .handling import submit_question

    data = form.cleaned_data
    return submit_question(
        about=form.about(),
        category=data["category"],
        text=data["text"],
        publish_consent=data["publish_consent"],
        contact=form.contact(),
        **extra,
    )


QUESTION = Kind(
    key="question",
    label="咨询",
    prefix="ZX",
    model_label="questions.Question",
    handler_group=HANDLER_GROUP,
    working_days=working_days,
    track_template="questions/includes/track_result.html",
    track_url="questions:track",
    extra={
        "form_url": "questions:form",
        "form_title": "我要咨询",
        "log_actions": {
            "publish": ("公开问答", "将问答公开在办事指南上"),
            "unpublish": ("撤下问答", "撤下了公开的问答"),
            "faq": ("转为常见问题", "将问答转为办事指南的常见问题"),
        },
        # The Open311 API (open311.services): one service per category, checked by the public form.
        "open311": {
            "form": open311_form,
            "category": "category",
            "text": "text",
            "attributes": ("service", "hall", "notify_by", "publish_consent", "consent"),
            "submit": open311_submit,
        },
    },
)

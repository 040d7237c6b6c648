"""咨询 in the handlers' admin: the case core's viewset with the question's own steps: 交办 to a department,
公开 on the guide (only with the asker's consent), 撤下, and 转为常见问题."""

from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column

import django_filters

from cases import handling as case_handling
from cases.admin_views import CaseFilterSet, CaseViewSet

from . import handling
from .forms import AssignForm, MakeFaqForm, PublishForm, QuestionIntakeForm, UnpublishForm
from .kind import QUESTION
from .models import Category, Question


class QuestionFilterSet(CaseFilterSet):
    category = django_filters.ChoiceFilter(label=gettext_lazy("咨询类别"), choices=Category.choices)
    published = django_filters.BooleanFilter(
        label=gettext_lazy("已公开"), field_name="published_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Question
        fields = []


def intake(form, user):
    data = form.cleaned_data
    question, _created = handling.submit_question(
        about=form.about(),
        category=data["category"],
        text=data["text"],
        publish_consent=data["publish_consent"],
        contact=form.contact(),
        token=data["form_token"],
        **form.intake(user),
    )
    return question


def hidden_actions(question):
    """公开 only with consent and a reply; 撤下 and 转为常见问题 only for a published one."""
    hidden = set()
    if not (question.publish_consent and question.replied_at and question.service_id):
        hidden.add("publish")
    if question.published_at is None:
        hidden |= {"unpublish", "faq"}
    if question.faq_created_at is not None:
        hidden.add("faq")
    return hidden


def _make_faq(question, data, user):
    handling.make_faq(question, user=user)


QUESTION.extra.update(
    admin_namespace="questions_admin",
    icon="help",
    queue_title="咨询答复",
    intake_form=QuestionIntakeForm,
    intake=intake,
    admin_facts_template="questions/admin/facts.html",
    select_related=("hall", "service", "department", "recorded_by", "published_by"),
    list_columns=[
        Column("category", label="咨询类别", accessor="get_category_display"),
        Column("service", label="涉及事项", accessor="service"),
    ],
    export_fields=["get_category_display", "publish_consent", "published_at"],
    export_headings={"get_category_display": "咨询类别", "publish_consent": "同意公开", "published_at": "公开时间"},
    hidden_actions=hidden_actions,
    actions={
        "assign": (
            "交办",
            AssignForm,
            lambda c, d, u: case_handling.assign(c, department=d["department"], user=u),
            lambda c: {"department": c.department_id},
        ),
        "publish": (
            "公开在办事指南上",
            PublishForm,
            lambda c, d, u: handling.publish(
                c, public_question=d["public_question"], public_answer=d["public_answer"], user=u
            ),
            lambda c: {"public_question": c.public_question or c.text, "public_answer": c.public_answer or c.reply},
            "suggested",
        ),
        "unpublish": ("撤下公开的问答", UnpublishForm, lambda c, d, u: handling.unpublish(c, user=u), None),
        "faq": ("转为常见问题", MakeFaqForm, _make_faq, None),
    },
)


class QuestionViewSet(CaseViewSet):
    kind = QUESTION
    icon = "help"
    menu_order = 241
    filterset_class = QuestionFilterSet
    export_filename = "questions"
    name = "questions"
    url_prefix = "questions"

"""代办 in the handlers' admin: the case core's viewset with the request's own steps — 分派代办员 (of the request's
own station) and 更新进度 (forward only; 已送达 closes it) — beside the core's note, reply, extension and close."""

from django import forms
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column

import django_filters

from cases.admin_views import CaseFilterSet, CaseViewSet
from content.models import HallPage

from . import handling
from .forms import AgentForm, AssistanceIntakeForm, StepForm
from .kind import ASSISTANCE
from .models import AssistanceRequest, Step


class AssistanceFilterSet(CaseFilterSet):
    step = django_filters.ChoiceFilter(label=gettext_lazy("代办进度"), choices=Step.choices)
    hall = django_filters.ModelChoiceFilter(label=gettext_lazy("服务站"), queryset=HallPage.objects.order_by("path"))
    home_visit = django_filters.BooleanFilter(
        label=gettext_lazy("只看需要上门的"), method="filter_home_visit", widget=forms.CheckboxInput
    )

    class Meta:
        model = AssistanceRequest
        fields = []

    def filter_home_visit(self, queryset, name, value):
        return queryset.filter(home_visit=True) if value else queryset


class YesNoColumn(Column):
    def get_value(self, instance):
        return "是" if super().get_value(instance) else "否"


def intake(form, user):
    data = form.cleaned_data
    request, _created = handling.submit_request(
        about=form.about(),
        details=form.details(),
        contact=form.contact(),
        token=data["form_token"],
        **form.intake(user),
    )
    return request


def hidden_actions(request):
    """更新进度 ends at 已送达 (a request reopened after it is closed with the core's 办结)."""
    return {"step"} if not request.later_steps() else set()


def action_form_kwargs(request, name):
    return {"case": request} if name in ("agent", "step") else {}


def next_step(request):
    later = request.later_steps()
    return {"step": later[0][0]} if later else {}


ASSISTANCE.extra.update(
    admin_namespace="assistance_admin",
    queue_title="帮办代办",
    intake_form=AssistanceIntakeForm,
    intake=intake,
    admin_facts_template="assistance/admin/facts.html",
    select_related=("hall", "service", "department", "recorded_by", "agent"),
    list_columns=[
        Column("step", label="代办进度", accessor="get_step_display"),
        Column("village", label="所在村（社区）", accessor="village"),
        YesNoColumn("home_visit", label="上门服务", accessor="home_visit"),
        Column("agent", label="代办员", accessor="agent"),
    ],
    # Never the name, phone, address, time, reason for a home visit or the note: only what the station did.
    export_fields=["get_step_display", "village", "home_visit", "agent", "delivered_at"],
    export_headings={
        "get_step_display": "代办进度",
        "village": "所在村（社区）",
        "home_visit": "上门服务",
        "agent": "代办员",
        "delivered_at": "送达时间",
    },
    hidden_actions=hidden_actions,
    action_form_kwargs=action_form_kwargs,
    actions={
        "agent": (
            "分派代办员",
            AgentForm,
            lambda c, d, u: handling.assign_agent(c, agent=d["agent"], user=u),
            lambda c: {"agent": c.agent_id},
        ),
        "step": (
            "更新进度",
            StepForm,
            lambda c, d, u: handling.advance(c, step=d["step"], note=d["note"], user=u),
            next_step,
            "suggested",
        ),
    },
)


class AssistanceViewSet(CaseViewSet):
    kind = ASSISTANCE
    icon = "group"
    menu_order = 242
    filterset_class = AssistanceFilterSet
    export_filename = "assistance"
    name = "assistance"
    url_prefix = "assistance"

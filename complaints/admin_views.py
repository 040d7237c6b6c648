"""投诉 in the handlers' admin: the case core's viewset (cases.admin_views) with the complaint's own steps
(交办 with its complexity, 严重程度) and attachment downloads, handlers only, every download logged."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column

import django_filters

from cases import handling as case_handling
from cases.access import can_open_queue, is_handler
from cases.admin_views import CaseFilterSet, CaseViewSet

from . import handling
from .forms import AssignForm, ComplaintIntakeForm, SeverityForm
from .kind import COMPLAINT
from .models import Category, Complaint, ComplaintAttachment, Severity


class ComplaintFilterSet(CaseFilterSet):
    category = django_filters.ChoiceFilter(label=gettext_lazy("类别"), choices=Category.choices)
    severity = django_filters.ChoiceFilter(label=gettext_lazy("严重程度"), choices=Severity.choices)

    class Meta:
        model = Complaint
        fields = []


@transaction.atomic
def set_severity(complaint, data, user):
    """A handler marks a complaint serious (or not); marking it serious tells every handler at once."""
    before = complaint.severity
    complaint.severity = data["severity"]
    complaint.save(update_fields=["severity"])
    case_handling.announce(complaint, "severity", user=user, before=before, after=complaint.severity)


def intake(form, user):
    data = form.cleaned_data
    complaint, _created = handling.submit_complaint(
        about={"hall": form.about_hall(), "window": data["window"], "staff": data["staff"], "service": data["service"]},
        category=data["category"],
        description=data["description"],
        files=data["attachments"],
        token=data["form_token"],
        severity=data["severity"],
        **form.contact(),
        **form.intake(user),
    )
    return complaint


def download_attachment(request, pk, attachment_pk):
    """Attachments can carry personal data: handlers only, every download logged."""
    if not (can_open_queue(request.user, COMPLAINT) and is_handler(request.user, COMPLAINT)):
        raise PermissionDenied
    attachment = get_object_or_404(
        ComplaintAttachment.objects.select_related("complaint"), pk=attachment_pk, complaint_id=pk
    )
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:
        raise Http404(_("附件文件不存在。")) from exc
    handling.record_download(attachment, request.user)
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )


COMPLAINT.extra.update(
    admin_namespace="complaints_admin",
    queue_title="投诉处理",
    intake_form=ComplaintIntakeForm,
    intake=intake,
    admin_facts_template="complaints/admin/facts.html",
    select_related=("hall", "window", "staff", "service", "department", "recorded_by"),
    admin_context=lambda view: {"attachments": view.case.attachments.all()},
    list_columns=[
        Column("category", label="类别", accessor="get_category_display"),
        Column("severity", label="严重程度", accessor="get_severity_display"),
    ],
    export_fields=[
        "get_category_display",
        "get_complexity_display",
        "get_severity_display",
        "get_satisfaction_display",
    ],
    export_headings={
        "get_category_display": "类别",
        "get_complexity_display": "复杂程度",
        "get_severity_display": "严重程度",
        "get_satisfaction_display": "回访满意度",
    },
    actions={
        "assign": (
            "交办",
            AssignForm,
            lambda c, d, u: case_handling.assign(c, department=d["department"], user=u, complexity=d["complexity"]),
            lambda c: {"department": c.department_id, "complexity": c.complexity},
        ),
        "severity": ("严重程度", SeverityForm, set_severity, lambda c: {"severity": c.severity}),
    },
    admin_urls=[path("<int:pk>/attachments/<int:attachment_pk>/", download_attachment, name="download")],
)


class ComplaintViewSet(CaseViewSet):
    kind = COMPLAINT
    icon = "warning"
    menu_order = 240
    filterset_class = ComplaintFilterSet
    export_filename = "complaints"
    name = "complaints"
    url_prefix = "complaints"

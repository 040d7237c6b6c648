"""The handlers' side in the Wagtail admin: the queue, one complaint's handling page and attachment downloads.

Every opening of a complaint and every download is logged (complaints.view, complaints.download);
names, phones and attachments are shown only to the 投诉处理人员 group.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

import django_filters

from content.models import Department, HallPage

from . import handling
from .access import can_handle, can_open_queue, is_handler
from .forms import AssignForm, CloseForm, NoteForm, ReplyForm
from .models import Category, Complaint, ComplaintAttachment, Status


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("查询码"), method="filter_code")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=Status.choices, empty_label=gettext_lazy("全部")
    )
    category = django_filters.ChoiceFilter(
        label=gettext_lazy("类别"), choices=Category.choices, empty_label=gettext_lazy("全部")
    )
    hall = django_filters.ModelChoiceFilter(
        label=gettext_lazy("大厅"), queryset=HallPage.objects.order_by("path"), empty_label=gettext_lazy("全部")
    )
    department = django_filters.ModelChoiceFilter(
        label=gettext_lazy("承办部门"), queryset=Department.objects.all(), empty_label=gettext_lazy("全部")
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("只看超期"), method="filter_overdue", widget=forms.CheckboxInput
    )
    open_only = django_filters.BooleanFilter(
        label=gettext_lazy("只看未办结"), method="filter_open", widget=forms.CheckboxInput
    )

    class Meta:
        model = Complaint
        fields = []

    def filter_code(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(tracking_code__icontains=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status=Status.CLOSED) if value else queryset


class ComplaintAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not can_open_queue(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QueueView(ComplaintAdminMixin, TemplateView):
    template_name = "complaints/admin/queue.html"
    page_title = gettext_lazy("投诉处理")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("投诉处理")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        queryset = Complaint.objects.for_queue(today).select_related("hall", "department", "service")
        filterset = ComplaintFilter(self.request.GET or None, queryset=queryset)
        page = Paginator(filterset.qs, 50).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        context.update(
            filterset=filterset,
            complaints=page,
            query=query.urlencode(),
            today=today,
            overdue_count=Complaint.objects.overdue(today).count(),
            open_count=Complaint.objects.exclude(status=Status.CLOSED).count(),
        )
        return context


class DetailView(ComplaintAdminMixin, TemplateView):
    template_name = "complaints/admin/detail.html"
    actions = {"assign": AssignForm, "note": NoteForm, "reply": ReplyForm, "close": CloseForm}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.complaint = get_object_or_404(
            Complaint.objects.select_related("hall", "window", "staff", "service", "department"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return _("投诉 %(code)s") % {"code": self.complaint.tracking_code}

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("complaints_admin:queue"), "label": _("投诉处理")},
            {"url": "", "label": self.complaint.tracking_code},
        ]

    def get(self, request, *args, **kwargs):
        handling.record_view(self.complaint, request.user, personal_data_shown=is_handler(request.user))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not can_handle(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in self.actions:
            raise Http404
        form = self.actions[action](request.POST, prefix=action, initial=self.initial().get(action))
        if form.is_valid() and not form.has_changed():
            # A form sent back as it was shown (交办 or 答复 saved again) is no new step: it must not
            # re-date the assignment or log a step that did not happen.
            messages.info(request, _("没有改动，未保存。"))
            return redirect("complaints_admin:detail", pk=self.complaint.pk)
        if form.is_valid():
            try:
                self.perform(action, form.cleaned_data, request.user)
            except handling.HandlingError as exc:
                messages.error(request, str(exc))
            else:
                return redirect("complaints_admin:detail", pk=self.complaint.pk)
        else:
            messages.error(request, _("没有保存：请按提示修改。"))
        handling.record_view(self.complaint, request.user, personal_data_shown=is_handler(request.user))
        return self.render_to_response(self.get_context_data(bound={action: form}), status=400)

    def perform(self, action, data, user):
        complaint = self.complaint
        if action == "assign":
            handling.assign(complaint, department=data["department"], complexity=data["complexity"], user=user)
            messages.success(self.request, _("已交办，答复期限已按复杂程度重新计算。"))
        elif action == "note":
            handling.add_note(complaint, text=data["text"], user=user)
            messages.success(self.request, _("处理记录已保存。"))
        elif action == "reply":
            handling.publish_reply(complaint, reply=data["reply"], user=user)
            messages.success(self.request, _("答复已发布，投诉人凭查询码可以看到。"))
        elif action == "close":
            handling.close(complaint, note=data["note"], user=user)
            messages.success(self.request, _("投诉已办结。"))

    def initial(self):
        """What the action forms show: the complaint's current assignment and reply."""
        complaint = self.complaint
        return {
            "assign": {"department": complaint.department_id, "complexity": complaint.complexity},
            "reply": {"reply": complaint.reply},
        }

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        complaint = self.complaint
        bound = bound or {}
        initial = self.initial()
        forms_ = {
            name: bound.get(name) or form_class(prefix=name, initial=initial.get(name))
            for name, form_class in self.actions.items()
        }
        context.update(
            complaint=complaint,
            personal=is_handler(self.request.user),
            may_handle=can_handle(self.request.user),
            notes=complaint.notes.select_related("author"),
            attachments=complaint.attachments.all(),
            forms=forms_,
            today=timezone.localdate(),
            log_entries=log_registry.get_logs_for_instance(complaint)
            .select_related("user")
            .order_by("-timestamp")[:100],
        )
        return context


def download_attachment(request, pk, attachment_pk):
    """Attachments can carry personal data: handlers only, every download logged."""
    if not (can_open_queue(request.user) and is_handler(request.user)):
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

"""The handlers' side of every kind of case in the Wagtail admin, on one `ModelViewSet`: the queue (filters,
list export), offline intake (the add view), the handling page (the edit view) and Wagtail's history.

Opening a case is logged (`<app>.view`); names, phones, e-mails and attachments are shown only to the
kind's handler group (cases.access), and neither the queue nor its export ever carries them. Nothing
is deleted here: the permission policy refuses it to everyone.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

import django_filters

from content.models import Department, HallPage
from spreadsheets import SpreadsheetIndexView

from . import handling
from .access import can_handle, can_open_queue, can_record, is_handler
from .forms import CloseForm, ExtendForm, FollowUpForm, NoteForm, ReplyForm
from .models import Channel, Status


class CasePermissionPolicy(ModelPermissionPolicy):
    """The confidentiality rules as Wagtail's permission policy: viewing needs the model's view permission,
    handling its change permission, offline intake membership of the handler group too; deleting a case
    is refused to everyone, superusers included (nothing a citizen sent may be lost)."""

    def __init__(self, kind):
        super().__init__(kind.model)
        self.kind = kind

    def user_has_permission(self, user, action):
        if action == "view":
            return can_open_queue(user, self.kind)
        if action == "change":
            return can_handle(user, self.kind)
        if action == "add":
            return can_record(user, self.kind)
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class CheckedField(forms.BooleanField):
    """A checkbox that means "only these" when ticked and nothing at all when not (no 只看超期: False chip)."""

    widget = forms.CheckboxInput

    def to_python(self, value):
        return True if super().to_python(value) else None


class OnlyFilter(django_filters.BooleanFilter):
    field_class = CheckedField


class CaseFilterSet(WagtailFilterSet):
    """The queue's filters; each kind subclasses it with `Meta.model` and its own categories."""

    q = django_filters.CharFilter(label=gettext_lazy("查询码"), method="filter_code")
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=Status.choices)
    channel = django_filters.ChoiceFilter(label=gettext_lazy("来源渠道"), choices=Channel.choices)
    hall = django_filters.ModelChoiceFilter(label=gettext_lazy("大厅"), queryset=HallPage.objects.order_by("path"))
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("承办部门"), queryset=Department.objects.all())
    overdue = OnlyFilter(label=gettext_lazy("只看超期"), method="filter_overdue")
    open_only = OnlyFilter(label=gettext_lazy("只看未办结"), method="filter_open")
    escalated = OnlyFilter(label=gettext_lazy("只看转中心负责人的"), method="filter_escalated")

    def filter_code(self, queryset, name, value):
        value = value.strip().upper()
        return queryset.filter(tracking_code__icontains=value) if value else queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset

    def filter_open(self, queryset, name, value):
        return queryset.exclude(status=Status.CLOSED) if value else queryset

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalated_at__isnull=False) if value else queryset


class DueColumn(Column):
    """答复期限 with 超期 marked, so the queue reads at a glance."""

    cell_template_name = "cases/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_overdue  # annotated by for_queue
        context["extended"] = instance.extended_at is not None
        return context


class CaseIndexView(SpreadsheetIndexView):
    """The queue: overdue first, then by nearest deadline, closed last; never a name or a phone."""

    kind = None
    template_name = "cases/admin/index.html"

    @property
    def add_item_label(self):
        return _("登记%(label)s（电话、现场、信函、12345）") % {"label": self.kind.label}

    def get_base_queryset(self):
        return (
            self.kind.model.objects.for_queue(timezone.localdate())
            .select_related("hall", "department", "service")
            .prefetch_related()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        objects = self.kind.model.objects
        context.update(
            kind=self.kind,
            overdue_count=objects.overdue(today).count(),
            open_count=objects.exclude(status=Status.CLOSED).count(),
            escalated_count=objects.filter(escalated_at__isnull=False).exclude(status=Status.CLOSED).count(),
        )
        return context


class CaseAdminMixin(WagtailAdminTemplateMixin):
    kind = None

    @property
    def header_icon(self):
        return self.kind.extra.get("icon", "warning")

    def dispatch(self, request, *args, **kwargs):
        if not can_open_queue(request.user, self.kind):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def queue_crumb(self):
        return {"url": reverse(self.kind.extra["admin_namespace"] + ":index"), "label": self.kind.extra["queue_title"]}


class CaseIntakeView(CaseAdminMixin, FormView):
    """登记: a case received by phone, in person, by letter or from 12345, with the online one's deadlines,
    statistics and audit. The tracking code is shown to the handler to give to the person."""

    template_name = "cases/admin/intake.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_record(request.user, self.kind):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("登记%(label)s（电话、现场、信函、12345）") % {"label": self.kind.label}

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), self.queue_crumb(), {"url": "", "label": _("登记")}]

    def get_form_class(self):
        return self.kind.extra["intake_form"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(self.kind.extra.get("intake_form_kwargs", lambda request: {})(self.request))
        return kwargs

    def form_valid(self, form):
        case = self.kind.extra["intake"](form, self.request.user)
        messages.success(
            self.request,
            _("已登记，查询码 %(code)s，答复期限 %(due)s。请把查询码告诉来电或来访的群众。")
            % {"code": case.tracking_code, "due": f"{case.due_on:%Y年%-m月%-d日}"},
        )
        return redirect(self.kind.extra["admin_namespace"] + ":edit", pk=case.pk)

    def form_invalid(self, form):
        messages.error(self.request, _("没有保存：请按提示修改。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        return super().get_context_data(kind=self.kind, **kwargs)


class CaseDetailView(CaseAdminMixin, TemplateView):
    """One case's handling page: facts, the citizen's text, notes, and one form per step.

    Each step is one function of cases.handling (or the kind's own); a form sent back as it was shown
    is no new step. Kinds add their steps through `kind.extra["actions"]`: {name: (title, form class,
    perform(case, data, user), initial(case)[, "suggested"])}; "suggested" marks an initial that is a
    proposal (the text to publish), not the stored state, so sending it unchanged is a step too.
    `kind.extra["action_form_kwargs"](case, name)` gives a step's form what it needs to know of the case
    (the choices it may offer, such as the 代办员 of the case's own hall).
    """

    template_name = "cases/admin/detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = get_object_or_404(
            self.kind.model.objects.select_related(*self.kind.extra.get("select_related", ())), pk=kwargs["pk"]
        )

    @cached_property
    def actions(self):
        """{name: (title, form class, perform, initial)} in the order the page shows them."""
        case = self.case
        actions = dict(self.kind.extra.get("actions", {}))
        actions["note"] = (
            _("添加处理记录"),
            NoteForm,
            lambda c, d, u: handling.add_note(c, text=d["text"], user=u),
            None,
        )
        actions["reply"] = (
            _("修改答复") if case.replied_at else _("发布答复"),
            ReplyForm,
            lambda c, d, u: handling.publish_reply(c, reply=d["reply"], user=u),
            lambda c: {"reply": c.reply},
        )
        actions["extend"] = (
            _("延期"),
            ExtendForm,
            lambda c, d, u: handling.extend(c, due_on=d["due_on"], reason=d["reason"], user=u),
            None,
        )
        if self.kind.follow_up:
            actions["follow_up"] = (
                _("回访"),
                FollowUpForm,
                lambda c, d, u: handling.follow_up(c, satisfaction=d["satisfaction"], note=d["note"], user=u),
                None,
            )
        actions["close"] = (_("办结"), CloseForm, lambda c, d, u: handling.close(c, note=d["note"], user=u), None)
        for name in self.kind.extra.get("hidden_actions", lambda c: ())(case):
            actions.pop(name, None)
        return actions

    def shown_actions(self):
        """The steps the page offers now; the others are still refused with a reason when posted."""
        replied = self.case.replied_at is not None
        hidden = {"follow_up", "close"} if not replied else {"extend"}
        return [name for name in self.actions if name not in hidden]

    def get_page_title(self):
        return _("%(label)s %(code)s") % {"label": self.kind.label, "code": self.case.tracking_code}

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), self.queue_crumb(), {"url": "", "label": self.case.tracking_code}]

    def get(self, request, *args, **kwargs):
        handling.record_view(self.case, request.user, personal_data_shown=is_handler(request.user, self.kind))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not can_handle(request.user, self.kind):
            raise PermissionDenied
        action = request.POST.get("action")
        if action not in self.actions or self.case.status == Status.CLOSED:
            raise Http404
        _title, form_class, perform, initial, *suggested = self.actions[action]
        form = self.action_form(action, form_class, initial, request.POST)
        if form.is_valid() and initial and not suggested and not form.has_changed():
            # A form sent back as it was shown (交办 or 答复 saved again) is no new step: it must not
            # re-date the assignment or log a step that did not happen.
            messages.info(request, _("没有改动，未保存。"))
            return redirect(self.kind.extra["admin_namespace"] + ":edit", pk=self.case.pk)
        if form.is_valid():
            try:
                perform(self.case, form.cleaned_data, request.user)
            except handling.HandlingError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存：%(step)s。") % {"step": _title})
                return redirect(self.kind.extra["admin_namespace"] + ":edit", pk=self.case.pk)
        else:
            messages.error(request, _("没有保存：请按提示修改。"))
        handling.record_view(self.case, request.user, personal_data_shown=is_handler(request.user, self.kind))
        return self.render_to_response(self.get_context_data(bound={action: form}), status=400)

    def action_form(self, name, form_class, initial, data=None):
        kwargs = self.kind.extra.get("action_form_kwargs", lambda case, name: {})(self.case, name)
        return form_class(data, prefix=name, initial=initial(self.case) if initial else None, **kwargs)

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        bound = bound or {}
        forms_ = {
            name: (title, bound.get(name) or self.action_form(name, form_class, initial))
            for name, (title, form_class, _perform, initial, *_suggested) in self.actions.items()
            if name in self.shown_actions() or name in bound
        }
        context.update(
            case=case,
            kind=self.kind,
            facts_template=self.kind.extra["admin_facts_template"],
            personal=is_handler(self.request.user, self.kind),
            may_handle=can_handle(self.request.user, self.kind),
            notes=case.notes.select_related("author"),
            forms=forms_,
            today=timezone.localdate(),
            history_url=reverse(self.kind.extra["admin_namespace"] + ":history", args=[case.pk]),
            log_entries=log_registry.get_logs_for_instance(case).select_related("user").order_by("-timestamp")[:100],
        )
        context.update(self.kind.extra.get("admin_context", lambda view: {})(self))
        return context


class CaseViewSet(ModelViewSet):
    """One kind's queue, intake and handling pages in the admin; a kind's app subclasses it with `kind`."""

    kind = None
    icon = "warning"
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    index_view_class = CaseIndexView
    add_view_class = CaseIntakeView
    edit_view_class = CaseDetailView
    filterset_class = CaseFilterSet
    export_filename = "cases"

    def __init__(self, *args, **kwargs):
        self.model = self.kind.model
        register_permission_policy(self.model, CasePermissionPolicy(self.kind), exact_class=True)
        super().__init__(*args, **kwargs)
        self.url_namespace = self.kind.extra["admin_namespace"]

    @property
    def menu_label(self):
        return self.kind.extra["queue_title"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(kind=self.kind, **kwargs)

    def get_add_view_kwargs(self, **kwargs):
        return {"kind": self.kind}

    def get_edit_view_kwargs(self, **kwargs):
        return {"kind": self.kind}

    @property
    def add_view(self):
        return self.add_view_class.as_view(**self.get_add_view_kwargs())

    @property
    def edit_view(self):
        return self.edit_view_class.as_view(**self.get_edit_view_kwargs())

    @property
    def list_display(self):
        return [
            TitleColumn("tracking_code", label=_("查询码"), url_name=f"{self.url_namespace}:edit"),
            Column("status", label=_("状态"), accessor="get_status_display"),
            *self.kind.extra.get("list_columns", []),
            Column("hall", label=_("大厅"), accessor="hall"),
            Column("department", label=_("承办部门"), accessor="department"),
            Column("channel", label=_("来源"), accessor="get_channel_display"),
            DateColumn("received_at", label=_("受理时间")),
            DueColumn("due_on", label=_("答复期限")),
        ]

    @property
    def list_export(self):
        """What the export carries: never a name, phone, e-mail or the citizen's text."""
        return [
            "tracking_code",
            "get_status_display",
            *self.kind.extra.get("export_fields", []),
            "hall",
            "service",
            "department",
            "get_channel_display",
            "hotline_number",
            "received_at",
            "due_on",
            "extended_at",
            "replied_at",
            "answered_on_time",
            "closed_at",
            "reopen_count",
            "escalated_at",
        ]

    @property
    def export_headings(self):
        return {
            "tracking_code": _("查询码"),
            "get_status_display": _("状态"),
            **self.kind.extra.get("export_headings", {}),
            "hall": _("大厅"),
            "service": _("涉及事项"),
            "department": _("承办部门"),
            "get_channel_display": _("来源渠道"),
            "hotline_number": _("12345 工单号"),
            "received_at": _("受理时间"),
            "due_on": _("答复期限"),
            "extended_at": _("延期时间"),
            "replied_at": _("答复时间"),
            "answered_on_time": _("按时答复"),
            "closed_at": _("办结时间"),
            "reopen_count": _("重新办理次数"),
            "escalated_at": _("转中心负责人时间"),
        }

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name not in ("delete", "usage")]
        # Names older links and tests know: the queue and a case's handling page.
        patterns += [
            path("queue/", self.index_view, name="queue"),
            path("<int:pk>/", self.edit_view, name="detail"),
        ]
        return patterns + self.kind.extra.get("admin_urls", [])

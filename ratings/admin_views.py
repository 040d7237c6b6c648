"""差评整改 in the Wagtail admin: the list of follow-ups (open ones first) and the page to record and close one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

from cases.access import is_handler
from complaints.kind import COMPLAINT

from .forms import FollowUpForm
from .handling import update_follow_up
from .models import FollowUp, FollowUpStatus


def can_open(user):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("ratings.view_followup"))


class FollowUpAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not can_open(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FollowUpQueueView(FollowUpAdminMixin, TemplateView):
    template_name = "ratings/admin/follow_up_queue.html"
    page_title = gettext_lazy("差评整改")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("差评整改")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", FollowUpStatus.OPEN)
        queryset = FollowUp.objects.select_related("rating", "rating__hall", "rating__window").order_by(
            "status", "opened_at"
        )
        if status in FollowUpStatus.values:
            queryset = queryset.filter(status=status)
        context.update(
            follow_ups=Paginator(queryset, 50).get_page(self.request.GET.get("p")),
            status=status,
            statuses=FollowUpStatus.choices,
            open_count=FollowUp.objects.filter(status=FollowUpStatus.OPEN).count(),
        )
        return context


class FollowUpDetailView(FollowUpAdminMixin, TemplateView):
    template_name = "ratings/admin/follow_up_detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.follow_up = get_object_or_404(
            FollowUp.objects.select_related("rating", "rating__hall", "rating__window", "closed_by"), pk=kwargs["pk"]
        )

    def get_page_title(self):
        return str(self.follow_up)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("ratings_admin:queue"), "label": _("差评整改")},
            {"url": "", "label": str(self.follow_up)},
        ]

    def get(self, request, *args, **kwargs):
        log(self.follow_up, "ratings.followup.view", user=request.user)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("ratings.change_followup"):
            raise PermissionDenied
        form = FollowUpForm(request.POST, instance=self.follow_up)
        if form.is_valid():
            closing = form.cleaned_data["close"] and self.follow_up.status != FollowUpStatus.CLOSED
            update_follow_up(
                self.follow_up, data=form.cleaned_data, close=form.cleaned_data["close"], user=request.user
            )
            messages.success(request, _("差评整改已办结。") if closing else _("已保存。"))
            return redirect("ratings_admin:detail", pk=self.follow_up.pk)
        messages.error(request, _("没有保存：请按提示修改。"))
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            follow_up=self.follow_up,
            rating=self.follow_up.rating,
            personal=is_handler(self.request.user, COMPLAINT),
            may_change=self.request.user.has_perm("ratings.change_followup"),
            form=form or FollowUpForm(instance=self.follow_up),
            log_entries=log_registry.get_logs_for_instance(self.follow_up)
            .select_related("user")
            .order_by("-timestamp")[:50],
        )
        return context

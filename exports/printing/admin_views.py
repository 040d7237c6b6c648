"""Admin pages for booklets (打印手册): ask for one, watch it render, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import BookletForm
from .jobs import fail_abandoned, request_booklet
from .models import Booklet

PERMISSION = "exports.add_booklet"
RECENT = 30


def booklet_status(booklet):
    """What the admin page shows of a job, for the first render and for polling."""
    return {
        "id": booklet.pk,
        "status": booklet.status,
        "status_label": booklet.get_status_display(),
        "progress": booklet.progress,
        "stage": booklet.stage,
        "error": booklet.error,
        "page_count": booklet.page_count,
        "guide_count": booklet.guide_count,
        "download_url": reverse("exports_admin:booklet_download", args=[booklet.pk])
        if booklet.status == Booklet.Status.DONE and booklet.file
        else "",
    }


class BookletIndexView(WagtailAdminTemplateMixin, FormView):
    template_name = "exports/admin/booklets.html"
    form_class = BookletForm
    page_title = gettext_lazy("打印手册")
    header_icon = "doc-full"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        fail_abandoned()
        context = super().get_context_data(**kwargs)
        context["booklets"] = Booklet.objects.select_related("requested_by")[:RECENT]
        context["status_url"] = reverse("exports_admin:booklet_status")
        return context

    def form_valid(self, form):
        scope = form.clean_scope_has_guides()
        if scope is None:
            return self.form_invalid(form)
        booklet = request_booklet(scope, self.request.user)
        messages.success(self.request, _("已开始生成“%(title)s”，完成后可在下方下载。") % {"title": booklet.title})
        return redirect("exports_admin:booklets")


booklet_index = permission_required(PERMISSION, raise_exception=True)(BookletIndexView.as_view())


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def booklet_status_view(request):
    """JSON for the polling script: the recent jobs with their progress."""
    fail_abandoned()
    return JsonResponse({"booklets": [booklet_status(b) for b in Booklet.objects.all()[:RECENT]]})


@require_safe
@permission_required(PERMISSION, raise_exception=True)
def booklet_download(request, pk):
    booklet = get_object_or_404(Booklet, pk=pk, status=Booklet.Status.DONE)
    if not booklet.file:
        raise Http404
    try:
        handle = booklet.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("文件已不存在，请重新生成。")) from missing
    return FileResponse(handle, as_attachment=True, filename=f"{booklet.title}.pdf", content_type="application/pdf")

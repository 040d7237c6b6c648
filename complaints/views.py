"""The public side of 投诉举报: the form; the page that hands out the tracking code and tracking are the case
core's (cases.views)."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from cases import views as case_views
from cases.forms import prefill_service
from content.models import HallPage
from publicforms.protection import limit_exceeded, refuse

from .forms import ComplaintForm
from .handling import AttachmentStorageError, submit_complaint
from .kind import COMPLAINT


def request_too_large(request):
    limit = settings.COMPLAINTS_MAX_ATTACHMENTS * settings.COMPLAINTS_MAX_ATTACHMENT_BYTES + 1024 * 1024
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


@method_decorator(never_cache, name="dispatch")
class ComplaintFormView(View):
    template_name = "complaints/complaint_form.html"

    def get(self, request):
        return self.render(ComplaintForm(initial=self.initial(request)))

    def post(self, request):
        if request_too_large(request):
            return render(request, "complaints/too_large.html", status=413)
        form = ComplaintForm(request.POST, request.FILES)
        message = limit_exceeded(request, "complaint")
        if message:
            return self.render(refuse(form, message), status=429)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        about = {
            "hall": form.about_hall(),
            "window": data["window"],
            "staff": data["staff"],
            "service": data["service"],
        }
        try:
            complaint, _created = submit_complaint(
                about=about,
                category=data["category"],
                description=data["description"],
                **form.contact(),
                files=data["attachments"],
                token=data["form_token"],
            )
        except AttachmentStorageError:
            form.add_error(
                "attachments",
                _(
                    "服务器暂时无法保存附件（存储空间不足或不可写），投诉尚未提交。您填写的文字已保留：请稍后再试，或去掉附件后提交。"
                ),
            )
            return self.render(form, status=503)
        case_views.remember_submitted(request, complaint)
        return redirect("complaints:submitted")

    def initial(self, request):
        initial = {}
        hall_code = request.GET.get("hall", "")[:64]
        if hall_code:
            hall = HallPage.objects.readable().filter(code__iexact=hall_code).first()
            if hall:
                initial["hall"] = hall.pk
        if request.GET.get("service"):
            prefill_service(initial, request.GET["service"])
        return initial

    def render(self, form, status=200):
        context = {
            "form": form,
            "max_attachments": settings.COMPLAINTS_MAX_ATTACHMENTS,
            "max_attachment_bytes": settings.COMPLAINTS_MAX_ATTACHMENT_BYTES,
        }
        return render(self.request, self.template_name, context, status=status)


@never_cache
def submitted(request):
    return case_views.submitted(request, COMPLAINT.key, "complaints/complaint_submitted.html")


class TrackView(case_views.TrackView):
    page_kind = COMPLAINT.key

"""The public side of 投诉举报: the form, the page that hands out the tracking code, and tracking."""

from django.conf import settings
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from content.models import HallPage, ServicePage

from . import tracking
from .forms import ComplaintForm, TrackForm
from .handling import AttachmentStorageError, record_public_lookup, submit_complaint
from .models import Complaint
from .protection import limit_exceeded

SESSION_KEY = "complaints.submitted"
SHOWN_KEY = "complaints.submitted_shown"


def refuse(form, message):
    """Bind `message` to the form as its only error, without validating (and so without reading uploads)."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, message)
    return form


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
                name=data["name"],
                phone=data["phone"],
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
        request.session[SESSION_KEY] = {"code": complaint.tracking_code, "anonymous": complaint.is_anonymous}
        return redirect("complaints:submitted")

    def initial(self, request):
        initial = {}
        hall_code = request.GET.get("hall", "")[:64]
        if hall_code:
            hall = HallPage.objects.readable().filter(code__iexact=hall_code).first()
            if hall:
                initial["hall"] = hall.pk
        service_code = request.GET.get("service", "")[:64]
        if service_code:
            service = ServicePage.objects.readable().filter(code__iexact=service_code).first()
            if service:
                initial["service"] = service.code
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
    """The tracking code, shown once: it leaves the session at the first view, so the next person at a shared
    browser cannot read it; the reload right after says it was shown once, later visits go to the form."""
    info = request.session.pop(SESSION_KEY, None)
    if not info:
        if request.session.pop(SHOWN_KEY, False):
            return render(request, "complaints/complaint_submitted.html", {"complaint": None})
        return redirect("complaints:form")
    complaint = Complaint.objects.filter(tracking_code=info["code"]).first()
    if complaint is None:
        return redirect("complaints:form")
    request.session[SHOWN_KEY] = True
    return render(
        request, "complaints/complaint_submitted.html", {"complaint": complaint, "anonymous": info["anonymous"]}
    )


@method_decorator(never_cache, name="dispatch")
class TrackView(View):
    """Status and published reply for a tracking code (plus the phone's last four digits when one was given)."""

    template_name = "complaints/complaint_track.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TrackForm()})

    def post(self, request):
        form = TrackForm(request.POST)
        message = limit_exceeded(request, "track")
        if message:
            return render(request, self.template_name, {"form": refuse(form, message)}, status=429)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        code = form.cleaned_data["code"]
        minutes = tracking.locked_minutes(code)
        if minutes:
            message = _(
                "这个查询码连续多次核对不符，为保护投诉人的信息已暂停查询，请 %(minutes)d 分钟后再试。"
                "请核对查询码；提交时留了电话的，还需填写电话号码的最后四位。"
            ) % {"minutes": minutes}
            return render(request, self.template_name, {"form": refuse(form, message)}, status=429)
        complaint = tracking.look_up(request, code, form.cleaned_data["phone_last4"])
        if complaint is None:
            form.add_error(None, _("没有找到对应的投诉。请核对查询码；提交时留了电话的，还需填写电话号码的最后四位。"))
            return render(request, self.template_name, {"form": form}, status=404)
        record_public_lookup(complaint)
        context = {"form": TrackForm(), "complaint": complaint, "today": timezone.localdate()}
        return render(request, self.template_name, context)

"""The public side every kind of case shares: the page that hands out the tracking code once, and tracking
(with "问题没有解决" after a reply)."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from publicforms.protection import limit_exceeded, refuse

from . import codes, handling, kinds, tracking
from .forms import ReopenForm, TrackForm

SUBMITTED_KEY = "cases.submitted"
SHOWN_KEY = "cases.submitted_shown"
VERIFIED_KEY = "cases.verified"
VERIFIED_MAX = 10


def remember_submitted(request, case):
    """Hand the new tracking code to the page that shows it once (see `submitted`)."""
    request.session[SUBMITTED_KEY] = {
        "kind": kinds.of(case).key,
        "code": case.tracking_code,
        "anonymous": case.is_anonymous,
    }


def submitted(request, kind_key, template_name):
    """The tracking code, shown once: it leaves the session at the first view, so the next person at a shared
    browser cannot read it; the reload right after says it was shown once, later visits go to the form."""
    kind = kinds.get(kind_key)
    info = request.session.get(SUBMITTED_KEY)
    if not info or info.get("kind") != kind.key:
        if request.session.pop(SHOWN_KEY, None) == kind.key:
            return render(request, template_name, {"case": None, "kind": kind})
        return redirect(kind.extra["form_url"])
    del request.session[SUBMITTED_KEY]
    case = kind.model.objects.filter(tracking_code=info["code"]).first()
    if case is None:
        return redirect(kind.extra["form_url"])
    request.session[SHOWN_KEY] = kind.key
    return render(request, template_name, {"case": case, "kind": kind, "anonymous": info["anonymous"]})


def _verified(request):
    return request.session.get(VERIFIED_KEY, [])


def _remember_verified(request, code):
    """A code looked up with the right digits may say "not solved" from this browser for this session."""
    codes = [c for c in _verified(request) if c != code][-(VERIFIED_MAX - 1) :]
    request.session[VERIFIED_KEY] = [*codes, code]


@method_decorator(never_cache, name="dispatch")
class TrackView(View):
    """Status and published reply for a tracking code of any kind (plus the phone's last four digits when one
    was given). `page_kind` names the page (投诉办理进度查询); the code's own kind decides the result shown."""

    template_name = "cases/track.html"
    page_kind = None

    def get(self, request):
        return self.render({"form": TrackForm()})

    def post(self, request):
        if request.POST.get("action") == "reopen":
            return self.reopen(request)
        form = TrackForm(request.POST)
        message = limit_exceeded(request, "track")
        if message:
            return self.render({"form": refuse(form, message)}, status=429)
        if not form.is_valid():
            return self.render({"form": form}, status=400)
        code, kind = form.cleaned_data["code"], form.kind
        minutes = tracking.locked_minutes(code)
        if minutes:
            message = _(
                "这个查询码连续多次核对不符，为保护您的信息已暂停查询，请 %(minutes)d 分钟后再试。"
                "请核对查询码；提交时留了电话的，还需填写电话号码的最后四位。"
            ) % {"minutes": minutes}
            return self.render({"form": refuse(form, message)}, status=429)
        case = tracking.look_up(request, kind, code, form.cleaned_data["phone_last4"])
        if case is None:
            form.add_error(
                None,
                _("没有找到对应的%(label)s。请核对查询码；提交时留了电话的，还需填写电话号码的最后四位。")
                % {"label": kind.label},
            )
            return self.render({"form": form}, status=404)
        handling.record_public_lookup(case)
        _remember_verified(request, code)
        return self.render_case(case)

    def reopen(self, request):
        """问题没有解决: only for a code this browser has just looked up with the right digits."""
        parsed = codes.normalise(str(request.POST.get("code", ""))[:40])
        if parsed is None or parsed[1] not in _verified(request):
            form = refuse(TrackForm(), _("请先凭查询码查询，再反馈问题没有解决。"))
            return self.render({"form": form}, status=403)
        kind, code = parsed
        case = kind.model.objects.select_related("hall", "service").get(tracking_code=code)
        reopen_form = ReopenForm(request.POST, prefix="reopen")
        message = limit_exceeded(request, "reopen")
        if message:
            return self.render_case(case, reopen_form=refuse(reopen_form, message), status=429)
        if not reopen_form.is_valid():
            return self.render_case(case, reopen_form=reopen_form, status=400)
        try:
            case = handling.reopen(case, reason=reopen_form.cleaned_data["reason"])
        except handling.HandlingError as exc:
            return self.render_case(case, reopen_form=refuse(reopen_form, str(exc)), status=409)
        return self.render_case(case, reopened=True)

    def render_case(self, case, *, reopen_form=None, reopened=False, status=200):
        kind = kinds.of(case)
        context = {
            "form": TrackForm(),
            "case": case,
            "case_kind": kind,
            "result_template": kind.track_template,
            "reopen_form": reopen_form or ReopenForm(prefix="reopen"),
            "reopened": reopened,
            "today": timezone.localdate(),
        }
        return self.render(context, status=status)

    def render(self, context, status=200):
        context.setdefault("page_kind", kinds.get(self.page_kind) if self.page_kind else None)
        return render(self.request, self.template_name, context, status=status)

"""我要咨询: the form (on every guide and in general), the page that hands out the tracking code, tracking."""

from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from cases import views as case_views
from cases.forms import prefill_service
from content.models import HallPage
from publicforms.protection import limit_exceeded, refuse

from .forms import QuestionForm
from .handling import submit_question
from .kind import QUESTION


@method_decorator(never_cache, name="dispatch")
class QuestionFormView(View):
    template_name = "questions/question_form.html"

    def get(self, request):
        return self.render(QuestionForm(initial=self.initial(request)))

    def post(self, request):
        form = QuestionForm(request.POST)
        message = limit_exceeded(request, "question")
        if message:
            return self.render(refuse(form, message), status=429)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        question, _created = submit_question(
            about=form.about(),
            category=data["category"],
            text=data["text"],
            publish_consent=data["publish_consent"],
            contact=form.contact(),
            token=data["form_token"],
        )
        case_views.remember_submitted(request, question)
        return redirect("questions:submitted")

    def initial(self, request):
        initial = {}
        if request.GET.get("service"):
            prefill_service(initial, request.GET["service"])
        hall_code = request.GET.get("hall", "")[:64]
        if hall_code:
            hall = HallPage.objects.readable().filter(code__iexact=hall_code).first()
            if hall:
                initial["hall"] = hall.pk
        return initial

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)


@never_cache
def submitted(request):
    return case_views.submitted(request, QUESTION.key, "questions/question_submitted.html")


class TrackView(case_views.TrackView):
    page_kind = QUESTION.key

"""请服务站帮我办: the form (from a guide or a hall page), the page that hands out the tracking code, tracking."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from cases import views as case_views
from content.models import HallPage, ServicePage
from publicforms.protection import limit_exceeded, refuse

from . import stations
from .forms import AssistanceForm
from .handling import submit_request
from .kind import ASSISTANCE


@method_decorator(never_cache, name="dispatch")
class AssistanceFormView(View):
    template_name = "assistance/assistance_form.html"

    def get(self, request):
        return self.render(AssistanceForm(initial=self.initial(request)))

    def post(self, request):
        form = AssistanceForm(request.POST)
        message = limit_exceeded(request, "assistance")
        if message:
            return self.render(refuse(form, message), status=429)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        assistance_request, _created = submit_request(
            about=form.about(), details=form.details(), contact=form.contact(), token=data["form_token"]
        )
        case_views.remember_submitted(request, assistance_request)
        return redirect("assistance:submitted")

    def initial(self, request):
        """?service=CODE&hall=CODE from the guide or the hall page; an item only one station 代办s picks it."""
        initial = {}
        service = hall = None
        service_code = request.GET.get("service", "")[:64]
        if service_code:
            readable = ServicePage.objects.readable()
            service = readable.filter(code__iexact=service_code).first()
            if service:
                # The item's name, which people read, unless another item bears it too.
                unique = readable.filter(title=service.title).count() == 1
                initial["service"] = service.title if unique else service.code
        hall_code = request.GET.get("hall", "")[:64]
        if hall_code:
            hall = stations.stations().filter(code__iexact=hall_code).first()
        if hall is None and service is not None:
            offering = stations.stations_for(service)
            hall = offering[0] if len(offering) == 1 else None
        if hall is not None:
            initial["hall"] = hall.pk
        return initial

    def render(self, form, status=200):
        hall = self.chosen_hall(form)
        context = {
            "form": form,
            "hall": hall,
            "hall_items": list(stations.items_at(hall)) if hall else [],
            "hall_agents": list(stations.agents(hall)) if hall else [],
        }
        return render(self.request, self.template_name, context, status=status)

    @staticmethod
    def chosen_hall(form):
        """The station the form stands on (sent or suggested), to list what it 代办s and who its 代办员 are."""
        value = form["hall"].value()
        if isinstance(value, HallPage):
            return value
        try:
            return form.fields["hall"].clean(value) if value not in (None, "") else None
        except ValidationError:  # an id that is no station is no choice yet
            return None


@never_cache
def submitted(request):
    return case_views.submitted(request, ASSISTANCE.key, "assistance/assistance_submitted.html")


class TrackView(case_views.TrackView):
    page_kind = ASSISTANCE.key

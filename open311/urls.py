"""Under /api/v1/open311/ (portal/urls.py). GET requests.json is not offered: the address answers POST only."""

from django.urls import path

from . import views

app_name = "open311"

urlpatterns = [
    path("discovery.json", views.discovery, name="discovery"),
    path("services.json", views.service_list, name="services"),
    path("services/<str:service_code>.json", views.service_definition, name="service"),
    path("requests.json", views.create_request, name="requests"),
    path("requests/<str:service_request_id>.json", views.request_status, name="request"),
    path("", views.not_found),
    path("<path:rest>", views.not_found),
]

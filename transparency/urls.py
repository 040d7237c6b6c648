from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [
    path("halls/<slug:slug>/staff/", views.staff_board, name="staff_board"),
    path("site-map/", views.site_map_view, name="site_map"),
    path("contact/", views.contact_view, name="contact"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("accessibility/", views.accessibility_view, name="accessibility"),
]

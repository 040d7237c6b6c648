from django.urls import path

from content import lists, views

app_name = "content"

urlpatterns = [
    path("theme/<str:version>.css", views.theme_css, name="theme_css"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
    # The public lists (content.lists), each also as CSV.
    path("lists/deferral/", lists.list_view, {"name": "deferral"}, name="list_deferral"),
    path("lists/deferral.csv", lists.list_csv_view, {"name": "deferral"}, name="list_deferral_csv"),
    path("lists/promise/", lists.list_view, {"name": "promise"}, name="list_promise"),
    path("lists/promise.csv", lists.list_csv_view, {"name": "promise"}, name="list_promise_csv"),
    path("lists/certificates/", lists.list_view, {"name": "certificates"}, name="list_certificates"),
    path("lists/certificates.csv", lists.list_csv_view, {"name": "certificates"}, name="list_certificates_csv"),
]

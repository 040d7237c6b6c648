from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("complaints/", views.ComplaintFormView.as_view(), name="form"),
    path("complaints/submitted/", views.submitted, name="submitted"),
    path("complaints/track/", views.TrackView.as_view(), name="track"),
]

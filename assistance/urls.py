from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("assistance/", views.AssistanceFormView.as_view(), name="form"),
    path("assistance/submitted/", views.submitted, name="submitted"),
    path("assistance/track/", views.TrackView.as_view(), name="track"),
]

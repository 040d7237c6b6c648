from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("track/", views.TrackView.as_view(), name="track"),
]

from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("questions/", views.QuestionFormView.as_view(), name="form"),
    path("questions/submitted/", views.submitted, name="submitted"),
    path("questions/track/", views.TrackView.as_view(), name="track"),
]

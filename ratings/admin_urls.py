from django.urls import path

from . import admin_views

app_name = "ratings_admin"

urlpatterns = [
    path("", admin_views.FollowUpQueueView.as_view(), name="queue"),
    path("<int:pk>/", admin_views.FollowUpDetailView.as_view(), name="detail"),
]

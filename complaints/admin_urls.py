from django.urls import path

from . import admin_views

app_name = "complaints_admin"

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", admin_views.DetailView.as_view(), name="detail"),
    path("<int:pk>/attachments/<int:attachment_pk>/", admin_views.download_attachment, name="download"),
]

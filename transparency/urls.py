from django.urls import path

from . import views

app_name = "transparency"

urlpatterns = [path("halls/<slug:slug>/staff/", views.staff_board, name="staff_board")]

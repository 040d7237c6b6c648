from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("theme/<str:version>.css", views.theme_css, name="theme_css"),
    path("elder-mode/", views.elder_mode, name="elder_mode"),
]

from django.urls import path

from . import api, views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/go/<str:token>/", views.open_result, name="search_open"),
    path("api/v1/search", api.search, name="search_api"),
    path("api/v1/suggest", api.suggest, name="search_suggest"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
]

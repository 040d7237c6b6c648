"""Print and open-data URLs; included in portal/urls.py before Wagtail's page catch-all."""

from django.urls import path

from .opendata import views as opendata
from .printing import views as printing

app_name = "exports"

urlpatterns = [
    path("services/<str:slug>/pdf/", printing.guide_pdf_view, name="guide_pdf"),
    path("services/<str:slug>/checklist/", printing.checklist_view, name="checklist"),
    path("services/<str:slug>/checklist/pdf/", printing.checklist_pdf_view, name="checklist_pdf"),
    path("forms/<int:document_id>/", printing.form_view, name="form"),
    path("open-data/", opendata.open_data_view, name="open_data"),
    path("open-data/catalog.json", opendata.catalog_json_view, name="catalog_json"),
    path("open-data/catalog.csv", opendata.catalog_csv_view, name="catalog_csv"),
    path("open-data/catalog.xlsx", opendata.catalog_xlsx_view, name="catalog_xlsx"),
]

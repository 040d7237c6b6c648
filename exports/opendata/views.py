"""Public open-data views: the open-data page and the catalog downloads (JSON, CSV, XLSX)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from . import files as opendata


@require_safe
def open_data_view(request):
    return render(request, "exports/open_data.html", {"summary": opendata.summary()})


def _download(content, content_type, extension):
    info = opendata.summary()
    stamp = info.updated.isoformat() if info.updated else "empty"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"yimen-catalog-{stamp}.{extension}")
    return response


@require_safe
def catalog_json_view(request):
    return _download(opendata.catalog_json(opendata.catalog()), "application/json; charset=utf-8", "json")


@require_safe
def catalog_csv_view(request):
    return _download(opendata.catalog_csv(opendata.catalog()), "text/csv; charset=utf-8", "csv")


@require_safe
def catalog_xlsx_view(request):
    content = opendata.catalog_xlsx(opendata.catalog(), opendata.summary())
    return _download(content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")

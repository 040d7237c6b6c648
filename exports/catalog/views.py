"""Admin page 导入事项目录: upload a catalog file, then see the summary or every problem with its JSON path."""

import tempfile

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .exporter import MissingFile, write_catalog_zip
from .importer import import_file
from .uploads import unpack
from .validation import CatalogError

PERMISSION = "exports.import_catalog"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # a 10,000-item catalog is about 40 MB of JSON


def max_upload_bytes():
    return getattr(settings, "CATALOG_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


class CatalogUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("目录文件"),
        help_text=gettext_lazy(
            "yimen-catalog/1 或 /2 格式的 JSON 文件；带阳光台照片或办事表格时，把 JSON 文件和 photos、forms 文件夹一起压缩成 ZIP 上传。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".zip")):
            raise ValidationError(_("只能上传 .json 或 .zip 文件。"), code="extension")
        if upload.size > max_upload_bytes():
            raise ValidationError(
                _("文件大小 %(size)s 超过上限 %(limit)s；更大的目录请用命令 manage.py import_catalog 导入。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_upload_bytes())},
                code="size",
            )
        return upload


class CatalogImportView(WagtailAdminTemplateMixin, FormView):
    template_name = "exports/admin/catalog_import.html"
    form_class = CatalogUploadForm
    page_title = gettext_lazy("导入事项目录")
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_upload"] = max_upload_bytes()
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory(prefix="catalog-upload-") as folder:
            try:
                result = import_file(unpack(upload, folder), user=self.request.user)
            except CatalogError as error:
                return self.render_to_response(
                    self.get_context_data(form=self.form_class(), problems=error.problems, file_name=upload.name)
                )
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), result=result, file_name=upload.name)
        )


catalog_import = permission_required(PERMISSION, raise_exception=True)(CatalogImportView.as_view())


def export_zip(request):
    """The whole live catalog as the ZIP 导入事项目录 takes back: catalog.json, photos/ and forms/.

    It holds every live guide, also those under a view restriction (open data leaves those out), so it
    needs the same permission as an import, which can replace them all.
    """
    buffer = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    try:
        write_catalog_zip(buffer)
    except MissingFile as error:
        buffer.close()
        return HttpResponse(
            _("导出失败：%(reason)s。") % {"reason": error}, status=500, content_type="text/plain; charset=utf-8"
        )
    buffer.seek(0)
    name = f"yimen-catalog-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type="application/zip")


catalog_export = permission_required(PERMISSION, raise_exception=True)(export_zip)

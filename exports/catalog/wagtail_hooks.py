"""The admin menu entry 导入事项目录 and the permission that grants it (superusers always have it)."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import PERMISSION, catalog_export, catalog_import


@hooks.register("register_admin_urls")
def register_catalog_import_url():
    return [
        path("catalog-import/", catalog_import, name="catalog_import"),
        path("catalog-export/", catalog_export, name="catalog_export"),
    ]


class CatalogImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_catalog_import_menu_item():
    return CatalogImportMenuItem("导入事项目录", reverse("catalog_import"), icon_name="upload", order=610)


@hooks.register("register_permissions")
def register_catalog_import_permission():
    """Lets administrators give a group the right to import catalogs from the group settings."""
    app_label, codename = PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)

"""The admin menu entry 打印手册, its pages and the permission to print booklets."""

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urlpatterns = (
    [
        path("", admin_views.booklet_index, name="booklets"),
        path("status/", admin_views.booklet_status_view, name="booklet_status"),
        path("<int:pk>/download/", admin_views.booklet_download, name="booklet_download"),
    ],
    "exports_admin",
)


@hooks.register("register_admin_urls")
def register_booklet_urls():
    return [path("booklets/", include(admin_urlpatterns))]


class BookletMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_booklet_menu_item():
    return BookletMenuItem("打印手册", reverse("exports_admin:booklets"), icon_name="doc-full", order=600)


@hooks.register("register_permissions")
def register_booklet_permissions():
    """Lets administrators give editors the right to print booklets from the group settings."""
    return Permission.objects.filter(content_type__app_label="exports", codename__in=["add_booklet"])

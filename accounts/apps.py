from django.db.models.signals import post_migrate

from wagtail.users.apps import WagtailUsersAppConfig


class PortalUsersConfig(WagtailUsersAppConfig):
    """``wagtail.users`` with the portal's user and group views, and permission names in Chinese."""

    user_viewset = "accounts.views.UserViewSet"
    group_viewset = "accounts.views.GroupViewSet"

    def ready(self):
        super().ready()
        from .permissions import rename_permissions

        # Every app's post_migrate, not only this one's: each app's permissions are renamed as it is migrated.
        post_migrate.connect(rename_permissions, dispatch_uid="accounts.rename_permissions")

from wagtail.users.apps import WagtailUsersAppConfig


class PortalUsersConfig(WagtailUsersAppConfig):
    """``wagtail.users`` with the portal's user and group views."""

    user_viewset = "accounts.views.UserViewSet"
    group_viewset = "accounts.views.GroupViewSet"

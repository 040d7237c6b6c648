from wagtail import hooks

from .admin_views import AssistanceViewSet


@hooks.register("register_admin_viewset")
def register_assistance_viewset():
    return AssistanceViewSet()

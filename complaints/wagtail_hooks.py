from wagtail import hooks

from .admin_views import ComplaintViewSet


@hooks.register("register_admin_viewset")
def register_complaint_viewset():
    return ComplaintViewSet()

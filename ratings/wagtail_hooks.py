from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .admin_views import can_open


class FollowUpMenuItem(MenuItem):
    def is_shown(self, request):
        return can_open(request.user)


@hooks.register("register_admin_urls")
def register_follow_up_admin_urls():
    return [path("follow-ups/", include(admin_urls, namespace="ratings_admin"))]


@hooks.register("register_admin_menu_item")
def register_follow_up_menu_item():
    return FollowUpMenuItem(_("差评整改"), reverse("ratings_admin:queue"), icon_name="clipboard-list", order=245)


@hooks.register("register_log_actions")
def register_follow_up_actions(actions):
    actions.register_action("ratings.followup.open", _("差评待整改"), _("差评生成了整改记录"))
    actions.register_action("ratings.followup.view", _("查看差评整改"), _("查看了差评整改"))
    actions.register_action("ratings.followup.update", _("更新差评整改"), _("更新了整改、回访或处理记录"))
    actions.register_action("ratings.followup.close", _("办结差评整改"), _("办结了差评整改"))

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .access import can_open_queue


class QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return can_open_queue(request.user)


@hooks.register("register_admin_urls")
def register_complaint_admin_urls():
    return [path("complaints/", include(admin_urls, namespace="complaints_admin"))]


@hooks.register("register_admin_menu_item")
def register_complaint_menu_item():
    return QueueMenuItem(_("投诉处理"), reverse("complaints_admin:queue"), icon_name="warning", order=240)


@hooks.register("register_log_actions")
def register_complaint_actions(actions):
    actions.register_action("complaints.submit", _("提交投诉"), _("群众提交了投诉"))
    actions.register_action("complaints.track", _("公开查询"), _("投诉人凭查询码查看了办理进度"))
    actions.register_action("complaints.view", _("查看投诉"), _("查看了投诉"))
    actions.register_action("complaints.download", _("下载附件"), _("下载了投诉附件"))
    actions.register_action("complaints.assign", _("交办"), _("交办承办部门或调整复杂程度"))
    actions.register_action("complaints.note", _("处理记录"), _("添加了处理记录"))
    actions.register_action("complaints.reply", _("发布答复"), _("发布了答复"))
    actions.register_action("complaints.close", _("办结"), _("办结了投诉"))
    actions.register_action("complaints.handler_added", _("加入投诉处理人员"), _("加入了投诉处理人员组"))
    actions.register_action("complaints.handler_removed", _("移出投诉处理人员"), _("移出了投诉处理人员组"))

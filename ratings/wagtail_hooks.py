from django.utils.translation import gettext_lazy as _

from wagtail import hooks


@hooks.register("register_log_actions")
def register_follow_up_actions(actions):
    actions.register_action("ratings.followup.open", _("差评待整改"), _("差评生成了整改记录"))
    actions.register_action("ratings.followup.view", _("查看差评整改"), _("查看了差评整改"))
    actions.register_action("ratings.followup.update", _("更新差评整改"), _("更新了整改、回访或处理记录"))
    actions.register_action("ratings.followup.close", _("办结差评整改"), _("办结了差评整改"))

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from . import kinds

STEPS = {
    "submit": ("提交{label}", "群众提交了{label}"),
    "track": ("公开查询", "凭查询码查看了{label}办理进度"),
    "view": ("查看{label}", "查看了{label}"),
    "assign": ("交办", "交办承办部门"),
    "note": ("处理记录", "添加了处理记录"),
    "reply": ("发布答复", "发布了答复"),
    "extend": ("延期", "延长了答复期限"),
    "close": ("办结", "办结了{label}"),
    "reopen": ("重新办理", "群众反馈未解决，{label}重新办理"),
    "escalate": ("转中心负责人", "群众再次反馈未解决，转中心负责人督办"),
    "follow_up": ("回访", "回访了群众"),
    "download": ("下载附件", "下载了附件"),
    "severity": ("严重程度", "调整了严重程度"),
}


@hooks.register("register_log_actions")
def register_case_actions(actions):
    for kind in kinds.all_kinds():
        for verb, (label, message) in STEPS.items():
            actions.register_action(kind.action(verb), label.format(label=kind.label), message.format(label=kind.label))
        for verb, (label, message) in kind.extra.get("log_actions", {}).items():
            actions.register_action(kind.action(verb), label, message)

    @actions.register_action("cases.handler_added")
    class HandlerAdded(LogFormatter):
        label = _("加入处理人员组")

        def format_message(self, log_entry):
            return _("加入了“%(group)s”组") % {"group": (log_entry.data or {}).get("group", "")}

    @actions.register_action("cases.handler_removed")
    class HandlerRemoved(LogFormatter):
        label = _("移出处理人员组")

        def format_message(self, log_entry):
            return _("移出了“%(group)s”组") % {"group": (log_entry.data or {}).get("group", "")}

    # Entries written before the case core existed keep their labels.
    actions.register_action("complaints.handler_added", _("加入投诉处理人员"), _("加入了投诉处理人员组"))
    actions.register_action("complaints.handler_removed", _("移出投诉处理人员"), _("移出了投诉处理人员组"))

"""The admin's 消息通知 menu: 消息记录 and 短信发件箱 (read-only), 消息模板 (editors' wording, with a live preview),
and a dashboard panel naming messages that could not be sent.

Only staff holding a model's view permission see its list; the lists mask phone numbers and e-mail addresses
(138****1234, z***@example.com) in the page and in exports, and a message's own page shows them whole."""

import datetime

from django import forms
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import django_filters

from spreadsheets import SpreadsheetIndexView

from .models import Channel, Message, MessageTemplate, OutboxSms, Status
from .templates import FIELDS, registry


class ViewPermissionPolicy(ModelPermissionPolicy):
    """Nothing of the model without its view permission; `allowed` lists the actions there are at all."""

    allowed = ("view",)

    def user_has_permission(self, user, action):
        if action not in self.allowed:
            return False
        if not super().user_has_permission(user, "view"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class TemplatePolicy(ViewPermissionPolicy):
    """Templates come from code: editors change their wording, never add or delete one."""

    allowed = ("view", "change")


register_permission_policy(Message, ViewPermissionPolicy(Message), exact_class=True)
register_permission_policy(OutboxSms, ViewPermissionPolicy(OutboxSms), exact_class=True)
register_permission_policy(MessageTemplate, TemplatePolicy(MessageTemplate), exact_class=True)


def _template_choices():
    return [(t.key, t.label) for t in registry]


class MessageFilterSet(WagtailFilterSet):
    channel = django_filters.ChoiceFilter(label="渠道", choices=Channel.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部")
    template_key = django_filters.ChoiceFilter(label="模板", choices=_template_choices, empty_label="全部")

    class Meta:
        model = Message
        fields = ["channel", "status", "template_key", "created_at"]


def _view_permission_only(model):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return Permission.objects.filter(content_type=content_type, codename=f"view_{model._meta.model_name}")


class LocalTimeInspectView(InspectView):
    """Times in the portal's time zone, to the second, as the lists show them."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return _when(value) if isinstance(value, datetime.datetime) else value


class MessageInspectView(LocalTimeInspectView):
    """One message in full: the whole address, the text as sent and every try at sending it."""

    def get_field_label(self, field_name, field):
        if field_name == "delivery_log":
            return "发送记录"
        if field_name == "template_label":
            return "模板"
        return super().get_field_label(field_name, field)

    def get_delivery_log_display_value(self):
        attempts = self.object.delivery_attempts.all()
        if not attempts:
            return "（尚未尝试）"
        return format_html(
            '<table class="listing"><thead><tr><th>次数</th><th>开始</th><th>结束</th><th>结果</th>'
            "<th>发送方式</th><th>错误</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        a.number,
                        _when(a.started_at),
                        _when(a.finished_at),
                        a.get_outcome_display(),
                        a.backend or "—",
                        a.error or "—",
                    )
                    for a in attempts
                ),
            ),
        )

    def get_body_display_value(self):
        return linebreaksbr(self.object.body)

    def get_sms_params_display_value(self):
        params = self.object.sms_params
        return "，".join(f"{k}={v}" for k, v in params.items()) if params else "—"


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "—"


class MessageViewSet(ModelViewSet):
    model = Message
    icon = "mail"
    menu_label = "消息记录"
    name = "messages"
    index_view_class = SpreadsheetIndexView
    inspect_view_enabled = True
    inspect_view_class = MessageInspectView
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = []  # no form is ever shown: the permission policy allows nobody to add or change a message
    list_display = [
        TitleColumn(
            "created_at",
            label="创建时间",
            accessor=lambda m: _when(m.created_at),
            sort_key="created_at",
            get_url=lambda m: reverse("messages:inspect", args=[m.pk]),
        ),
        Column("channel", label="渠道", accessor="get_channel_display", sort_key="channel"),
        Column("recipient", label="收件地址", accessor="masked_recipient"),
        Column("template", label="模板", accessor="template_label", sort_key="template_key"),
        Column("about", label="关于", accessor=lambda m: " ".join(filter(None, [m.about_label, m.about_code])) or "—"),
        Column("status", label="状态", accessor="get_status_display", sort_key="status"),
        "attempts",
        Column("sent_at", label="发送时间", accessor=lambda m: _when(m.sent_at), sort_key="sent_at"),
    ]
    filterset_class = MessageFilterSet
    list_export = [
        "created_at",
        "get_channel_display",
        "masked_recipient",
        "template_label",
        "about_label",
        "about_code",
        "subject",
        "get_status_display",
        "attempts",
        "last_error",
        "sent_at",
        "backend",
    ]
    export_headings = {
        "get_channel_display": "渠道",
        "masked_recipient": "收件地址",
        "template_label": "模板",
        "get_status_display": "状态",
    }
    export_filename = "messages"
    search_fields = ["about_code", "subject", "template_key"]
    search_backend_name = None  # plain database lookups: the message log is not in the search index
    ordering = ["-created_at"]
    inspect_view_fields = [
        "channel",
        "recipient",
        "template_label",
        "subject",
        "body",
        "sms_params",
        "about_label",
        "about_code",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "backend",
        "provider_id",
        "dedupe_key",
        "delivery_log",
    ]

    def get_permissions_to_register(self):
        return _view_permission_only(self.model)


class OutboxInspectView(LocalTimeInspectView):
    def get_field_label(self, field_name, field):
        return "模板" if field_name == "template_label" else super().get_field_label(field_name, field)

    def get_template_label_display_value(self):
        template = registry.get(self.object.template_key)
        return template.label if template else self.object.template_key


class OutboxViewSet(ModelViewSet):
    """The SMS the outbox backend 'sent': for a portal without an SMS contract, and to check wording."""

    model = OutboxSms
    icon = "mobile-alt"
    menu_label = "短信发件箱"
    name = "sms_outbox"
    index_view_class = SpreadsheetIndexView
    inspect_view_enabled = True
    inspect_view_class = OutboxInspectView
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = []  # read-only, like the message log
    list_display = [
        TitleColumn(
            "created_at",
            label="发出时间",
            accessor=lambda m: _when(m.created_at),
            sort_key="created_at",
            get_url=lambda m: reverse("sms_outbox:inspect", args=[m.pk]),
        ),
        Column("phone", label="手机号码", accessor="masked_phone"),
        Column("text", label="短信内容", accessor="text"),
        Column(
            "template",
            label="模板",
            accessor=lambda m: registry.get(m.template_key).label if m.template_key in registry else m.template_key,
        ),
    ]
    list_filter = ["created_at"]
    list_export = ["created_at", "masked_phone", "text", "template_key"]
    export_headings = {"masked_phone": "手机号码", "template_key": "模板"}
    export_filename = "sms-outbox"
    search_fields = ["text"]
    search_backend_name = None
    ordering = ["-created_at"]
    inspect_view_fields = ["created_at", "phone", "text", "template_label", "message"]

    def get_permissions_to_register(self):
        return _view_permission_only(self.model)


class MessageTemplateForm(WagtailAdminModelForm):
    """Shows the text in use (the default where editors changed nothing); text equal to the default is stored
    as empty, so the template follows the code's wording; 恢复默认 empties all three."""

    restore_defaults = forms.BooleanField(
        label="恢复默认",
        required=False,
        help_text="勾选后保存：放弃对本模板的全部修改，改用程序自带的文字。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = self.instance.default
        if default is None:
            return
        for name in FIELDS:
            if name not in self.fields:
                continue
            if not getattr(default, name):
                del self.fields[name]  # the template sends nothing on this channel
                continue
            if not getattr(self.instance, name):
                self.initial[name] = getattr(default, name)
            listed = "、".join(f"{{{{ {key} }}}}（{label}）" for key, label in default.variables.items())
            self.fields[name].help_text = f"可以用的变量：{listed or '无'}。"
        if "sms" in self.fields:
            self.fields["sms"].help_text += "一条短信 70 字以内；更长的分成几条发送，每条 67 字。"

    def clean(self):
        data = super().clean()
        default = self.instance.default
        if default is None:
            return data
        for name in FIELDS:
            if name not in self.fields:
                continue
            if data.get("restore_defaults") or (data.get(name) or "").strip() == getattr(default, name).strip():
                data[name] = ""
        return data


class MessageTemplateViewSet(SnippetViewSet):
    model = MessageTemplate
    icon = "doc-full"
    menu_label = "消息模板"
    list_display = [
        Column("label", label="模板", accessor="label"),
        Column("key", label="代码", accessor="key", sort_key="key"),
        Column("customised", label="已修改", accessor=lambda t: "是" if t.is_customised else "否"),
        "updated_at",
    ]
    ordering = ["key"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("subject"), FieldPanel("body"), FieldPanel("sms"), FieldPanel("restore_defaults")],
        base_form_class=MessageTemplateForm,
    )


class NotificationsViewSetGroup(SnippetViewSetGroup):
    menu_label = "消息通知"
    menu_icon = "mail"
    menu_order = 250
    items = (MessageViewSet, OutboxViewSet, MessageTemplateViewSet)


register_snippet(NotificationsViewSetGroup)


class FailedMessagesPanel(Component):
    """Dashboard panel: the latest messages given up after their last try, so staff can reach those people
    another way."""

    name = "failed_messages"
    order = 320

    def render_html(self, parent_context=None):
        failed = Message.objects.filter(status=Status.FAILED)
        latest = list(failed.order_by("-created_at")[:10])
        if not latest:
            return ""
        return render_to_string(
            "notifications/failed_messages_panel.html", {"messages": latest, "total": failed.count()}
        )


@hooks.register("construct_homepage_panels")
def add_failed_messages_panel(request, panels):
    if ViewPermissionPolicy(Message).user_has_permission(request.user, "view"):
        panels.append(FailedMessagesPanel())

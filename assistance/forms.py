from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms import ContactMixin, OfflineIntakeMixin, ServiceTextMixin
from content.inputs import IdChoiceField
from content.models import HallPage, StaffMember
from publicforms.protection import HONEYPOT_FIELD, HoneypotMixin

from . import stations
from .models import HomeVisitReason

CONSENT_TEXT = gettext_lazy(
    "我同意便民服务站为代办本事项使用所填信息；姓名、电话和上门地址仅帮办代办人员可见，对外严格保密。"
)


class AssistanceForm(ServiceTextMixin, ContactMixin, HoneypotMixin, forms.Form):
    """请服务站帮我办: which item, which station, where the person lives and how to reach them.

    Name and phone are required, unlike the other kinds: the station calls back to agree a time and
    collect the materials. A station that does not 代办 the item refuses it and names those that do.
    """

    service_verb = gettext_lazy("代办")

    hall = IdChoiceField(
        label=gettext_lazy("服务站"),
        queryset=HallPage.objects.none(),
        empty_label=gettext_lazy("（请选择）"),
        help_text=gettext_lazy("请选择离您最近、可以代办这个事项的便民服务站。"),
        error_messages={
            "required": gettext_lazy("请选择为您代办的服务站。"),
            "invalid_choice": gettext_lazy("请从列出的服务站中选择一个。"),
        },
    )
    village = forms.CharField(
        label=gettext_lazy("所在村（社区）"),
        max_length=50,
        help_text=gettext_lazy("例如：新民村、东风村三组。"),
        error_messages={
            "required": gettext_lazy("请填写您所在的村（社区）。"),
            "max_length": gettext_lazy("村（社区）名称最多 %(limit_value)d 个字。"),
        },
    )
    preferred_time = forms.CharField(
        label=gettext_lazy("方便的时间"),
        max_length=100,
        help_text=gettext_lazy("代办员什么时候联系您、上门或约您到站方便，例如：工作日上午、周六全天、下午三点以后。"),
        error_messages={
            "required": gettext_lazy("请写下您方便的时间，例如“工作日上午”。"),
            "max_length": gettext_lazy("方便的时间最多 %(limit_value)d 个字。"),
        },
    )
    home_visit = forms.BooleanField(
        label=gettext_lazy("需要上门服务（老年人、残疾人、行动不便的群众，代办员可以上门收取材料、送达结果）"),
        required=False,
    )
    home_visit_reason = forms.ChoiceField(
        label=gettext_lazy("上门原因"),
        choices=HomeVisitReason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("请从列出的原因中选择一项。")},
    )
    address = forms.CharField(
        label=gettext_lazy("上门地址"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("村组和门牌号，例如：新民村五组 12 号。仅帮办代办人员可见。"),
        error_messages={"max_length": gettext_lazy("上门地址最多 %(limit_value)d 个字。")},
    )
    note = forms.CharField(
        label=gettext_lazy("补充说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("例如：替家中老人办理、已备好哪些材料。请不要写身份证号。"),
        error_messages={"max_length": gettext_lazy("补充说明最多 %(limit_value)d 个字（现在 %(show_value)d 个）。")},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": gettext_lazy("请阅读并勾选同意声明后再提交。")},
    )

    field_order = [
        "service",
        "hall",
        "village",
        "name",
        "phone",
        "preferred_time",
        "home_visit",
        "home_visit_reason",
        "address",
        "note",
        "email",
        "notify_by",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = stations.stations()
        service = self.fields["service"]
        service.required = True
        service.label = _("要代办的事项")
        service.error_messages["required"] = _("请填写要代办的事项，例如“高龄津贴”“养老保险”。")
        service.help_text = _("写事项名称或平常的叫法都可以，例如“高龄津贴”“养老保险”，输入时会提示事项名称。")
        name, phone = self.fields["name"], self.fields["phone"]
        name.required = True
        name.error_messages["required"] = _("请填写姓名：代办员要知道怎么称呼您。")
        phone.required = True
        phone.error_messages["required"] = _("请填写联系电话：服务站要打电话和您约时间、收材料。")
        phone.help_text = _("代办员会打这个电话和您联系。手机或带区号的固定电话都可以。")
        self.order_fields(self.field_order)

    def clean_village(self):
        return self.cleaned_data["village"].strip()

    def clean_preferred_time(self):
        return self.cleaned_data["preferred_time"].strip()

    def clean_address(self):
        return self.cleaned_data["address"].strip()

    def clean_note(self):
        return self.cleaned_data["note"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("home_visit"):
            if not cleaned.get("home_visit_reason") and "home_visit_reason" not in self.errors:
                self.add_error("home_visit_reason", _("需要上门服务的，请选择上门原因。"))
            if not cleaned.get("address") and "address" not in self.errors:
                self.add_error("address", _("需要上门服务的，请填写上门地址（村组和门牌号）。"))
        else:
            # Not asked for: no address is kept that nobody needs.
            cleaned["home_visit_reason"], cleaned["address"] = "", ""
        service, hall = cleaned.get("service"), cleaned.get("hall")
        if service is not None and hall is not None and not stations.assists(hall, service):
            self.add_error("hall", self.refusal(hall, service))
        return cleaned

    @staticmethod
    def refusal(hall, service):
        """Why the station turns the item down, and where the person can go instead."""
        message = _("%(hall)s不代办“%(service)s”。") % {"hall": hall.title, "service": service.title}
        others = [h.title for h in stations.stations_for(service)]
        if others:
            return message + _("可以代办这个事项的服务站：%(halls)s，请改选其中一个。") % {"halls": "、".join(others)}
        return message + _("目前没有服务站代办这个事项，请到办理大厅办理，或拨打咨询电话 %(phone)s。") % {
            "phone": service.consult_phone
        }

    def about(self):
        data = self.cleaned_data
        return {"service": data["service"], "hall": data["hall"], "department": data["service"].department}

    def details(self):
        data = self.cleaned_data
        return {
            "village": data["village"],
            "preferred_time": data["preferred_time"],
            "home_visit": data["home_visit"],
            "home_visit_reason": data["home_visit_reason"],
            "address": data["address"],
            "note": data["note"],
        }


class AssistanceIntakeForm(OfflineIntakeMixin, AssistanceForm):
    """A 代办 request received by phone, at the station, by letter or from 12345, entered by a handler."""

    field_order = ["channel", "hotline_number", "received_at", *AssistanceForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields[HONEYPOT_FIELD]
        self.fields["note"].label = _("补充说明（记录群众所说）")
        self.order_fields(self.field_order)


# ---- Handler forms (admin) ----


class AgentForm(forms.Form):
    """分派代办员: only the 代办员 on duty at the request's own station are offered."""

    agent = IdChoiceField(
        label=gettext_lazy("代办员"),
        queryset=StaffMember.objects.none(),
        empty_label=gettext_lazy("（请选择）"),
        help_text=gettext_lazy("只列出本服务站在岗的代办员（窗口人员中勾选了“代办员”的人）。"),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and case.hall_id is not None:
            self.fields["agent"].queryset = stations.agents(case.hall_id)
        self.fields["agent"].label_from_instance = lambda person: f"{person.name}（{person.phone or person.position}）"


class StepForm(forms.Form):
    """更新进度: the next step or any later one, never back."""

    step = forms.ChoiceField(label=gettext_lazy("进度"), choices=())
    note = forms.CharField(
        label=gettext_lazy("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("仅内部可见；标记“已送达”时作为办结说明。"),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["step"].choices = case.later_steps()

    def clean_note(self):
        return self.cleaned_data["note"].strip()

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms import ContactMixin, OfflineIntakeMixin, ServiceTextMixin, category_field, consent_field, hall_field
from content.inputs import IdChoiceField
from content.models import Department, HallPage
from publicforms.protection import HONEYPOT_FIELD, HoneypotMixin

from .models import Category

TEXT_MIN = 5
TEXT_MAX = 1000
CONSENT_TEXT = gettext_lazy(
    "我同意政务服务中心为答复本咨询使用所填信息；姓名、电话和邮箱仅答复人员可见，对外严格保密。"
)


class QuestionForm(ServiceTextMixin, ContactMixin, HoneypotMixin, forms.Form):
    """我要咨询: about a guide (涉及事项) or the centre in general; name and contact are optional."""

    service_verb = gettext_lazy("咨询")

    hall = hall_field(gettext_lazy("咨询大厅"))
    category = category_field(gettext_lazy("咨询类别"), Category.choices)
    text = forms.CharField(
        label=gettext_lazy("您的问题"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("请写下您的问题。"),
            "min_length": gettext_lazy("问题太短：至少写 %(limit_value)d 个字（现在 %(show_value)d 个）。"),
            "max_length": gettext_lazy("问题最多 %(limit_value)d 个字（现在 %(show_value)d 个），请精简。"),
        },
        help_text=gettext_lazy("例如：“父母代办要带什么材料？”请不要写身份证号等个人信息。"),
    )
    publish_consent = forms.BooleanField(
        label=gettext_lazy("同意在隐去个人信息后公开我的问题和答复，帮助有同样问题的人"),
        required=False,
    )
    consent = consent_field(CONSENT_TEXT)

    field_order = [
        "service",
        "hall",
        "category",
        "text",
        "name",
        "phone",
        "email",
        "notify_by",
        "publish_consent",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = HallPage.objects.readable().order_by("path")
        self.fields["phone"].help_text = _("留下电话，答复人员可以打电话给您；不留也可以凭查询码查看答复。")
        self.order_fields(self.field_order)

    def clean_text(self):
        return self.cleaned_data["text"].strip()

    def about(self):
        data = self.cleaned_data
        hall = data.get("hall")
        if hall is None and data.get("service") is not None:
            link = data["service"].service_halls.select_related("hall").first()
            hall = link.hall if link else None
        return {
            "service": data.get("service"),
            "hall": hall,
            "department": data["service"].department if data.get("service") else None,
        }


class QuestionIntakeForm(OfflineIntakeMixin, QuestionForm):
    """A question received by phone, in person, by letter or from 12345, entered by a handler."""

    field_order = ["channel", "hotline_number", "received_at", *QuestionForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields[HONEYPOT_FIELD]
        self.fields["text"].label = _("咨询内容（记录群众所问）")
        self.fields["publish_consent"].label = _("群众同意隐去个人信息后公开问答")
        self.order_fields(self.field_order)


# ---- Handler forms (admin) ----


class AssignForm(forms.Form):
    department = IdChoiceField(label=gettext_lazy("答复部门"), queryset=Department.objects.all())


class PublishForm(forms.Form):
    public_question = forms.CharField(
        label=gettext_lazy("公开的问题"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("公开前请去掉姓名、电话、身份证号、住址等个人信息。"),
    )
    public_answer = forms.CharField(
        label=gettext_lazy("公开的答复"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class UnpublishForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("确认从办事指南上撤下这条问答"))


class MakeFaqForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("把这条问答加为办事指南的常见问题"))

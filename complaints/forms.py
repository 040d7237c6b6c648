from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.forms import ContactMixin, OfflineIntakeMixin, ServiceTextMixin, category_field, consent_field, hall_field
from content.inputs import IdChoiceField
from content.models import Department, HallPage, HallWindow, StaffMember
from publicforms.protection import HONEYPOT_FIELD, HoneypotMixin

from .attachments import clean_upload
from .models import Category, Complexity, Severity

CONSENT_TEXT = gettext_lazy(
    "我确认所填内容属实。我同意政务服务中心为调查处理本投诉使用所填信息；"
    "投诉人姓名和电话仅投诉处理人员可见，对外严格保密。"
)
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 2000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked and cleaned by `clean_upload`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        limit = settings.COMPLAINTS_MAX_ATTACHMENTS
        if len(uploads) > limit:
            raise ValidationError(
                _("最多上传 %(limit)d 个附件，您选择了 %(count)d 个。") % {"limit": limit, "count": len(uploads)}
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(clean_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class GroupedChoiceField(forms.ChoiceField):
    """A select of model objects grouped under their hall; cleans to the object or None."""

    def __init__(self, *, objects, label_for, group_for, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        groups = {}
        for obj in objects:
            groups.setdefault(group_for(obj), []).append((str(obj.pk), label_for(obj)))
        choices = [("", _("（不指定）")), *[(group, options) for group, options in groups.items()]]
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(value) if value else None


class ComplaintForm(ServiceTextMixin, ContactMixin, HoneypotMixin, forms.Form):
    """The public complaint form; everything about whom or what is optional, and so are name and phone."""

    hall = hall_field(gettext_lazy("涉及大厅"))
    category = category_field(gettext_lazy("投诉类别"), Category.choices)
    description = forms.CharField(
        label=gettext_lazy("投诉内容"),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": gettext_lazy("请填写投诉内容。"),
            "min_length": gettext_lazy(
                "投诉内容太短：至少写 %(limit_value)d 个字（现在 %(show_value)d 个），请写明时间、地点和经过。"
            ),
            "max_length": gettext_lazy(
                "投诉内容最多 %(limit_value)d 个字（现在 %(show_value)d 个），请精简，或把详细材料作为附件上传。"
            ),
        },
        help_text=gettext_lazy("请写明时间、地点、经过和您的诉求，%(min)d 至 %(max)d 字。")
        % {"min": DESCRIPTION_MIN, "max": DESCRIPTION_MAX},
    )
    attachments = MultipleFileField(
        label=gettext_lazy("附件"),
        required=False,
        help_text=gettext_lazy(
            "可选。照片（JPEG、PNG）或 PDF，最多 3 个，每个不超过 5 MB；照片中的拍摄地点等信息会被自动去除。"
        ),
    )
    consent = consent_field(CONSENT_TEXT)

    field_order = [
        "hall",
        "window",
        "staff",
        "service",
        "category",
        "description",
        "attachments",
        "name",
        "phone",
        "email",
        "notify_by",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        halls = HallPage.objects.readable().order_by("path")
        self.fields["hall"].queryset = halls
        windows = list(
            HallWindow.objects.filter(hall__in=halls).select_related("hall").order_by("hall__path", "sort_order")
        )
        self.fields["window"] = GroupedChoiceField(
            label=_("涉及窗口"), objects=windows, label_for=str, group_for=lambda w: w.hall.title
        )
        staff = list(
            StaffMember.objects.on_board()
            .filter(hall__in=halls)
            .select_related("hall", "window")
            .order_by("hall__path", "window__sort_order", "post", "name")
        )
        self.fields["staff"] = GroupedChoiceField(
            label=_("涉及工作人员"),
            objects=staff,
            label_for=lambda s: f"{s.name}（{s.window or s.position}）",
            group_for=lambda s: s.hall.title,
        )
        self.fields["phone"].help_text = _("留下电话便于我们回复您；不留电话和邮箱则为匿名投诉，凭查询码查看答复。")
        self.order_fields(self.field_order)

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def clean(self):
        cleaned = super().clean()
        hall, window, staff = cleaned.get("hall"), cleaned.get("window"), cleaned.get("staff")
        if window and hall and window.hall_id != hall.pk:
            self.add_error("window", _("所选窗口不在所选大厅，请重新选择。"))
        if staff and hall and staff.hall_id != hall.pk:
            self.add_error("staff", _("所选工作人员不在所选大厅，请重新选择。"))
        if window and staff and staff.hall_id != window.hall_id:
            self.add_error("staff", _("所选工作人员与所选窗口不在同一个大厅，请重新选择。"))
        return cleaned

    def about_hall(self):
        """The hall the complaint concerns, taken from the most specific choice made."""
        data = self.cleaned_data
        for obj in (data.get("staff"), data.get("window")):
            if obj is not None:
                return obj.hall
        if data.get("hall") is not None:
            return data["hall"]
        service = data.get("service")
        if service is not None:
            link = service.service_halls.select_related("hall").first()
            return link.hall if link else None
        return None


# ---- Handler forms (admin) ----


class AssignForm(forms.Form):
    department = IdChoiceField(label=gettext_lazy("承办部门"), queryset=Department.objects.all())
    complexity = forms.ChoiceField(label=gettext_lazy("复杂程度"), choices=Complexity.choices)


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=gettext_lazy("严重程度"), choices=Severity.choices)


class ComplaintIntakeForm(OfflineIntakeMixin, ComplaintForm):
    """A complaint received by phone, in person, by letter or from 12345, entered by a handler.

    The same checks as the public form, without the honeypot and the consent box (the handler told the
    person how the data is used), plus the channel, the work-order number and the severity.
    """

    severity = forms.ChoiceField(label=gettext_lazy("严重程度"), choices=Severity.choices, initial=Severity.ORDINARY)

    field_order = ["channel", "hotline_number", "received_at", "severity", *ComplaintForm.field_order]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields[HONEYPOT_FIELD]
        self.fields["description"].label = _("投诉内容（记录群众所述）")
        self.order_fields(self.field_order)

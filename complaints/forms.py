import re
import secrets
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.inputs import IdChoiceField
from content.models import Department, HallPage, HallWindow, ServicePage, StaffMember
from search import engine

from . import codes
from .attachments import clean_upload
from .models import Category, Complexity
from .protection import HoneypotMixin

CONSENT_TEXT = gettext_lazy(
    "我确认所填内容属实。我同意政务服务中心为调查处理本投诉使用所填信息；"
    "投诉人姓名和电话仅投诉处理人员可见，对外严格保密。"
)
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 2000
# ASCII digits only: Python's \d also matches Arabic-Indic, Devanagari and other digits, which no
# Chinese phone number contains and which would be stored as they were typed.
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")


def normalise_phone(value):
    """Digits and at most two dashes; full-width digits and signs made half-width (NFKC), spaces, brackets and a +86 prefix removed."""
    value = unicodedata.normalize("NFKC", value or "")
    value = re.sub(r"[\s()]", "", value).replace("—", "-")
    if value.startswith("+86"):
        value = value[3:]
    return value


def is_valid_phone(phone):
    """True for a normalised mobile number or a landline with its area code."""
    return bool(_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone))


def phone_digits(value):
    return re.sub(r"[^0-9]", "", unicodedata.normalize("NFKC", value or ""))


class PhoneInput(forms.TextInput):
    """A phone field that opens the phone keypad on touch screens (type="tel") and lets the browser fill it in."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})


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


class ComplaintForm(HoneypotMixin, forms.Form):
    """The public complaint form; everything about whom or what is optional, and so are name and phone."""

    hall = IdChoiceField(
        label=gettext_lazy("涉及大厅"),
        queryset=HallPage.objects.none(),
        required=False,
        empty_label=gettext_lazy("（不指定）"),
    )
    service = forms.CharField(
        label=gettext_lazy("涉及事项"),
        required=False,
        max_length=200,
        error_messages={"max_length": gettext_lazy("事项名称最多 %(limit_value)d 个字。")},
        help_text=gettext_lazy(
            "写事项名称或平常的叫法都可以，例如“低保”“上户口”，输入时会提示事项名称；不清楚可留空。"
        ),
        # An ARIA combobox: search/suggest.js lists the search engine's suggestions as one types
        # (the list and its status line are in the template, next to the field).
        widget=forms.TextInput(
            attrs={
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "service-suggestions",
                "autocomplete": "off",
            }
        ),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("投诉类别"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择投诉类别；拿不准的选“其他”。"),
            "invalid_choice": gettext_lazy("请从列出的类别中选择一项。"),
        },
    )
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
    name = forms.CharField(
        label=gettext_lazy("姓名"),
        required=False,
        max_length=50,
        error_messages={"max_length": gettext_lazy("姓名最多 %(limit_value)d 个字。")},
    )
    phone = forms.CharField(
        label=gettext_lazy("联系电话"),
        required=False,
        max_length=20,
        error_messages={"max_length": gettext_lazy("电话号码最多 %(limit_value)d 位，请核对。")},
        help_text=gettext_lazy("留下电话便于我们回复您；不留则为匿名投诉，凭查询码查看答复。"),
        widget=PhoneInput,
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": gettext_lazy("请阅读并勾选同意声明后再提交。")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

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
        # The guides the text in 涉及事项 could mean, when the search finds no clear best; the template
        # offers them as a choice (service_pick) next to the field.
        self.service_choices = []
        self.order_fields(self.field_order)
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = secrets.token_urlsafe(24)

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone and not is_valid_phone(phone):
            raise ValidationError(
                _("请填写有效的手机号（11 位）或带区号的固定电话，例如 13800001234 或 0734-4362011。")
            )
        return phone

    def clean_service(self):
        """The guide meant by what was typed, understood as the portal's search understands it.

        An exact 实施编码 or name, or a guide picked from the offered choice, is taken as it is. Otherwise
        the search engine (synonyms such as 低保 → 最低生活保障, pinyin, typos) decides: one guide, or a
        first one scoring at least twice the next, is the clear best match; several close ones are
        offered as a choice; none is a friendly error.
        """
        text = self.cleaned_data["service"].strip()
        if not text:
            return None
        live = ServicePage.objects.readable()
        picked = str(self.data.get("service_pick", "")).strip()
        if picked:
            chosen = live.filter(code=picked).first()
            if chosen is not None:
                return chosen
        matches = list(live.filter(Q(code__iexact=text) | Q(title=text))[:2])
        if len(matches) == 1:
            return matches[0]
        candidates = matching_services(text)
        if len(candidates) == 1 or (candidates and candidates[0][1] >= 2 * candidates[1][1]):
            return candidates[0][0]
        if candidates:
            self.service_choices = [page for page, _score in candidates]
            raise ValidationError(_("“%(text)s”可能是下面几个事项中的一个，请选出您要投诉的那一个。") % {"text": text})
        raise ValidationError(
            _("没有找到“%(text)s”这个事项。可以换个说法（例如“低保”“上户口”），从输入时的提示中选择，或者留空。")
            % {"text": text}
        )

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


def matching_services(text, limit=5):
    """Live guides the search engine finds for `text`, best first, each with its score: [(ServicePage, score)].

    A FAQ hit counts for its guide; a guide found twice keeps its better score.
    """
    try:
        outcome = engine.run_search(text, limit=limit * 2, log=False)
    except engine.QueryTooLong:
        return []
    scores = {}
    for item in outcome.items:
        if item.kind in ("service", "faq") and item.code not in scores:
            scores[item.code] = item.score
    pages = {page.code: page for page in ServicePage.objects.readable().filter(code__in=scores)}
    return [(pages[code], score) for code, score in scores.items() if code in pages][:limit]


class TrackForm(HoneypotMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=40,
        error_messages={
            "required": gettext_lazy("请填写查询码。"),
            "max_length": gettext_lazy("查询码格式不对，应类似 TS-2026-7KQ4-M2XD，请核对。"),
        },
        help_text=gettext_lazy("提交投诉后得到的查询码，例如 TS-2026-7KQ4-M2XD。"),
    )
    phone_last4 = forms.CharField(
        label=gettext_lazy("联系电话后四位"),
        required=False,
        max_length=4,
        error_messages={"max_length": gettext_lazy("请填写 4 位数字。")},
        help_text=gettext_lazy("提交时留了电话的，请填写电话号码的最后四位；匿名投诉留空。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(_("查询码格式不对，应类似 TS-2026-7KQ4-M2XD，请核对。"))
        return code

    def clean_phone_last4(self):
        value = unicodedata.normalize("NFKC", self.cleaned_data["phone_last4"]).strip()
        if value and not re.fullmatch(r"[0-9]{4}", value):
            raise ValidationError(_("请填写 4 位数字。"))
        return value


# ---- Handler forms (admin) ----


class AssignForm(forms.Form):
    department = IdChoiceField(label=gettext_lazy("承办部门"), queryset=Department.objects.all())
    complexity = forms.ChoiceField(label=gettext_lazy("复杂程度"), choices=Complexity.choices)


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("处理记录"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("答复内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("发布后投诉人凭查询码可以看到；请勿写入投诉人或他人的姓名、电话等个人信息。"),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("办结说明"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("写明处理结果，例如对责任人的处理、整改措施；仅内部可见。"),
    )

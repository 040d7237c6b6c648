"""Form parts every kind of case shares: whom to tell and how, the guide meant by what was typed,
tracking, the citizen's "not solved", offline intake and the handlers' steps."""

import re
import secrets
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.inputs import IdChoiceField
from content.models import HallPage, ServicePage
from publicforms.phones import PhoneInput, is_mobile, is_valid_phone, normalise_phone
from publicforms.protection import HoneypotMixin
from search import engine
from widgets import ISO_DATETIME_LOCAL, IsoDateInput, IsoDateTimeInput

from . import codes
from .models import OFFLINE_CHANNELS, Channel, NotifyBy, Satisfaction

SERVICE_COMBOBOX = {
    "role": "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": "service-suggestions",
    "autocomplete": "off",
}


def hall_field(label):
    """An optional hall, chosen among the readable ones (the form sets the queryset in its __init__)."""
    return IdChoiceField(
        label=label, queryset=HallPage.objects.none(), required=False, empty_label=gettext_lazy("（不指定）")
    )


def category_field(label, choices):
    """A kind's categories as radio buttons, with a way out for those who are unsure."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择%(label)s；拿不准的选“其他”。") % {"label": label},
            "invalid_choice": gettext_lazy("请从列出的类别中选择一项。"),
        },
    )


def consent_field(text):
    return forms.BooleanField(label=text, error_messages={"required": gettext_lazy("请阅读并勾选同意声明后再提交。")})


def new_form_token():
    return secrets.token_urlsafe(24)


class ContactMixin(forms.Form):
    """Name, phone and e-mail (all optional unless a kind says otherwise), and how to be told of progress."""

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
        widget=PhoneInput,
    )
    email = forms.EmailField(
        label=gettext_lazy("电子邮箱"),
        required=False,
        max_length=254,
        error_messages={"invalid": gettext_lazy("电子邮箱格式不对，应类似 name@example.com。")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify_by = forms.ChoiceField(
        label=gettext_lazy("办理进度通知"),
        choices=NotifyBy.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("选择短信或电子邮件，查询码和每次进度变化都会发给您；不需要就选“不需要通知”。"),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = new_form_token()
        self.initial.setdefault("notify_by", NotifyBy.NONE)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if phone and not is_valid_phone(phone):
            raise ValidationError(
                _("请填写有效的手机号（11 位）或带区号的固定电话，例如 13800001234 或 0734-4362011。")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        how = cleaned.get("notify_by") or ""
        if how == NotifyBy.SMS and "phone" not in self.errors and not is_mobile(cleaned.get("phone", "")):
            self.add_error("phone", _("选择短信通知，请填写 11 位手机号（固定电话收不到短信）。"))
        if how == NotifyBy.EMAIL and "email" not in self.errors and not cleaned.get("email"):
            self.add_error("email", _("选择电子邮件通知，请填写电子邮箱。"))
        return cleaned

    def contact(self):
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "notify_by": data.get("notify_by") or "",
        }


class ServiceTextMixin(forms.Form):
    """涉及事项 typed in the person's own words and resolved to a guide as the portal's search does."""

    service_verb = gettext_lazy("投诉")  # "请选出您要投诉的那一个"

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
        widget=forms.TextInput(attrs=SERVICE_COMBOBOX),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The guides the text could mean when the search finds no clear best; the template offers them
        # as a choice (service_pick) next to the field.
        self.service_choices = []

    def clean_service(self):
        """The guide meant by what was typed.

        An exact 实施编码 or name, or a guide picked from the offered choice, is taken as it is. Otherwise
        the search engine (synonyms such as 低保 → 最低生活保障, pinyin, typos) decides: one guide, or a
        first one scoring at least twice the next, is the clear best match; several close ones are
        offered as a choice; none is a friendly error.
        """
        text = self.cleaned_data["service"].strip()
        if not text:
            if self.fields["service"].required:
                raise ValidationError(self.fields["service"].error_messages["required"], code="required")
            return None
        live = ServicePage.objects.readable()
        # The guide the form was opened from (?service=CODE): exact while its name is left as shown.
        prefilled = str(self.data.get("service_code", "")).strip()[:64]
        if prefilled:
            chosen = live.filter(code=prefilled, title=text).first()
            if chosen is not None:
                return chosen
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
            raise ValidationError(
                _("“%(text)s”可能是下面几个事项中的一个，请选出您要%(verb)s的那一个。")
                % {"text": text, "verb": self.service_verb}
            )
        if self.fields["service"].required:
            raise ValidationError(
                _("没有找到“%(text)s”这个事项。可以换个说法（例如“低保”“上户口”），或从输入时的提示中选择。")
                % {"text": text}
            )
        raise ValidationError(
            _("没有找到“%(text)s”这个事项。可以换个说法（例如“低保”“上户口”），从输入时的提示中选择，或者留空。")
            % {"text": text}
        )


def prefill_service(initial, code):
    """Open the form about the guide with `code`: its name in 涉及事项 and its code alongside, so the name
    resolves to exactly that guide even where another guide has the same name."""
    service = ServicePage.objects.readable().filter(code__iexact=code[:64]).first()
    if service is not None:
        initial["service"] = service.title
        initial["service_code"] = service.code
    return initial


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
    """A tracking code of any kind (TS 投诉, ZX 咨询, DB 代办) and the phone's last four digits."""

    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=40,
        error_messages={
            "required": gettext_lazy("请填写查询码。"),
            "max_length": gettext_lazy("查询码格式不对，应类似 TS-2026-7KQ4-M2XD，请核对。"),
        },
        help_text=gettext_lazy("提交后得到的查询码，例如 TS-2026-7KQ4-M2XD（投诉）、ZX-…（咨询）、DB-…（代办）。"),
    )
    phone_last4 = forms.CharField(
        label=gettext_lazy("联系电话后四位"),
        required=False,
        max_length=4,
        error_messages={"max_length": gettext_lazy("请填写 4 位数字。")},
        help_text=gettext_lazy("提交时留了电话的，请填写电话号码的最后四位；没留电话的留空。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self):
        found = codes.normalise(self.cleaned_data["code"])
        if found is None:
            raise ValidationError(_("查询码格式不对，应类似 TS-2026-7KQ4-M2XD，请核对。"))
        self.kind, code = found
        return code

    def clean_phone_last4(self):
        value = unicodedata.normalize("NFKC", self.cleaned_data["phone_last4"]).strip()
        if value and not re.fullmatch(r"[0-9]{4}", value):
            raise ValidationError(_("请填写 4 位数字。"))
        return value


class ReopenForm(HoneypotMixin, forms.Form):
    """问题没有解决: the citizen says why, on the tracking page after a lookup."""

    reason = forms.CharField(
        label=gettext_lazy("哪里没有解决"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("请写明哪里没有解决。"),
            "min_length": gettext_lazy("请至少写 %(limit_value)d 个字，说明哪里没有解决。"),
            "max_length": gettext_lazy("最多 %(limit_value)d 个字（现在 %(show_value)d 个）。"),
        },
    )

    def clean_reason(self):
        return self.cleaned_data["reason"].strip()


class OfflineIntakeMixin(forms.Form):
    """What a handler adds when entering a case received by phone, in person, by letter or from 12345."""

    channel = forms.ChoiceField(label=gettext_lazy("来源渠道"), choices=OFFLINE_CHANNELS)
    hotline_number = forms.CharField(
        label=gettext_lazy("12345 工单号"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("来自 12345 热线的，填写热线工单号。"),
    )
    received_at = forms.DateTimeField(
        label=gettext_lazy("收到时间"),
        required=False,
        help_text=gettext_lazy("留空为现在；补登以前收到的，填写实际收到的时间（期限从那天算起）。"),
        widget=IsoDateTimeInput,
        input_formats=[ISO_DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # In the admin, choices are drop-down lists like the rest of Wagtail's forms, not the public radios.
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget = forms.Select(choices=field.choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.HOTLINE and not cleaned.get("hotline_number", "").strip():
            self.add_error("hotline_number", _("来自 12345 热线的，请填写热线工单号。"))
        received = cleaned.get("received_at")
        if received and received > timezone.now():
            self.add_error("received_at", _("收到时间不能晚于现在。"))
        return cleaned

    def intake(self, user):
        data = self.cleaned_data
        fields = {
            "channel": data["channel"],
            "hotline_number": data.get("hotline_number", "").strip(),
            "recorded_by": user,
        }
        if data.get("received_at"):
            fields["received_at"] = data["received_at"]
        return fields


# ---- Handler forms (admin) ----


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("处理记录"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=gettext_lazy("答复内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("发布后凭查询码可以看到；请勿写入本人或他人的姓名、电话等个人信息。"),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("办结说明"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("写明处理结果，例如对责任人的处理、整改措施；仅内部可见。"),
    )


class ExtendForm(forms.Form):
    due_on = forms.DateField(label=gettext_lazy("新的答复期限"), widget=IsoDateInput)
    reason = forms.CharField(
        label=gettext_lazy("延期理由"),
        max_length=500,
        help_text=gettext_lazy("群众在查询页能看到，请写明为什么需要更多时间。"),
    )


class FollowUpForm(forms.Form):
    satisfaction = forms.ChoiceField(label=gettext_lazy("回访满意度"), choices=Satisfaction.choices)
    note = forms.CharField(label=gettext_lazy("回访记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

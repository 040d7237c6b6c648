from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from content.models import HallPage, ServicePage
from publicforms.phones import PhoneInput, is_valid_phone, normalise_phone
from publicforms.protection import HoneypotMixin
from widgets import IsoDateInput

from .models import FollowUp, FollowUpStatus, Score

SIGNING_SALT = "ratings.page-view"
TOKEN_MAX_AGE = 24 * 3600
COMMENT_MAX = 500


def rated_halls(page):
    """The halls a person can say they were served at: the item's readable halls, or the hall itself."""
    if isinstance(page, HallPage):
        return [page]
    if isinstance(page, ServicePage):
        readable = set(HallPage.objects.readable().values_list("pk", flat=True))
        return [link.hall for link in page.service_halls.select_related("hall") if link.hall_id in readable]
    return []


def view_token(page, nonce):
    return signing.dumps({"p": page.pk, "n": nonce}, salt=SIGNING_SALT, compress=True)


class RatingForm(HoneypotMixin, forms.Form):
    """One rating per page view: the signed token names the page and carries a nonce used once."""

    token = forms.CharField(
        label=gettext_lazy("评价表"),
        widget=forms.HiddenInput,
        max_length=400,
        error_messages={
            "required": gettext_lazy("评价表无效，请刷新页面后重新评价。"),
            "max_length": gettext_lazy("评价表无效，请刷新页面后重新评价。"),
        },
    )
    score = forms.TypedChoiceField(
        label=gettext_lazy("您对本次服务的评价"),
        choices=Score.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("请选择一个评价等级。"),
            "invalid_choice": gettext_lazy("请从五个评价等级中选择一个。"),
        },
    )
    hall = forms.ChoiceField(label=gettext_lazy("办理大厅"), required=False)
    comment = forms.CharField(
        label=gettext_lazy("意见建议（选填）"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": gettext_lazy("意见建议最多 %(limit_value)d 个字（现在 %(show_value)d 个），请精简。")
        },
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("回访电话（选填）"),
        required=False,
        max_length=20,
        error_messages={"max_length": gettext_lazy("电话号码最多 %(limit_value)d 位，请核对。")},
        help_text=gettext_lazy("评价为不满意时，留下电话我们会回访您；仅工作人员可见。"),
        widget=PhoneInput,
    )

    def __init__(self, *args, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        if page is None and self.is_bound:
            self.page = self._page_from_token(self.data.get("token", ""))
        halls = rated_halls(self.page) if self.page is not None else []
        self.halls = halls
        self.fields["hall"].choices = [("", _("（不指定）")), *[(str(h.pk), h.title) for h in halls]]
        if len(halls) <= 1:
            self.fields["hall"].widget = forms.HiddenInput()

    @staticmethod
    def _page_from_token(token):
        # Age is not checked here: an expired form still names its page, so the person can rate it again.
        try:
            payload = signing.loads(token, salt=SIGNING_SALT)
        except signing.BadSignature:
            return None
        page = Page.objects.live().filter(pk=payload.get("p")).specific().first()
        return page if isinstance(page, ServicePage | HallPage) else None

    def clean_token(self):
        token = self.cleaned_data["token"]
        try:
            payload = signing.loads(token, salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE)
        except signing.SignatureExpired as exc:
            raise ValidationError(_("页面打开时间过长，评价表已失效。请刷新页面后重新评价。")) from exc
        except signing.BadSignature as exc:
            raise ValidationError(_("评价表无效，请刷新页面后重新评价。")) from exc
        if self.page is None:
            raise ValidationError(_("被评价的页面已不存在或已下线。"))
        return str(payload.get("n", ""))[:64]

    def clean_hall(self):
        value = self.cleaned_data["hall"]
        if len(self.halls) == 1:
            return self.halls[0]
        return next((h for h in self.halls if str(h.pk) == value), None)

    def clean_comment(self):
        return self.cleaned_data["comment"].strip()

    def clean_contact_phone(self):
        phone = normalise_phone(self.cleaned_data["contact_phone"])
        if phone and not is_valid_phone(phone):
            raise ValidationError(_("请填写有效的手机号（11 位）或带区号的固定电话。"))
        return phone


class FollowUpForm(forms.ModelForm):
    """What the handler records; closing requires every part of 整改、回访、记录.

    On a closed follow-up the 办结 box shows ticked and cannot be unticked: a closed record stays closed,
    keeps its 办结时间 and 办结人 when a note is added later, and must stay complete.
    """

    close = forms.BooleanField(label=gettext_lazy("办结这条差评"), required=False)

    class Meta:
        model = FollowUp
        fields = ["rectification", "revisit_on", "revisit_result", "record"]
        widgets = {
            "rectification": forms.Textarea(attrs={"rows": 3}),
            "revisit_result": forms.Textarea(attrs={"rows": 3}),
            "record": forms.Textarea(attrs={"rows": 3}),
            "revisit_on": IsoDateInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status == FollowUpStatus.CLOSED:
            close = self.fields["close"]
            close.initial = True
            close.disabled = True
            close.help_text = _("已办结；可以补充记录，办结时间和办结人不变。")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("close"):
            required = {
                "rectification": _("办结前请写明整改措施。"),
                "revisit_on": _("办结前请填写回访日期。"),
                "revisit_result": _("办结前请写明回访结果（未留电话无法回访的，请写明）。"),
                "record": _("办结前请写明处理记录：做了什么。"),
            }
            for field, message in required.items():
                value = cleaned.get(field)
                if value is None or (isinstance(value, str) and not value.strip()):
                    self.add_error(field, message)
        return cleaned

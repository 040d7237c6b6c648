"""The user forms: only 用户名 and 密码 are required; a group member needs no e-mail address or name."""

from django import forms
from django.contrib.auth import get_user_model

from wagtail.users.forms import (
    BaseGroupPagePermissionFormSet,
    PagePermissionsForm,
    UserCreationForm,
    UserEditForm,
)

USERNAME_HELP = "必填。只能使用字母、数字和 @ . + - _ 这几个符号，不能用汉字和空格；登录时填写。"


class PortalUserFormMixin(forms.Form):
    email = forms.EmailField(
        required=False,
        label="电子邮件",
        help_text="选填。填写后可收到审核和评论通知，也可用来找回密码。",
    )
    last_name = forms.CharField(required=False, label="姓", max_length=150)
    first_name = forms.CharField(required=False, label="名", max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail sets this English text in its own __init__, and its translations have none for it.
        self.fields[get_user_model().USERNAME_FIELD].help_text = USERNAME_HELP


class PortalUserCreationForm(PortalUserFormMixin, UserCreationForm):
    pass


class PortalUserEditForm(PortalUserFormMixin, UserEditForm):
    pass


class PortalPagePermissionsForm(PagePermissionsForm):
    """One row of the 用户组's page permissions; Wagtail's page field has no label, so forms made it "Page"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].label = "页面"


PortalGroupPagePermissionFormSet = forms.formset_factory(
    PortalPagePermissionsForm, formset=BaseGroupPagePermissionFormSet, extra=0, can_delete=True
)

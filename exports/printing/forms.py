"""The admin form that asks for a booklet."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.inputs import IdChoiceField
from content.models import Department, HallPage, HallWindow, Topic


class WindowChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.hall.title} · {obj}"


class BookletForm(forms.Form):
    """One scope at a time: a hall (all its windows in order), a window, a department or a topic."""

    SCOPES = (
        ("hall", _("一个大厅的全部窗口")),
        ("window", _("一个窗口")),
        ("department", _("一个部门")),
        ("topic", _("一个主题")),
    )

    scope = forms.ChoiceField(label=_("打印范围"), choices=SCOPES, widget=forms.RadioSelect, initial="hall")
    hall = IdChoiceField(label=_("大厅"), queryset=HallPage.objects.none(), required=False)
    window = WindowChoiceField(label=_("窗口"), queryset=HallWindow.objects.none(), required=False)
    department = IdChoiceField(label=_("部门"), queryset=Department.objects.none(), required=False)
    topic = IdChoiceField(label=_("主题"), queryset=Topic.objects.none(), required=False)

    MISSING = {
        "hall": _("请选择要打印的大厅。"),
        "window": _("请选择要打印的窗口。"),
        "department": _("请选择要打印的部门。"),
        "topic": _("请选择要打印的主题。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = HallPage.objects.live().order_by("path")
        self.fields["window"].queryset = (
            HallWindow.objects.filter(hall__live=True).select_related("hall").order_by("hall__path", "sort_order")
        )
        self.fields["department"].queryset = Department.objects.order_by("code")
        self.fields["topic"].queryset = Topic.objects.all()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("scope")
        if kind and not cleaned.get(kind):
            self.add_error(kind, self.MISSING[kind])
        return cleaned

    def booklet_scope(self):
        """The BookletScope for the chosen kind only; other selections in the form are ignored."""
        from .booklets import BookletScope

        kind = self.cleaned_data["scope"]
        return BookletScope(**{kind: self.cleaned_data[kind]})

    def clean_scope_has_guides(self):
        """Refuse a scope with nothing to print, with the reason, before any job is created."""
        scope = self.booklet_scope()
        if not scope.sections():
            self.add_error(None, _("所选范围内没有已发布的办事指南：%(scope)s") % {"scope": scope.description})
            return None
        return scope

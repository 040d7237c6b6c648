"""Admin forms of content's snippets, where the editor needs more than the model's fields."""

from django import forms

from wagtail.admin.forms import WagtailAdminModelForm


class StaffMemberForm(WagtailAdminModelForm):
    """A window staff member: windows named with their hall, and a question before a window is left empty.

    Every hall numbers its windows from 1, so the list names the hall (“三都镇政务服务中心 · 1号窗口 …”) and,
    once the member's hall is known, offers that hall's windows only. The model refuses a window of another
    hall. Saving a change that leaves a window with nobody on duty (the board then no longer shows it)
    needs “仍然保存” ticked: the first attempt explains what the board will show and shows the box.
    """

    confirm_empty_window = forms.BooleanField(
        label="仍然保存", required=False, widget=forms.HiddenInput, help_text="确认这个窗口暂时没有在岗人员。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("window")
        if field is None:
            return
        # Every window stays valid for the form so that the model's own check explains a wrong one.
        field.queryset = field.queryset.select_related("hall").order_by("hall__path", "sort_order", "number")
        field.label_from_instance = lambda window: window.label_with_hall
        hall_id = self._hall_id()
        if hall_id is not None:
            field.widget.choices = [
                ("", field.empty_label),
                *((w.pk, w.label_with_hall) for w in field.queryset.filter(hall_id=hall_id)),
            ]

    def _hall_id(self):
        """The hall the member belongs to as the form stands: posted, saved, or given as initial value."""
        value = self.data.get(self.add_prefix("hall")) if self.is_bound else None
        if value in (None, ""):
            value = self.instance.hall_id or self.initial.get("hall")
        try:
            return int(getattr(value, "pk", value))
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        if "is_active" not in cleaned or "window" not in cleaned or self.errors:
            return cleaned
        hall, new_window = cleaned.get("hall"), cleaned["window"]
        if hall is not None and new_window is not None and new_window.hall_id != hall.pk:
            return cleaned  # refused by the model, with its own message
        window = self.instance.window_emptied_by(cleaned["is_active"], cleaned["window"])
        if window is not None and not cleaned.get("confirm_empty_window"):
            self.fields["confirm_empty_window"].widget = forms.CheckboxInput()
            self.add_error(
                "confirm_empty_window",
                f"保存后，“{window}”将没有在岗人员，{window.hall.title}阳光台上将不再显示这个窗口"
                "（连同它的业务范围），群众看不到由谁办理。如确需如此，请勾选“仍然保存”后再保存；"
                "也可以先给这个窗口安排其他在岗人员。",
            )
        return cleaned

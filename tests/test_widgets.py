"""The shared date widget renders what a browser's date input can show, and every date input uses it."""

import datetime
import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.utils import translation

from tests.browser_form import browser_form
from widgets import IsoDateInput


class DateForm(forms.Form):
    on = forms.DateField(widget=IsoDateInput)


def test_iso_date_input_renders_iso_in_chinese_and_round_trips():
    with translation.override("zh-hans"):
        html = f"<form>{DateForm(initial={'on': datetime.date(2026, 12, 3)})['on']}</form>"
        assert 'type="date"' in html
        sent = browser_form(html).data()
        assert sent == {"on": ["2026-12-03"]}
        bound = DateForm({name: values[0] for name, values in sent.items()})
        assert bound.is_valid() and bound.cleaned_data["on"] == datetime.date(2026, 12, 3)


def test_django_date_input_would_render_what_a_date_input_cannot_show():
    """Why the shared widget exists: zh-hans renders 2026/12/03, which a browser sends back empty."""
    with translation.override("zh-hans"):
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        html = f"<form>{field.widget.render('on', datetime.date(2026, 12, 3))}</form>"
    assert "2026/12/03" in html and browser_form(html).data() == {"on": [""]}


DATE_WIDGETS = re.compile(
    r"""DateInput\(|DateTimeInput\(|TimeInput\(|["']type["']\s*:\s*["'](date|datetime-local|time)["']|type=["']?(date|datetime-local|time)\b"""
)


def test_no_date_input_of_the_project_bypasses_the_shared_widget():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.rglob("*"):
        if path.suffix not in (".py", ".html") or any(
            part in (".venv", "node_modules", "tests") for part in path.parts
        ):
            continue
        if path.name == "widgets.py" and path.parent == root:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DATE_WIDGETS.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == [], "date inputs must use widgets.IsoDateInput:\n" + "\n".join(offenders)


def test_admin_text_fields_store_line_breaks_as_lf_whatever_the_browser_sends():
    from content.models import ServicePage
    from widgets import MultilineField

    form_class = ServicePage.get_edit_handler().get_form_class()
    for field in (form_class.base_fields["conditions"], form_class.formsets["materials"].form.base_fields["note"]):
        assert isinstance(field, MultilineField)
        assert field.clean("1. 本县户籍；\r\n2. 符合条件。\r3. 其他") == "1. 本县户籍；\n2. 符合条件。\n3. 其他"

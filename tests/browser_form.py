"""What a browser would send back for a form on a page, read from the HTML alone (stdlib html.parser).

`browser_forms(html)` lists the page's forms; `Form.submission()` is the list of (name, value) pairs a
browser submits when the form is sent unchanged, following the HTML standard where it matters for a
round trip: only named, enabled controls; checkboxes and radios only when checked ("on" without a
value); the selected options (else a single select's first option); a textarea's text without the one
leading newline the parser drops; newlines sent as CRLF; and each input's value sanitised for its type,
so a date input whose value is not an ISO date is sent empty, as the browser shows it.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

NOT_SENT = {"submit", "button", "image", "reset", "file"}
_ISO = {
    "date": re.compile(r"\d{4,}-\d\d-\d\d"),
    "month": re.compile(r"\d{4,}-\d\d"),
    "week": re.compile(r"\d{4,}-W\d\d"),
    "time": re.compile(r"\d\d:\d\d(:\d\d(\.\d{1,3})?)?"),
    "datetime-local": re.compile(r"\d{4,}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?"),
    "color": re.compile(r"#[0-9a-fA-F]{6}"),
}
_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")


def sanitised(input_type, value):
    """The value a browser keeps for an `<input type=input_type value=value>` (HTML's value sanitisation)."""
    if input_type in ("text", "search", "tel", "password", "hidden", ""):
        return value if input_type == "hidden" else value.replace("\r", "").replace("\n", "")
    if input_type in ("url", "email"):
        return value.replace("\r", "").replace("\n", "").strip()
    if input_type in _ISO:
        if input_type == "color":
            return value.lower() if _ISO["color"].fullmatch(value) else "#000000"
        return value if _ISO[input_type].fullmatch(value) else ""
    if input_type in ("number", "range"):
        return value if _NUMBER.fullmatch(value) else ""
    return value


@dataclass
class Form:
    attrs: dict
    controls: list = field(default_factory=list)  # (kind, attrs, value or options)

    def submission(self):
        pairs = []
        for kind, attrs, content in self.controls:
            name = attrs.get("name")
            if not name or "disabled" in attrs:
                continue
            if kind == "input":
                input_type = (attrs.get("type") or "text").lower()
                if input_type in NOT_SENT:
                    continue
                if input_type in ("checkbox", "radio"):
                    if "checked" in attrs:
                        pairs.append((name, attrs.get("value", "on")))
                    continue
                pairs.append((name, sanitised(input_type, attrs.get("value", ""))))
            elif kind == "textarea":
                pairs.append((name, content.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")))
            elif kind == "select":
                options = [o for o in content if not o["disabled"]]
                chosen = [o for o in options if o["selected"]]
                if not chosen and "multiple" not in attrs and options:
                    chosen = options[:1]
                pairs.extend((name, o["value"]) for o in chosen)
        return pairs

    def data(self):
        """The submission as a dict of lists, as the Django test client posts several values of one name."""
        data = {}
        for name, value in self.submission():
            data.setdefault(name, []).append(value)
        return data

    def value(self, name):
        """The one value sent for `name`, or None when it is not sent."""
        values = self.data().get(name)
        return values[0] if values else None


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.text = None  # the textarea or option being read: (list of parts)
        self.select = None
        self.option = None
        self.disabled_groups = 0

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            self.form.controls.append(("input", attrs, None))
        elif tag == "textarea":
            self.text = []
            self.form.controls.append(("textarea", attrs, self.text))
        elif tag == "select":
            self.select = []
            self.form.controls.append(("select", attrs, self.select))
        elif tag == "optgroup" and self.select is not None and "disabled" in attrs:
            self.disabled_groups += 1
        elif tag == "option" and self.select is not None:
            self.option = {"attrs": attrs, "text": [], "selected": "selected" in attrs}
            self.option["disabled"] = "disabled" in attrs or self.disabled_groups > 0
            self.select.append(self.option)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.text is not None:
            kind, attrs, parts = self.form.controls[-1]
            self.form.controls[-1] = (kind, attrs, "".join(parts))
            self.text = None
        elif tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "optgroup" and self.disabled_groups:
            self.disabled_groups -= 1
        elif tag == "select" and self.select is not None:
            if self.option is not None:
                self._close_option()
            self.select = None

    def _close_option(self):
        option = self.option
        text = "".join(option["text"])
        option["value"] = option["attrs"].get("value", " ".join(text.split()))
        self.option = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)
        elif self.option is not None:
            self.option["text"].append(data)


def browser_forms(html):
    """Every form of `html`, in document order."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    for form in parser.forms:
        for kind, _attrs, content in form.controls:
            if kind == "select":
                for option in content:
                    option.setdefault("value", option["attrs"].get("value", " ".join("".join(option["text"]).split())))
    return parser.forms


def browser_form(html, **attrs):
    """The one form whose attributes include `attrs` (e.g. id="page-edit-form")."""
    matches = [f for f in browser_forms(html) if all(f.attrs.get(k) == v for k, v in attrs.items())]
    if len(matches) != 1:
        raise AssertionError(f"expected one form with {attrs}, found {len(matches)}")
    return matches[0]

"""Message templates: defaults registered in code, editors' overrides validated on save, rendering, preview."""

from django.core.exceptions import ImproperlyConfigured, ValidationError

import pytest

from notifications.models import MessageTemplate
from notifications.templates import check, one_line, preview, register, render, render_text

from .helpers import CONTEXT

VARIABLES = {"code": "查询码", "name": "姓名"}


def _error(source):
    with pytest.raises(ValidationError) as caught:
        check(source, VARIABLES)
    return caught.value.messages[0]


def test_an_unknown_variable_is_named_with_its_line_and_the_listed_ones():
    assert (
        _error("您好\n查询码：{{ cod }}")
        == "第 2 行：模板中的变量“cod”不存在。可以用的变量：code（查询码）、name（姓名）。"
    )


@pytest.mark.parametrize(
    "source, name",
    [
        ("{{ name|default:phone }}", "phone"),  # a filter argument
        ("{% if secret %}x{% endif %}", "secret"),  # a condition
        ("{% if code and not secret %}x{% endif %}", "secret"),  # inside an operator
        ("{% for item in items %}{{ item }}{% endfor %}", "items"),  # a loop's sequence
        ("{% with n=other %}{{ n }}{% endwith %}", "other"),
        ("{% if code %}{% else %}{{ hidden }}{% endif %}", "hidden"),  # a branch that is not taken
        ("{% firstof name nickname %}", "nickname"),
    ],
)
def test_every_place_a_variable_can_hide_is_checked(source, name):
    assert f"变量“{name}”不存在" in _error(source)


def test_names_the_template_defines_itself_are_allowed():
    check("{% for c in code %}{{ forloop.counter }}{{ c }}{% endfor %}{% with n=name %}{{ n }}{% endwith %}", VARIABLES)
    check('{{ code|default:"无" }} {{ name.0 }} {% now "Y" %}', VARIABLES)


@pytest.mark.parametrize(
    "source, message",
    [
        ("{% include 'base.html' %}", "第 1 行：不能使用模板标签“{% include %}”"),
        ("{% load static %}", "第 1 行：不能使用模板标签“{% load %}”"),
        ("x\n{% debug %}", "第 2 行：不能使用模板标签“{% debug %}”"),
        ("{% if code %}没有结束", "第 1 行：“{% if %}”没有结束，缺少“{% endif %}”。"),
        ("{{ code|nosuchfilter }}", "第 1 行：没有名为“nosuchfilter”的过滤器。"),
        ("{% endif %}", "第 1 行：“{% endif %}”放错了位置"),
        ("{{ code name }}", "第 1 行：“{{ }}”里的写法有误"),
    ],
)
def test_syntax_errors_are_explained_in_chinese(source, message):
    assert _error(source).startswith(message)


def test_a_broken_default_stops_start_up():
    with pytest.raises(ImproperlyConfigured, match="消息模板 tests.broken 的默认短信内容有误：.*变量“nope”不存在"):
        register("tests.broken", label="坏", sms="{{ nope }}", variables={})


@pytest.mark.django_db
def test_editors_override_is_validated_and_used_and_an_empty_field_keeps_the_default():
    # migrate made a row for every registered template (the tests' own included, see helpers.py)
    template = MessageTemplate.objects.get(key="tests.received")
    assert not template.is_customised
    template.sms = "{{ kind }}已受理，请记下查询码{{ code }}，{{ phone }}"
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert caught.value.message_dict["sms"] == [
        "第 1 行：模板中的变量“phone”不存在。可以用的变量：kind（事项类别）、code（查询码）、name（姓名）、due（答复期限）。"
    ]
    template.sms = "{{ kind }}已受理，请记下查询码{{ code }}"
    template.full_clean()
    template.save()
    rendered = render("tests.received", CONTEXT)
    assert rendered.sms == "投诉已受理，请记下查询码TS-2026-AB12-CD34"
    assert rendered.subject == "您的投诉已受理，查询码 TS-2026-AB12-CD34"  # not overridden: the default
    assert rendered.sms_params == {"kind": "投诉", "code": "TS-2026-AB12-CD34"}


def test_rendering_does_not_escape_html_and_subjects_are_one_line():
    assert render_text("{{ a }} & {{ a }}", {"a": "<张三 & 李四>"}) == "<张三 & 李四> & <张三 & 李四>"
    assert one_line(render_text("{{ a }}\n{{ a }}", {"a": "x"})) == "x x"


def test_preview_uses_the_examples_and_shows_errors():
    ok = preview(MessageTemplate(key="tests.received"))
    assert ok["subject"] == "您的投诉已受理，查询码 TS-2026-AB12-CD34"
    assert ok["sms"] == "您的投诉已受理，查询码TS-2026-AB12-CD34。"
    assert (ok["sms_length"], ok["sms_segments"]) == (len(ok["sms"]), 1)
    broken = preview(MessageTemplate(key="tests.received", body="{{ wrong }}"))
    assert "变量“wrong”不存在" in broken["body_error"]


@pytest.mark.django_db
def test_template_rows_made_again_after_a_flush_take_a_serialized_copy_back():
    """A test database restored from its serialized copy (serialized_rollback) after another test emptied it
    and post_migrate made the rows again: the copy must land on those rows, not beside them."""
    from django.core import serializers

    from notifications.models import MessageTemplate
    from notifications.templates import create_template_rows

    create_template_rows()
    copy = serializers.serialize("json", MessageTemplate.objects.all())
    MessageTemplate.objects.all().delete()
    create_template_rows()
    for restored in serializers.deserialize("json", copy):
        restored.save()
    assert MessageTemplate.objects.count() == len(set(MessageTemplate.objects.values_list("key", flat=True)))

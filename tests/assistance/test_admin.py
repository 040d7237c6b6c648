"""Editors mark 可代办 in the guide's hall panel and 代办员 on a staff member, through the real admin forms."""

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from content.models import StaffMember
from tests.browser_form import browser_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("admin", password="pw"))
    return client


def test_the_guides_hall_panel_has_can_assist(editor, township):
    html = editor.get(reverse("wagtailadmin_pages:edit", args=[township.guide.pk])).content.decode()
    assert "可代办" in html and "村（社区）便民服务站可为群众免费代办此事项" in html
    assert 'name="service_halls-1-can_assist"' in html


def test_a_staff_member_is_made_an_agent_in_the_snippet_form(editor, township):
    person = township.agent
    url = reverse("wagtailsnippets_content_staffmember:edit", args=[person.pk])
    page = editor.get(url)
    assert "代办员" in page.content.decode()
    data = browser_form(page.content.decode(), method="POST").data()
    data.pop("is_agent", None)
    assert editor.post(url, data).status_code == 302
    assert not StaffMember.objects.get(pk=person.pk).is_agent
    assert editor.post(url, {**data, "is_agent": "on"}).status_code == 302
    assert StaffMember.objects.get(pk=person.pk).is_agent

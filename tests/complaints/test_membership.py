"""Joining and leaving 投诉处理人员 is written to the audit log, from either side of the relation and
through the admin's user form with the editor who did it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import ModelLogEntry

import pytest

from complaints.kind import HANDLER_GROUP


def _entries(user):
    return list(
        ModelLogEntry.objects.for_instance(user)
        .filter(action__startswith="cases.handler_")
        .order_by("timestamp", "id")
        .values_list("action", "user_id")
    )


@pytest.fixture
def group(db):
    return Group.objects.get(name=HANDLER_GROUP)


@pytest.fixture
def clerk(db):
    return get_user_model().objects.create_user("wangwu", password="pw")


def test_add_and_remove_from_the_user_side_are_logged(clerk, group):
    clerk.groups.add(group)
    clerk.groups.remove(group)
    assert _entries(clerk) == [("cases.handler_added", None), ("cases.handler_removed", None)]


def test_add_and_remove_from_the_group_side_are_logged(clerk, group):
    other = get_user_model().objects.create_user("zhaoliu", password="pw")
    group.user_set.add(clerk, other)
    group.user_set.remove(other)
    assert _entries(clerk) == [("cases.handler_added", None)]
    assert _entries(other) == [("cases.handler_added", None), ("cases.handler_removed", None)]


def test_clearing_from_either_side_and_deleting_the_group_are_logged(clerk, group):
    other = get_user_model().objects.create_user("zhaoliu", password="pw")
    clerk.groups.add(group)
    other.groups.add(group)
    clerk.groups.clear()
    assert _entries(clerk)[-1] == ("cases.handler_removed", None)
    clerk.groups.add(group)
    group.user_set.clear()
    assert _entries(clerk)[-1] == ("cases.handler_removed", None)
    assert _entries(other)[-1] == ("cases.handler_removed", None)
    other.groups.add(group)
    group.delete()
    assert _entries(other)[-1] == ("cases.handler_removed", None)


def test_other_groups_are_not_logged(clerk):
    clerk.groups.add(Group.objects.get(name="编辑"))
    assert _entries(clerk) == []


def test_the_admin_user_form_logs_who_changed_the_membership(client, clerk, group):
    admin = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(admin)
    form = {
        "username": "wangwu",
        "email": "wangwu@example.gov.cn",
        "first_name": "五",
        "last_name": "王",
        "is_active": "on",
        "groups": [group.pk],
    }
    response = client.post(f"/admin/users/edit/{clerk.pk}/", form)
    assert response.status_code == 302, response.context["form"].errors
    assert list(clerk.groups.all()) == [group]
    response = client.post(f"/admin/users/edit/{clerk.pk}/", {**form, "groups": []})
    assert response.status_code == 302
    assert _entries(clerk) == [("cases.handler_added", admin.pk), ("cases.handler_removed", admin.pk)]
    history = client.get(f"/admin/users/history/{clerk.pk}/")
    assert history.status_code == 200 and "加入了“投诉处理人员”组" in history.content.decode()

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches

import pytest

from complaints.kind import HANDLER_GROUP


@pytest.fixture(autouse=True)
def _private_attachments(settings, tmp_path):
    """Attachments go to a per-test directory, never into var/."""
    settings.COMPLAINTS_ATTACHMENT_ROOT = Path(tmp_path) / "private"
    return settings.COMPLAINTS_ATTACHMENT_ROOT


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    caches[settings.RATELIMIT_USE_CACHE].clear()
    yield
    caches[settings.RATELIMIT_USE_CACHE].clear()


@pytest.fixture
def handler(django_user_model):
    """A member of 投诉处理人员 (the group comes from the complaints data migration)."""
    user = django_user_model.objects.create_user("handler", password="pw")
    user.groups.add(Group.objects.get(name=HANDLER_GROUP))
    return user


@pytest.fixture
def editor(django_user_model):
    """An editor who may open the complaint queue but is not in 投诉处理人员."""
    user = django_user_model.objects.create_user("editor", password="pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_complaint"),
    )
    return user

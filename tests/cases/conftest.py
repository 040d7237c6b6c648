from django.contrib.auth.models import Group

import pytest

from complaints.kind import HANDLER_GROUP as COMPLAINT_HANDLERS
from questions.kind import HANDLER_GROUP as QUESTION_HANDLERS


@pytest.fixture
def complaint_handler(django_user_model):
    user = django_user_model.objects.create_user("ts-handler", password="pw")
    user.groups.add(Group.objects.get(name=COMPLAINT_HANDLERS))
    return user


@pytest.fixture
def question_handler(django_user_model):
    user = django_user_model.objects.create_user("zx-handler", password="pw", email="zx@example.org")
    user.groups.add(Group.objects.get(name=QUESTION_HANDLERS))
    return user


@pytest.fixture
def head(django_user_model):
    user = django_user_model.objects.create_user("head", password="pw")
    user.groups.add(Group.objects.get(name="中心负责人"))
    return user


@pytest.fixture
def smtp(settings):
    """A real SMTP server the portal's mail settings point at; `smtp.handler.received` is what it accepted."""
    from tests.notifications.helpers import SmtpServer

    with SmtpServer() as server:
        for name, value in server.settings.items():
            setattr(settings, name, value)
        yield server

import shutil
from pathlib import Path

from django.conf import settings

import pytest


@pytest.fixture(scope="session", autouse=True)
def _throwaway_media():
    """Media written by tests lives in a temporary directory removed at the end of the run."""
    yield
    shutil.rmtree(Path(settings.YIMEN_TEST_TMP), ignore_errors=True)


@pytest.fixture
def demo_catalog_path():
    return Path(settings.BASE_DIR) / "demo" / "sample-catalog.json"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty caches: a marker, counter or cached page one test leaves behind must
    not decide another's outcome (the order of tests differs between a serial and a parallel run)."""
    from django.core.cache import caches

    from search import elsewhere

    for cache in caches.all():
        cache.clear()
    elsewhere.invalidate()  # its rows go with each test's transaction, which sends no delete signal


# --- People who handle cases (each kind's handler group, 中心负责人) ---------------------------------------


@pytest.fixture
def complaint_handler(django_user_model):
    from django.contrib.auth.models import Group

    from complaints.kind import HANDLER_GROUP as COMPLAINT_HANDLERS

    user = django_user_model.objects.create_user("ts-handler", password="pw")
    user.groups.add(Group.objects.get(name=COMPLAINT_HANDLERS))
    return user


@pytest.fixture
def question_handler(django_user_model):
    from django.contrib.auth.models import Group

    from questions.kind import HANDLER_GROUP as QUESTION_HANDLERS

    user = django_user_model.objects.create_user("zx-handler", password="pw", email="zx@example.org")
    user.groups.add(Group.objects.get(name=QUESTION_HANDLERS))
    return user


@pytest.fixture
def head(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("head", password="pw")
    user.groups.add(Group.objects.get(name="中心负责人"))
    return user

from django.contrib.auth.models import Group

import pytest

from assistance.kind import HANDLER_GROUP
from content.models import HallLevel, ServiceHall
from tests.factories import HallFactory, ServicePageFactory, StaffMemberFactory


@pytest.fixture
def assistance_handler(django_user_model):
    user = django_user_model.objects.create_user("db-handler", password="pw")
    user.groups.add(Group.objects.get(name=HANDLER_GROUP))
    return user


@pytest.fixture
def head(django_user_model):
    user = django_user_model.objects.create_user("head", password="pw")
    user.groups.add(Group.objects.get(name="中心负责人"))
    return user


class Township:
    """A township centre, two village stations and an item both stations 代办, each with one 代办员."""

    def __init__(self):
        self.centre = HallFactory(title="三都镇政务服务中心", code="LY-SD")
        self.station = HallFactory(title="三都镇新民村便民服务站", code="LY-SD-XM", level=HallLevel.VILLAGE)
        self.other_station = HallFactory(title="三都镇东风村便民服务站", code="LY-SD-DF", level=HallLevel.VILLAGE)
        self.guide = ServicePageFactory(
            title="高龄津贴申领", code="LY-SD-0005", halls=[self.centre, self.station, self.other_station]
        )
        ServiceHall.objects.filter(service=self.guide, hall__in=[self.station, self.other_station]).update(
            can_assist=True
        )
        self.agent = StaffMemberFactory(
            hall=self.station, name="段秋菊", phone="0734-4362101", position="便民服务站代办员", is_agent=True
        )
        self.other_agent = StaffMemberFactory(
            hall=self.other_station, name="谢春生", phone="0734-4362102", position="便民服务站代办员", is_agent=True
        )


@pytest.fixture
def township(db):
    return Township()

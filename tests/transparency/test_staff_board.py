import io

from django.core.files.images import ImageFile

import pytest
from PIL import Image

from content.models import PortalImage
from tests.factories import HallFactory, StaffMemberFactory, WindowFactory

pytestmark = pytest.mark.django_db


def photo(alt_text=""):
    out = io.BytesIO()
    Image.new("RGB", (600, 900), (120, 140, 200)).save(out, format="JPEG")
    return PortalImage.objects.create(
        title="照片",
        alt_text=alt_text,
        file=ImageFile(out, name="p.jpg"),
        focal_point_x=300,
        focal_point_y=200,
        focal_point_width=100,
        focal_point_height=100,
    )


@pytest.fixture
def board():
    hall = HallFactory(code="LY-SD", slug="ly-sd", title="三都镇政务服务中心")
    first = WindowFactory(hall=hall, number="1", name="社会事务综合窗口", sort_order=0)
    second = WindowFactory(hall=hall, number="2", name="农业综合窗口", sort_order=1)
    people = {
        "b_first": StaffMemberFactory(hall=hall, window=first, name="资丽芳", post="B", staff_id="S-2"),
        "a_first": StaffMemberFactory(
            hall=hall,
            window=first,
            name="刘建华",
            post="A",
            staff_id="S-9",
            photo=photo("三都镇窗口工作人员刘建华"),
            position="窗口组长",
        ),
        "a_second": StaffMemberFactory(hall=hall, window=second, name="曹志强", post="A", staff_id="S-1"),
        "gone": StaffMemberFactory(hall=hall, window=first, name="已离岗", is_active=False),
        "elsewhere": StaffMemberFactory(name="别处人员"),
    }
    return hall, people


def test_staff_grouped_by_window_in_order_a_before_b(client, board):
    hall, people = board
    response = client.get(f"/halls/{hall.slug}/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(name) for name in ("社会事务综合窗口", "刘建华", "资丽芳", "农业综合窗口", "曹志强")]
    assert order == sorted(order)
    assert "已离岗" not in html and "别处人员" not in html
    assert "窗口组长" in html and people["a_first"].department.name in html and "0734-4362011" in html


def test_photo_is_a_focal_point_crop_with_alt_text(client, board):
    hall, people = board
    html = client.get(f"/halls/{hall.slug}/staff/").content.decode()
    assert 'alt="三都镇窗口工作人员刘建华"' in html
    assert 'width="240" height="320"' in html
    image = people["a_first"].photo
    assert image.renditions.filter(filter_spec="fill-240x320").exists()
    assert image.renditions.filter(filter_spec="fill-480x640").exists()


def test_person_who_left_stays_in_history(board):
    _hall, people = board
    from content.models import StaffMember

    assert StaffMember.objects.filter(pk=people["gone"].pk).exists()
    assert people["gone"] not in StaffMember.objects.on_board()


def test_unknown_or_unpublished_hall_is_404(client, board):
    hall, _people = board
    assert client.get("/halls/no-such-hall/staff/").status_code == 404
    hall.unpublish()
    assert client.get(f"/halls/{hall.slug}/staff/").status_code == 404

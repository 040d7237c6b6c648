"""A NUL character in an address is a 400 in Chinese before anything reads it (operations/nul.py); in a form
it is an error next to its field, in plain Chinese, with the rest of the form kept.

On PostgreSQL every one of these addresses was a 500 (psycopg: "PostgreSQL text fields cannot contain
NUL (0x00) bytes") once a view or Wagtail's redirect lookup passed the text to the database.
"""

import re

from django.test import Client
from django.urls import reverse

import pytest

from complaints.models import Complaint
from operations.nul import MESSAGE
from tests.factories import HallFactory, ServicePageFactory, site_structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide():
    site_structure()
    hall = HallFactory(code="LY-SD", slug="ly-sd")
    return ServicePageFactory(code="LY-SD-0001", slug="ly-sd-0001", parts__hall=hall)


@pytest.mark.parametrize(
    "address",
    [
        "/services/%00/pdf/",
        "/services/%00/checklist/",
        "/services/ly-sd-0001%00/",
        "/%00/",
        "/complaints/?hall=%00",
        "/complaints/?service=%00",
        "/complaints/?service=LY-SD-0001%00",
        "/search/?q=%E4%BD%8E%E4%BF%9D&topic=%00",
        "/services/?hall=%00",
        "/services/?%00=1",
    ],
)
def test_nul_in_an_address_is_a_chinese_400_that_reads_nothing(guide, address, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get(address)
    assert response.status_code == 400, address
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in response.content.decode()


def test_nul_in_the_api_is_a_json_400():
    response = Client(raise_request_exception=False).get("/api/v1/search", {"q": "低保\x00"})
    assert response.status_code == 400
    assert response.json() == {"error": MESSAGE}


def test_addresses_without_nul_are_untouched(guide, client):
    assert client.get("/complaints/", {"service": "LY-SD-0001"}).status_code == 200
    assert client.get(guide.url).status_code == 200


def test_nul_in_a_form_field_is_a_plain_error_and_the_text_is_kept(guide, client, settings):
    settings.PUBLIC_FORM_RATES = {"complaint": "1000000/m", "track": "1000000/m", "rating": "1000000/m"}
    form = reverse("complaints:form")
    token = re.search(r'name="form_token" value="([^"]+)"', client.get(form).content.decode()).group(1)
    text = "2026年11月20日在1号窗口办理低保，材料被退回三次。"
    for field, value in (
        ("description", text + "\x00"),
        ("name", "刘\x00"),
        ("phone", "1380000\x001234"),
        ("service", "低保\x00"),
    ):
        data = {"category": "attitude", "description": text, "consent": "on", "form_token": token, field: value}
        response = client.post(form, data)
        assert response.status_code == 400, field
        html = response.content.decode()
        assert "内容中含有不允许的控制字符（NUL），请删除后再提交。" in html, field
        assert text in html
    assert not Complaint.objects.exists()

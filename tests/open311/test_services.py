"""GET services and service definitions: every registered kind of case and every category is a service, described
from the kind's own public form (so the API asks for what the form asks for)."""

import dataclasses

import pytest

from cases import kinds
from complaints.forms import CONSENT_TEXT as COMPLAINT_CONSENT
from complaints.models import Category as ComplaintCategory
from questions.kind import QUESTION
from questions.models import Category as QuestionCategory
from tests.factories import HallFactory

from .helpers import API, conforms, descriptions

pytestmark = pytest.mark.django_db


def services(client):
    response = client.get(f"{API}/services.json")
    assert response.status_code == 200
    conforms(response.json(), "Open311Services")
    return {service["service_code"]: service for service in response.json()}


def definition(client, code):
    response = client.get(f"{API}/services/{code}.json")
    assert response.status_code == 200, response.content
    payload = response.json()
    conforms(payload, "Open311ServiceDefinition")
    assert payload["service_code"] == code
    return {attribute["code"]: attribute for attribute in payload["attributes"]}


def test_every_category_of_complaints_and_questions_is_a_service(client):
    listed = services(client)
    for category in ComplaintCategory:
        assert listed[f"complaint.{category.value}"]["service_name"] == f"投诉：{category.label}"
    for category in QuestionCategory:
        assert listed[f"question.{category.value}"]["service_name"] == f"咨询：{category.label}"
    attitude = listed["complaint.attitude"]
    assert (attitude["group"], attitude["type"], attitude["metadata"]) == ("投诉", "realtime", True)
    assert listed["question.materials"]["group"] == "咨询"
    assert listed["assistance"]["group"] == "代办"  # 代办 has no categories: one service
    assert (
        len(listed)
        == len(ComplaintCategory) + len(QuestionCategory) + 1
        == len(client.get(f"{API}/services.json").json())
    )


def test_every_registered_kind_is_offered(client):
    """A kind without `extra["open311"]` would silently be missing from the API: this fails instead."""
    offered = {service["group"] for service in services(client).values()}
    assert offered == {kind.label for kind in kinds.all_kinds()}


def test_a_kind_registered_later_is_picked_up_without_naming_it(client, monkeypatch):
    """As 代办 will be: the API reads the registry, never a list of kinds of its own."""
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))
    kinds.register(dataclasses.replace(QUESTION, key="helpdesk", label="求助", prefix="QZ"))
    listed = services(client)
    assert listed["helpdesk.materials"]["service_name"] == "求助：申请材料"
    assert {"variable", "code", "datatype"} <= set(definition(client, "helpdesk.materials")["consent"])


def test_a_complaint_definition_asks_for_what_the_form_asks_for(client):
    hall = HallFactory(code="LY-SD", title="耒阳市三都镇政务服务中心")
    attributes = definition(client, "complaint.attitude")
    assert list(attributes) == ["description", "service", "hall", "notify_by", "consent"]
    text = attributes["description"]
    assert (text["variable"], text["required"], text["datatype"]) == (False, True, "text")
    assert text["datatype_description"] == "10 至 2000 个字"
    assert attributes["service"]["required"] is False and "实施编码" in attributes["service"]["description"]
    assert {"key": hall.code, "name": hall.title} in attributes["hall"]["values"]
    assert [value["key"] for value in attributes["notify_by"]["values"]] == ["sms", "email"]
    consent = attributes["consent"]
    assert consent["required"] is True and consent["values"] == [{"key": "true", "name": "是"}]
    assert str(COMPLAINT_CONSENT) in consent["description"]
    assert [attribute["order"] for attribute in attributes.values()] == [1, 2, 3, 4, 5]


def test_a_question_definition_has_its_own_length_and_publication_consent(client):
    attributes = definition(client, "question.materials")
    assert attributes["description"]["datatype_description"] == "5 至 1000 个字"
    publish = attributes["publish_consent"]
    assert publish["required"] is False and [v["key"] for v in publish["values"]] == ["true", "false"]


def test_a_hall_nobody_may_read_is_not_offered(client):
    from tests.factories import ViewRestrictionFactory

    hidden = HallFactory(code="HIDDEN")
    ViewRestrictionFactory(page=hidden)
    keys = [value["key"] for value in definition(client, "complaint.other")["hall"]["values"]]
    assert "HIDDEN" not in keys


@pytest.mark.parametrize("code", ["complaint", "complaint.nonsense", "nothing.attitude", "x" * 300])
def test_an_unknown_service_is_an_open311_404(client, code):
    response = client.get(f"{API}/services/{code}.json")
    assert response.status_code == 404
    assert "没有服务代码为" in descriptions(response)[0]


def test_other_methods_and_formats_are_open311_errors(client):
    response = client.post(f"{API}/services.json")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert descriptions(response) == ["只接受 GET 请求。"]
    for address in (f"{API}/services.xml", f"{API}/", f"{API}/requests/TS-2026-0000-0000.xml"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "只提供 JSON" in descriptions(response)[0]


def test_discovery_names_the_specification_and_json(client):
    response = client.get(f"{API}/discovery.json")
    conforms(response.json(), "Open311Discovery")
    endpoint = response.json()["endpoints"][0]
    assert endpoint["url"] == "http://testserver/api/v1/open311"
    assert endpoint["formats"] == ["application/json"]

"""/api/v1/consultations/: the same services and scoping as the pages, the one error shape ({"detail", "errors"}),
400 for bad input, 403 for a role that may not, 404 for what the caller cannot see, 409 for illegal moves."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dxtalent.projects.models import Attachment, Consultation, ConsultationStatus

from .conftest import make_project, open_consultation, pdf, published_case

pytestmark = pytest.mark.django_db
S = ConsultationStatus
URL = "/api/v1/consultations/"


def _as(client, user):
    client.force_login(user)
    return client


def test_create_and_read(client, cast):
    project = make_project(cast.kita_manager, cast.city["kita_koseki"], leader=cast.leader.employee)
    body = {"kind": "technical", "title": "RPAの相談", "description": "定型入力を自動化したい", "project": project.pk}
    response = _as(client, cast.leader).post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind_label"] == "技術的支援" and data["status"] == "received" and data["status_label"] == "受付"
    assert data["project"] == {"id": project.pk, "title": project.title}
    assert data["unit"] == cast.city["kita_koseki"].pk and data["top"] == "北区"
    assert data["next_statuses"] == ["in_progress", "out_of_scope"] and data["days_open"] == 0
    assert client.get(f"{URL}{data['id']}/").json()["description"] == "定型入力を自動化したい"
    listing = client.get(URL).json()
    assert listing["count"] == 1 and listing["results"][0]["title"] == "RPAの相談"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "magic"}, "kind"),
        ({"description": ""}, "description"),
        ({"description": "   "}, "description"),
        ({"title": ""}, "title"),
        ({"project": 999999}, "project"),
        ({"project": "x"}, "project"),
    ],
)
def test_create_bad_input(client, cast, body, field):
    data = {"kind": "technical", "title": "t", "description": "d", **body}
    response = _as(client, cast.leader).post(URL, data, content_type="application/json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "入力内容に誤りがあります。" and field in payload["errors"]
    assert not Consultation.objects.exists()


def test_create_with_an_invisible_project_is_400(client, cast):
    higashi = make_project(cast.higashi_manager, cast.city["higashi_koseki"])
    data = {"kind": "technical", "title": "t", "description": "d", "project": higashi.pk}
    response = _as(client, cast.leader).post(URL, data, content_type="application/json")
    assert response.status_code == 400 and "project" in response.json()["errors"]


@pytest.mark.parametrize("who", ["higashi_manager", "staff"])
def test_create_forbidden_for_roles_that_do_not_open(client, cast, who):
    data = {"kind": "technical", "title": "t", "description": "d"}
    response = _as(client, getattr(cast, who)).post(URL, data, content_type="application/json")
    assert response.status_code == 403 and response.json()["errors"] == {}


def test_messages_and_attachments(client, cast):
    c = open_consultation(cast.leader)
    url = f"{URL}{c.pk}/"
    assert (
        _as(client, cast.leader).post(f"{url}messages/", {"body": "補足"}, content_type="application/json").status_code
        == 201
    )
    response = _as(client, cast.handler).post(f"{url}messages/", {"body": "回答"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["from_requester"] is False
    messages = client.get(f"{url}messages/").json()
    assert [m["body"] for m in messages["results"]] == ["補足", "回答"]
    assert messages["results"][0]["author"]["name"] == cast.leader.employee.name
    assert client.post(f"{url}messages/", {"body": ""}, content_type="application/json").status_code == 400
    # the manager reads but does not write
    assert _as(client, cast.kita_manager).get(f"{url}messages/").status_code == 200
    assert client.post(f"{url}messages/", {"body": "x"}, content_type="application/json").status_code == 403
    # files
    _as(client, cast.leader)
    response = client.post(f"{url}attachments/", {"file": pdf(), "title": "フロー図"})
    assert response.status_code == 201 and response.json()["title"] == "フロー図"
    bad = client.post(f"{url}attachments/", {"file": SimpleUploadedFile("x.exe", b"MZ00")})
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    assert Attachment.objects.count() == 1
    assert client.get(f"{url}attachments/").json()["count"] == 1
    assert client.get(url).json()["attachments"][0]["title"] == "フロー図"


def test_desk_actions(client, cast):
    c = open_consultation(cast.leader)
    url = f"{URL}{c.pk}/"
    # the requester and their manager may not use the desk's actions
    for user in (cast.leader, cast.kita_manager):
        _as(client, user)
        assert (
            client.post(f"{url}status/", {"status": "in_progress"}, content_type="application/json").status_code == 403
        )
        assert client.post(f"{url}assign/", {"handler": None}, content_type="application/json").status_code == 403
    # someone who cannot see it: 404
    _as(client, cast.higashi_manager)
    assert client.post(f"{url}status/", {"status": "in_progress"}, content_type="application/json").status_code == 404
    _as(client, cast.staff)
    r = client.post(f"{url}assign/", {"handler": cast.handler_employee.pk}, content_type="application/json")
    assert r.status_code == 200 and r.json()["handler"]["name"] == "窓口 担当"
    r = client.post(f"{url}assign/", {"handler": cast.kita_manager.employee.pk}, content_type="application/json")
    assert r.status_code == 400 and "handler" in r.json()["errors"]
    assert client.post(f"{url}assign/", {"handler": 10**9}, content_type="application/json").status_code == 400
    r = client.post(f"{url}status/", {"status": "resolved"}, content_type="application/json")
    assert r.status_code == 409 and "にはできません" in r.json()["detail"] and r.json()["errors"] == {}
    assert client.post(f"{url}status/", {"status": "bogus"}, content_type="application/json").status_code == 400
    r = client.post(f"{url}status/", {"status": "in_progress"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["next_statuses"] == ["resolved", "out_of_scope"]
    case = published_case(cast)
    r = client.post(f"{url}link-case/", {"case": case.pk}, content_type="application/json")
    assert r.status_code == 200 and r.json()["case"] == {"id": case.pk, "title": case.title}
    assert client.post(f"{url}link-case/", {"case": 10**9}, content_type="application/json").status_code == 400
    r = client.post(f"{url}status/", {"status": "resolved"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["closed_at"] and r.json()["resolution_days"] == 0
    # closed: the requester can no longer reply (409)
    _as(client, cast.leader)
    r = client.post(f"{url}messages/", {"body": "追加"}, content_type="application/json")
    assert r.status_code == 409


def test_list_filters_and_bad_query(client, cast):
    open_consultation(cast.leader, title="北", kind="technical")
    open_consultation(cast.higashi_liaison, title="東", kind="budget")
    _as(client, cast.staff)
    assert [r["title"] for r in client.get(URL, {"kind": "budget"}).json()["results"]] == ["東"]
    assert [r["title"] for r in client.get(URL, {"top": cast.city["kita"].pk}).json()["results"]] == ["北"]
    assert client.get(URL, {"status": "open", "handler": "none", "sort": "opened"}).json()["count"] == 2
    for bad in ({"kind": "magic"}, {"status": "x"}, {"handler": "abc"}, {"top": "x"}, {"sort": "x"}, {"page": "0"}):
        response = client.get(URL, bad)
        assert response.status_code == 400, bad
        assert response.json()["detail"] == "入力内容に誤りがあります。"


def test_schema_lists_the_desk_endpoints(client, cast):
    schema = _as(client, cast.employee).get("/api/schema/", {"format": "json"}).json()
    assert {
        "/api/v1/consultations/",
        "/api/v1/consultations/{id}/",
        "/api/v1/consultations/{id}/messages/",
        "/api/v1/consultations/{id}/attachments/",
        "/api/v1/consultations/{id}/assign/",
        "/api/v1/consultations/{id}/status/",
        "/api/v1/consultations/{id}/link-case/",
    } <= set(schema["paths"])

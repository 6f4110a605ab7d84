"""Who may use one posting's pages and one application, page and API: applicants see only their own application
(anyone else's is a 404, like a missing one); hr and the secretariat see all; only hr screens."""

import pytest
from rest_framework.test import APIClient

from dxtalent.core.roles import Role
from dxtalent.experts import services
from tests.experts_postings.conftest import make_posting

ALL = set(Role)
MANAGERS_OF_POSTINGS = {Role.SECRETARIAT, Role.HR}


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_object_pages_per_role(client, people, pack, sec, role):
    posting = make_posting(sec)
    app = services.application_submit(posting=posting, by=people["users"][Role.EMPLOYEE], motivation="志望動機")
    user = people["users"][role]
    client.force_login(user)
    expected = {
        f"/jobs/{posting.pk}/": ALL,
        f"/jobs/{posting.pk}/edit/": MANAGERS_OF_POSTINGS,
        f"/jobs/{posting.pk}/close/": MANAGERS_OF_POSTINGS,
        f"/jobs/{posting.pk}/applications.xlsx": MANAGERS_OF_POSTINGS,
        f"/jobs/{posting.pk}/applications.csv": MANAGERS_OF_POSTINGS,
    }
    for url, allowed in expected.items():
        status = client.get(url).status_code
        assert status == (200 if role in allowed else 403), (url, role, status)
    # One application: the applicant, hr and the secretariat; anyone else gets 404 (page and API).
    sees = role in {Role.EMPLOYEE, Role.SECRETARIAT, Role.HR}
    assert client.get(f"/jobs/applications/{app.pk}/").status_code == (200 if sees else 404), role
    assert _api(user).get(f"/api/v1/applications/{app.pk}/").status_code == (200 if sees else 404), role
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert ('id="applications"' in page) == (role in MANAGERS_OF_POSTINGS)  # the applications table


@pytest.mark.django_db
def test_applicant_never_sees_others(client, people, pack, sec):
    posting = make_posting(sec)
    mine = services.application_submit(posting=posting, by=people["users"][Role.EMPLOYEE], motivation="私の動機")
    other = services.application_submit(posting=posting, by=people["users"][Role.LEADER], motivation="他人の動機")
    client.force_login(people["users"][Role.EMPLOYEE])
    assert client.get(f"/jobs/applications/{other.pk}/").status_code == 404
    assert client.post(f"/jobs/applications/{other.pk}/", {"action": "withdraw"}).status_code == 404
    page = client.get("/jobs/mine/").content.decode()
    assert posting.title in page
    api = _api(people["users"][Role.EMPLOYEE])
    rows = api.get("/api/v1/applications/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk] and rows[0]["motivation"] == "私の動機"
    assert api.get("/api/v1/applications/", {"scope": "all"}).status_code == 403
    assert api.get("/api/v1/applications/", {"scope": "staff"}).status_code == 403
    assert api.post(f"/api/v1/applications/{other.pk}/withdraw/").status_code == 404
    assert api.post(f"/api/v1/applications/{mine.pk}/advance/", {"status": "documents"}).status_code == 403


@pytest.mark.django_db
def test_api_scopes_and_screening(people, pack, sec, hr):
    posting = make_posting(sec)
    app = services.application_submit(posting=posting, by=people["users"][Role.EMPLOYEE], motivation="志望動機")
    staff = _api(people["users"][Role.MANAGER]).get("/api/v1/applications/", {"scope": "staff"}).json()
    assert staff["count"] == 1 and "motivation" not in staff["results"][0]
    assert staff["results"][0]["employee"]["name"] == people["higashi_staff"].name
    everyone = _api(hr).get("/api/v1/applications/").json()
    assert everyone["count"] == 1 and everyone["results"][0]["motivation"] == "志望動機"
    assert _api(sec).post(f"/api/v1/applications/{app.pk}/advance/", {"status": "documents"}).status_code == 403
    r = _api(hr).post(f"/api/v1/applications/{app.pk}/advance/", {"status": "interview"}, format="json")
    assert r.status_code == 409 and "書類選考" in r.json()["detail"]
    r = _api(hr).post(f"/api/v1/applications/{app.pk}/advance/", {"status": "documents"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "documents" and r.json()["manager"]["name"]
    # Postings API: employees browse, only the secretariat and hr post/close.
    emp = _api(people["users"][Role.EMPLOYEE])
    listed = emp.get("/api/v1/postings/").json()
    assert listed["results"][0]["applied"] is True and "counts" not in listed["results"][0]
    assert _api(hr).get("/api/v1/postings/").json()["results"][0]["counts"]["documents"] == 1
    body = {
        "kind": "expert_programme",
        "title": "x",
        "description": "y",
        "opens_on": "R8.4.1",
        "deadline": "2026-04-30",
    }
    assert emp.post("/api/v1/postings/", {**body, "starts_on": "2026-06-01"}, format="json").status_code == 403
    r = _api(sec).post("/api/v1/postings/", {**body, "starts_on": "2026-04-01"}, format="json")
    assert r.status_code == 400 and "starts_on" in r.json()["errors"]
    r = _api(sec).post("/api/v1/postings/", {**body, "starts_on": "2026-06-01"}, format="json")
    assert r.status_code == 201 and r.json()["kind_name"]
    pk = r.json()["id"]
    assert _api(sec).patch(f"/api/v1/postings/{pk}/", {"slots": 4}, format="json").json()["slots"] == 4
    assert emp.post(f"/api/v1/postings/{pk}/close/").status_code == 403
    assert _api(sec).post(f"/api/v1/postings/{pk}/close/").json()["status"] == "closed"
    assert _api(sec).post(f"/api/v1/postings/{pk}/close/").status_code == 409
    assert emp.get("/api/v1/postings/999999/").status_code == 404

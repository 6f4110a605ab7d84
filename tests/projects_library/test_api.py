"""/api/v1/cases/: search with highlights, detail, publish / edit / withdraw (secretariat), adopt (manager); the one
error shape and 409 for moves the state does not allow."""

import pytest

from dxtalent.core.roles import Role
from dxtalent.projects.models import Case, Project

pytestmark = pytest.mark.django_db
JSON = "application/json"


def as_(client, people, role):
    client.force_login(people["users"][role])
    return client


def test_search(client, people, library):
    body = as_(client, people, Role.EMPLOYEE).get("/api/v1/cases/", {"q": "進捗"}).json()
    assert body["count"] == 3 and body["next"] is None
    assert [r["score"] for r in body["results"]] == [5, 3, 1]
    first = body["results"][0]
    assert first["title_html"] == "照会業務の<mark>進捗</mark>管理の見える化"
    assert first["unit"] == "北区 市民部 戸籍住民課" and first["leader"] is None
    assert first["adopted_units"] == 0 and first["adopted_saving"] == "0.00"
    body = client.get("/api/v1/cases/", {"q": "受付票"}).json()
    assert body["results"][0]["unit"] is None  # hidden
    paged = client.get("/api/v1/cases/", {"q": "進捗", "page_size": 2}).json()
    assert len(paged["results"]) == 2 and "page=2" in paged["next"]
    last = client.get("/api/v1/cases/", {"q": "進捗", "page_size": 2, "page": 2}).json()
    assert [r["score"] for r in last["results"]] == [1] and last["previous"]
    bad = client.get("/api/v1/cases/", {"sort": "x", "page": 0})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"sort", "page"}
    assert bad.json()["detail"] == "入力内容に誤りがあります。"


def test_detail(client, people, library):
    body = as_(client, people, Role.EMPLOYEE).get(f"/api/v1/cases/{library['A'].pk}/").json()
    assert body["operating_rule"] == "照会案件は必ずこのアプリに登録すること" and body["project"] is None
    assert body["adoptions"] == [] and body["other_adoptions"] == 0
    assert client.get("/api/v1/cases/999999/").status_code == 404
    body = as_(client, people, Role.SECRETARIAT).get(f"/api/v1/cases/{library['A'].pk}/").json()
    assert body["project"] == library["A"].project_id


def test_publish_update_withdraw(client, people, pack, make_project):
    project = make_project(people["units"]["kita_koseki"], to_be="台帳をアプリに", title="台帳の電子化")
    running = make_project(people["units"]["kita_koseki"], done=False)
    for role in (Role.MANAGER, Role.EMPLOYEE, Role.HR):
        response = as_(client, people, role).post("/api/v1/cases/", {"project": project.pk}, content_type=JSON)
        assert response.status_code == 403 and response.json()["errors"] == {}
    client = as_(client, people, Role.SECRETARIAT)
    conflict = client.post("/api/v1/cases/", {"project": running.pk}, content_type=JSON)
    assert conflict.status_code == 409 and "効果を確認したプロジェクトだけ" in conflict.json()["detail"]
    bad = client.post("/api/v1/cases/", {"project": project.pk, "summary": ""}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["errors"]["summary"] == ["概要を入力してください"]
    assert not Case.objects.exists()
    created = client.post("/api/v1/cases/", {"project": project.pk, "show_leader": True}, content_type=JSON)
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert created.json()["summary"] == "台帳をアプリに" and created.json()["show_leader"] is True
    again = client.post("/api/v1/cases/", {"project": project.pk}, content_type=JSON)
    assert again.status_code == 409
    patched = client.patch(f"/api/v1/cases/{case_id}/", {"title": "固定資産台帳の電子化"}, content_type=JSON)
    assert patched.status_code == 200 and patched.json()["title"] == "固定資産台帳の電子化"
    bad = client.patch(f"/api/v1/cases/{case_id}/", {"summary": ""}, content_type=JSON)
    assert bad.status_code == 400
    assert client.post(f"/api/v1/cases/{case_id}/withdraw/").status_code == 200
    assert client.post(f"/api/v1/cases/{case_id}/withdraw/").status_code == 409
    assert as_(client, people, Role.EMPLOYEE).get(f"/api/v1/cases/{case_id}/").status_code == 404
    assert client.patch(f"/api/v1/cases/{case_id}/", {"title": "x"}, content_type=JSON).status_code == 403


def test_adopt(client, people, library):
    url = f"/api/v1/cases/{library['A'].pk}/adopt/"
    koseki = people["units"]["higashi_koseki"]
    assert as_(client, people, Role.LEADER).post(url, {"unit": koseki.pk}, content_type=JSON).status_code == 403
    client = as_(client, people, Role.MANAGER)
    outside = client.post(url, {"unit": people["units"]["higashi_hoken"].pk}, content_type=JSON)
    assert outside.status_code == 403
    assert client.post(url, {}, content_type=JSON).status_code == 400
    response = client.post(url, {"unit": koseki.pk, "title": "横展開の取組"}, content_type=JSON)
    assert response.status_code == 201
    project = Project.objects.get(pk=response.json()["project"])
    assert project.source_case_id == library["A"].pk and project.title == "横展開の取組"
    body = client.get(f"/api/v1/cases/{library['A'].pk}/").json()
    assert body["adopted_units"] == 1
    assert body["adoptions"] == [
        {"project": project.pk, "unit": "東区 市民部 戸籍住民課", "status": "active", "saving_hours": None}
    ]


def test_schema_builds(client, people):
    response = as_(client, people, Role.SECRETARIAT).get("/api/schema/")
    assert response.status_code == 200
    assert b"cases_adopt" in response.content

"""Who sees and does what, on the pages and the API: visible projects 200, invisible 404, non-owners 403/409."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.projects import services
from dxtalent.projects.models import Attachment, ProjectEvent
from tests.projects import builders as b

SEE_ALL = {Role.SECRETARIAT, Role.HR, Role.SYSADMIN, Role.LIAISON, Role.MANAGER}


@pytest.fixture
def project(manager, koseki, leader_pair):
    leader, _ = leader_pair
    return b.start(manager, koseki, leader=leader, title="窓口の照会管理")


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize("role", list(Role))
def test_detail_page_and_api_visibility(client, api, people, project, role):
    user = people["users"][role]
    client.force_login(user)
    api.force_authenticate(user)
    expected = 200 if role in SEE_ALL else 404
    assert client.get(f"/projects/{project.pk}/").status_code == expected
    assert api.get(f"/api/v1/projects/{project.pk}/").status_code == expected
    listed = [r["id"] for r in api.get("/api/v1/projects/").json()["results"]]
    assert (project.pk in listed) == (role in SEE_ALL)
    body = client.get("/projects/").content.decode()
    assert ("窓口の照会管理" in body) == (role in SEE_ALL)


def test_participants_and_the_leader_see_their_project(client, people, project, manager, leader_pair):
    staff_user = people["users"][Role.EMPLOYEE]
    client.force_login(staff_user)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    services.project_participants_set(
        project=project, by=manager, participants=[(people["higashi_staff"], "入力テスト")]
    )
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    client.force_login(leader_pair[1])
    assert client.get(f"/projects/{project.pk}/").status_code == 200


def test_attachment_download_checks_visibility(client, people, project, manager):
    a = services.project_attachment_add(project=project, by=manager, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"))
    client.force_login(manager)
    assert client.get(f"/projects/attachments/{a.pk}/file/").status_code == 200
    client.force_login(people["users"][Role.LEADER])
    assert client.get(f"/projects/attachments/{a.pk}/file/").status_code == 404


def test_api_actions_per_role(api, people, project, manager, leader_pair):
    leader_user = leader_pair[1]
    url = f"/api/v1/projects/{project.pk}/complete/"
    for role in (Role.SECRETARIAT, Role.HR, Role.SYSADMIN, Role.LIAISON):  # see it, take no part in it
        api.force_authenticate(people["users"][role])
        r = api.post(url)
        assert r.status_code == 403, role
        assert r.json()["detail"]
    api.force_authenticate(people["users"][Role.LEADER])  # an unrelated leader: cannot even see it
    assert api.post(url).status_code == 404
    api.force_authenticate(leader_user)  # the project's leader, but step 1 is the manager's
    r = api.post(url)
    assert r.status_code == 409 and "管理職" in r.json()["detail"]
    api.force_authenticate(manager)
    r = api.post(url)
    assert r.status_code == 200 and r.json()["step"] == 2
    # send back from step 2 by the manager: not theirs → 409; by the leader to a later step → 409
    assert api.post(f"/api/v1/projects/{project.pk}/send-back/", {"to_step": 1, "reason": "x"}).status_code == 409
    api.force_authenticate(leader_user)
    r = api.post(f"/api/v1/projects/{project.pk}/send-back/", {"to_step": 3, "reason": "x"}, format="json")
    assert r.status_code == 409
    r = api.post(f"/api/v1/projects/{project.pk}/send-back/", {"to_step": 1, "reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = api.patch(f"/api/v1/projects/{project.pk}/", {"as_is": "現状", "analysis_hours_actual": "-3"}, format="json")
    assert r.status_code == 400 and "負の値" in r.json()["errors"]["analysis_hours_actual"][0]
    r = api.patch(f"/api/v1/projects/{project.pk}/", {"operating_rule": "先取り"}, format="json")
    assert r.status_code == 409
    r = api.patch(
        f"/api/v1/projects/{project.pk}/",
        {
            "as_is": "現状",
            "to_be": "改善",
            "analysis_hours_actual": "5",
            "baseline_hours": "30",
            "planned_after_hours": "20",
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["planned_saving_hours"] == 10
    r = api.post(
        f"/api/v1/projects/{project.pk}/send-back/", {"to_step": 1, "reason": "問題点を具体的に"}, format="json"
    )
    assert r.status_code == 200 and r.json()["step"] == 1
    assert r.json()["events"][-1]["reason"] == "問題点を具体的に"
    api.force_authenticate(manager)
    r = api.post(f"/api/v1/projects/{project.pk}/cancel/", {"reason": ""}, format="json")
    assert r.status_code == 400
    r = api.post(f"/api/v1/projects/{project.pk}/attachments/", {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert r.status_code == 400 and "file" in r.json()["errors"]
    r = api.post(
        f"/api/v1/projects/{project.pk}/attachments/", {"file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nzz")}
    )
    assert r.status_code == 201
    r = api.post(f"/api/v1/projects/{project.pk}/cancel/", {"reason": "他の課の事例を使う"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api.post(url).status_code == 409


def test_api_create(api, people, koseki, city, leader_pair, pack):
    payload = {"unit": koseki.pk, "title": "API登録", "problem": "問題", "leader": leader_pair[0].pk}
    api.force_authenticate(people["users"][Role.LEADER])
    assert api.post("/api/v1/projects/", payload, format="json").status_code == 403
    api.force_authenticate(people["users"][Role.MANAGER])
    r = api.post("/api/v1/projects/", payload, format="json")
    assert r.status_code == 201 and r.json()["step"] == 1 and r.json()["leader"]["id"] == leader_pair[0].pk
    r = api.post("/api/v1/projects/", {**payload, "unit": city["kita_koseki"].pk}, format="json")
    assert r.status_code == 403
    r = api.post("/api/v1/projects/", {**payload, "title": ""}, format="json")
    assert r.status_code == 400 and "title" in r.json()["errors"]
    assert api.get("/api/v1/projects/", {"step": 9}).status_code == 400
    assert api.get("/api/v1/projects/999999/").status_code == 404


def test_pages_drive_the_workflow(client, people, manager, koseki, leader_pair):
    leader, leader_user = leader_pair
    client.force_login(people["users"][Role.LEADER])
    assert client.get("/projects/new/").status_code == 403
    client.force_login(manager)
    r = client.post("/projects/new/", {"unit": koseki.pk, "title": "", "problem": ""})
    assert r.status_code == 200 and "field-error" in r.content.decode(), r.content.decode()[-3000:]
    r = client.post(
        "/projects/new/", {"unit": koseki.pk, "title": "ページから登録", "problem": "照会が多い", "leader": leader.pk}
    )
    assert r.status_code == 302
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/projects/{pk}/").content.decode()
    assert "保存してステップ1を完了" in page and "プロジェクトを中止" in page
    r = client.post(
        f"/projects/{pk}/",
        {"action": "complete", "title": "ページから登録", "problem": "照会が多い", "leader": leader.pk},
    )
    assert r.status_code == 302
    page = client.get(f"/projects/{pk}/").content.decode()
    assert "保存してステップ" not in page  # step 2 is the leader's
    # the manager posting the leader's step gets a message, nothing moves
    r = client.post(f"/projects/{pk}/", {"action": "complete"}, follow=True)
    assert "DX推進リーダーだけです" in r.content.decode()
    client.force_login(leader_user)
    page = client.get(f"/projects/{pk}/").content.decode()
    assert "保存してステップ2を完了" in page and "差し戻す" in page and "プロジェクトを中止" not in page
    r = client.post(f"/projects/{pk}/", {"action": "complete", "as_is": "現状", "analysis_hours_actual": "-1"})
    assert r.status_code == 200 and "負の値は入力できません" in r.content.decode()
    r = client.post(
        f"/projects/{pk}/",
        {"action": "update", "as_is": "現状", "to_be": "", "baseline_hours": "8", "planned_after_hours": "10"},
    )
    assert r.status_code == 302
    page = client.get(f"/projects/{pk}/").content.decode()
    assert "−2.0 時間/月（増加）" in page
    r = client.post(f"/projects/{pk}/", {"action": "complete", "as_is": "現状"})
    assert "改善案（To-Be）を入力してください" in r.content.decode()
    r = client.post(f"/projects/{pk}/", {"action": "send_back", "to_step": 1, "reason": "問題点をもう少し具体的に"})
    assert r.status_code == 302
    assert ProjectEvent.objects.filter(project_id=pk, kind="sent_back", reason="問題点をもう少し具体的に").exists()
    page = client.get(f"/projects/{pk}/").content.decode()
    assert "問題点をもう少し具体的に" in page
    r = client.post(
        f"/projects/{pk}/", {"action": "attach", "title": "フロー", "file": SimpleUploadedFile("f.txt", b"hello")}
    )
    assert r.status_code == 200 and "この形式のファイル（.txt）は登録できません" in r.content.decode()
    assert not Attachment.objects.exists()


def test_export_is_recorded_and_scoped(client, people, project):
    client.force_login(people["users"][Role.LIAISON])
    r = client.get("/projects/export.csv", {"q": "照会"})
    assert r.status_code == 200
    text = r.content.decode("utf-8-sig")
    assert "窓口の照会管理" in text
    log = ExportLog.objects.get()
    assert log.kind == "projects" and log.row_count == 1
    client.force_login(people["users"][Role.LEADER])
    text = client.get("/projects/export.xlsx").status_code == 200
    assert "窓口の照会管理" not in client.get("/projects/export.csv").content.decode("utf-8-sig")


def test_list_filters(client, people, manager, koseki, city, leader_pair, project):
    other = b.start(manager, koseki, leader=leader_pair[0], title="台帳の電子化", work_category="ledger")
    client.force_login(people["users"][Role.SECRETARIAT])
    body = client.get("/projects/", {"q": "台帳"}).content.decode()
    assert "台帳の電子化" in body and "窓口の照会管理" not in body
    body = client.get("/projects/", {"work_category": "ledger"}).content.decode()
    assert "台帳の電子化" in body and "窓口の照会管理" not in body
    body = client.get("/projects/", {"top": city["kita"].pk}).content.decode()
    assert "台帳の電子化" not in body
    body = client.get("/projects/", {"top": city["higashi"].pk, "sort": "title", "step": 1}).content.decode()
    assert "台帳の電子化" in body and "窓口の照会管理" in body
    assert other.pk

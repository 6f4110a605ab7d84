"""The /api/v1/ endpoints of groups, deliverables, evaluations, certification and leader roles: same rules as the
pages, the one error shape ({"detail", "errors"}), 409 for steps the state does not allow."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.leaders import services
from dxtalent.leaders.models import Certification, Deliverable, GroupMembership, LeaderRole
from dxtalent.leaders.selectors_groups import active_members
from dxtalent.training.models import ELearningCompletion
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def staff(people):
    return people["users"][Role.SECRETARIAT]


@pytest.fixture
def grouped(make_cohort, staff):
    cohort = make_cohort(12)
    proposal = services.groups_propose(cohort=cohort)
    services.groups_save(cohort=cohort, groups=proposal.groups, by=staff)
    return cohort


def _as(client, user):
    client.force_login(user)
    return client


def test_groups_list_propose_and_save(client, people, staff, grouped):
    url = f"/api/v1/cohorts/{grouped.pk}/groups/"
    body = _as(client, staff).get(url).json()
    assert body["count"] == 2 and all(g["size_ok"] and g["hidden_members"] == 0 for g in body["results"])
    assert sum(len(g["members"]) for g in body["results"]) == 12
    liaison = _as(client, people["users"][Role.LIAISON]).get(url).json()
    assert sum(g["hidden_members"] for g in liaison["results"]) > 0
    assert _as(client, people["users"][Role.EMPLOYEE]).get(url).status_code == 403
    assert _as(client, people["users"][Role.HR]).post(f"{url}propose/").status_code == 403
    proposal = _as(client, staff).post(f"{url}propose/").json()
    assert proposal["feasible"] and proposal["sizes"] == [6, 6] and proposal["message"] == ""
    response = client.post(url, {"groups": proposal["groups"]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["count"] == 2
    bad = client.post(url, {"groups": [proposal["groups"][0]]}, content_type="application/json")
    assert bad.status_code == 400
    body = bad.json()
    assert (
        body["detail"] == "入力内容に誤りがあります。" and "グループに入っていない研修生" in body["errors"]["groups"][0]
    )
    assert client.post(url, {"groups": "x"}, content_type="application/json").status_code == 400


def test_changing_an_evaluated_group_is_409(client, staff, grouped):
    g1, g2 = grouped.groups.order_by("number")
    services.group_evaluate(group=g1, presented_on=timezone.localdate(), score=3, by=staff)
    member = GroupMembership.objects.filter(group=g1).first().member
    response = _as(client, staff).post(
        f"/api/v1/groups/{g2.pk}/members/",
        {"member": member.pk, "allow_out_of_bounds": True},
        content_type="application/json",
    )
    assert response.status_code == 409 and "評価が済んでいる" in response.json()["detail"]
    assert GroupMembership.objects.get(member=member).group == g1


def test_group_detail_deliverables_and_evaluation(client, people, staff, grouped):
    g1, g2 = grouped.groups.order_by("number")
    me = GroupMembership.objects.filter(group=g1).first().member
    trainee = f.login(me.employee)
    _as(client, trainee)
    assert client.get(f"/api/v1/groups/{g1.pk}/").status_code == 200
    assert client.get(f"/api/v1/groups/{g2.pk}/").status_code == 404
    url = f"/api/v1/groups/{g1.pk}/deliverables/"
    upload = SimpleUploadedFile("proto.pdf", PDF, content_type="application/pdf")
    created = client.post(url, {"step_code": "prototype", "member": me.pk, "title": "試作", "file": upload})
    assert created.status_code == 201 and created.json()["file"].endswith(
        f"/leaders/deliverables/{created.json()['id']}/file/"
    )
    bad = client.post(url, {"step_code": "planning", "title": "企画", "file": SimpleUploadedFile("a.exe", b"MZ00")})
    assert bad.status_code == 400 and "この形式のファイル" in bad.json()["errors"]["file"][0]
    bad = client.post(
        url, {"step_code": "prototype", "title": "試作", "url": "https://x.jp"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "作成者を選んでください" in bad.json()["errors"]["member"][0]
    link = client.post(
        url,
        {"step_code": "joint_build", "title": "アプリ", "url": "https://gw.example.jp/app/1"},
        content_type="application/json",
    )
    assert link.status_code == 201
    assert Deliverable.objects.count() == 2
    assert client.get(url).json()["count"] == 2
    assert (
        client.post(f"/api/v1/groups/{g1.pk}/evaluation/", {"presented_on": "2026-11-01", "score": 4}).status_code
        == 403
    )
    detail = client.get(f"/api/v1/groups/{g1.pk}/").json()
    assert len(detail["deliverables_list"]) == 2 and detail["evaluation"] is None
    # a liaison reads but does not add
    _as(client, people["users"][Role.LIAISON])
    assert (
        client.post(
            url, {"step_code": "planning", "title": "x", "url": "https://x.jp"}, content_type="application/json"
        ).status_code
        == 403
    )
    # evaluation: the secretariat; bad scores are 400 with the field named
    _as(client, staff)
    eval_url = f"/api/v1/groups/{g1.pk}/evaluation/"
    for score in (0, 7, "abc"):
        bad = client.post(eval_url, {"presented_on": "2026-11-01", "score": score}, content_type="application/json")
        assert bad.status_code == 400 and bad.json()["errors"]["score"] == ["評価は1〜5の整数で入力してください"], score
    ok = client.post(
        eval_url, {"presented_on": "R8.11.1", "score": 4, "comment": "良い"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json() == {"presented_on": "2026-11-01", "score": 4, "comment": "良い"}


def test_certification_candidates_and_certify(client, people, staff, grouped):
    for g in grouped.groups.all():
        services.group_evaluate(group=g, presented_on=timezone.localdate(), score=4, by=staff)
    members = active_members(grouped)
    ELearningCompletion.objects.filter(employee=members[0].employee).delete()
    url = f"/api/v1/cohorts/{grouped.pk}/certification/"
    body = _as(client, staff).get(url).json()
    rows = {r["member"]: r for r in body["results"]}
    assert rows[members[0].pk]["reasons"] == ["事前学習（eラーニング）未修了"] and not rows[members[0].pk]["eligible"]
    assert rows[members[1].pk]["eligible"] and rows[members[1].pk]["reasons"] == []
    day = timezone.localdate().isoformat()
    refused = client.post(
        url, {"member_ids": [members[0].pk, members[1].pk], "certified_on": day}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert f"{members[0].employee.name}: 事前学習（eラーニング）未修了" in refused.json()["detail"]
    assert not Certification.objects.exists()
    assert (
        _as(client, people["users"][Role.LIAISON])
        .post(url, {"member_ids": [members[1].pk], "certified_on": day}, content_type="application/json")
        .status_code
        == 403
    )
    made = _as(client, staff).post(
        url, {"member_ids": [members[1].pk], "certified_on": day}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()[0]["member"] == members[1].pk
    bad = client.post(url, {"member_ids": [], "certified_on": "someday"}, content_type="application/json")
    assert bad.status_code == 400 and "certified_on" in bad.json()["errors"]
    empty = client.post(url, {"member_ids": [], "certified_on": day}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["errors"]["member_ids"] == ["認定する研修生を選んでください"]


def test_leader_roles_list_change_end(client, people, staff, grouped):
    for g in grouped.groups.all():
        services.group_evaluate(group=g, presented_on=timezone.localdate(), score=4, by=staff)
    members = active_members(grouped)
    today = timezone.localdate()
    services.cohort_certify(cohort=grouped, member_ids=[members[0].pk], certified_on=today, by=staff)
    employee = members[0].employee
    _as(client, people["users"][Role.HR])
    rows = client.get("/api/v1/leader-roles/", {"as_of": today.isoformat()}).json()["results"]
    assert [(r["employee"]["id"], r["role_type"]) for r in rows] == [(employee.pk, "teisu")]
    assert (
        client.get("/api/v1/leader-roles/", {"as_of": (today - dt.timedelta(days=1)).isoformat()}).json()["count"] == 0
    )
    assert client.get("/api/v1/leader-roles/", {"as_of": "not a date"}).status_code == 400
    on = today + dt.timedelta(days=7)
    changed = client.post(
        "/api/v1/leader-roles/change/",
        {"employee": employee.pk, "role_type": "gyosei_dx", "on": on.isoformat()},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()[0]["role_type"] == "gyosei_dx"
    assert LeaderRole.objects.filter(employee=employee).count() == 2
    bad = client.post(
        "/api/v1/leader-roles/change/",
        {"employee": employee.pk, "role_type": "x", "on": on.isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "役割類型「x」はありません" in bad.json()["errors"]["role_type"][0]
    outsider = members[1].employee
    conflict = client.post(
        "/api/v1/leader-roles/change/",
        {"employee": outsider.pk, "role_type": "dx_waku", "on": on.isoformat()},
        content_type="application/json",
    )
    assert conflict.status_code == 409 and "DX推進リーダーではありません" in conflict.json()["detail"]
    assert (
        client.post(
            "/api/v1/leader-roles/end/",
            {"employee": employee.pk, "on": on.isoformat(), "reason": ""},
            content_type="application/json",
        ).status_code
        == 400
    )
    ended = client.post(
        "/api/v1/leader-roles/end/",
        {"employee": employee.pk, "on": (on + dt.timedelta(days=1)).isoformat(), "reason": "異動"},
        content_type="application/json",
    )
    assert ended.status_code == 204
    # a liaison lists (scoped) but does not change roles; an unknown employee is 404
    _as(client, people["users"][Role.LIAISON])
    assert (
        client.post(
            "/api/v1/leader-roles/change/",
            {"employee": employee.pk, "role_type": "dx_waku", "on": on.isoformat()},
            content_type="application/json",
        ).status_code
        == 403
    )
    _as(client, staff)
    assert (
        client.post(
            "/api/v1/leader-roles/change/",
            {"employee": 999999, "role_type": "dx_waku", "on": on.isoformat()},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert _as(client, people["users"][Role.EMPLOYEE]).get("/api/v1/leader-roles/").status_code == 403

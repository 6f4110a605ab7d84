"""The results export (person × item) and the API's shapes and error codes."""

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dxtalent.competency import services
from dxtalent.competency.models import Campaign, Rating
from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role

from .conftest import all_items


@pytest.fixture
def rated(assessment, people, mentor):
    services.assessment_rate(
        assessment=assessment, by=people["users"][Role.EMPLOYEE], rater="self",
        levels=all_items(assessment.campaign, 2), comments={"ownership": "まだ自信がない"},
    )  # fmt: skip
    services.assessment_rate(
        assessment=assessment, by=mentor, rater="evaluator", levels=all_items(assessment.campaign, 3, ownership=1)
    )
    return assessment


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_campaign_results_export(client, rated, hr, people):
    client.force_login(hr)
    r = client.get(f"/competency/campaigns/{rated.campaign_id}/export.xlsx")
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("職員番号", "氏名", "所属", "項目", "本人", "評価者", "期待", "コメント")
    staff = people["higashi_staff"]
    assert len(rows) == 1 + len(rated.campaign.framework["items"])
    assert rows[1] == (
        staff.number,
        staff.name,
        "東区 市民部 戸籍住民課",
        "当事者意識",
        2,
        1,
        3,
        "本人: まだ自信がない",
    )
    assert [r[3] for r in rows[1:5]] == ["当事者意識", "課題解決思考", "全体最適の視点", "継続的な学習意欲"]
    log = ExportLog.objects.get()
    assert log.user == hr and log.kind == "competency_results" and log.row_count == len(rows) - 1
    csv = client.get(f"/competency/campaigns/{rated.campaign_id}/export.csv").content.decode("utf-8-sig")
    assert staff.number in csv and "当事者意識" in csv


def test_frameworks_api(pack, people):
    api = api_for(people["users"][Role.EMPLOYEE])
    rows = api.get("/api/v1/competency/frameworks/").json()
    assert {r["code"] for r in rows} >= {"leader", "expert"}
    detail = api.get("/api/v1/competency/frameworks/leader/").json()
    assert [s["level"] for s in detail["scale"]] == [1, 2, 3, 4]
    item = detail["items"][0]
    assert set(item) == {"code", "kind", "name", "descriptors", "anchors"} and len(item["anchors"]) == 4
    assert detail["expected_levels"]["ownership"] == 3
    assert api.get("/api/v1/competency/frameworks/nope/").status_code == 404


def test_campaign_api_create_people_close(pack, hr, people, mentor):
    api = api_for(hr)
    r = api.post(
        "/api/v1/competency/campaigns/",
        {"name": "API回", "kind": "annual", "fiscal_year": 2026, "framework_code": "leader",
         "opens_on": "2026-04-01", "closes_on": "R9.3.31"},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["framework"]["version"] == "1.0" and body["fiscal_year_label"] == "令和8年度"
    pk = body["id"]
    r = api.post(
        f"/api/v1/competency/campaigns/{pk}/people/",
        {"people": [{"employee": people["higashi_staff"].number}, {"employee": people["kita_staff"].number,
                                                                    "evaluator": mentor.employee.number}]},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200 and r.json() == {"added": 2, "without_evaluator": 0}
    r = api.post(f"/api/v1/competency/campaigns/{pk}/people/", {"people": [{"employee": "0"}]}, format="json")
    assert r.status_code == 400 and "0" in r.json()["errors"]["people"][0]
    listed = api.get("/api/v1/competency/campaigns/").json()
    assert listed["count"] == 1 and listed["results"][0]["people"] == 2
    assert api.post(f"/api/v1/competency/campaigns/{pk}/close/").status_code == 200
    assert api.post(f"/api/v1/competency/campaigns/{pk}/close/").status_code == 409
    r = api.post(f"/api/v1/competency/campaigns/{pk}/people/", {"from_run": True}, format="json")
    assert r.status_code == 400
    bad = api.post("/api/v1/competency/campaigns/", {"name": "x", "kind": "annual"}, format="json")
    assert bad.status_code == 400 and "framework_code" in bad.json()["errors"]
    assert api_for(people["users"][Role.MANAGER]).post("/api/v1/competency/campaigns/", {}).status_code == 403
    assert Campaign.objects.count() == 1


def test_rate_api_errors(assessment, people, mentor, hr):
    url = f"/api/v1/competency/assessments/{assessment.pk}/rate/"
    me = api_for(people["users"][Role.EMPLOYEE])
    levels = all_items(assessment.campaign, 3, ownership=7)
    r = me.post(url, {"rater": "self", "levels": levels}, format="json")
    assert r.status_code == 400
    assert "当事者意識" in r.json()["errors"]["levels"][0] and r.json()["detail"]
    assert not Rating.objects.exists()
    assert (
        me.post(url, {"rater": "evaluator", "levels": all_items(assessment.campaign)}, format="json").status_code == 403
    )
    assert api_for(hr).post(url, {"rater": "self", "levels": {}}, format="json").status_code == 403
    r = me.post(url, {"rater": "self", "levels": all_items(assessment.campaign), "comment": "ok"}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert body["self_submitted_at"] and body["my_raters"] == ["self"] and body["self_comment"] == "ok"
    assert body["items"][0] == {
        "code": "ownership", "kind": "mindset", "name": "当事者意識", "self_level": 3, "evaluator_level": None,
        "expected": 3, "gap": 0, "self_comment": "", "evaluator_comment": "",
    }  # fmt: skip
    services.campaign_close(campaign=assessment.campaign, by=hr)
    r = me.post(url, {"rater": "self", "levels": all_items(assessment.campaign)}, format="json")
    assert r.status_code == 409 and "締め切られて" in r.json()["detail"]
    ev = api_for(mentor).post(
        f"/api/v1/competency/assessments/{assessment.pk}/evidence/", {"kind": "other", "label": "x"}, format="json"
    )
    assert ev.status_code == 409


def test_evidence_api(assessment, people, mentor):
    api = api_for(mentor)
    url = f"/api/v1/competency/assessments/{assessment.pk}/evidence/"
    r = api.post(url, {"kind": "other", "label": "庁内報告", "url": "https://example.jp/r"}, format="json")
    assert r.status_code == 201 and r.json()["rater"] == "evaluator" and r.json()["kind_label"] == "その他"
    assert api.post(url, {"kind": "session"}, format="json").status_code == 400
    assert [e["label"] for e in api.get(url).json()] == ["庁内報告"]
    r = api_for(people["users"][Role.EMPLOYEE]).get("/api/v1/competency/assessments/?role=own")
    assert r.json()["count"] == 1 and r.json()["results"][0]["evaluator"]["code"] == mentor.employee.number


def test_schema_builds(client, people, pack):
    client.force_login(people["users"][Role.HR])
    r = client.get("/api/schema/")
    assert r.status_code == 200 and b"competency_assessments_rate" in r.content

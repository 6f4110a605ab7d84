"""/api/v1/kpi/programme/ and /api/v1/policy-packs/."""

from decimal import Decimal

import pytest

from dxtalent.core.roles import Role
from dxtalent.kpi.selectors import programme_kpis
from tests import factories as f


@pytest.fixture
def api(client, db):
    client.force_login(f.login(None, Role.EMPLOYEE))
    return client


def test_programme_kpis_as_of(api, small_programme):
    import datetime as dt

    response = api.get("/api/v1/kpi/programme/", {"as_of": "2028-06-01"})
    assert response.status_code == 200
    data = response.json()
    assert data["as_of"] == "2028-06-01" and data["fiscal_year_label"] == "令和10年度"
    assert data["certified_total"] == 5 and data["current_target"] == 105 and data["current_gap"] == 100
    assert [(y["fiscal_year"], y["cumulative"], y["target"]) for y in data["years"][:3]] == [
        (2026, 3, 35),
        (2027, 5, 70),
        (2028, 5, 105),
    ]
    assert [(m["code"], m["status"], m["gap"]) for m in data["milestones"]] == [
        ("r10", "in_progress", 100),
        ("r13", "in_progress", 205),
    ]
    assert data["funnel"][0]["nominated"] == 5 and data["funnel"][0]["certified"] == 3
    assert (data["coverage"]["bu_covered"], data["coverage"]["bu_total"]) == (2, 5)
    assert data["coverage"]["by_unit"][1]["uncovered"] == [
        {"id": small_programme["org"]["bu"][n].pk, "code": code, "name": n}
        for n, code in (("保健福祉部", "K01-2"), ("地域振興部", "K01-3"))
    ]
    # the same numbers as the page's selector
    page = programme_kpis(dt.date(2028, 6, 1))
    assert data["coverage"]["ratio"] == page["coverage"]["ratio"]
    assert [y["cumulative"] for y in data["years"]] == [y["cumulative"] for y in page["years"]]


def test_as_of_in_wareki(api, small_programme):
    assert api.get("/api/v1/kpi/programme/", {"as_of": "令和10年6月1日"}).json()["as_of"] == "2028-06-01"


@pytest.mark.parametrize("bad", ["2028-02-30", "yesterday", "R99.1.1x"])
def test_bad_date_is_400(api, small_programme, bad):
    response = api.get("/api/v1/kpi/programme/", {"as_of": bad})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "入力内容に誤りがあります。" and "as_of" in body["errors"]


def test_without_a_pack_is_409(api):
    response = api.get("/api/v1/kpi/programme/")
    assert response.status_code == 409
    assert "ポリシーパック" in response.json()["detail"]


def test_needs_login(client, db):
    assert client.get("/api/v1/kpi/programme/").status_code in (401, 403)
    assert client.get("/api/v1/policy-packs/").status_code in (401, 403)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_read(client, people, sapporo_pack, role):
    client.force_login(people["users"][role])
    assert client.get("/api/v1/kpi/programme/").status_code == 200
    assert client.get("/api/v1/policy-packs/").status_code == 200
    assert client.get(f"/api/v1/policy-packs/{sapporo_pack.pk}/").status_code == 200


def test_policy_pack_list_and_detail(api, sapporo_pack, tmp_path):
    from dxtalent.policy.services import policy_pack_load
    from tests.kpi import builders as b

    policy_pack_load(directory=b.changed_pack(tmp_path, lambda x: None, version="1.1"))
    data = api.get("/api/v1/policy-packs/").json()
    assert data["count"] == 2
    assert {(r["code"], r["version"]) for r in data["results"]} == {("sapporo", "1.0"), ("sapporo", "1.1")}
    assert data["results"][0]["effective_from"] == "2026-04-01"

    detail = api.get(f"/api/v1/policy-packs/{sapporo_pack.pk}/").json()
    assert [t["code"] for t in detail["talent_types"]] == ["general", "leader", "expert"]
    leaders = detail["leaders"]
    assert leaders["cohort_size"] == 35
    assert [t["leaders"] for t in leaders["cumulative_targets"]] == [35, 70, 105, 140, 175, 210]
    assert [m["code"] for m in leaders["milestones"]] == ["r10", "r13"]
    assert [r["code"] for r in leaders["role_types"]] == ["teisu", "dx_waku", "gyosei_dx", "chiiki_dx"]
    cur = detail["curriculum"]
    assert Decimal(cur["total_hours"]) == 38 and cur["in_person_days"] == 10
    assert (cur["group_min_size"], cur["group_max_size"]) == (5, 6)
    mindset = next(p for p in cur["phases"] if p["code"] == "mindset")
    assert (Decimal(mindset["hours"]), mindset["sessions"], mindset["in_person"]) == (12, 3, True)
    practice = next(p for p in cur["phases"] if p["code"] == "practice")
    assert [s["code"] for s in practice["steps"]] == ["planning", "prototype", "joint_build"]


def test_policy_pack_unknown_is_404(api, sapporo_pack):
    response = api.get("/api/v1/policy-packs/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "そのポリシーパックはありません。", "errors": {}}

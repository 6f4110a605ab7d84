"""The ladder API: same rows and rules as the pages, with 400 / 403 / 404 / 409 in the shared error shape."""

import pytest
from rest_framework.test import APIClient

from dxtalent.core.roles import Role
from dxtalent.experts.models import OjtReview, Promotion

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_stages_come_from_the_pack(people, ladder):
    body = _api(people["users"][Role.EMPLOYEE]).get("/api/v1/ladder/stages/").json()
    assert body["department"] == "情報システム部" and body["framework"] == "expert"
    assert [s["name"] for s in body["stages"]] == ["見習い", "修行中", "一人前", "熟練者"]
    ichininmae = body["stages"][2]
    assert ichininmae["min_years_in_previous_stage"] == 2 and len(ichininmae["experiences"]) == 4
    assert {"item_code": "it_tech", "item_name": "ITリテラシー・技術理解力", "level": 3, "label": "自立してできる"} in (
        ichininmae["expected_levels"]
    )


def test_readiness_list_is_scoped(people, ladder):
    rows = _api(people["users"][Role.HR]).get("/api/v1/ladder/people/").json()["results"]
    assert len(rows) == 4
    b = next(r for r in rows if r["employee"]["name"] == "育成 二郎")
    assert b["stage_name"] == "修行中" and b["long_stay"] and not b["ready"] and b["years_in_stage"] == 5
    a = next(r for r in rows if r["employee"]["name"] == "育成 一郎")
    assert a["mentor"]["name"] == "指導 先輩" and a["hire_route_name"] == "一般事務（デジタルコース）"
    names = [r["employee"]["name"] for r in _api(ladder["mentor_user"]).get("/api/v1/ladder/people/").json()["results"]]
    assert names == ["育成 一郎"]
    assert _api(people["users"][Role.LEADER]).get("/api/v1/ladder/people/").json()["count"] == 0
    r = _api(people["users"][Role.HR]).get("/api/v1/ladder/people/", {"sort": "nope"})
    assert r.status_code == 400 and "sort" in r.json()["errors"]


def test_stage_periods_per_person(people, ladder):
    url = f"/api/v1/ladder/people/{ladder['b'].pk}/stage-periods/"
    rows = _api(people["users"][Role.HR]).get(url).json()
    assert [(r["stage_name"], r["years"], r["valid_to"]) for r in rows] == [("修行中", 5, None)]
    assert _api(people["users"][Role.MANAGER]).get(url).status_code == 404


def test_enter_through_the_api(people, ladder, dept):
    from tests.experts_ladder import builders as b

    e = b.staff(dept["ka"], name="新規", kana="シンキ")
    body = {"employee": e.pk, "stage_code": "minarai", "on": "R8.4.1"}
    assert _api(people["users"][Role.EMPLOYEE]).post("/api/v1/ladder/people/", body).status_code == 403
    r = _api(people["users"][Role.HR]).post("/api/v1/ladder/people/", {**body, "stage_code": "boss"})
    assert r.status_code == 400 and "ポリシーパックにありません" in r.json()["errors"]["stage_code"][0]
    r = _api(people["users"][Role.HR]).post("/api/v1/ladder/people/", body)
    assert r.status_code == 201 and r.json()["stage_name"] == "見習い"
    r = _api(people["users"][Role.HR]).post("/api/v1/ladder/people/", body)
    assert r.status_code == 409 and "すでに育成段階" in r.json()["detail"]


def test_plans_reviews_and_promotions(people, ladder):
    hr, mentor, head = people["users"][Role.HR], ladder["mentor_user"], ladder["head_user"]
    plan = ladder["plan"]
    assert _api(mentor).get("/api/v1/ojt-plans/", {"mine": True}).json()["count"] == 1
    assert _api(people["users"][Role.LEADER]).get(f"/api/v1/ojt-plans/{plan.pk}/").status_code == 404
    r = _api(hr).patch(f"/api/v1/ojt-plans/{plan.pk}/", {"goals": ""}, format="json")
    assert r.status_code == 400 and r.json()["errors"]["goals"] == ["目標を入力してください。"]
    r = _api(hr).post(
        "/api/v1/ojt-plans/",
        {"employee": ladder["b"].pk, "fiscal_year": plan.fiscal_year, "mentor": ladder["mentor"].pk, "goals": "g"},
    )
    assert r.status_code == 201 and r.json()["stage"] == "shugyo"
    review = {"half": 1, "progress": "順調", "experiences": ["operations"]}
    url = f"/api/v1/ojt-plans/{plan.pk}/reviews/"
    r = _api(ladder["other_user"]).post(url, review, format="json")
    assert r.status_code == 404  # another mentor does not even see the plan
    r = _api(hr).post(url, review, format="json")
    assert r.status_code == 403 and "OJT指導者（指導 先輩さん）だけ" in r.json()["detail"]
    r = _api(mentor).post(url, {**review, "experiences": ["nope"]}, format="json")
    assert r.status_code == 400 and "experiences" in r.json()["errors"]
    assert not OjtReview.objects.exists()
    assert _api(mentor).post(url, review, format="json").status_code == 201

    r = _api(mentor).post("/api/v1/promotions/", {"employee": ladder["a"].pk, "reasons": "推薦"})
    assert r.status_code == 201 and r.json()["to_stage_name"] == "修行中"
    pk = r.json()["id"]
    r = _api(mentor).post("/api/v1/promotions/", {"employee": ladder["a"].pk, "reasons": "推薦"})
    assert r.status_code == 409
    r = _api(mentor).post(f"/api/v1/promotions/{pk}/decide/", {"approve": True, "reasons": "ok"})
    assert r.status_code == 403
    r = _api(head).post(f"/api/v1/promotions/{pk}/decide/", {"approve": True, "reasons": "承認"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = _api(head).post(f"/api/v1/promotions/{pk}/decide/", {"approve": True, "reasons": "承認"})
    assert r.status_code == 409
    assert _api(people["users"][Role.LEADER]).get(f"/api/v1/promotions/{pk}/").status_code == 404
    assert [p["id"] for p in _api(hr).get("/api/v1/promotions/").json()["results"]] == [pk]
    assert Promotion.objects.get().stage_period.stage_code == "shugyo"


def test_top_stage_proposal_is_409(people, ladder, hr):
    from dxtalent.experts import services

    services.ojt_plan_save(
        employee=ladder["c"], fiscal_year=ladder["plan"].fiscal_year, mentor=ladder["mentor"], goals="g", by=hr
    )
    r = _api(ladder["mentor_user"]).post("/api/v1/promotions/", {"employee": ladder["c"].pk, "reasons": "x"})
    assert r.status_code == 409 and "最上位の段階（熟練者）" in r.json()["detail"]

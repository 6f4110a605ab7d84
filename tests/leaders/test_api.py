"""/api/v1/ nomination windows, quotas, nominations, decisions and cohorts: same rules, same error shapes."""

import datetime as dt

import pytest

from dxtalent.core.roles import Role
from dxtalent.leaders import selectors_cohorts as sel
from dxtalent.leaders import services
from dxtalent.leaders.models import Cohort, Nomination, NominationStatus
from tests.leaders.conftest import all_requirements, staff

pytestmark = pytest.mark.django_db
S = NominationStatus


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_windows_create_list_and_patch(client, pack, sec, liaison, today, next_fy):
    client.force_login(liaison)
    body = {"fiscal_year": next_fy, "opens_on": today.isoformat(), "closes_on": "R20.1.1"}
    assert post(client, "/api/v1/nomination-windows/", body).status_code == 403
    client.force_login(sec)
    response = post(client, "/api/v1/nomination-windows/", {**body, "closes_on": (today + dt.timedelta(9)).isoformat()})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "open" and data["target_size"] == pack.planned_cohort_for_year(next_fy)[2]
    assert [r["code"] for r in data["requirements"]] == [c for c, _ in pack.nomination_requirements]
    again = post(client, "/api/v1/nomination-windows/", {**body, "closes_on": today.isoformat()})
    assert again.status_code == 400 and "既にあります" in again.json()["errors"]["fiscal_year"][0]
    bad = post(client, "/api/v1/nomination-windows/", {"fiscal_year": next_fy + 1, "opens_on": "x"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) >= {"opens_on", "closes_on"}
    window_id = data["id"]
    response = patch(
        client, f"/api/v1/nomination-windows/{window_id}/", {"closes_on": (today + dt.timedelta(20)).isoformat()}
    )
    assert response.status_code == 200 and response.json()["closes_on"] == (today + dt.timedelta(20)).isoformat()
    client.force_login(liaison)
    assert [w["id"] for w in client.get("/api/v1/nomination-windows/").json()["results"]] == [window_id]
    assert client.get(f"/api/v1/nomination-windows/{window_id}/").status_code == 200
    assert client.get("/api/v1/nomination-windows/99999/").status_code == 404


def test_quotas_put_and_get(client, pack, sec, people, window):
    client.force_login(sec)
    higashi = people["units"]["higashi"].pk
    response = client.put(
        f"/api/v1/nomination-windows/{window.pk}/quotas/",
        {"quotas": [{"unit": higashi, "quota": 2}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = {r["unit"]["id"]: r for r in response.json()["rows"]}
    assert rows[higashi]["quota"] == 2 and rows[higashi]["suggested"] is not None
    assert sum(r["suggested"] for r in rows.values()) == response.json()["size"]
    bad = client.put(
        f"/api/v1/nomination-windows/{window.pk}/quotas/",
        {"quotas": [{"unit": higashi, "quota": -1}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "入力内容に誤りがあります。"


def test_nominate_edit_withdraw_via_api(client, pack, sec, liaison, people, window, today):
    client.force_login(liaison)
    person = people["higashi_staff"]
    body = {
        "window": window.pk,
        "employee": person.pk,
        "requirements": all_requirements(pack),
        "recommendation": "推薦",
    }
    response = post(client, "/api/v1/nominations/", body)
    assert response.status_code == 201, response.json()
    n = response.json()
    assert n["unit"]["name"] == "東区" and n["status"] == "submitted" and n["current_unit"].startswith("東区")
    # errors: duplicate (400 with the field), missing requirement (400), then the deadline (409)
    dup = post(client, "/api/v1/nominations/", body)
    assert dup.status_code == 400 and "既に推薦されています" in dup.json()["errors"]["employee"][0]
    other = {**body, "employee": people["higashi_other_ka"].pk, "requirements": {"ict_interest": True}}
    response = post(client, "/api/v1/nominations/", other)
    assert response.status_code == 400 and "未確認の要件" in response.json()["errors"]["requirements"][0]
    response = patch(client, f"/api/v1/nominations/{n['id']}/", {"recommendation": "書き直し"})
    assert response.status_code == 200 and response.json()["recommendation"] == "書き直し"
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), by=sec)
    response = patch(client, f"/api/v1/nominations/{n['id']}/", {"recommendation": "締切後"})
    assert response.status_code == 409 and "締切" in response.json()["detail"] and response.json()["errors"] == {}
    assert post(client, f"/api/v1/nominations/{n['id']}/withdraw/", {}).status_code == 409
    response = post(client, "/api/v1/nominations/", {**body, "employee": people["higashi_other_ka"].pk})
    assert response.status_code == 409


def test_decide_via_api_and_illegal_is_409(client, pack, sec, liaison, people, window):
    n = services.nomination_submit(
        window=window,
        employee=people["higashi_staff"],
        by=liaison,
        requirements=all_requirements(pack),
        recommendation="x",
    )
    client.force_login(sec)
    url = f"/api/v1/nominations/{n.pk}/decide/"
    response = post(client, url, {"decision": "reserve"})
    assert response.status_code == 400 and response.json()["errors"]["reason"] == [
        "「補欠」とする理由を入力してください。"
    ]
    assert post(client, url, {"decision": "maybe"}).status_code == 400
    response = post(client, url, {"decision": "declined", "reason": "今年度は見送り"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    response = post(client, url, {"decision": "selected"})
    assert response.status_code == 409
    assert response.json() == {"detail": "東 花子さんの推薦は「見送り」のため、「選定」にできません。", "errors": {}}
    client.force_login(liaison)
    assert post(client, url, {"decision": "selected"}).status_code == 403


def test_cohorts_via_api(client, pack, sec, liaison, people, window, today):
    people_ = staff(people["units"]["higashi_koseki"], 3)
    noms = [
        services.nomination_submit(
            window=window, employee=p, by=liaison, requirements=all_requirements(pack), recommendation="x"
        )
        for p in people_
    ]
    services.nominations_decide(nominations=noms[:2], decision=S.SELECTED, by=sec)
    services.nomination_decide(nomination=noms[2], decision=S.RESERVE, reason="補欠", by=sec)
    client.force_login(sec)
    early = post(client, "/api/v1/cohorts/", {"window": window.pk})
    assert early.status_code == 409 and "締切" in early.json()["detail"]
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), by=sec)
    response = post(client, "/api/v1/cohorts/", {"window": window.pk, "schedule": True, "place": "本庁舎"})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"] == pack.planned_cohort_for_year(window.fiscal_year)[0]
    assert len(data["members"]) == 2 and len(data["sessions"]) == pack.in_person_days
    assert data["curriculum_hours"] == f"{pack.curriculum_hours:.2f}"
    assert [p["code"] for p in data["phases"]] == [p.code for p in pack.required_phases]
    member = data["members"][0]
    assert (
        member["prerequisite"]["status"] in ("pending", "missing")
        and member["required_hours"] == data["curriculum_hours"]
    )
    assert post(client, "/api/v1/cohorts/", {"window": window.pk}).status_code == 409
    cohort_id = data["id"]
    response = post(client, f"/api/v1/cohorts/{cohort_id}/members/", {"nomination": noms[2].pk})
    assert response.status_code == 201 and len(response.json()["members"]) == 3
    assert Nomination.objects.get(pk=noms[2].pk).status == S.SELECTED
    listing = client.get("/api/v1/cohorts/").json()["results"]
    assert listing[0]["id"] == cohort_id and listing[0]["member_count"] == 3
    # re-schedule one phase through the API; a wrong count is 400 with the phase named
    cohort = Cohort.objects.get(pk=cohort_id)
    dates = sel.proposed_session_dates(pack, cohort.fiscal_year)
    response = post(
        client,
        f"/api/v1/cohorts/{cohort_id}/sessions/",
        {"dates": {"skills": [d.isoformat() for d in dates["skills"]]}},
    )
    assert response.status_code == 200 and len(response.json()["sessions"]) == pack.phase("skills").sessions
    response = post(
        client, f"/api/v1/cohorts/{cohort_id}/sessions/", {"dates": {"skills": [dates["skills"][0].isoformat()]}}
    )
    assert response.status_code == 400 and "skills" in response.json()["errors"]
    client.force_login(people["users"][Role.LIAISON])
    assert post(client, f"/api/v1/cohorts/{cohort_id}/sessions/", {"dates": {}}).status_code == 403


@pytest.mark.parametrize("size", [3, 12])
def test_nomination_list_query_count(client, pack, sec, liaison, people, window, size, django_assert_max_num_queries):
    for p in staff(people["units"]["higashi_koseki"], size):
        services.nomination_submit(
            window=window, employee=p, by=liaison, requirements=all_requirements(pack), recommendation="x"
        )
    client.force_login(sec)
    with django_assert_max_num_queries(16):
        response = client.get("/api/v1/nominations/")
    assert response.json()["count"] == size

"""Who sees and changes which nominations and cohort members: pages, exports and the API must agree."""

import datetime as dt

import pytest
from django.urls import reverse

from dxtalent.core.roles import Role
from dxtalent.leaders import services
from dxtalent.leaders.models import Nomination, NominationStatus
from tests.leaders.conftest import all_requirements

pytestmark = pytest.mark.django_db
S = NominationStatus


@pytest.fixture
def both(pack, liaison, kita_liaison, people, window):
    """One nomination from 東区 (higashi_staff) and one from 北区 (kita_staff)."""

    def nominate(person, by):
        return services.nomination_submit(
            window=window, employee=person, by=by, requirements=all_requirements(pack), recommendation="推薦理由です"
        )

    return nominate(people["higashi_staff"], liaison), nominate(people["kita_staff"], kita_liaison)


def test_liaison_cannot_nominate_another_kyoku_ku(client, pack, liaison, people, window):
    client.force_login(liaison)
    kita = people["kita_staff"]
    data = {"number": kita.number, "recommendation": "x", **{f"req_{c}": "on" for c, _ in pack.nomination_requirements}}
    body = client.post(reverse("leaders:nomination_create", args=[window.pk]), data).content.decode()
    assert "担当の局区（東区）にいません" in body
    response = client.post(
        "/api/v1/nominations/",
        {"window": window.pk, "employee": kita.pk, "requirements": all_requirements(pack), "recommendation": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["employee"] == ["この職員は担当の局区にいないか、存在しません。"]
    assert not Nomination.objects.exists()


def test_liaison_sees_only_own_kyoku_ku_everywhere(client, liaison, people, window, both):
    higashi, kita = both
    client.force_login(liaison)
    # pages
    body = client.get(reverse("leaders:window_detail", args=[window.pk])).content.decode()
    assert people["higashi_staff"].name in body and people["kita_staff"].name not in body
    assert "北区" not in body.split('id="quota-title"')[1].split("</section>")[0]  # only own 局区's quota row
    body = client.get(reverse("leaders:window_list")).content.decode()
    assert '<td class="num">1</td>' in body  # counts only 東区's nomination
    # export
    export = client.get(reverse("leaders:nomination_export", args=[window.pk, "csv"])).content.decode("utf-8-sig")
    assert people["higashi_staff"].number in export and people["kita_staff"].number not in export
    # API list and detail
    rows = client.get("/api/v1/nominations/").json()["results"]
    assert [r["id"] for r in rows] == [higashi.pk]
    assert client.get(f"/api/v1/nominations/{kita.pk}/").status_code == 404
    quota_rows = client.get(f"/api/v1/nomination-windows/{window.pk}/quotas/").json()["rows"]
    assert [r["unit"]["name"] for r in quota_rows] == ["東区"] and quota_rows[0]["suggested"] is None


def test_liaison_cannot_edit_another_kyoku_ku(client, pack, liaison, window, both):
    _higashi, kita = both
    client.force_login(liaison)
    assert client.get(reverse("leaders:nomination_edit", args=[kita.pk])).status_code == 404
    assert client.post(reverse("leaders:nomination_edit", args=[kita.pk]), {"recommendation": "x"}).status_code == 404
    assert client.post(reverse("leaders:nomination_withdraw", args=[kita.pk])).status_code == 404
    response = client.patch(
        f"/api/v1/nominations/{kita.pk}/", {"recommendation": "書き換え"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert client.post(f"/api/v1/nominations/{kita.pk}/withdraw/").status_code == 404
    kita.refresh_from_db()
    assert kita.recommendation == "推薦理由です" and kita.status == S.SUBMITTED


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.LEADER, Role.SYSADMIN])
def test_other_roles_see_nothing_of_nominations(client, people, window, both, role):
    higashi, _ = both
    client.force_login(people["users"][role])
    for url in (
        reverse("leaders:window_list"),
        reverse("leaders:window_detail", args=[window.pk]),
        reverse("leaders:nomination_export", args=[window.pk, "xlsx"]),
        reverse("leaders:nomination_create", args=[window.pk]),
        reverse("leaders:nomination_edit", args=[higashi.pk]),
        reverse("leaders:selection"),
        "/api/v1/nominations/",
        f"/api/v1/nominations/{higashi.pk}/",
        "/api/v1/nomination-windows/",
        f"/api/v1/nomination-windows/{window.pk}/quotas/",
    ):
        assert client.get(url).status_code == 403, url
    body = client.get(reverse("leaders:home")).content.decode()
    assert "推薦の一覧を開く" not in body and "推薦中 " not in body and "担当局区から推薦した職員" not in body


def test_employee_home_shows_no_nominations(client, people, window, both):
    client.force_login(people["users"][Role.EMPLOYEE])  # 東 花子, who is nominated
    body = client.get(reverse("leaders:home")).content.decode()
    assert "推薦中" not in body and "推薦した職員" not in body and "推薦の一覧を開く" not in body


def test_hr_sees_all_but_cannot_decide(client, people, window, both):
    higashi, kita = both
    client.force_login(people["users"][Role.HR])
    assert {r["id"] for r in client.get("/api/v1/nominations/").json()["results"]} == {higashi.pk, kita.pk}
    response = client.post(
        f"/api/v1/nominations/{higashi.pk}/decide/", {"decision": "selected"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.get(reverse("leaders:selection")).status_code == 403


def test_liaison_sees_only_own_members_of_a_cohort(client, pack, sec, liaison, people, window, both, today):
    services.nominations_decide(nominations=list(both), decision=S.SELECTED, by=sec)
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), by=sec)
    cohort = services.cohort_form(window=window, by=sec)
    client.force_login(liaison)
    body = client.get(reverse("leaders:cohort_detail", args=[cohort.pk])).content.decode()
    assert people["higashi_staff"].name in body and people["kita_staff"].name not in body
    assert "全2名のうち、閲覧できる研修生" in body
    export = client.get(reverse("leaders:cohort_export", args=[cohort.pk, "csv"])).content.decode("utf-8-sig")
    assert people["kita_staff"].number not in export
    data = client.get(f"/api/v1/cohorts/{cohort.pk}/").json()
    assert [m["employee"]["name"] for m in data["members"]] == [people["higashi_staff"].name]
    assert data["hidden_members"] == 1
    # a liaison cannot schedule or add members
    assert client.get(reverse("leaders:cohort_schedule", args=[cohort.pk])).status_code == 403
    client.force_login(people["users"][Role.EMPLOYEE])
    assert client.get(reverse("leaders:cohort_detail", args=[cohort.pk])).status_code == 403
    assert client.get(f"/api/v1/cohorts/{cohort.pk}/").status_code == 403

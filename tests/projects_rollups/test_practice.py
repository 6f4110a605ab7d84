"""The practice-year page: each certified leader's practice project status, scoped by who may see whom."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.org.selectors import reset_snapshots
from dxtalent.projects.selectors.practice import PracticeStatus, practice_leaders
from tests.projects_rollups.conftest import FY, P, add_leader, at, base_city

S = PracticeStatus


def statuses(data) -> dict:
    return {r.employee.name: r.status for r in data["rows"]}


def test_practice_statuses_of_the_practice_year(rollup_city):
    secretariat = rollup_city.desk
    data = practice_leaders(user=secretariat, year=P)
    # 第1期 (trained P−1): L1 A1 step 3 → 開始; L2 D3 done; L3 A3 step 4 → 導入; L5 D5 done (transferred);
    # L6 no project; L7 C1 cancelled → 未着手
    assert statuses(data) == {
        "リーダー L1": S.STARTED,
        "リーダー L2": S.VERIFIED,
        "リーダー L3": S.INTRODUCED,
        "リーダー L5": S.VERIFIED,
        "リーダー L6": S.NOT_STARTED,
        "リーダー L7": S.NOT_STARTED,
    }
    assert {c["status"]: c["leaders"] for c in data["counts"]} == {
        "not_started": 2,
        "started": 1,
        "introduced": 1,
        "verified": 2,
    }
    rows = {r.employee.name: r for r in data["rows"]}
    assert rows["リーダー L7"].cancelled and not rows["リーダー L6"].cancelled
    assert rows["リーダー L2"].verified_hours == -2 and rows["リーダー L5"].verified_hours == 8
    assert data["verified_hours"] == 6
    assert (
        rows["リーダー L1"].project == rollup_city.projects["A1"]
        and rows["リーダー L1"].step_name == "解決策の試行・検証"
    )
    # the transferred leader is listed where they sit now, their project stays the 東区 one
    assert rows["リーダー L5"].top == "北区" and rows["リーダー L5"].project.unit == rollup_city.units["hk"]
    # 第2期 practises this year: L4's P project was not its practice project
    assert statuses(practice_leaders(user=secretariat, year=FY)) == {"リーダー L4": S.NOT_STARTED}
    assert practice_leaders(user=secretariat, year=P - 1)["rows"] == []


def test_liaison_sees_only_leaders_in_their_ku(rollup_city):
    liaison = rollup_city.people["users"][Role.LIAISON]  # 東区
    names = set(statuses(practice_leaders(user=liaison, year=P)))
    assert names == {"リーダー L1", "リーダー L6"}  # L5 moved to 北区


def test_practice_page_and_export(client, rollup_city):
    client.force_login(rollup_city.desk)
    response = client.get("/projects/practice/", {"fiscal_year": P})
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("リーダー L1", "効果検証済み", "導入", "未着手", "（中止）", rollup_city.projects["A1"].title):
        assert text in body
    assert f'href="/projects/{rollup_city.projects["A1"].pk}/"' in body
    response = client.get("/projects/practice/export/", {"fiscal_year": P, "fmt": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "リーダー L7" in text and "未着手（中止）" in text and "-2.00" in text
    log = ExportLog.objects.get()
    assert log.kind == "実践年度のリーダー" and log.row_count == 6 and log.filters["fiscal_year"] == P
    assert client.get("/projects/practice/export/", {"fmt": "pdf"}).status_code == 404


def test_practice_page_bad_year_falls_back_to_this_year(client, rollup_city):
    client.force_login(rollup_city.desk)
    response = client.get("/projects/practice/", {"fiscal_year": "そのうち"})
    assert response.status_code == 200 and "リーダー L4" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_practice_page_permissions(client, people, role):
    client.force_login(people["users"][role])
    allowed = role in (Role.SECRETARIAT, Role.HR, Role.LIAISON)
    assert client.get("/projects/practice/").status_code == (200 if allowed else 403)
    assert client.get("/api/v1/practice-leaders/").status_code == (200 if allowed else 403)


def test_practice_query_count_is_constant(people):
    city = base_city(people)

    def count() -> int:
        reset_snapshots(shared=True)
        user = type(city.desk).objects.get(pk=city.desk.pk)  # a new request: nothing cached on the user
        with CaptureQueriesContext(connection) as ctx:
            practice_leaders(user=user, year=P)
        return len(ctx.captured_queries)

    city.create("A", "hk", "L1", at(P, 5, 1))
    few = count()
    city.create("B", "kk", "L2", at(P, 6, 1))
    city.create("C", "kk", "L7", at(P, 6, 2))
    for i in range(20):
        add_leader(city, f"N{i}", ("hk", "kk", "sj", "hh")[i % 4], "c1")
    many = count()
    assert len(practice_leaders(user=city.desk, year=P)["rows"]) == 26  # 第1期: L1 L2 L3 L5 L6 L7 + 20
    assert many == few, (few, many)

"""Roll-ups against HAND-COMPUTED sums on the fixture city (see conftest.py for every figure)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxtalent.org import services as org_services
from dxtalent.org.selectors import reset_snapshots
from dxtalent.policy.selectors import current_pack
from dxtalent.projects import services
from dxtalent.projects.selectors.rollups import RollupFilter, project_rollups
from tests.projects_rollups.conftest import FY, P, at, base_city, on

D = Decimal


def saving(row) -> tuple:
    return row["verified_hours"], row["verified_projects"], row["planned_hours"], row["planned_projects"]


def by_name(rows, key="name") -> dict:
    return {r[key]: saving(r) for r in rows}


def rollups(**kw):
    return project_rollups(RollupFilter(**kw), current_pack())


def test_hours_saved_all_years(rollup_city):
    k = rollups()
    # verified: D1 10 + D2 2.5 + D5 8 (東区) | D3 −2 + D6 3 (北区) | D4 17.75 (総務局); planned: A1 6 | A2 −2 | A3 10
    assert saving(k["total"]) == (D("39.25"), 6, D("14.00"), 3)
    assert by_name(k["by_top"]) == {
        "東区": (D("20.50"), 3, D("6.00"), 1),
        "北区": (D("1.00"), 2, D("-2.00"), 1),
        "総務局": (D("17.75"), 1, D("10.00"), 1),
    }
    assert {(r["top_name"], r["name"]): saving(r) for r in k["by_bu"]} == {
        ("東区", "市民部"): (D("20.50"), 3, D("6.00"), 1),
        ("北区", "市民部"): (D("1.00"), 2, D("-2.00"), 1),
        ("総務局", "職員部"): (D("17.75"), 1, D("10.00"), 1),
    }
    # 第1期: D1 10 + D3 −2 + D4 17.75 + D5 8 + D6 3; A1 6 + A2 −2 + A3 10. 第2期: D2 2.5. A4 has no leader, no hours.
    assert by_name(k["by_cohort"], "label") == {
        "第1期": (D("36.75"), 5, D("14.00"), 3),
        "第2期": (D("2.50"), 1, D("0.00"), 0),
    }
    assert [(r["fiscal_year"], r["label"][:2], *saving(r)) for r in k["by_year"]] == [
        (P, "令和", D("36.25"), 5, D("14.00"), 3),
        (P - 1, "令和", D("3.00"), 1, D("0.00"), 0),
    ]


def test_negative_saving_is_counted_negative_not_hidden(rollup_city):
    k = rollups(fiscal_year=P)
    kita = next(r for r in k["by_top"] if r["name"] == "北区")
    assert kita["verified_hours"] == D("-2.00") and kita["verified_projects"] == 1  # D3 only (D6 is P−1)
    assert kita["planned_hours"] == D("-2.00")  # A2: 7 → 9 h/month


def test_cancelled_project_counts_nowhere_but_in_cancelled(rollup_city):
    k = rollups()
    assert all(r["planned_hours"] < 100 for r in k["by_top"])
    assert {r["key"]: r["projects"] for r in k["by_step"]}["cancelled"] == 1


def test_fiscal_year_filter(rollup_city):
    k = rollups(fiscal_year=P)
    assert k["fiscal_year_label"].endswith("年度")
    assert saving(k["total"]) == (D("36.25"), 5, D("14.00"), 3)
    assert by_name(k["by_top"])["北区"] == (D("-2.00"), 1, D("-2.00"), 1)
    # the by-year table always shows every year
    assert [r["fiscal_year"] for r in k["by_year"]] == [P, P - 1]
    earlier = rollups(fiscal_year=P - 1)
    assert saving(earlier["total"]) == (D("3.00"), 1, D("0.00"), 0)
    assert {r["key"]: r["projects"] for r in earlier["by_step"]} == {
        "step1": 0,
        "step2": 0,
        "step3": 0,
        "step4": 0,
        "done": 1,
        "cancelled": 0,
    }
    assert rollups(fiscal_year=FY + 1)["total"]["verified_projects"] == 0


def test_transferred_leader_saving_stays_with_the_project_unit_and_cohort(rollup_city):
    """L5 moved from 東区 to 北区 between steps 2 and 3 of D5: D5's 8 h stays with 東区 市民部 and 第1期."""
    d5 = rollup_city.projects["D5"]
    assert d5.saving_hours == D("8.00") and d5.unit == rollup_city.units["hk"]
    leader = rollup_city.leaders["L5"]
    assert leader.assignments.get(valid_to__isnull=True).unit == rollup_city.units["kk"]  # now in 北区
    for day in (on(P, 8, 1), on(P, 12, 1), timezone.localdate()):  # before and after the transfer
        reset_snapshots()
        k = rollups(as_of=day)
        assert by_name(k["by_top"])["東区"][:2] == (D("20.50"), 3)
        assert by_name(k["by_top"])["北区"][:2] == (D("1.00"), 2)
        assert by_name(k["by_cohort"], "label")["第1期"][:2] == (D("36.75"), 5)


def test_org_mapping_follows_the_as_of_date(rollup_city):
    """保険年金課 moves from 東区 市民部 to 北区 市民部 on P-12-01: D2's 2.5 h follows the chosen date's chart."""
    units = rollup_city.people["units"]
    org_services.orgunit_revise(
        unit=units["higashi_hoken"], name="保険年金課", parent=units["kita_shimin"], on=on(P, 12, 1)
    )
    reset_snapshots(shared=True)
    before = rollups(as_of=on(P, 11, 30))
    assert by_name(before["by_top"])["東区"][:2] == (D("20.50"), 3)
    reset_snapshots(shared=True)
    after = rollups(as_of=timezone.localdate())
    assert by_name(after["by_top"])["東区"][:2] == (D("18.00"), 2)
    assert by_name(after["by_top"])["北区"][:2] == (D("3.50"), 3)


def test_projects_by_step(rollup_city):
    k = rollups()
    assert [(r["key"], r["projects"]) for r in k["by_step"]] == [
        ("step1", 1),  # A4
        ("step2", 1),  # A2
        ("step3", 1),  # A1
        ("step4", 1),  # A3
        ("done", 6),
        ("cancelled", 1),  # C1
    ]
    assert k["by_step"][0]["label"] == "1. 問題点の共有"  # the pack's step name


def test_average_days_per_step_from_back_dated_events(rollup_city):
    every = {r["step"]: (r["completed"], r["average_days"]) for r in rollups()["step_days"]}
    # step 1: 5 10 2 4 1 5 3 7 2 (P) + 10 (P−1) = 49 / 10; step 2: 30 30 10 20 10 20 30 + 30 = 180 / 8;
    # step 3: 30 20 20 30 10 40 + 30 = 180 / 7; step 4: 10 20 10 10 20 + 30 = 100 / 6
    assert every == {1: (10, 4.9), 2: (8, 22.5), 3: (7, 25.7), 4: (6, 16.7)}
    in_p = {r["step"]: (r["completed"], r["average_days"]) for r in rollups(fiscal_year=P)["step_days"]}
    assert in_p == {1: (9, 4.3), 2: (7, 21.4), 3: (6, 25.0), 4: (5, 14.0)}


def test_sent_back_time_is_not_a_completion(rollup_city):
    """A send-back logs its days too, but only completions are averaged."""
    a1 = rollup_city.projects["A1"]  # step 3 since P-05-15
    services.project_send_back(project=a1, by=rollup_city.users["L1"], to_step=2, reason="再検討", at=at(P, 6, 14))
    assert {r["step"]: r["completed"] for r in rollups()["step_days"]}[3] == 7


def test_consultations_by_kind_with_resolution_days(rollup_city):
    rows = {r["kind"]: r for r in rollups()["consultations"]}
    assert [r for r in rows] == ["technical", "accompany", "budget", "poc", "other"]  # the pack's order
    t, a, b = rows["technical"], rows["accompany"], rows["budget"]
    assert (t["consultations"], t["open"], t["resolved"], t["out_of_scope"]) == (3, 1, 2, 0)
    assert t["average_resolution_days"] == 2.5  # (3 + 2) / 2
    assert (a["consultations"], a["open"], a["resolved"], a["out_of_scope"]) == (2, 1, 0, 1)
    assert a["average_resolution_days"] is None  # 対象外 is not a resolution
    assert (b["consultations"], b["resolved"], b["average_resolution_days"]) == (1, 1, 10.0)
    assert rows["poc"]["consultations"] == 0 and rows["technical"]["label"] == "技術的支援"
    in_p = {r["kind"]: r["consultations"] for r in rollups(fiscal_year=P)["consultations"]}
    assert in_p["budget"] == 0 and in_p["technical"] == 3


def test_most_adopted_cases(rollup_city):
    c = rollup_city
    desk = c.desk
    case1 = services.case_publish(project=c.projects["D1"], by=desk, at=at(P, 7, 1))
    case2 = services.case_publish(project=c.projects["D4"], by=desk, at=at(P, 8, 1))
    services.case_publish(project=c.projects["D3"], by=desk, at=at(P, 8, 1))  # never adopted: not listed
    x1 = services.case_adopt(case=case1, by=c.managers["kk"], unit=c.units["kk"], at=at(P, 10, 1))
    services.case_adopt(case=case1, by=c.managers["sj"], unit=c.units["sj"], at=at(P, 10, 1))
    x3 = services.case_adopt(case=case1, by=c.managers["hh"], unit=c.units["hh"], at=at(P, 10, 1))
    services.project_cancel(project=x3, by=c.managers["hh"], reason="見送り", at=at(P, 10, 5))
    services.case_adopt(case=case2, by=c.managers["kk"], unit=c.units["kk"], at=at(P, 10, 2))
    # x1 runs to the end: 9 → 4 h/month
    services.project_update(project=x1, by=c.managers["kk"], at=at(P, 10, 1), leader=c.leaders["L2"])
    x1 = c.step1(x1, at(P, 10, 2))
    x1 = c.step2(x1, at(P, 10, 10), baseline=9, planned_after=4)
    x1 = c.step3(x1, at(P, 11, 10))
    c.step4(x1, at(P, 12, 1), baseline=9, after=4, verified_on=on(P, 11, 30))

    rows = rollups()["most_adopted"]
    assert [(r["title"], r["adopting_units"], r["adoptions"], r["adoptions_verified"]) for r in rows] == [
        (case1.title, 2, 2, 1),  # 北区 and 総務局 (保険年金課 cancelled)
        (case2.title, 1, 1, 0),
    ]
    assert rows[0]["adopted_verified_hours"] == D("5.00") and rows[0]["case_verified_hours"] == D("10.00")
    assert rows[1]["adopted_verified_hours"] == D("0.00") and rows[1]["case_verified_hours"] == D("17.75")
    assert rows[0]["work_category_label"] == "照会・問合せ対応"
    # a withdrawn case leaves the list; adoptions in another year do not count in that year
    services.case_withdraw(case=case2, by=desk)
    assert [r["title"] for r in rollups()["most_adopted"]] == [case1.title]
    assert rollups(fiscal_year=P - 1)["most_adopted"] == []


def test_no_pack_still_adds_up(rollup_city):
    k = project_rollups(RollupFilter(), None)
    assert saving(k["total"]) == (D("39.25"), 6, D("14.00"), 3)
    assert k["by_step"][0]["label"] == "1. ステップ1"
    assert {r["kind"] for r in k["consultations"]} == {"technical", "accompany", "budget"}


def _count_queries(**kw) -> int:
    reset_snapshots(shared=True)
    with CaptureQueriesContext(connection) as ctx:
        rollups(**kw)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("filters", [{}, {"fiscal_year": P}])
def test_query_count_is_constant_3_vs_30_projects(people, filters):
    city = base_city(people)
    keys = ["hk", "hh", "kk", "sj"]
    leaders = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]

    def add(n: int) -> None:
        start = len(city.projects)
        for i in range(start, start + n):
            when = at(P, 4 + i % 9, 1 + i % 20)
            unit_key = keys[i % 4]
            if i % 5 == 0:  # some run to the end, with events and savings
                city.drive(
                    f"Q{i}", unit_key, leaders[i % 7], [when + dt.timedelta(days=d) for d in (0, 2, 9, 20, 31)],
                    baseline=10 + i, after=i % 7, verified_on=(when + dt.timedelta(days=30)).date(),
                )  # fmt: skip
            else:
                city.create(f"Q{i}", unit_key, leaders[i % 7], when)
            if i % 3 == 0:
                services.consultation_open(
                    by=city.users["L1"], title=f"相談{i}", kind="technical", description="内容", at=when
                )

    add(3)
    few = _count_queries(**filters)
    add(27)
    assert len(city.projects) == 30
    many = _count_queries(**filters)
    assert many == few, (few, many)
    assert many <= 12

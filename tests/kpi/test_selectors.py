"""KPI numbers against hand-computed values on a small fixture (see conftest.small_programme)."""

import datetime as dt

import pytest

from dxtalent.kpi.selectors import programme_kpis, programme_overview
from dxtalent.policy.services import policy_pack_load
from tests.kpi import builders as b

R10_JUNE = dt.date(2028, 6, 1)


def _years(k):
    return {y["fiscal_year"]: (y["certified"], y["cumulative"], y["target"], y["status"]) for y in k["years"]}


def test_cumulative_certified_per_year_against_the_pack(small_programme):
    k = programme_kpis(R10_JUNE)
    assert k["fiscal_year_label"] == "令和10年度"
    assert _years(k) == {
        2026: (3, 3, 35, "not_met"),
        2027: (2, 5, 70, "not_met"),
        2028: (0, 5, 105, "in_progress"),
        2029: (None, None, 140, "planned"),
        2030: (None, None, 175, "planned"),
        2031: (None, None, 210, "planned"),
    }
    assert [y["label"] for y in k["years"]][:2] == ["令和8年度", "令和9年度"]
    assert k["certified_total"] == 5 and k["current_target"] == 105 and k["current_gap"] == 100
    assert k["chart"]["cumulative"] == [3, 5, 5, None, None, None]
    assert k["chart"]["targets"] == [35, 70, 105, 140, 175, 210]


def test_certifications_after_the_day_do_not_count(small_programme):
    k = programme_kpis(dt.date(2027, 3, 19))  # the day before 第1期 was certified
    assert k["certified_total"] == 0
    assert _years(k)[2026] == (0, 0, 35, "in_progress")
    k = programme_kpis(dt.date(2027, 3, 20))
    assert _years(k)[2026] == (3, 3, 35, "in_progress")


def test_milestones(small_programme):
    k = programme_kpis(R10_JUNE)
    r10, r13 = k["milestones"]
    assert (r10["code"], r10["leaders"], r10["target"], r10["status"]) == ("r10", 5, 105, "in_progress")
    assert r10["gap_text"] == "あと100名" and r10["bu_short"] is None
    assert (r13["code"], r13["leaders"], r13["bu_total"], r13["bu_short"]) == ("r13", 5, 5, 3)
    assert r13["status"] == "in_progress"
    assert r13["gap_text"] == "あと205名、リーダーのいない部があと3部"
    # after the R10 deadline the milestone is judged on the deadline and stays not met
    later = programme_kpis(dt.date(2029, 4, 1))["milestones"][0]
    assert (later["status"], later["checked_on"], later["leaders"]) == ("not_met", dt.date(2029, 3, 31), 5)


def test_funnel_per_cohort(small_programme):
    rows = {r["cohort"]: r for r in programme_kpis(R10_JUNE)["funnel"]}
    got = {n: (r["nominated"], r["selected"], r["completed"], r["certified"], r["withdrawn"]) for n, r in rows.items()}
    assert got == {
        1: (5, 4, 3, 3, 1),
        2: (3, 3, 3, 2, 0),
        3: (0, 2, 0, 0, 0),
        4: (0, 0, 0, 0, 0),
        5: (0, 0, 0, 0, 0),
        6: (0, 0, 0, 0, 0),
    }
    assert [rows[n]["formed"] for n in range(1, 7)] == [True, True, True, False, False, False]
    assert rows[1]["label"] == "第1期" and rows[1]["fiscal_year_label"] == "令和8年度"
    assert rows[1]["size_note"] == "計画まで31名不足" and rows[4]["size_note"] == ""


def test_coverage_and_leaders_per_unit(small_programme):
    c = programme_kpis(R10_JUNE)["coverage"]
    assert (c["bu_total"], c["bu_covered"], c["bu_uncovered"], c["active_leaders"]) == (5, 2, 3, 4)
    assert c["ratio"] == 0.4 and c["ratio_text"] == "40.0%"
    by_unit = {u["name"]: u for u in c["by_unit"]}
    assert [u["name"] for u in c["by_unit"]] == ["総務局", "東区"]  # tree order (sort order, then code)
    assert (by_unit["東区"]["bu_total"], by_unit["東区"]["bu_covered"], by_unit["東区"]["leaders"]) == (3, 1, 3)
    assert (by_unit["総務局"]["bu_total"], by_unit["総務局"]["bu_covered"], by_unit["総務局"]["leaders"]) == (2, 1, 1)
    assert [u["name"] for u in by_unit["東区"]["uncovered"]] == ["保健福祉部", "地域振興部"]
    assert [u["name"] for u in by_unit["総務局"]["uncovered"]] == ["行政部"]


@pytest.mark.parametrize(
    ("day", "covered", "leaders"),
    [
        (dt.date(2027, 3, 19), 0, 0),
        (dt.date(2027, 3, 20), 2, 3),  # 第1期 certified: leaders from that day
        (dt.date(2028, 3, 20), 3, 5),  # 第2期 joins: 保健福祉部 covered too
        (dt.date(2028, 5, 31), 3, 5),
        (dt.date(2028, 6, 1), 2, 4),  # the 保健福祉部 leader's role ended
    ],
)
def test_coverage_follows_the_day(small_programme, day, covered, leaders):
    c = programme_kpis(day)["coverage"]
    assert (c["bu_covered"], c["active_leaders"]) == (covered, leaders)


def test_a_transferred_leader_covers_the_new_bu_from_the_transfer_day(small_programme):
    from dxtalent.leaders.models import LeaderRole
    from dxtalent.org import services

    o = small_programme["org"]
    leader = LeaderRole.objects.filter(employee__assignments__unit=o["ka"]["職員部"]).get().employee
    services.employee_transfer(
        employee=leader,
        unit=o["ka"]["行政部"],
        position=leader.assignments.get().position,
        on=dt.date(2029, 4, 1),
    )
    before = programme_kpis(dt.date(2029, 3, 31))["coverage"]
    after = programme_kpis(dt.date(2029, 4, 1))["coverage"]
    somu = lambda c: next(u for u in c["by_unit"] if u["name"] == "総務局")  # noqa: E731
    assert [u["name"] for u in somu(before)["uncovered"]] == ["行政部"]
    assert [u["name"] for u in somu(after)["uncovered"]] == ["職員部"]
    assert before["bu_covered"] == after["bu_covered"] == 2


def test_targets_and_milestones_come_from_the_pack(small_programme, tmp_path):
    """A pack with small targets: the same data now meets some of them."""

    def tiny(leaders):
        leaders["targets"]["cumulative"] = [
            {"fiscal_year": 2026, "leaders": 3},
            {"fiscal_year": 2027, "leaders": 6},
            {"fiscal_year": 2028, "leaders": 8},
        ]
        leaders["targets"]["milestones"] = [
            {"code": "early", "fiscal_year": 2027, "leaders": 5, "label": "令和9年度までに5名"},
            {"code": "all", "fiscal_year": 2028, "leaders": 5, "label": "全部に1名", "min_leaders_per_bu": 1},
        ]

    folder = b.changed_pack(tmp_path, tiny, version="2.0")
    text = (folder / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(text.replace("effective_from: 2026-04-01", "effective_from: 2028-04-01"))
    policy_pack_load(directory=folder)
    k = programme_kpis(R10_JUNE)
    assert k["pack"]["version"] == "2.0"
    assert _years(k) == {2026: (3, 3, 3, "met"), 2027: (2, 5, 6, "not_met"), 2028: (0, 5, 8, "in_progress")}
    early, every_bu = k["milestones"]
    assert (early["status"], early["leaders"], early["gap_text"]) == ("met", 5, "")
    assert (every_bu["status"], every_bu["bu_short"]) == ("in_progress", 3)
    after = programme_kpis(dt.date(2029, 4, 1))["milestones"][1]
    assert (after["status"], after["bu_short"], after["checked_on"]) == ("not_met", 3, dt.date(2029, 3, 31))
    # before the new version applies, the old one's targets are in force
    assert programme_kpis(dt.date(2028, 3, 31))["pack"]["version"] == "1.0"


def test_overview_objects_match_the_dict(small_programme):
    o = programme_overview(R10_JUNE)
    assert o.certified_total == 5 and o.coverage.bu_covered == 2
    assert o.years[0].label == "令和8年度"


def test_no_data_yet(sapporo_pack):
    k = programme_kpis(dt.date(2026, 11, 26))
    assert k["certified_total"] == 0
    assert _years(k)[2026] == (0, 0, 35, "in_progress")
    assert k["coverage"]["bu_total"] == 0 and k["coverage"]["ratio"] == 0
    assert [m["status"] for m in k["milestones"]] == ["in_progress", "in_progress"]

"""A simulated six-year run (R8–R13) driven through the services reproduces the pack's cumulative targets
(35/70/105/140/175/210 for Sapporo) and the R10 / R13 milestone checks; with a changed pack the numbers follow.

Every year, as the secretariat and the 局区 liaisons would: open the nomination window, each liaison nominates
their people, the secretariat selects them and forms the cohort (which schedules the pack's sessions), the
e-learning prerequisite comes in through the vendor's completion file (import_elearning), attendance is taken
at every session, practice groups are proposed and saved, each group's 成果発表 is evaluated, and the whole
cohort is certified in March. "Today" moves through the years
(timezone.localdate is patched): the services check windows and dates against it.

Only the staff are written in bulk (they are not what is simulated): one person per nomination, placed over a
small org of 3 局区 × 2 部. The last 部 gets its first people only in the last cohort, so "≥1 leader in every 部"
is met only at the end of R13.
"""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year_bounds
from dxtalent.kpi.selectors import programme_kpis
from dxtalent.leaders import services as leaders
from dxtalent.leaders.models import Certification, CohortMember, MemberStatus, NominationStatus
from dxtalent.org.models import Assignment, Employee, OrgKind
from dxtalent.org.selectors import reset_snapshots
from dxtalent.org.services import employee_search_fields
from dxtalent.policy.selectors import pack_of
from dxtalent.policy.services import policy_pack_load
from dxtalent.training import services as training
from dxtalent.training.imports import import_elearning
from dxtalent.training.models import Enrollment, Session
from tests import factories as f
from tests.kpi import builders as b

SAPPORO_CUMULATIVE = [35, 70, 105, 140, 175, 210]  # the policy's table, to check the pack says the same


class Clock:
    """What timezone.localdate() answers while the simulation runs."""

    def __init__(self):
        self.day: dt.date | None = None

    def set(self, day: dt.date) -> None:
        self.day = day
        reset_snapshots()


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return c.day if value is None and c.day is not None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return c


def _smaller(leaders: dict) -> None:
    """Cohorts of 20 and targets to match (20/40/…/120), milestones at R10 and R13 scaled the same way."""
    leaders["cohort_plan"]["cohort_size"] = 20
    leaders["targets"]["cumulative"] = [{"fiscal_year": 2026 + i, "leaders": 20 * (i + 1)} for i in range(6)]
    leaders["targets"]["milestones"] = [
        {"code": "r10", "fiscal_year": 2028, "leaders": 60, "label": "令和10年度までに計60名"},
        {
            "code": "r13",
            "fiscal_year": 2031,
            "leaders": 120,
            "min_leaders_per_bu": 1,
            "label": "令和13年度までに計120名",
        },
    ]


def _staff(units: list, count: int, seq) -> list[Employee]:
    """`count` people placed round-robin over `units` (課), written in bulk."""
    job, pos = f.job_type(), f.position()
    people = []
    for _ in range(count):
        n = next(seq)
        number, name, kana = f"S{n:05d}", f"研修 {n:04d}", f"ケンシュウ {n:04d}"
        people.append(
            Employee(
                number=number,
                name=name,
                name_kana=kana,
                job_type=job,
                hire_date=f.START,
                **employee_search_fields(number=number, name=name, name_kana=kana),
            )
        )
    people = Employee.objects.bulk_create(people)
    Assignment.objects.bulk_create(
        Assignment(employee=e, unit=units[i % len(units)], position=pos, valid_from=f.START)
        for i, e in enumerate(people)
    )
    return people


def _session_dates(pack, fiscal_year: int) -> dict[str, list[dt.date]]:
    """One date per in-person session of each required phase, inside the phase's months (from the pack)."""
    out = {}
    for phase in pack.required_phases:
        if not phase.in_person or not phase.sessions:
            continue
        days = []
        for i in range(phase.sessions):
            month = phase.months[i % len(phase.months)]
            year = fiscal_year if month >= 4 else fiscal_year + 1
            days.append(dt.date(year, month, 5 + 7 * (i // len(phase.months)) + i % 3))
        out[phase.code] = days
    return out


def _run_year(pack, number: int, fiscal_year: int, size: int, people, liaison_of, sec, clock) -> None:
    start, end = fiscal_year_bounds(fiscal_year)
    # 推薦受付 (April), each 局区's liaison nominates their people
    clock.set(start)
    window = leaders.nomination_window_open(
        fiscal_year=fiscal_year, opens_on=start, closes_on=start + dt.timedelta(days=29), by=sec
    )
    requirements = {code: True for code, _label in pack.nomination_requirements}
    nominations = [
        leaders.nomination_submit(
            window=window, employee=e, by=liaison_of[e.pk], requirements=requirements, recommendation="業務改善に意欲"
        )
        for e in people
    ]
    # 選定 and 第N期 (May, after the deadline), sessions scheduled from the pack
    clock.set(start + dt.timedelta(days=40))
    leaders.nominations_decide(nominations=nominations, decision=NominationStatus.SELECTED, by=sec)
    cohort = leaders.cohort_form(window=window, by=sec, start_dates=_session_dates(pack, fiscal_year))
    assert (cohort.number, cohort.target_size) == (number, size)
    members = list(CohortMember.objects.filter(cohort=cohort).select_related("employee"))
    assert len(members) == size
    # 事前学習 (e-learning) done by the end of June: the vendor's completion file, imported all or nothing
    done_on = dt.date(fiscal_year, 6, 30)
    clock.set(done_on)
    course = cohort.prelearning_course
    lines = ["職員番号,氏名,講座コード,修了日,学習時間"] + [
        f"{m.employee.number},{m.employee.name},{course.vendor_code or course.code},{done_on:%Y-%m-%d},{course.hours}"
        for m in members
    ]
    result = import_elearning(("\r\n".join(lines) + "\r\n").encode("utf-8"), "elearning.csv", user=sec)
    assert not result.errors and result.written, result.errors
    # every session held and attended (the sheets are taken at the end of the year)
    clock.set(end)
    enrollments = list(Enrollment.objects.filter(run_id=cohort.run_id))
    sessions = list(Session.objects.filter(run_id=cohort.run_id).order_by("date"))
    assert len(sessions) == pack.in_person_days
    for session in sessions:
        training.attendance_record(session=session, entries=[(e, "present") for e in enrollments], by=sec)
    # practice groups of the pack's size, each 成果発表 evaluated on the last session's day
    proposal = leaders.groups_propose(cohort=cohort)
    low, high = pack.group_size_bounds
    assert all(low <= len(g) <= high for g in proposal.groups)
    groups = leaders.groups_save(cohort=cohort, groups=proposal.groups, by=sec)
    for group in groups:
        leaders.group_evaluate(group=group, presented_on=sessions[-1].date, score=4, by=sec)
    # 認定 in March
    leaders.cohort_certify(
        cohort=cohort, member_ids=[m.pk for m in members], certified_on=dt.date(fiscal_year + 1, 3, 20), by=sec
    )


def _milestone(k: dict, code: str) -> dict:
    return next(m for m in k["milestones"] if m["code"] == code)


@pytest.mark.parametrize("variant", ["sapporo", "changed"])
def test_six_years_reproduce_the_packs_targets(db, clock, tmp_path, variant):
    clock.set(dt.date(2026, 4, 1))
    folder = b.SAPPORO if variant == "sapporo" else b.changed_pack(tmp_path, _smaller, version="2.0")
    pack = pack_of(policy_pack_load(directory=folder).pack)
    targets = [pack.cumulative_targets[fy] for _n, fy, _size in pack.planned_cohorts]
    if variant == "sapporo":
        assert targets == SAPPORO_CUMULATIVE
    else:
        assert targets == [20, 40, 60, 80, 100, 120]

    o = b.org(
        {
            ("K01", "東区", OrgKind.KU): ["東区市民部", "東区保健福祉部"],
            ("K02", "北区", OrgKind.KU): ["北区市民部", "北区保健福祉部"],
            ("B01", "総務局", OrgKind.KYOKU): ["職員部", "行政部"],
        }
    )
    kas = list(o["ka"].values())
    top_of_ka = {ka.pk: o["tops"][ka.code.split("-")[0]] for ka in kas}
    sec = f.login(None, Role.SECRETARIAT)
    liaisons = {top.pk: f.login(None, Role.LIAISON, scope_unit=top) for top in o["tops"].values()}
    seq = itertools.count(1)
    last_year = pack.planned_cohorts[-1][1]
    milestone_r10 = next(m for m in pack.milestones if m.code == "r10")

    for number, fy, size in pack.planned_cohorts:
        units = kas if fy == last_year else kas[:-1]  # 行政部 gets people only in the last cohort
        people = _staff(units, size, seq)
        placed = dict(Assignment.objects.filter(employee__in=people).values_list("employee_id", "unit_id"))
        liaison_of = {e.pk: liaisons[top_of_ka[placed[e.pk]].pk] for e in people}
        _run_year(pack, number, fy, size, people, liaison_of, sec, clock)

        year_end = fiscal_year_bounds(fy)[1]
        k = programme_kpis(year_end)
        row = next(y for y in k["years"] if y["fiscal_year"] == fy)
        assert row["cumulative"] == pack.cumulative_targets[fy], (fy, row)
        assert row["status"] == "met"
        funnel = next(r for r in k["funnel"] if r["fiscal_year"] == fy)
        assert (funnel["nominated"], funnel["selected"], funnel["completed"], funnel["certified"]) == (size,) * 4
        # R10: met at the end of R10 and not before
        r10 = _milestone(k, "r10")
        if fy < milestone_r10.fiscal_year:
            assert r10["status"] == "in_progress" and r10["gap"] > 0
        else:
            assert r10["status"] == "met", r10
        if fy == milestone_r10.fiscal_year:
            day_before = dt.date(fy + 1, 3, 19)
            assert _milestone(programme_kpis(day_before), "r10")["status"] == "in_progress"
        # R13: leaders and every 部 covered (from coverage) only at the end
        r13 = _milestone(k, "r13")
        if fy < last_year:
            assert r13["status"] == "in_progress"
            assert r13["bu_short"] == 1  # 行政部 has no leader yet
        else:
            assert r13["leaders"] == r13["target"] == pack.cumulative_targets[fy]
            assert r13["bu_short"] == 0 and r13["bu_total"] == len(kas)
            assert r13["status"] == "met", r13

    assert Certification.objects.count() == targets[-1]
    assert not CohortMember.objects.exclude(status=MemberStatus.CERTIFIED).exists()
    final = programme_kpis(fiscal_year_bounds(last_year)[1])
    assert [y["cumulative"] for y in final["years"]] == targets
    assert final["coverage"]["bu_covered"] == final["coverage"]["bu_total"] == len(kas)
    assert final["coverage"]["active_leaders"] == targets[-1]

"""Cohort formation, adding reserves, the curriculum instantiated from the pack, and progress per member."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dxtalent.leaders import selectors_cohorts as sel
from dxtalent.leaders import services
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import Cohort, CohortMember, NominationStatus
from dxtalent.training.models import (
    Attendance,
    AttendanceStatus,
    CourseRun,
    Delivery,
    ELearningCompletion,
    EnrollmentStatus,
    Session,
)
from tests.leaders.conftest import all_requirements, staff

pytestmark = pytest.mark.django_db
S = NominationStatus


def nominate_and_select(window, liaison, sec, pack, people_, *, reserve=0):
    out = []
    for p in people_:
        out.append(
            services.nomination_submit(
                window=window, employee=p, by=liaison, requirements=all_requirements(pack), recommendation="推薦"
            )
        )
    chosen, reserves = out[: len(out) - reserve], out[len(out) - reserve :]
    services.nominations_decide(nominations=chosen, decision=S.SELECTED, by=sec)
    if reserves:
        services.nominations_decide(nominations=reserves, decision=S.RESERVE, reason="補欠", by=sec)
    return out


def close(window, sec, today):
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), by=sec)
    window.refresh_from_db()


@pytest.fixture
def formed(pack, sec, liaison, people, window, today):
    """A cohort of 4 formed from next year's window, with one reserve left."""
    people_ = staff(people["units"]["higashi_koseki"], 5)
    noms = nominate_and_select(window, liaison, sec, pack, people_, reserve=1)
    close(window, sec, today)
    cohort = services.cohort_form(window=window, by=sec)
    return cohort, noms


def test_cohort_formation(pack, sec, formed, window):
    cohort, _noms = formed
    number, fy, size = pack.planned_cohort_for_year(window.fiscal_year)
    assert cohort.number == number and cohort.fiscal_year == fy == window.fiscal_year
    assert cohort.target_size == size and cohort.pack_id == pack.pk
    run = cohort.run
    assert run.program == CourseRun.Program.LEADER_COHORT and run.fiscal_year == fy
    assert run.course.hours == pack.curriculum_hours
    members = list(cohort.members.select_related("nomination", "enrollment"))
    assert len(members) == 4
    for m in members:
        assert m.nomination.status == S.SELECTED and m.enrollment.run_id == run.pk
        assert m.enrollment.status in (EnrollmentStatus.APPROVED, EnrollmentStatus.IN_PROGRESS)
        assert m.employee_id == m.nomination.employee_id
    pre = cohort.prelearning_course
    assert pre.delivery == Delivery.ELEARNING and pre.hours == sel.prelearning_phase(pack).hours


def test_cohort_cannot_be_formed_twice_or_early_or_with_undecided(pack, sec, liaison, people, window, today):
    people_ = staff(people["units"]["higashi_koseki"], 2)
    nominate_and_select(window, liaison, sec, pack, people_[:1])
    with pytest.raises(WorkflowError) as exc:
        services.cohort_form(window=window, by=sec)
    assert "受付中のため、期を編成できません" in str(exc.value)
    services.nomination_submit(
        window=window, employee=people_[1], by=liaison, requirements=all_requirements(pack), recommendation="x"
    )
    close(window, sec, today)
    with pytest.raises(WorkflowError) as exc:
        services.cohort_form(window=window, by=sec)
    assert "決まっていない推薦が1件" in str(exc.value)
    services.nomination_decide(nomination=people_[1].nominations.get(), decision=S.DECLINED, reason="x", by=sec)
    cohort = services.cohort_form(window=window, by=sec)
    with pytest.raises(WorkflowError) as exc:
        services.cohort_form(window=window, by=sec)
    assert f"既に編成されています（{cohort}）" in str(exc.value)


def test_unplanned_year_takes_the_next_number_and_default_size(pack, sec, liaison, people, today):
    from tests.leaders.conftest import open_window

    last_planned = max(c[1] for c in pack.planned_cohorts)
    window = open_window(sec, last_planned + 1, today)
    nominate_and_select(window, liaison, sec, pack, staff(people["units"]["higashi_koseki"], 1))
    close(window, sec, today)
    Cohort.objects.create(number=5, fiscal_year=2001, pack_id=pack.pk, target_size=1)
    cohort = services.cohort_form(window=window, by=sec)
    assert cohort.number == 6 and cohort.target_size == pack.cohort_size


def test_adding_a_reserve_later(sec, formed, people, pack):
    cohort, noms = formed
    reserve = noms[-1]
    member = services.cohort_add_member(cohort=cohort, nomination=reserve, by=sec)
    reserve.refresh_from_db()
    assert reserve.status == S.SELECTED and member.nomination == reserve and member.enrollment.run == cohort.run
    assert cohort.members.count() == 5
    with pytest.raises(WorkflowError):
        services.cohort_add_member(cohort=cohort, nomination=reserve, by=sec)


def test_declined_cannot_be_added(sec, formed):
    cohort, noms = formed
    services.nomination_decide(nomination=noms[-1], decision=S.DECLINED, reason="x", by=sec)
    with pytest.raises(WorkflowError) as exc:
        services.cohort_add_member(cohort=cohort, nomination=noms[-1], by=sec)
    assert "見送り" in str(exc.value)


# ---------------------------------------------------------------- curriculum from the pack


def test_sessions_match_the_pack(pack, sec, formed):
    cohort, _ = formed
    # the pack's own numbers: 38 h over the required phases, 10 in-person days (the policy's figures)
    assert pack.curriculum_hours == pack.declared_total_hours == Decimal(38)
    assert pack.in_person_days == pack.declared_in_person_days == 10
    dates = sel.proposed_session_dates(pack, cohort.fiscal_year)
    result = services.cohort_schedule_sessions(cohort=cohort, dates=dates, place="本庁舎", by=sec)
    assert result.warnings == []
    sessions = list(Session.objects.filter(run=cohort.run))
    assert len(sessions) == pack.in_person_days
    pre = sel.prelearning_phase(pack)
    assert sum(s.hours for s in sessions) + pre.hours == pack.curriculum_hours
    # numbered 第1回 … 第10回 through the run in curriculum order
    ordered = sorted(sessions, key=lambda s: s.number)
    assert [s.number for s in ordered] == list(range(1, pack.in_person_days + 1))
    assert [s.phase_code for s in ordered] == [p.code for p in sel.in_person_phases(pack) for _ in range(p.sessions)]
    for phase in sel.in_person_phases(pack):
        mine = sorted((s for s in sessions if s.phase_code == phase.code), key=lambda s: s.number)
        assert len(mine) == phase.sessions
        assert {s.hours for s in mine} == {phase.hours_per_session}
        assert all(s.date.month in phase.months and s.date.weekday() < 5 for s in mine)
        assert [s.date for s in mine] == sorted(s.date for s in mine)
    # the e-learning prerequisite is due by the end of the pack's due month
    due = sel.prelearning_due_date(pack, cohort.fiscal_year)
    assert due.month == pre.due_month and (due + dt.timedelta(days=1)).day == 1


def test_schedule_validation(pack, sec, formed):
    cohort, _ = formed
    dates = sel.proposed_session_dates(pack, cohort.fiscal_year)
    mindset = dates["mindset"]
    with pytest.raises(ValidationError) as exc:
        services.cohort_schedule_sessions(cohort=cohort, dates={"mindset": mindset[:2]}, by=sec)
    assert exc.value.message_dict["mindset"] == ["マインドセットは3回分の日付が必要です（入力 2件）。"]
    with pytest.raises(ValidationError) as exc:
        services.cohort_schedule_sessions(cohort=cohort, dates={"prelearning": [mindset[0]]}, by=sec)
    assert "対面のフェーズではありません" in exc.value.message_dict["dates"][0]
    outside = [mindset[0].replace(year=mindset[0].year - 2), *mindset[1:]]
    with pytest.raises(ValidationError):
        services.cohort_schedule_sessions(cohort=cohort, dates={"mindset": outside}, by=sec)
    moved = [mindset[0], mindset[1], mindset[2].replace(month=9, day=1)]
    result = services.cohort_schedule_sessions(cohort=cohort, dates={"mindset": moved}, by=sec)
    assert len(result.warnings) == 1 and "計画の時期（7〜8月）の外です" in result.warnings[0]
    assert not Session.objects.filter(run=cohort.run).exclude(phase_code="mindset").exists()


def test_rescheduling_keeps_sessions_and_refuses_held_ones(pack, sec, formed):
    cohort, _ = formed
    dates = sel.proposed_session_dates(pack, cohort.fiscal_year)
    services.cohort_schedule_sessions(cohort=cohort, dates=dates, by=sec)
    first = Session.objects.get(run=cohort.run, phase_code="mindset", number=1)
    new = [d + dt.timedelta(days=7) for d in dates["mindset"]]
    services.cohort_schedule_sessions(cohort=cohort, dates={"mindset": new}, by=sec)
    assert Session.objects.filter(run=cohort.run).count() == pack.in_person_days
    first.refresh_from_db()
    assert first.date == new[0]
    member = cohort.members.select_related("enrollment").first()
    Attendance.objects.create(session=first, enrollment=member.enrollment, status="present", hours=first.hours)
    with pytest.raises(WorkflowError) as exc:
        services.cohort_schedule_sessions(cohort=cohort, dates={"mindset": dates["mindset"]}, by=sec)
    assert "出欠を記録済みの回は日付を変更できません" in str(exc.value)


# ---------------------------------------------------------------- progress


def attend(session, member, hours=None, status=AttendanceStatus.PRESENT):
    return Attendance.objects.create(
        session=session, enrollment=member.enrollment, status=status, hours=session.hours if hours is None else hours
    )


def test_progress_hours_per_phase_with_makeups_and_total(pack, sec, formed):
    cohort, _ = formed
    services.cohort_schedule_sessions(cohort=cohort, dates=sel.proposed_session_dates(pack, cohort.fiscal_year), by=sec)
    sessions = {(s.phase_code, s.number): s for s in Session.objects.filter(run=cohort.run)}
    members = list(CohortMember.objects.filter(cohort=cohort).select_related("enrollment", "employee"))
    a, b = members[0], members[1]
    mindset = pack.phase("mindset")
    for n in range(1, mindset.sessions + 1):
        attend(sessions[("mindset", n)], a)
    attend(sessions[("mindset", 1)], b)
    attend(sessions[("mindset", 2)], b, hours=Decimal(0), status=AttendanceStatus.ABSENT)
    makeup = Session.objects.create(
        run=cohort.run,
        phase_code="",
        number=2,
        date=sessions[("mindset", 2)].date + dt.timedelta(days=3),
        hours=mindset.hours_per_session,
        is_makeup=True,
        makeup_for=sessions[("mindset", 2)],
    )
    attend(makeup, b)
    ELearningCompletion.objects.create(
        employee=a.employee, course=cohort.prelearning_course, completed_on=sessions[("mindset", 1)].date, hours=3
    )
    progress = sel.cohort_progress(cohort)
    rows = {r.member.pk: r for r in progress.rows}
    ra, rb = rows[a.pk], rows[b.pk]
    pa = {p.phase.code: p for p in ra.phases}
    pb = {p.phase.code: p for p in rb.phases}
    assert pa["mindset"].attended == mindset.hours and pa["mindset"].done
    assert pb["mindset"].attended == 2 * mindset.hours_per_session and not pb["mindset"].done  # make-up counted
    assert pa["prelearning"].attended == pack.phase("prelearning").hours
    assert ra.total == mindset.hours + pack.phase("prelearning").hours
    assert ra.required_total == pack.curriculum_hours
    assert [p.phase.code for p in ra.phases] == [p.code for p in pack.required_phases]


def test_prerequisite_flag_before_and_after_the_first_mindset_session(pack, sec, formed):
    cohort, _ = formed
    services.cohort_schedule_sessions(cohort=cohort, dates=sel.proposed_session_dates(pack, cohort.fiscal_year), by=sec)
    first = Session.objects.filter(run=cohort.run, phase_code="mindset").order_by("date").first().date
    members = list(CohortMember.objects.filter(cohort=cohort).select_related("employee").order_by("pk"))
    on_time, late, never, _pending = members
    course = cohort.prelearning_course
    ELearningCompletion.objects.create(employee=on_time.employee, course=course, completed_on=first, hours=3)
    ELearningCompletion.objects.create(
        employee=late.employee, course=course, completed_on=first + dt.timedelta(days=1), hours=3
    )
    # the day before the first マインドセット session: nobody is flagged yet, those without it are pending
    before = sel.cohort_progress(cohort, today=first - dt.timedelta(days=1))
    status = {r.member.pk: r.prerequisite.status for r in before.rows}
    assert before.gate_date == first and before.prerequisite_deadline == first
    assert status[on_time.pk] == "done" and status[never.pk] == "pending"
    assert status[late.pk] == "late"  # finished, but after the session: flagged (visible once recorded)
    # on the day of the session and after: those who have not finished are flagged
    after = sel.cohort_progress(cohort, today=first)
    flagged = {r.member.pk for r in after.flagged}
    assert flagged == {late.pk, never.pk, _pending.pk}
    row = next(r for r in after.rows if r.member.pk == never.pk)
    assert row.flags == [f"事前学習が{first.month}月{first.day}日までに修了していません"]


def test_prerequisite_deadline_is_the_due_month_without_sessions(pack, formed):
    cohort, _ = formed
    progress = sel.cohort_progress(cohort, today=dt.date(cohort.fiscal_year, 4, 2))
    assert progress.gate_date is None
    assert progress.prerequisite_deadline == sel.prelearning_due_date(pack, cohort.fiscal_year)
    assert {r.prerequisite.status for r in progress.rows} == {"pending"}


@pytest.mark.parametrize("size", [5, 35])
def test_progress_query_count_is_fixed(pack, sec, liaison, people, window, today, size, django_assert_num_queries):
    people_ = staff(people["units"]["higashi_koseki"], size)
    nominate_and_select(window, liaison, sec, pack, people_)
    close(window, sec, today)
    cohort = services.cohort_form(window=window, by=sec)
    services.cohort_schedule_sessions(cohort=cohort, dates=sel.proposed_session_dates(pack, cohort.fiscal_year), by=sec)
    for session in Session.objects.filter(run=cohort.run)[:4]:
        for m in CohortMember.objects.filter(cohort=cohort).select_related("enrollment"):
            attend(session, m)
    cohort = Cohort.objects.select_related("pack").get(pk=cohort.pk)
    from dxtalent.org.selectors import reset_snapshots

    reset_snapshots()
    with django_assert_num_queries(7):
        progress = sel.cohort_progress(cohort)
    assert len(progress.rows) == size

"""Attendance sheets: all or nothing, partial hours, make-ups counting toward their phase."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxtalent.core.wareki import fiscal_year
from dxtalent.training import selectors, services
from dxtalent.training.errors import AttendanceSheetError
from dxtalent.training.models import Attendance, AttendanceStatus, CourseRun, Enrollment, EnrollmentStatus

from .conftest import FY, make_run, past_day

A = AttendanceStatus
S = EnrollmentStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(course, staff):
    """A run without capacity limit with three approved enrollees and a 3 h session held yesterday."""
    run = make_run(course, approval_required=False)
    rows = [services.enrollment_apply(employee=p, run=run) for p in staff(3)]
    session = services.session_create(run=run, date=past_day(), hours=Decimal("3"))
    return run, session, rows


def test_a_whole_sheet_is_recorded_with_hours_by_status(enrolled, secretariat):
    run, session, (a, b, c) = enrolled
    saved = services.attendance_record(
        session=session, entries=[(a, "present", None), (b, "absent", None), (c, "partial", "１．５")], by=secretariat
    )
    hours = {x.enrollment_id: (x.status, x.hours) for x in saved}
    assert hours == {a.pk: (A.PRESENT, Decimal("3.00")), b.pk: (A.ABSENT, 0), c.pk: (A.PARTIAL, Decimal("1.50"))}
    assert {x.recorded_by for x in saved} == {secretariat}
    # the approved enrollees are now 受講中
    assert set(Enrollment.objects.filter(run=run).values_list("status", flat=True)) == {S.IN_PROGRESS}


def test_recording_again_updates_the_rows_and_keeps_history(enrolled):
    _run, session, (a, b, _c) = enrolled
    services.attendance_record(session=session, entries=[(a, "present", None), (b, "absent", None)])
    services.attendance_record(session=session, entries=[(a.pk, "遅刻", "2"), (str(b.pk), "出席", None)])
    rows = {x.enrollment_id: x for x in Attendance.objects.filter(session=session)}
    assert len(rows) == 2
    assert (rows[a.pk].status, rows[a.pk].hours) == (A.PARTIAL, Decimal("2.00"))
    assert (rows[b.pk].status, rows[b.pk].hours) == (A.PRESENT, Decimal("3.00"))
    assert rows[a.pk].history.count() == 2


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (None, "出席した時間を入力"),
        ("", "出席した時間を入力"),
        ("0", "0より大きく"),
        ("3", "より短く"),
        ("4.5", "より短く"),
        ("-1", "0より大きく"),
        ("abc", "数値"),
        ("1.234", "小数第2位"),
    ],
)
def test_partial_hours_are_validated_and_nothing_is_saved(enrolled, hours, message):
    _run, session, (a, b, c) = enrolled
    with pytest.raises(AttendanceSheetError) as exc:
        services.attendance_record(
            session=session, entries=[(a, "present", None), (b, "absent", None), (c, "partial", hours)]
        )
    assert set(exc.value.row_errors) == {c.pk}
    assert message in exc.value.row_errors[c.pk]
    assert not Attendance.objects.exists()
    assert isinstance(exc.value, ValidationError) and "entries" in exc.value.message_dict


def test_every_bad_row_is_reported(enrolled, course, staff):
    _run, session, (a, b, c) = enrolled
    other_run = make_run(course)
    stranger = services.enrollment_apply(employee=staff(1, prefix="他")[0], run=other_run)
    services.enrollment_cancel(enrollment=b)
    with pytest.raises(AttendanceSheetError) as exc:
        services.attendance_record(
            session=session,
            entries=[
                (a, "present", None),
                (a, "absent", None),
                (b, "present", None),
                (stranger, "present", None),
                (c, "寝坊", None),
                ("x", "present", None),
            ],
        )
    errors = exc.value.row_errors
    assert "行が2つ" in errors[a.pk]
    assert "取消" in errors[b.pk]
    assert "この開講の受講申込ではありません" in errors[stranger.pk]
    assert "出席・欠席・遅刻・早退" in errors[c.pk]
    assert "x" in errors
    assert not Attendance.objects.exists()


def test_waitlisted_people_are_not_on_the_sheet_and_cannot_be_recorded(course, staff):
    run = make_run(course, capacity=1)
    first, waiting = (services.enrollment_apply(employee=p, run=run) for p in staff(2))
    assert waiting.status == S.WAITLISTED
    session = services.session_create(run=run, date=past_day(), hours=2)
    assert [r.enrollment for r in selectors.attendance_sheet(session)] == [first]
    with pytest.raises(AttendanceSheetError):
        services.attendance_record(session=session, entries=[(waiting, "present", None)])


def test_a_future_session_takes_no_attendance(enrolled, course):
    run, _session, (a, _b, _c) = enrolled
    # today as of now, not as of the module's import: a run that crosses midnight (JST) must still say "tomorrow"
    future = timezone.localdate() + dt.timedelta(days=1)
    if fiscal_year(future) != FY:  # pragma: no cover - on 31 March tomorrow is in another 年度
        pytest.skip("tomorrow is in the next 年度")
    session = services.session_create(run=run, date=future, hours=2)
    with pytest.raises(AttendanceSheetError, match="まだ実施されていない"):
        services.attendance_record(session=session, entries=[(a, "present", None)])


def test_only_the_secretariat_or_hr_records(enrolled, manager):
    _run, session, (a, _b, _c) = enrolled
    with pytest.raises(PermissionDenied):
        services.attendance_record(session=session, entries=[(a, "present", None)], by=manager)


def test_new_session_hours_carry_over_to_present_rows(enrolled):
    _run, session, (a, _b, c) = enrolled
    services.attendance_record(session=session, entries=[(a, "present", None), (c, "partial", "2.5")])
    with pytest.raises(ValidationError, match="遅刻・早退"):
        services.session_update(session=session, hours=Decimal("2"))
    services.session_update(session=session, hours=Decimal("4"))
    assert Attendance.objects.get(enrollment=a).hours == Decimal("4.00")
    assert Attendance.objects.get(enrollment=c).hours == Decimal("2.50")


# ---------------------------------------------------------------- make-ups and phases


@pytest.fixture
def leader_run(course, staff, secretariat):
    """A leader-curriculum run: two マインドセット sessions (4 h) and one スキル習得 session (4 h)."""
    run = make_run(course, program=CourseRun.Program.LEADER_COHORT, title="第1期")
    day = past_day(10)
    m1 = services.session_create(run=run, date=day, hours=4, phase_code="mindset", by=secretariat)
    m2 = services.session_create(run=run, date=day, hours=4, phase_code="mindset", by=secretariat)
    s1 = services.session_create(run=run, date=day, hours=4, phase_code="skills", by=secretariat)
    trainees = [services.enrollment_enroll(employee=p, run=run, by=secretariat) for p in staff(3)]
    return run, (m1, m2, s1), trainees


def test_a_makeup_takes_the_phase_and_number_of_its_session(leader_run):
    run, (m1, m2, _s1), _t = leader_run
    makeup = services.session_create(run=run, date=past_day(1), hours=4, makeup_for=m2)
    assert (makeup.is_makeup, makeup.phase_code, makeup.number, makeup.makeup_for) == (True, "mindset", 2, m2)
    again = services.session_create(run=run, date=past_day(1), hours=4, is_makeup=True, makeup_for=makeup)
    assert again.makeup_for == m2  # a make-up of a make-up makes up for the original
    with pytest.raises(ValidationError):
        services.session_create(run=run, date=past_day(1), hours=4, is_makeup=True)
    with pytest.raises(ValidationError):
        services.session_create(run=run, date=past_day(1), hours=4, makeup_for=m1, phase_code="skills")
    with pytest.raises(ValidationError, match="カリキュラムにありません"):
        services.session_create(run=run, date=past_day(1), hours=4, phase_code="cooking")


def test_makeup_hours_count_toward_the_phase_capped_at_the_session(leader_run):
    run, (m1, m2, s1), (a, b, c) = leader_run
    services.attendance_record(session=m1, entries=[(a, "present", None), (b, "present", None), (c, "absent", None)])
    services.attendance_record(session=m2, entries=[(a, "present", None), (b, "partial", 1), (c, "present", None)])
    services.attendance_record(session=s1, entries=[(a, "present", None), (b, "present", None), (c, "present", None)])
    assert selectors.phase_hours(b) == {"mindset": Decimal(5), "skills": Decimal(4)}
    makeup = services.session_create(run=run, date=past_day(1), hours=4, makeup_for=m2)
    # the make-up sheet lists only those who missed (part of) the original: b (partial)
    assert [r.enrollment for r in selectors.attendance_sheet(makeup)] == [b]
    services.attendance_record(session=makeup, entries=[(b, "present", None)])
    assert selectors.phase_hours(b) == {"mindset": Decimal(8), "skills": Decimal(4)}  # 4 + min(1 + 4, 4)
    assert selectors.phase_hours(a) == {"mindset": Decimal(8), "skills": Decimal(4)}
    assert selectors.phase_hours(c) == {"mindset": Decimal(4), "skills": Decimal(4)}
    per_run = selectors.run_phase_hours(run)
    assert per_run[b.pk] == selectors.phase_hours(b) and per_run[c.pk]["mindset"] == Decimal(4)
    # the ledger counts the hours actually spent: b attended 4 + 1 + 4 (make-up) + 4
    ledger = selectors.hours_ledger(b.employee, FY)
    assert ledger.phases == {"mindset": Decimal(9), "skills": Decimal(4)}


def test_phase_hours_of_someone_who_attended_nothing(leader_run):
    _run, _sessions, (a, _b, _c) = leader_run
    assert selectors.phase_hours(a) == {"mindset": 0, "skills": 0}


def test_a_new_phase_on_a_session_carries_over_to_its_makeups(leader_run):
    run, (_m1, m2, _s1), _t = leader_run
    makeup = services.session_create(run=run, date=past_day(1), hours=4, makeup_for=m2)
    services.session_update(session=m2, phase_code="skills")
    makeup.refresh_from_db()
    assert makeup.phase_code == "skills"
    with pytest.raises(ValidationError):
        services.session_update(session=makeup, phase_code="mindset")

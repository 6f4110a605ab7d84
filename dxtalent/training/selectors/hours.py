"""Hours: the ledger of a person per 年度, and per-phase hours of an enrollment (make-ups included).

A session's hours belong to the fiscal year of the session's date; an e-learning completion's to the fiscal year
of its 修了日. Every function here runs a fixed number of queries (two at most), whatever the number of rows.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dxtalent.core.wareki import fiscal_year as fiscal_year_of
from dxtalent.core.wareki import fiscal_year_bounds

from ..models import Attendance, CourseRun, ELearningCompletion, Enrollment, Session

ZERO = Decimal("0.00")


@dataclass
class LedgerRun:
    run: CourseRun
    status: str  # the enrollment's status
    status_label: str
    hours: Decimal = ZERO  # hours attended in the fiscal year (make-ups included)
    sessions: int = 0  # sessions with a record in the fiscal year
    phases: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class LedgerCourse:
    """E-learning completions of one course in the fiscal year."""

    course_id: int
    code: str
    title: str
    hours: Decimal = ZERO
    completions: list = field(default_factory=list)


@dataclass
class Ledger:
    employee_id: int
    fiscal_year: int
    runs: list[LedgerRun]
    elearning: list[LedgerCourse]
    phases: dict[str, Decimal]  # phase code → attended hours over every run ('' = sessions without a phase)
    attended: Decimal
    elearning_hours: Decimal

    @property
    def total(self) -> Decimal:
        return self.attended + self.elearning_hours

    @property
    def has_phases(self) -> bool:
        """Any hours on a curriculum phase (leader runs): worth a per-phase table."""
        return any(code for code in self.phases)


def hours_ledger(employee, fiscal_year: int) -> Ledger:
    """Attended hours per run and per phase, e-learning hours per course, and totals, in one 年度 (2 queries)."""
    start, end = fiscal_year_bounds(fiscal_year)
    attendances = (
        Attendance.objects.filter(enrollment__employee=employee, session__date__range=(start, end))
        .select_related("session__run__course", "enrollment")
        .order_by("session__date", "session__start_time", "session_id")
    )
    runs: dict[int, LedgerRun] = {}
    phases: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for a in attendances:
        session = a.session
        row = runs.get(session.run_id)
        if row is None:
            e = a.enrollment
            row = runs[session.run_id] = LedgerRun(session.run, e.status, e.get_status_display())
        row.hours += a.hours
        row.sessions += 1
        row.phases[session.phase_code] = row.phases.get(session.phase_code, ZERO) + a.hours
        phases[session.phase_code] += a.hours
    courses: dict[int, LedgerCourse] = {}
    completions = (
        ELearningCompletion.objects.filter(employee=employee, completed_on__range=(start, end))
        .select_related("course")
        .order_by("completed_on", "pk")
    )
    for c in completions:
        row = courses.get(c.course_id)
        if row is None:
            row = courses[c.course_id] = LedgerCourse(c.course_id, c.course.code, c.course.title)
        row.hours += c.hours
        row.completions.append(c)
    return Ledger(
        employee_id=employee.pk,
        fiscal_year=fiscal_year,
        runs=list(runs.values()),
        elearning=list(courses.values()),
        phases=dict(phases),
        attended=sum((r.hours for r in runs.values()), ZERO),
        elearning_hours=sum((c.hours for c in courses.values()), ZERO),
    )


@dataclass
class YearHours:
    fiscal_year: int
    attended: Decimal = ZERO
    elearning: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.attended + self.elearning


def hours_by_year(employee) -> list[YearHours]:
    """Attended and e-learning hours per fiscal year, newest first (2 queries)."""
    years: dict[int, YearHours] = {}

    def year(day: dt.date) -> YearHours:
        fy = fiscal_year_of(day)
        return years.setdefault(fy, YearHours(fy))

    for day, hours in Attendance.objects.filter(enrollment__employee=employee).values_list("session__date", "hours"):
        year(day).attended += hours
    for day, hours in ELearningCompletion.objects.filter(employee=employee).values_list("completed_on", "hours"):
        year(day).elearning += hours
    return sorted(years.values(), key=lambda y: y.fiscal_year, reverse=True)


# ---------------------------------------------------------------- phases (leader curriculum)


def _credited(sessions, attendances) -> dict[int, dict[str, Decimal]]:
    """enrollment id → phase code → credited hours.

    Each regular session credits its enrollees with the hours they attended there plus the hours attended at its
    make-ups (補講), capped at the session's own hours: a make-up makes up for what was missed, it does not add
    more than the session was worth. Every phase of the run appears, with 0 when nothing was attended.
    """
    regular = {pk: (phase, hours) for pk, phase, hours, makeup_for in sessions if makeup_for is None}
    original_of = {pk: makeup_for for pk, _phase, _hours, makeup_for in sessions if makeup_for is not None}
    phases = {phase for phase, _hours in regular.values()}
    per_session: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for enrollment_id, session_id, hours in attendances:
        per_session[enrollment_id][original_of.get(session_id, session_id)] += hours
    out: dict[int, dict[str, Decimal]] = {}
    for enrollment_id, by_session in per_session.items():
        credited = dict.fromkeys(phases, ZERO)
        for session_id, hours in by_session.items():
            phase, planned = regular.get(session_id, ("", hours))
            credited[phase] = credited.get(phase, ZERO) + min(hours, planned)
        out[enrollment_id] = credited
    return out


def phase_hours(enrollment: Enrollment) -> dict[str, Decimal]:
    """{phase_code: credited hours} of one enrollment, make-ups included (2 queries). See `_credited`."""
    sessions = Session.objects.filter(run_id=enrollment.run_id).values_list(
        "pk", "phase_code", "hours", "makeup_for_id"
    )
    attendances = Attendance.objects.filter(enrollment=enrollment).values_list("enrollment_id", "session_id", "hours")
    sessions = list(sessions)
    empty = {phase: ZERO for _pk, phase, _h, makeup_for in sessions if makeup_for is None}
    return _credited(sessions, list(attendances)).get(enrollment.pk, empty)


def run_phase_hours(run: CourseRun) -> dict[int, dict[str, Decimal]]:
    """{enrollment id: {phase_code: credited hours}} for every enrollment of a run with attendance (2 queries).
    Enrollments with no attendance at all are absent: use `.get(id, {})`."""
    sessions = list(Session.objects.filter(run=run).values_list("pk", "phase_code", "hours", "makeup_for_id"))
    attendances = Attendance.objects.filter(session__run=run).values_list("enrollment_id", "session_id", "hours")
    return _credited(sessions, list(attendances))

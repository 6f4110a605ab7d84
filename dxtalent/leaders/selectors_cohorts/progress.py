"""Cohorts and each member's progress through the curriculum (hours per phase, the prerequisite)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.selectors import UnitNode, org_snapshot
from dxtalent.policy.pack import Pack, Phase
from dxtalent.policy.selectors import pack_of
from dxtalent.training.models import CourseRun, ELearningCompletion, Session
from dxtalent.training.selectors import run_phase_hours

from ..models import Cohort, CohortMember
from .curriculum import prelearning_due_date, prelearning_phase
from .nominations import current_assignments_prefetch


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- cohorts


def cohorts_visible(user) -> QuerySet:
    if not access.may(user, Action.VIEW_PROGRAMME):
        return Cohort.objects.none()
    return Cohort.objects.all()


def cohort_list(user) -> list[Cohort]:
    """Cohorts with their member counts (all members: a count is not personal data). 1 query."""
    return list(
        cohorts_visible(user)
        .select_related("pack", "run", "prelearning_course")
        .annotate(
            member_count=Count("members", distinct=True),
            training_count=Count("members", filter=Q(members__status="training"), distinct=True),
        )
        .order_by("-fiscal_year")
    )


@dataclass
class PhaseProgress:
    phase: Phase
    attended: Decimal
    required: Decimal

    @property
    def counted(self) -> Decimal:
        return min(self.attended, self.required)

    @property
    def done(self) -> bool:
        return self.attended >= self.required

    @property
    def short(self) -> Decimal:
        return max(Decimal(0), self.required - self.attended)


@dataclass
class Prerequisite:
    status: str  # done | late | missing | pending | none
    completed_on: dt.date | None
    deadline: dt.date | None

    LABELS = {
        "done": "受講済み",
        "late": "期限後に受講",
        "missing": "未受講",
        "pending": "未受講（期限前）",
        "none": "—",
    }

    @property
    def flagged(self) -> bool:
        return self.status in ("late", "missing")

    @property
    def label(self) -> str:
        return self.LABELS[self.status]


@dataclass
class MemberProgress:
    member: CohortMember
    unit_label: str
    top: UnitNode | None
    bu: UnitNode | None
    phases: list[PhaseProgress]
    prerequisite: Prerequisite
    total: Decimal
    required_total: Decimal

    @property
    def employee(self):
        return self.member.employee

    @property
    def flags(self) -> list[str]:
        out = []
        if self.prerequisite.flagged:
            when = self.prerequisite.deadline
            out.append(f"事前学習が{when.month}月{when.day}日までに修了していません" if when else "事前学習が未修了")
        return out

    @property
    def hours_short(self) -> Decimal:
        return max(Decimal(0), self.required_total - self.total)


@dataclass
class CohortProgress:
    cohort: Cohort
    pack: Pack
    phases: list[Phase]
    rows: list[MemberProgress]
    sessions: list[Session]
    prelearning: Phase | None
    prelearning_due: dt.date | None
    gate_phase: Phase | None
    gate_date: dt.date | None  # the first session of the phase the prerequisite must precede
    today: dt.date

    @property
    def curriculum_hours(self) -> Decimal:
        return self.pack.curriculum_hours

    @property
    def flagged(self) -> list[MemberProgress]:
        return [r for r in self.rows if r.prerequisite.flagged]

    @property
    def sessions_by_phase(self) -> list[tuple[Phase, list[Session]]]:
        by_code = defaultdict(list)
        for s in self.sessions:
            by_code[s.phase_code].append(s)
        return [(p, by_code.get(p.code, [])) for p in self.pack.phases if p.in_person or by_code.get(p.code)]

    @property
    def prerequisite_deadline(self) -> dt.date | None:
        return self.gate_date or self.prelearning_due


def cohort_progress(cohort: Cohort, *, user=None, today: dt.date | None = None) -> CohortProgress:
    """Per member: hours per required phase (make-ups count for their phase), the prerequisite and the total.

    Fixed queries whatever the number of members: members (with employee), their current assignments, the run's
    sessions, the credited hours per enrollment and phase (training's run_phase_hours: 2), e-learning completions,
    the org snapshot.
    `user` limits the members to those the user may see (None: all, for internal use).
    """
    today = today or _today()
    pack = pack_of(cohort.pack)
    phases = list(pack.required_phases)
    members_qs = CohortMember.objects.filter(cohort=cohort)
    if user is not None:
        members_qs = access.employees_visible_to(user, members_qs, path="employee")
    members = list(
        members_qs.select_related("employee", "enrollment")
        .prefetch_related(current_assignments_prefetch(today))
        .order_by("employee__kana_key", "employee__number")
    )
    sessions = (
        list(Session.objects.filter(run_id=cohort.run_id).order_by("date", "start_time", "number"))
        if cohort.run_id
        else []
    )
    # {enrollment: {phase: credited hours}}: make-ups count toward their session's phase, capped at its hours
    hours = run_phase_hours(CourseRun(pk=cohort.run_id)) if members and sessions else {}  # no fetch of the run
    pre = prelearning_phase(pack)
    completions: dict[int, dt.date] = {}
    if members and cohort.prelearning_course_id:
        for employee_id, done_on in (
            ELearningCompletion.objects.filter(
                course_id=cohort.prelearning_course_id, employee__cohort_memberships__cohort=cohort
            )
            .values_list("employee_id", "completed_on")
            .order_by("completed_on")
        ):
            completions.setdefault(employee_id, done_on)
    gate = pack.phase(pre.due_before_phase) if pre and pre.due_before_phase else None
    gate_date = next((s.date for s in sessions if gate and s.phase_code == gate.code and not s.is_makeup), None)
    due = prelearning_due_date(pack, cohort.fiscal_year)
    deadline = gate_date or due
    snap = org_snapshot(today)
    out = []
    for m in members:
        current = (getattr(m.employee, "current_assignments", None) or [None])[0]
        path = snap.path_of(current.unit_id) if current else {}
        per_phase = []
        for p in phases:
            if pre is not None and p.code == pre.code:
                attended = p.hours if m.employee_id in completions else Decimal(0)
            else:
                attended = hours.get(m.enrollment_id, {}).get(p.code, Decimal(0))
            per_phase.append(PhaseProgress(phase=p, attended=attended, required=p.hours))
        out.append(
            MemberProgress(
                member=m,
                unit_label=snap.label_of(current.unit_id) if current else "（現在の所属なし）",
                top=path.get("top"),
                bu=path.get("bu"),
                phases=per_phase,
                prerequisite=_prerequisite(pre, completions.get(m.employee_id), deadline, today),
                total=sum((pp.counted for pp in per_phase), Decimal(0)),
                required_total=pack.curriculum_hours,
            )
        )
    return CohortProgress(
        cohort=cohort,
        pack=pack,
        phases=phases,
        rows=out,
        sessions=sessions,
        prelearning=pre,
        prelearning_due=due,
        gate_phase=gate,
        gate_date=gate_date,
        today=today,
    )


def _prerequisite(phase: Phase | None, done_on: dt.date | None, deadline: dt.date | None, today: dt.date):
    if phase is None:
        return Prerequisite("none", None, None)
    if done_on is not None:
        late = deadline is not None and done_on > deadline
        return Prerequisite("late" if late else "done", done_on, deadline)
    if deadline is not None and today >= deadline:
        return Prerequisite("missing", None, deadline)
    return Prerequisite("pending", None, deadline)


def cohort_sessions(cohort: Cohort) -> list[Session]:
    if not cohort.run_id:
        return []
    return list(Session.objects.filter(run_id=cohort.run_id).order_by("date", "start_time", "number"))


def cohort_for_year(fiscal_year: int) -> Cohort | None:
    return Cohort.objects.filter(fiscal_year=fiscal_year).select_related("pack", "run").first()

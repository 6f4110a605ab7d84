"""認定: who meets the pack's completion rule, and why the others do not."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from dxtalent.policy.selectors import pack_by_id
from dxtalent.training.models import Attendance

from ..models import (
    Cohort,
    CohortMember,
    GroupMembership,
    MemberStatus,
    PracticeGroup,
)
from ..selectors_cohorts import cohort_progress  # per-member hours and prerequisite: owned by the cohorts module

# ---------------------------------------------------------------- certification (認定)


def _num(value: Decimal) -> str:
    """12.00 → "12", 2.50 → "2.5"."""
    text = format(Decimal(value).normalize(), "f")
    return text


@dataclass
class PhaseProgress:
    code: str
    name: str
    required: Decimal
    attended: Decimal
    elearning: bool
    done: bool

    @property
    def label(self) -> str:
        if self.elearning:
            return "修了" if self.done else "未修了"
        return f"{self.attended:.1f}/{_num(self.required)}時間"


@dataclass
class Candidate:
    member: CohortMember
    phases: list[PhaseProgress]
    group: PracticeGroup | None
    evaluated: bool
    reasons: list[str]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def certified(self) -> bool:
        return self.member.status == MemberStatus.CERTIFIED

    @property
    def selectable(self) -> bool:
        return self.eligible and not self.certified and self.member.status != MemberStatus.WITHDRAWN


def _attended_hours(cohort: Cohort, employee_ids, allow_makeup: bool) -> dict[tuple[int, str], Decimal]:
    """(employee id, phase code) → hours attended in the cohort's run; a 補講 counts toward its phase only
    when `allow_makeup`."""
    if cohort.run_id is None or not employee_ids:
        return {}
    qs = Attendance.objects.filter(enrollment__run_id=cohort.run_id, enrollment__employee_id__in=list(employee_ids))
    if not allow_makeup:
        qs = qs.filter(session__is_makeup=False)
    rows = qs.values("enrollment__employee_id", "session__phase_code", "session__makeup_for__phase_code").annotate(
        hours=Sum("hours")
    )
    out: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        phase = r["session__phase_code"] or r["session__makeup_for__phase_code"] or ""
        out[(r["enrollment__employee_id"], phase)] += r["hours"] or Decimal(0)
    return out


def certification_candidates(cohort: Cohort, user=None) -> list[Candidate]:
    """Every member (visible to `user`, if given) with their progress against the pack's completion rule and,
    when they fall short, why — in Japanese ("スキル習得: 8.0/12時間", "事前学習（eラーニング）未修了", …).

    Hours per phase and the e-learning prerequisite come from `selectors_cohorts.cohort_progress` (the same
    figures as the cohort's progress page; make-ups count toward their phase). Only when the pack says make-ups
    do not count (`allow_makeup: false`) are the hours recomputed here without them. A prerequisite finished
    late is flagged on the progress page but still counts as done here: the rule asks for the hours.
    Fixed queries whatever the cohort's size.
    """
    pack = pack_by_id(cohort.pack_id)
    rule = pack.completion_rule
    ratio = Decimal(str(rule.get("min_phase_hours_ratio", 1)))
    allow_makeup = bool(rule.get("allow_makeup", True))
    require_presentation = bool(rule.get("require_presentation", False))
    progress = cohort_progress(cohort, user=user)
    groups = {
        gm.member_id: gm.group
        for gm in GroupMembership.objects.filter(group__cohort=cohort).select_related("group__evaluation")
    }
    without_makeups = (
        {} if allow_makeup else _attended_hours(cohort, {r.member.employee_id for r in progress.rows}, False)
    )
    out = []
    for row in progress.rows:
        m = row.member
        phases, reasons = [], []
        for pp in row.phases:
            phase = pp.phase
            required = phase.hours * ratio
            if phase.delivery == "elearning" and cohort.prelearning_course_id:
                done = row.prerequisite.status in ("done", "late")
                phases.append(PhaseProgress(phase.code, phase.name, required, pp.attended, True, done))
                if not done:
                    reasons.append(f"{phase.name}（eラーニング）未修了")
                continue
            attended = pp.attended if allow_makeup else without_makeups.get((m.employee_id, phase.code), Decimal(0))
            done = attended >= required
            phases.append(PhaseProgress(phase.code, phase.name, required, attended, False, done))
            if not done:
                reasons.append(f"{phase.name}: {attended:.1f}/{_num(required)}時間")
        group = groups.get(m.pk)
        evaluated = group is not None and getattr(group, "evaluation", None) is not None
        if require_presentation and not evaluated:
            reasons.append("グループ未所属（成果発表の評価なし）" if group is None else "成果発表の評価なし")
        if m.status == MemberStatus.WITHDRAWN:
            reasons.insert(0, "辞退")
        out.append(Candidate(m, phases, group, evaluated, reasons))
    return out

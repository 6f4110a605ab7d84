"""Forming a cohort (第N期) from the selected nominations, adding reserves, and instantiating its curriculum.

The cohort is trained as one CourseRun of the training engine (program = leader_cohort): every member holds an
Enrollment in it, and each in-person session of a required phase of the pack is one Session carrying the phase
code, its number within the phase and the pack's hours per session. The e-learning prerequisite (事前学習) is a
catalog Course (delivery = e-learning) recorded on the cohort; completions come from the vendor import.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.wareki import fiscal_year_bounds, format_fiscal_year, format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.policy.pack import Pack
from dxtalent.policy.selectors import pack_of
from dxtalent.training import services as training
from dxtalent.training.models import Course, CourseRun, Delivery, Session

from ..errors import WorkflowError
from ..models import Cohort, CohortMember, Nomination, NominationStatus, NominationWindow
from ..selectors_cohorts import (
    WINDOW_STATE_LABELS,
    cohort_plan,
    date_in_phase_months,
    in_person_phases,
    phase_months_label,
    prelearning_phase,
    window_state,
)
from .nominations import NOMINATION_TRANSITIONS

__all__ = ["ScheduleResult", "cohort_add_member", "cohort_form", "cohort_schedule_sessions"]

S = NominationStatus
LEADER_TALENT_TYPE = "leader"  # the talent-type code of ② in every pack (SPEC: general / leader / expert)


def _require(user, action: Action) -> None:
    if not access.may(user, action):
        raise PermissionDenied("この操作を行う権限がありません。")


def _curriculum_code(pack: Pack) -> str:
    return str(pack.raw.get("curriculum", {}).get("code") or "leader-training")[:30]


def _leader_course(pack: Pack, by) -> Course:
    """The catalog course of the leader curriculum (one per pack curriculum code; created on first use)."""
    course = Course.objects.filter(code=_curriculum_code(pack)).first()
    if course is None:
        course = training.course_create(
            code=_curriculum_code(pack),
            title=pack.curriculum_name,
            delivery=Delivery.CLASSROOM,
            talent_type=LEADER_TALENT_TYPE,
            hours=pack.curriculum_hours,
            provider=pack.raw.get("issued_by", ""),
            description=pack.raw.get("curriculum", {}).get("goal", ""),
            is_active=False,  # not in the open catalog: trainees come through nomination
            by=by,
        )
    return course


def _prelearning_course(pack: Pack, by) -> Course | None:
    """The designated e-learning course of the prerequisite phase (事前学習), created if missing."""
    phase = prelearning_phase(pack)
    if phase is None:
        return None
    code = f"{_curriculum_code(pack)}-{phase.code}"[:30]
    course = Course.objects.filter(code=code).first()
    if course is None:
        course = training.course_create(
            code=code,
            title=f"{pack.curriculum_name} {phase.name}（指定講座）",
            delivery=Delivery.ELEARNING,
            talent_type=LEADER_TALENT_TYPE,
            hours=phase.hours,
            description=phase.content,
            is_active=False,
            by=by,
        )
    return course


def _enroll(cohort: Cohort, nomination: Nomination, by) -> CohortMember:
    """Place the person on the cohort's run (受講決定 → 承認; 受講中 once attendance is recorded) and add them."""
    employee = nomination.employee
    if CohortMember.objects.filter(cohort=cohort, employee=employee).exists():
        raise WorkflowError(f"{employee.name}さんは既に{cohort}の研修生です。")
    try:
        enrollment = training.enrollment_enroll(
            employee=employee, run=cohort.run, by=by, note=f"{cohort}の選定による受講"
        )
    except training.WorkflowError as exc:
        raise WorkflowError(f"{employee.name}さん: {exc.message}") from None
    member = CohortMember(cohort=cohort, employee=employee, nomination=nomination, enrollment=enrollment)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def cohort_form(
    *, window: NominationWindow, by, start_dates: dict[str, list[dt.date]] | None = None, place: str = ""
) -> Cohort:
    """The selected people of a closed window become 第N期 of its fiscal year.

    N is the pack's planned number for that year (else the next free number); the target size comes from the
    pack. Creates the cohort's CourseRun, enrolls every member and, when `start_dates` ({phase code: [dates]}) is
    given, schedules the sessions at once (see cohort_schedule_sessions).
    """
    _require(by, Action.MANAGE_PROGRAMME)
    window = NominationWindow.objects.select_for_update().select_related("pack").get(pk=window.pk)
    fy = window.fiscal_year
    state = window_state(window)
    if state != "closed":
        raise WorkflowError(
            f"推薦受付が{WINDOW_STATE_LABELS[state]}のため、期を編成できません。"
            f"締切（{format_wareki(window.closes_on)}）の後に編成してください。"
        )
    existing = Cohort.objects.filter(fiscal_year=fy).first()
    if existing is not None:
        raise WorkflowError(f"{format_fiscal_year(fy)}の期は既に編成されています（{existing}）。")
    pending = window.nominations.filter(status=S.SUBMITTED).count()
    if pending:
        raise WorkflowError(
            f"選定・補欠・見送りが決まっていない推薦が{pending}件あります。すべて決めてから期を編成してください。"
        )
    selected = list(window.nominations.filter(status=S.SELECTED).select_related("employee").order_by("pk"))
    if not selected:
        raise WorkflowError("選定された推薦がないため、期を編成できません。")
    pack = pack_of(window.pack)
    planned, target = cohort_plan(pack, fy)
    used = set(Cohort.objects.values_list("number", flat=True))
    number = planned if planned and planned not in used else (max(used, default=0) + 1)
    run = training.run_create(
        course=_leader_course(pack, by),
        fiscal_year=fy,
        title=f"{pack.curriculum_name} 第{number}期（{format_fiscal_year(fy)}）",
        program=CourseRun.Program.LEADER_COHORT,
        capacity=None,
        approval_required=False,
        by=by,
    )
    cohort = Cohort(
        number=number,
        fiscal_year=fy,
        pack=window.pack,
        target_size=target,
        run=run,
        prelearning_course=_prelearning_course(pack, by),
    )
    cohort.full_clean()
    cohort.save()
    for nomination in selected:
        _enroll(cohort, nomination, by)
    if start_dates:
        cohort_schedule_sessions(cohort=cohort, dates=start_dates, place=place, by=by)
    return cohort


@transaction.atomic
def cohort_add_member(*, cohort: Cohort, nomination: Nomination, by, reason: str = "") -> CohortMember:
    """Add a reserve (補欠) of the cohort's year to a formed cohort: the nomination becomes 選定."""
    _require(by, Action.MANAGE_PROGRAMME)
    nomination = Nomination.objects.select_for_update().select_related("window", "employee").get(pk=nomination.pk)
    if nomination.window.fiscal_year != cohort.fiscal_year:
        raise ValidationError(
            {"nomination": f"{cohort}に追加できるのは{format_fiscal_year(cohort.fiscal_year)}の推薦だけです。"}
        )
    if nomination.status != S.SELECTED:
        if S.SELECTED not in NOMINATION_TRANSITIONS.get(nomination.status, set()):
            raise WorkflowError(
                f"{nomination.employee.name}さんの推薦は「{nomination.get_status_display()}」のため、研修生に追加できません。"
            )
        nomination.status = S.SELECTED
        nomination.decision_reason = (reason or "").strip() or "補欠からの繰上げ"
        nomination.decided_by = by
        nomination.decided_at = timezone.now()
        nomination.full_clean()
        nomination.save()
    if cohort.run_id is None:
        raise WorkflowError(f"{cohort}には研修の開講がありません。")
    return _enroll(cohort, nomination, by)


@dataclass
class ScheduleResult:
    sessions: list[Session] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def cohort_schedule_sessions(
    *,
    cohort: Cohort,
    dates: dict[str, list[dt.date]],
    by,
    place: str = "",
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
) -> ScheduleResult:
    """Create (or re-date) one Session per in-person session of each required phase named in `dates`.

    Each phase needs exactly the pack's number of dates, inside the cohort's fiscal year. Dates outside the
    phase's planned months are accepted with a warning. A session that already has attendance keeps its date.
    """
    _require(by, Action.MANAGE_PROGRAMME)
    if cohort.run_id is None:
        raise WorkflowError(f"{cohort}には研修の開講がありません。")
    pack = pack_of(cohort.pack)
    phases = {p.code: p for p in in_person_phases(pack)}
    start, end = fiscal_year_bounds(cohort.fiscal_year)
    errors: dict[str, list[str]] = {}
    for code, days in dates.items():
        phase = phases.get(code)
        if phase is None:
            errors.setdefault("dates", []).append(f"「{code}」は日程を組む対面のフェーズではありません。")
            continue
        days = [d for d in days if d]
        if len(days) != phase.sessions:
            errors.setdefault(code, []).append(
                f"{phase.name}は{phase.sessions}回分の日付が必要です（入力 {len(days)}件）。"
            )
        if len(set(days)) != len(days):
            errors.setdefault(code, []).append(f"{phase.name}に同じ日付が重複しています。")
        outside = [d for d in days if not start <= d <= end]
        if outside:
            errors.setdefault(code, []).append(
                f"{phase.name}の日付は{format_fiscal_year(cohort.fiscal_year)}の中にしてください"
                f"（{'、'.join(format_wareki(d) for d in outside)}）。"
            )
    if errors:
        raise ValidationError(errors)
    if end_time and start_time and end_time <= start_time:
        raise ValidationError({"end_time": "終了時刻は開始時刻より後にしてください。"})
    sessions = list(Session.objects.select_for_update().filter(run_id=cohort.run_id).order_by("number", "pk"))
    regular = [x for x in sessions if not x.is_makeup]
    taken = {x.number for x in regular}
    held = set(Session.objects.filter(run_id=cohort.run_id, attendances__isnull=False).values_list("pk", flat=True))
    offsets, offset = {}, 0
    for phase in phases.values():  # curriculum order: 第1回 … 第10回 across the phases
        offsets[phase.code], offset = offset, offset + phase.sessions
    result, locked = ScheduleResult(), []
    for code, days in dates.items():
        phase = phases[code]
        existing = [x for x in regular if x.phase_code == code]
        for i, day in enumerate(sorted(d for d in days if d)):
            session = existing[i] if i < len(existing) else None
            fields = {"date": day, "hours": phase.hours_per_session}
            if place:
                fields["place"] = place.strip()
            if start_time:
                fields["start_time"] = start_time
            if end_time:
                fields["end_time"] = end_time
            label = f"{phase.name} {i + 1}回目"
            if session is None:
                number = offsets[code] + i + 1
                session = training.session_create(
                    run=cohort.run, phase_code=code, number=None if number in taken else number, by=by, **fields
                )
                taken.add(session.number)
            elif session.date != day and session.pk in held:
                locked.append(f"{label}（{format_wareki(session.date)}）")
                continue
            else:
                session = training.session_update(session=session, by=by, **fields)
            result.sessions.append(session)
            if not date_in_phase_months(phase, day):
                when = f"{label}（{format_wareki(day)}）"
                result.warnings.append(f"{when}は、計画の時期（{phase_months_label(phase)}）の外です。")
    if locked:
        raise WorkflowError("出欠を記録済みの回は日付を変更できません: " + "、".join(locked))
    return result

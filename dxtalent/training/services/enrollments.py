"""The enrollment workflow (受講申込): one transition table, and a function per event.

    申込 applied ──承認──▶ 承認 approved ──受講開始──▶ 受講中 in_progress ──修了──▶ 修了 completed
        │                    │                                        └──未修了──▶ 未修了 incomplete
        ├──不承認──▶ 不承認 rejected
        └──取消──▶ 取消 cancelled ◀──取消── 承認 / キャンセル待ち
    (full run) ──申込──▶ キャンセル待ち waitlisted ──繰上げ──▶ 申込 (or 承認 when the run needs no approval)

Capacity counts the seat-holding states (申込, 承認, 受講中, 修了). When a seat frees (取消 of a seat-holding
application, 不承認, a larger capacity) the first person waiting is promoted. Illegal transitions raise
`WorkflowError` (pages: a message; API: 409).
"""

import datetime as dt
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dxtalent.core.wareki import format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee, EmploymentStatus

from ..errors import WorkflowError
from ..models import SEAT_HOLDING, CourseRun, Enrollment, EnrollmentStatus
from ._common import check_may, is_self

S = EnrollmentStatus
NEW = None  # "no enrollment yet"


class Event(StrEnum):
    APPLY = "apply"  # 申込 (own application; the run decides 申込 / 承認 / キャンセル待ち)
    ENROLL = "enroll"  # 受講決定 by the secretariat (e.g. a selected DX推進リーダー trainee): straight to 承認
    APPROVE = "approve"
    REJECT = "reject"
    CANCEL = "cancel"
    PROMOTE = "promote"  # キャンセル待ち → 申込 / 承認 when a seat frees
    START = "start"
    COMPLETE = "complete"
    MARK_INCOMPLETE = "incomplete"
    REOPEN = "reopen"  # correct a 修了 / 未修了 decision


# THE transition table: event → (states it may start from, state it ends in; None = decided by the run).
TRANSITIONS: dict[Event, tuple[frozenset, S | None]] = {
    Event.APPLY: (frozenset({NEW, S.CANCELLED}), None),
    Event.ENROLL: (frozenset({NEW, S.CANCELLED, S.APPLIED, S.WAITLISTED}), S.APPROVED),
    Event.APPROVE: (frozenset({S.APPLIED}), S.APPROVED),
    Event.REJECT: (frozenset({S.APPLIED}), S.REJECTED),
    Event.CANCEL: (frozenset({S.APPLIED, S.APPROVED, S.WAITLISTED}), S.CANCELLED),
    Event.PROMOTE: (frozenset({S.WAITLISTED}), None),
    Event.START: (frozenset({S.APPROVED}), S.IN_PROGRESS),
    Event.COMPLETE: (frozenset({S.IN_PROGRESS}), S.COMPLETED),
    Event.MARK_INCOMPLETE: (frozenset({S.IN_PROGRESS}), S.INCOMPLETE),
    Event.REOPEN: (frozenset({S.COMPLETED, S.INCOMPLETE}), S.IN_PROGRESS),
}
EVENT_LABELS = {
    Event.APPLY: "申込",
    Event.ENROLL: "受講決定",
    Event.APPROVE: "承認",
    Event.REJECT: "不承認",
    Event.CANCEL: "取消",
    Event.PROMOTE: "繰上げ",
    Event.START: "受講開始",
    Event.COMPLETE: "修了",
    Event.MARK_INCOMPLETE: "未修了",
    Event.REOPEN: "修了判定の取消",
}


def can(event: Event, status: str | None) -> bool:
    return status in TRANSITIONS[event][0]


def allowed_events(status: str | None) -> list[Event]:
    return [e for e in Event if can(e, status)]


def _check(event: Event, enrollment: Enrollment | None) -> None:
    status = enrollment.status if enrollment is not None else NEW
    if can(event, status):
        return
    label = EVENT_LABELS[event]
    if event is Event.APPLY:
        if status == S.REJECTED:
            raise WorkflowError("この開講への申込は不承認になっています。同じ開講にもう一度申し込むことはできません。")
        raise WorkflowError(f"すでにこの開講に申し込んでいます（状態: {S(status).label}）。二重には申し込めません。")
    raise WorkflowError(f"状態が「{S(status).label}」の申込は{label}できません。")


def _move(enrollment: Enrollment, event: Event, to: str, *, by=None, note: str = "") -> Enrollment:
    _check(event, enrollment)
    enrollment.status = to
    if to != S.WAITLISTED:
        enrollment.waitlist_position = None
    if event in (Event.APPROVE, Event.REJECT, Event.ENROLL):
        enrollment.decided_by = by
        enrollment.decided_at = timezone.now()
    if note:
        enrollment.note = f"{enrollment.note}\n{note}".strip() if enrollment.note else note
    enrollment.full_clean()
    enrollment.save()
    return enrollment


def _lock_run(run: CourseRun) -> CourseRun:
    return CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)


def _lock(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.select_for_update().select_related("run", "employee").get(pk=enrollment.pk)


def seats_taken(run: CourseRun) -> int:
    return Enrollment.objects.filter(run=run, status__in=SEAT_HOLDING).count()


def is_full(run: CourseRun) -> bool:
    return run.capacity is not None and seats_taken(run) >= run.capacity


def application_problem(run: CourseRun, day: dt.date | None = None) -> str | None:
    """Why the run takes no application today (None when it does). Pages use it to hide the apply button."""
    day = day or timezone.localdate()
    if run.program == CourseRun.Program.LEADER_COHORT:
        return "DX推進リーダー育成研修は、局区の推薦と事務局の選定で受講者が決まるため、申し込めません。"
    if not run.course.is_active:
        return "この講座は現在募集していません。"
    if run.apply_from and day < run.apply_from:
        return f"申込の受付は{format_wareki(run.apply_from)}からです。"
    if run.apply_until and day > run.apply_until:
        return f"申込の受付は{format_wareki(run.apply_until)}で締め切りました。"
    last = run.last_date if hasattr(run, "last_date") else run.sessions.aggregate(last=Max("date"))["last"]
    if last is not None and last < day:
        return f"この開講の研修日はすべて終わっています（最終日 {format_wareki(last)}）。"
    return None


def _waitlist_tail(run: CourseRun) -> int:
    last = (
        Enrollment.objects.filter(run=run, status=S.WAITLISTED)
        .order_by("-waitlist_position")
        .values_list("waitlist_position", flat=True)
        .first()
    )
    return (last or 0) + 1


def _moment(day: dt.date) -> dt.datetime:
    """9:00 local time of a day (the applied_at of an application loaded for a past day)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _entry_status(run: CourseRun) -> str:
    return S.APPLIED if run.approval_required else S.APPROVED


@transaction.atomic
def enrollment_apply(
    *, employee: Employee, run: CourseRun, by=None, note: str = "", on: dt.date | None = None
) -> Enrollment:
    """Apply for a run (one's own application, or the secretariat on someone's behalf).

    A full run puts the person on the waitlist (キャンセル待ち) with a position; a run without approval goes
    straight to 承認. Closed runs, a second application and a rejected application raise WorkflowError.
    `on` (system or secretariat only) is the day the application is made, for loading past applications: the
    application window is checked against that day and applied_at is set to it.
    """
    if by is not None and not is_self(by, employee) and not access.may(by, Action.MANAGE_TRAINING):
        raise PermissionDenied("他の職員の受講を申し込むことはできません。")
    if by is not None and not access.may(by, Action.VIEW_CATALOG):
        raise PermissionDenied("研修に申し込む権限がありません。")
    if on is not None and by is not None and not access.may(by, Action.MANAGE_TRAINING):
        raise PermissionDenied("申込日を指定できるのは事務局・職員部だけです。")
    run = _lock_run(run)
    if problem := application_problem(run, on):
        raise WorkflowError(problem)
    if employee.status != EmploymentStatus.ACTIVE:
        raise WorkflowError("退職・転出した職員は申し込めません。")
    existing = Enrollment.objects.select_for_update().filter(run=run, employee=employee).first()
    _check(Event.APPLY, existing)
    enrollment = existing or Enrollment(run=run, employee=employee)
    if existing is not None:
        enrollment.decided_by, enrollment.decided_at = None, None
    if existing is not None or on is not None:
        enrollment.applied_at = _moment(on) if on else timezone.now()
    if run.capacity is not None and seats_taken(run) >= run.capacity:
        enrollment.status = S.WAITLISTED
        enrollment.waitlist_position = _waitlist_tail(run)
    else:
        enrollment.status = _entry_status(run)
        enrollment.waitlist_position = None
    if note:
        enrollment.note = note
    enrollment.full_clean(validate_unique=False)
    enrollment.save()
    if on is not None and existing is None:  # auto_now_add stamps a new row with now: set the given day
        enrollment.applied_at = _moment(on)
        Enrollment.objects.filter(pk=enrollment.pk).update(applied_at=enrollment.applied_at)
    return enrollment


@transaction.atomic
def enrollment_enroll(*, employee: Employee, run: CourseRun, by=None, note: str = "") -> Enrollment:
    """受講決定 by the secretariat: the person is placed on the run as 承認, whatever the application window and
    capacity (an explicit decision, e.g. the selected trainees of a DX推進リーダー cohort)."""
    check_may(by, Action.MANAGE_TRAINING)
    run = _lock_run(run)
    existing = Enrollment.objects.select_for_update().filter(run=run, employee=employee).first()
    if existing is None:
        _check(Event.ENROLL, None)
        enrollment = Enrollment(run=run, employee=employee, status=S.APPROVED, decided_by=by, decided_at=timezone.now())
        enrollment.note = note
        enrollment.full_clean(validate_unique=False)
        enrollment.save()
        return enrollment
    was_waiting = existing.status == S.WAITLISTED
    _move(existing, Event.ENROLL, S.APPROVED, by=by, note=note)
    if was_waiting:
        _renumber_waitlist(run)
    return existing


@transaction.atomic
def enrollment_decide(*, enrollment: Enrollment, approve: bool, by=None, note: str = "") -> Enrollment:
    """承認 / 不承認 of an application, by someone who may approve AND may see the applicant (a manager: own 課)."""
    enrollment = _lock(enrollment)
    if by is not None:
        check_may(by, Action.APPROVE_ENROLLMENTS, "受講申込を承認する権限がありません。")
        if is_self(by, enrollment.employee):
            raise PermissionDenied("自分の受講申込を自分で承認・不承認にすることはできません。")
        if not access.may_view_employee(by, enrollment.employee):
            raise PermissionDenied("担当外の職員の受講申込は承認・不承認にできません。")
    event = Event.APPROVE if approve else Event.REJECT
    _move(enrollment, event, TRANSITIONS[event][1], by=by, note=note)
    if not approve:
        promote_waitlist(run=enrollment.run, by=by)
    return enrollment


@transaction.atomic
def enrollment_cancel(*, enrollment: Enrollment, by=None, note: str = "") -> Enrollment:
    """取消: by the person themself or the secretariat, from 申込 / 承認 / キャンセル待ち. A freed seat goes to the
    first person waiting."""
    enrollment = _lock(enrollment)
    if by is not None and not is_self(by, enrollment.employee) and not access.may(by, Action.MANAGE_TRAINING):
        raise PermissionDenied("他の職員の受講申込は取り消せません。")
    held_seat = enrollment.status in SEAT_HOLDING
    was_waiting = enrollment.status == S.WAITLISTED
    _move(enrollment, Event.CANCEL, S.CANCELLED, by=by, note=note)
    if held_seat:
        promote_waitlist(run=enrollment.run, by=by)
    elif was_waiting:
        _renumber_waitlist(enrollment.run)
    return enrollment


def _secretariat_move(event: Event):
    @transaction.atomic
    def move(*, enrollment: Enrollment, by=None, note: str = "") -> Enrollment:
        check_may(by, Action.MANAGE_TRAINING)
        enrollment = _lock(enrollment)
        return _move(enrollment, event, TRANSITIONS[event][1], by=by, note=note)

    move.__name__ = f"enrollment_{event.value}"
    move.__doc__ = f"{EVENT_LABELS[event]} (secretariat / hr; by=None for the system)."
    return move


enrollment_start = _secretariat_move(Event.START)
enrollment_complete = _secretariat_move(Event.COMPLETE)
enrollment_mark_incomplete = _secretariat_move(Event.MARK_INCOMPLETE)
enrollment_reopen = _secretariat_move(Event.REOPEN)

# Event → service, for pages and the API that act on one enrollment by an event name.
ACTIONS = {
    Event.APPROVE: lambda *, enrollment, by, note="": enrollment_decide(
        enrollment=enrollment, approve=True, by=by, note=note
    ),
    Event.REJECT: lambda *, enrollment, by, note="": enrollment_decide(
        enrollment=enrollment, approve=False, by=by, note=note
    ),
    Event.CANCEL: enrollment_cancel,
    Event.START: enrollment_start,
    Event.COMPLETE: enrollment_complete,
    Event.MARK_INCOMPLETE: enrollment_mark_incomplete,
    Event.REOPEN: enrollment_reopen,
}


def promote_waitlist(*, run: CourseRun, by=None) -> list[Enrollment]:
    """Fill free seats from the waitlist, first come first served (call inside a transaction)."""
    run = _lock_run(run)
    promoted = []
    if run.capacity is None:
        free = None
    else:
        free = run.capacity - seats_taken(run)
        if free <= 0:
            return promoted
    waiting = Enrollment.objects.select_for_update().filter(run=run, status=S.WAITLISTED)
    waiting = waiting.order_by("waitlist_position", "applied_at", "pk")
    for enrollment in waiting if free is None else waiting[:free]:
        _move(enrollment, Event.PROMOTE, _entry_status(run), by=by, note="キャンセル待ちから繰上げ")
        promoted.append(enrollment)
    if promoted:
        _renumber_waitlist(run)
    return promoted


def _renumber_waitlist(run: CourseRun) -> None:
    """Keep positions 1, 2, 3 … in order after someone leaves the waitlist."""
    waiting = Enrollment.objects.filter(run=run, status=S.WAITLISTED).order_by("waitlist_position", "applied_at", "pk")
    for position, enrollment in enumerate(waiting, start=1):
        if enrollment.waitlist_position != position:
            enrollment.waitlist_position = position
            enrollment.save(update_fields=["waitlist_position"])

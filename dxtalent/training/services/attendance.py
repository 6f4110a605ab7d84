"""Attendance (出欠): a whole sheet for one session is recorded in one transaction, or nothing is.

Rules per row: 出席 → the session's hours; 欠席 → 0; 遅刻・早退 → the hours actually attended, required, with
0 < hours < the session's hours. Only enrollments of the session's run that hold a seat (申込, 承認, 受講中, 修了)
may be recorded. An 承認 enrollment whose attendance is recorded becomes 受講中.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dxtalent.core.wareki import format_wareki
from dxtalent.org.access import Action

from ..errors import AttendanceSheetError
from ..models import SEAT_HOLDING, Attendance, AttendanceStatus, Enrollment, Session
from ._common import check_may, parse_hours
from .enrollments import TRANSITIONS, Event, can

STATUS_WORDS = {  # what people (and the API) may send for a status
    **{s.value: s for s in AttendanceStatus},
    **{s.label: s for s in AttendanceStatus},
    "遅刻": AttendanceStatus.PARTIAL,
    "早退": AttendanceStatus.PARTIAL,
}


def _row(entry) -> tuple:
    if isinstance(entry, dict):
        return entry.get("enrollment"), entry.get("status"), entry.get("hours")
    enrollment, status, *rest = entry
    return enrollment, status, (rest[0] if rest else None)


def _key(enrollment):
    """An enrollment, its id or the id as text → int id (anything else is kept as given, for the message)."""
    if isinstance(enrollment, Enrollment):
        return enrollment.pk
    if isinstance(enrollment, int) and not isinstance(enrollment, bool):
        return enrollment
    if isinstance(enrollment, str) and enrollment.strip().isdigit():
        return int(enrollment.strip())
    return enrollment


def check_row(session: Session, status, hours) -> tuple[str, Decimal]:
    """The (status, hours) to store for one row, or ValidationError with a Japanese message."""
    status = STATUS_WORDS.get(str(status).strip() if status is not None else "")
    if status is None:
        raise ValidationError("出欠は 出席・欠席・遅刻・早退 のいずれかを選んでください。")
    if status == AttendanceStatus.PRESENT:
        return status, session.hours
    if status == AttendanceStatus.ABSENT:
        return status, Decimal("0.00")
    if hours is None or str(hours).strip() == "":
        raise ValidationError("遅刻・早退のときは、出席した時間を入力してください。")
    try:
        value = parse_hours(hours, label="出席した時間")
    except ValidationError as exc:
        raise ValidationError(exc.messages[0]) from None
    if not Decimal(0) < value < session.hours:
        raise ValidationError(
            f"遅刻・早退の時間は0より大きく、この回の時間（{session.hours.normalize():f}時間）より短くしてください。"
        )
    return status, value


@transaction.atomic
def attendance_record(*, session: Session, entries: Iterable, by=None) -> list[Attendance]:
    """Record a sheet: `entries` = [(enrollment or its id, status, hours or None), …] (or dicts with those keys).

    Every row is checked first; if any is wrong, AttendanceSheetError (a ValidationError) carries each bad row's
    message by enrollment id and nothing is saved. Existing rows of the session are updated (history kept).
    """
    check_may(by, Action.MANAGE_TRAINING)
    session = Session.objects.select_related("run").get(pk=session.pk)
    rows = [_row(e) for e in entries]
    if session.date > timezone.localdate():
        raise AttendanceSheetError(
            {}, [f"この回（{format_wareki(session.date)}）はまだ実施されていないため、出欠を記録できません。"]
        )
    keys = [_key(enrollment) for enrollment, _status, _hours in rows]
    known = {
        e.pk: e
        for e in Enrollment.objects.filter(
            run_id=session.run_id, pk__in=[k for k in keys if isinstance(k, int)]
        ).select_related("employee")
    }
    existing = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    errors: dict = {}
    seen: set[int] = set()
    plan: list[tuple[Enrollment, str, Decimal]] = []
    for key, (_e, status, hours) in zip(keys, rows, strict=True):
        enrollment = known.get(key) if isinstance(key, int) else None
        if enrollment is None:
            errors[key] = "この開講の受講申込ではありません。"
            continue
        if enrollment.pk in seen:
            errors[key] = f"{enrollment.employee.name}さんの行が2つあります。"
            continue
        seen.add(enrollment.pk)
        if enrollment.status not in SEAT_HOLDING:
            errors[key] = (
                f"{enrollment.employee.name}さんの申込は「{enrollment.get_status_display()}」のため、出欠を記録できません。"
            )
            continue
        try:
            plan.append((enrollment, *check_row(session, status, hours)))
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    if errors:
        raise AttendanceSheetError(errors)
    if not plan:
        raise AttendanceSheetError({}, ["記録する受講者がいません。"])
    history = {"default_user": by, "default_change_reason": "出欠の記録", "default_date": timezone.now()}
    now = timezone.now()
    to_create, to_update = [], []
    for enrollment, status, hours in plan:
        row = existing.get(enrollment.pk)
        if row is None:
            to_create.append(
                Attendance(
                    session=session, enrollment=enrollment, status=status, hours=hours, recorded_by=by, recorded_at=now
                )
            )
        elif (row.status, row.hours) != (status, hours):
            row.status, row.hours, row.recorded_by, row.recorded_at = status, hours, by, now
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, Attendance, **history)
    if to_update:
        bulk_update_with_history(to_update, Attendance, ["status", "hours", "recorded_by", "recorded_at"], **history)
    starting = [e for e, _s, _h in plan if can(Event.START, e.status)]
    for enrollment in starting:
        enrollment.status = TRANSITIONS[Event.START][1]  # 受講開始 (承認 → 受講中), from the one transition table
    if starting:
        bulk_update_with_history(
            starting, Enrollment, ["status"], default_user=by, default_change_reason="出欠の記録により受講開始"
        )
    by_pk = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    return [by_pk[e.pk] for e, _s, _h in plan]

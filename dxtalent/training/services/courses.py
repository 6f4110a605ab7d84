"""Courses (講座), runs (開講) and sessions (研修日, incl. 補講): master data written by the secretariat / hr.

Every function takes keyword arguments only and `by=` (the acting user; None for the system, e.g. the demo
loader), checks `MANAGE_TRAINING`, validates with `full_clean()` and raises Django's ValidationError with
Japanese messages per field.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from dxtalent.core.text import normalize
from dxtalent.core.wareki import fiscal_year, format_fiscal_year, format_wareki
from dxtalent.org.access import Action

from ..models import SEAT_HOLDING, Attendance, AttendanceStatus, Course, CourseRun, Delivery, Enrollment, Session
from ._common import check_may, parse_hours, phase_codes, talent_type_codes

COURSE_FIELDS = (
    "code",
    "title",
    "delivery",
    "provider",
    "talent_type",
    "hours",
    "description",
    "vendor_code",
    "is_active",
)
RUN_FIELDS = ("title", "program", "capacity", "approval_required", "apply_from", "apply_until")
SESSION_FIELDS = ("date", "hours", "number", "phase_code", "start_time", "end_time", "place", "capacity")


def tidy(text) -> str:
    """Trim and collapse whitespace, but keep the characters (（）and 全角 are how Japanese titles are written)."""
    return " ".join(str(text or "").split())


def _clean_course(course: Course) -> None:
    course.code = normalize(course.code)
    course.vendor_code = normalize(course.vendor_code)
    course.title = tidy(course.title)
    course.provider = tidy(course.provider)
    errors = {}
    try:
        course.hours = parse_hours(course.hours, label="標準時間")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if course.hours < 0:
            errors["hours"] = ["標準時間は0以上の数にしてください。"]
    if course.delivery not in Delivery.values:
        errors["delivery"] = ["形式は " + "、".join(Delivery.labels) + " のいずれかを選んでください。"]
    codes = talent_type_codes()
    if codes is not None and course.talent_type not in codes:
        errors["talent_type"] = [
            f"対象の人材像「{course.talent_type}」はポリシーパックにありません（{'、'.join(sorted(codes))}）。"
        ]
    _full_clean(course, errors)


def _full_clean(obj, errors: dict) -> None:
    """Model validation on the fields not already wrong, reported together with `errors`."""
    try:
        obj.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def course_create(
    *,
    code: str,
    title: str,
    delivery: str,
    talent_type: str,
    hours,
    provider: str = "",
    description: str = "",
    vendor_code: str = "",
    is_active: bool = True,
    by=None,
) -> Course:
    check_may(by, Action.MANAGE_TRAINING)
    course = Course(
        code=code,
        title=title,
        delivery=delivery,
        talent_type=talent_type,
        hours=hours,
        provider=provider,
        description=description,
        vendor_code=vendor_code,
        is_active=is_active,
    )
    _clean_course(course)
    course.save()
    return course


@transaction.atomic
def course_update(*, course: Course, by=None, **fields) -> Course:
    check_may(by, Action.MANAGE_TRAINING)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"course_update: unknown fields {sorted(unknown)}")
    course = Course.objects.select_for_update().get(pk=course.pk)
    for name, value in fields.items():
        setattr(course, name, value)
    _clean_course(course)
    course.save()
    return course


# ---------------------------------------------------------------- runs


def _clean_run(run: CourseRun) -> None:
    errors = {}
    run.title = tidy(run.title)
    if run.apply_from and run.apply_until and run.apply_until < run.apply_from:
        errors["apply_until"] = ["申込締切日は申込開始日以降の日付にしてください。"]
    if run.capacity is not None and run.capacity < 1:
        errors["capacity"] = ["定員は1以上の整数にしてください（定員なしは空欄）。"]
    _full_clean(run, errors)


@transaction.atomic
def run_create(
    *,
    course: Course,
    fiscal_year: int,
    title: str = "",
    program: str = CourseRun.Program.GENERAL,
    capacity: int | None = None,
    approval_required: bool = True,
    apply_from: dt.date | None = None,
    apply_until: dt.date | None = None,
    by=None,
) -> CourseRun:
    check_may(by, Action.MANAGE_TRAINING)
    run = CourseRun(
        course=course,
        fiscal_year=fiscal_year,
        title=title or f"{course.title}（{format_fiscal_year(fiscal_year)}）",
        program=program,
        capacity=capacity,
        approval_required=approval_required,
        apply_from=apply_from,
        apply_until=apply_until,
    )
    _clean_run(run)
    run.save()
    return run


@transaction.atomic
def run_update(*, run: CourseRun, by=None, **fields) -> CourseRun:
    """Change a run. A larger capacity promotes people waiting (キャンセル待ち) into the freed seats."""
    from .enrollments import promote_waitlist

    check_may(by, Action.MANAGE_TRAINING)
    unknown = set(fields) - set(RUN_FIELDS)
    if unknown:
        raise TypeError(f"run_update: unknown fields {sorted(unknown)}")
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    for name, value in fields.items():
        setattr(run, name, value)
    _clean_run(run)
    taken = Enrollment.objects.filter(run=run, status__in=SEAT_HOLDING).count()
    if run.capacity is not None and run.capacity < taken:
        raise ValidationError({"capacity": [f"定員を申込・受講中の人数（{taken}人）より少なくはできません。"]})
    run.save()
    promote_waitlist(run=run, by=by)
    return run


# ---------------------------------------------------------------- sessions


def _clean_session(session: Session, run: CourseRun) -> None:
    errors: dict[str, list[str]] = {}
    session.place = tidy(session.place)
    session.phase_code = normalize(session.phase_code)
    try:
        session.hours = parse_hours(session.hours)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if session.hours <= 0:
            errors["hours"] = ["時間は0より大きい数にしてください。"]
    if isinstance(session.date, dt.date) and fiscal_year(session.date) != run.fiscal_year:
        errors["date"] = [f"日付は開講年度（{format_fiscal_year(run.fiscal_year)}）内にしてください。"]
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        errors["end_time"] = ["終了時刻は開始時刻より後にしてください。"]
    if session.phase_code and isinstance(session.date, dt.date):
        codes = phase_codes(session.date)
        if codes is not None and session.phase_code not in codes:
            errors["phase_code"] = [
                f"フェーズ「{session.phase_code}」はカリキュラムにありません（{'、'.join(sorted(codes))}）。"
            ]
    if not session.is_makeup and session.number:
        clash = Session.objects.filter(run=run, is_makeup=False, number=session.number).exclude(pk=session.pk)
        if clash.exists():
            errors["number"] = [f"第{session.number}回はこの開講にすでにあります。"]
    _full_clean(session, errors)


@transaction.atomic
def session_create(
    *,
    run: CourseRun,
    date: dt.date,
    hours,
    number: int | None = None,
    phase_code: str = "",
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str = "",
    capacity: int | None = None,
    is_makeup: bool = False,
    makeup_for: Session | None = None,
    by=None,
) -> Session:
    """A dated session of a run. A make-up (補講: is_makeup=True) names the session it makes up for
    (`makeup_for`, of the same run); it takes that session's phase and number, so its hours count toward the
    same phase (see selectors.phase_hours)."""
    check_may(by, Action.MANAGE_TRAINING)
    if makeup_for is not None and not is_makeup:
        is_makeup = True
    if is_makeup:
        if makeup_for is None:
            raise ValidationError({"makeup_for": ["補講の対象回を選んでください。"]})
        makeup_for = Session.objects.select_related("makeup_for").get(pk=makeup_for.pk)
        if makeup_for.is_makeup and makeup_for.makeup_for is not None:
            makeup_for = makeup_for.makeup_for  # a make-up of a make-up makes up for the original session
        if makeup_for.run_id != run.pk:
            raise ValidationError({"makeup_for": ["補講の対象回は同じ開講の研修日にしてください。"]})
        if phase_code and normalize(phase_code) != makeup_for.phase_code:
            raise ValidationError({"phase_code": ["補講のフェーズは対象回と同じになります（変更できません）。"]})
        if isinstance(date, dt.date) and date < makeup_for.date:
            raise ValidationError(
                {"date": [f"補講の日付は対象回（{format_wareki(makeup_for.date)}）以降にしてください。"]}
            )
        phase_code, number = makeup_for.phase_code, makeup_for.number
    elif number is None:
        last = Session.objects.filter(run=run, is_makeup=False).order_by("-number").values_list("number", flat=True)
        number = (last.first() or 0) + 1
    session = Session(
        run=run,
        date=date,
        hours=hours,
        number=number,
        phase_code=phase_code or "",
        start_time=start_time,
        end_time=end_time,
        place=place,
        capacity=capacity,
        is_makeup=is_makeup,
        makeup_for=makeup_for if is_makeup else None,
    )
    _clean_session(session, run)
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, by=None, **fields) -> Session:
    """Change a session. New hours carry over to 出席 rows; a 遅刻・早退 row that would reach the new hours is an
    error. A new phase carries over to the session's make-ups (a make-up's phase and number follow its original)."""
    check_may(by, Action.MANAGE_TRAINING)
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update: unknown fields {sorted(unknown)}")
    session = Session.objects.select_for_update().select_related("run").get(pk=session.pk)
    if session.is_makeup:
        for name in ("phase_code", "number"):
            if name in fields and fields[name] != getattr(session, name):
                raise ValidationError({name: ["補講のフェーズと回は対象回と同じです（対象回で変更してください）。"]})
    old_hours = session.hours
    for name, value in fields.items():
        setattr(session, name, value)
    _clean_session(session, session.run)
    if session.hours != old_hours:
        too_long = Attendance.objects.filter(
            session=session, status=AttendanceStatus.PARTIAL, hours__gte=session.hours
        ).count()
        if too_long:
            raise ValidationError(
                {
                    "hours": [
                        f"遅刻・早退で{session.hours}時間以上の出席が記録された受講者が{too_long}人います。先に出欠を直してください。"
                    ]
                }
            )
    session.save()
    if session.hours != old_hours:
        for row in Attendance.objects.filter(session=session, status=AttendanceStatus.PRESENT):
            row.hours = session.hours
            row.save(update_fields=["hours", "recorded_at"])
    if not session.is_makeup:
        for makeup in session.makeups.exclude(phase_code=session.phase_code, number=session.number):
            makeup.phase_code, makeup.number = session.phase_code, session.number
            makeup.save(update_fields=["phase_code", "number"])
    return session

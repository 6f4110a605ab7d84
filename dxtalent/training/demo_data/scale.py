"""`generate_scale_data`: a year of enrollments at city scale, by plain bulk inserts (no change history)."""

import datetime as dt
import math
import random
import time
from decimal import Decimal

from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds, format_fiscal_year

from ..models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseRun,
    ELearningCompletion,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from .catalog import CATALOG_FILE, session_dates
from .common import ONE_DAY, Staff, ensure_pack, parse_time, plus_hours, read_yaml

SCALE_ENROLLMENTS_PER_PERSON = 0.8  # ≈ 20,000 enrollments a year at 25,000 staff (DESIGN.md, "Speed")
S = EnrollmentStatus


def generate_scale_data(*, plan, seed: int, stdout) -> None:
    """≈ 0.8 enrollments per person in post for the current 年度 (≈ 20,000 at 25,000 staff), bulk-inserted."""
    started = time.perf_counter()
    pack = ensure_pack(stdout)
    conf = read_yaml(CATALOG_FILE)
    rng = random.Random(f"{seed}-training-scale")
    today = plan.today
    fy = fiscal_year(today)
    fy_start, fy_end = fiscal_year_bounds(fy)
    talent_types = {t.code for t in pack.talent_types}
    staff = sorted(Staff.on(today).rows)
    if not staff:
        return
    target = round(len(staff) * SCALE_ENROLLMENTS_PER_PERSON)
    specs = [c for c in conf["courses"] if c["talent_type"] in talent_types]
    existing = {c.code: c for c in Course.objects.filter(code__in=[c["code"] for c in specs])}
    new = [
        Course(
            code=c["code"],
            title=c["title"],
            delivery=c["delivery"],
            provider=c.get("provider", ""),
            talent_type=c["talent_type"],
            hours=Decimal(str(c["hours"])),
            description=c.get("description", ""),
            vendor_code=c.get("vendor_code", ""),
        )
        for c in specs
        if c["code"] not in existing
    ]
    Course.objects.bulk_create(new)
    courses = {c.code: c for c in Course.objects.filter(code__in=[c["code"] for c in specs])}
    places = conf.get("places") or {}

    # Runs: each run template of the catalog repeated every few weeks until the year holds `target` seats.
    templates = [(c, r) for c in specs for r in c.get("runs") or []]
    seats = sum(r.get("capacity") or r.get("applicants", 30) for _c, r in templates) or 1
    repeat = max(1, math.ceil(target / seats))
    runs, plans = [], []
    for c, r in templates:
        course = courses[c["code"]]
        dates = session_dates(fy, r)
        for k in range(repeat):
            shift = dt.timedelta(days=7 * k)
            days = [min(max(d["date"] + shift - dt.timedelta(days=7 * (repeat // 2)), fy_start), fy_end) for d in dates]
            runs.append(
                CourseRun(
                    course=course,
                    fiscal_year=fy,
                    title=f"{course.title}（{format_fiscal_year(fy)} 第{k + 1}回）",
                    capacity=r.get("capacity"),
                    approval_required=bool(r.get("approval", True)),
                    apply_from=fy_start,
                    apply_until=(days[0] - ONE_DAY) if days else None,
                )
            )
            plans.append((c, r, dates, days))
    CourseRun.objects.bulk_create(runs, batch_size=2000)
    sessions: list[Session] = []
    for run, (c, _r, dates, days) in zip(runs, plans, strict=True):
        hours = (Decimal(str(c["hours"])) / max(1, len(days))).quantize(Decimal("0.01"))
        for number, (spec, day) in enumerate(zip(dates, days, strict=True), start=1):
            start = parse_time(spec.get("start", "13:00"))
            sessions.append(
                Session(
                    run=run,
                    number=number,
                    date=day,
                    hours=hours,
                    start_time=start,
                    end_time=plus_hours(start, hours),
                    place=places.get(spec.get("place"), ""),
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    by_run: dict[int, list[Session]] = {}
    for s in sessions:
        by_run.setdefault(s.run_id, []).append(s)

    # Enrollments, attendance and completions: the state follows the run's dates.
    enrollments, meta = [], []
    per_seat = target / (seats * repeat)
    for run, (c, r, _dates, days) in zip(runs, plans, strict=True):
        size = round((r.get("capacity") or r.get("applicants", 30)) * per_seat)
        for employee_id in rng.sample(staff, min(size, len(staff))):
            status = _scale_status(rng, c["delivery"], days, today)
            enrollments.append(Enrollment(run=run, employee_id=employee_id, status=status))
            meta.append((run, c, days))
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    attendances, completions = [], []
    for e, (run, c, days) in zip(enrollments, meta, strict=True):
        if e.status in (S.COMPLETED, S.INCOMPLETE, S.IN_PROGRESS) and days:
            held = [s for s in by_run.get(run.pk, []) if s.date <= today]
            for i, session in enumerate(held):
                absent = e.status == S.INCOMPLETE and i == len(held) - 1
                attendances.append(
                    Attendance(
                        session=session,
                        enrollment=e,
                        status=AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT,
                        hours=Decimal(0) if absent else session.hours,
                    )
                )
        elif e.status == S.COMPLETED and not days:
            completions.append(
                ELearningCompletion(
                    employee_id=e.employee_id,
                    course=courses[c["code"]],
                    completed_on=fy_start + dt.timedelta(days=rng.randint(0, max(0, (today - fy_start).days))),
                    hours=Decimal(str(c["hours"])),
                    source=conf["elearning_source"],
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    ELearningCompletion.objects.bulk_create(completions, batch_size=2000, ignore_conflicts=True)
    stdout.write(
        f"  研修: 講座 {len(courses)} 件・開講 {len(runs):,} 件・研修日 {len(sessions):,} 件、"
        f"受講申込 {len(enrollments):,} 件、出欠 {len(attendances):,} 件、eラーニング修了 {len(completions):,} 件"
        f"（一括登録、{time.perf_counter() - started:.1f} 秒）"
    )


def _scale_status(rng: random.Random, delivery: str, days: list[dt.date], today: dt.date) -> str:
    roll = rng.random()
    if not days:  # e-learning
        return S.COMPLETED if roll < 0.6 else S.IN_PROGRESS if roll < 0.85 else S.APPROVED
    if days[-1] < today:
        return (
            S.COMPLETED if roll < 0.88 else S.INCOMPLETE if roll < 0.92 else S.CANCELLED if roll < 0.97 else S.REJECTED
        )
    if days[0] <= today:
        return S.IN_PROGRESS if roll < 0.95 else S.CANCELLED
    return S.APPROVED if roll < 0.7 else S.APPLIED if roll < 0.9 else S.CANCELLED if roll < 0.95 else S.REJECTED

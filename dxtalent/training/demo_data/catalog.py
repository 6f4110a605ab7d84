"""`load_demo`: the general-staff catalog of catalog.yaml, and this 年度 replayed up to today through the services."""

import datetime as dt
import heapq
import itertools
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds, format_fiscal_year
from dxtalent.org.models import Employee
from dxtalent.org.selectors import org_snapshot, reset_snapshots

from .. import services
from ..errors import WorkflowError
from ..imports import import_elearning
from ..models import (
    SEAT_HOLDING,
    AttendanceStatus,
    Course,
    CourseRun,
    Delivery,
    ELearningCompletion,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from .common import DEMO_DIR, ONE_DAY, Cast, Staff, clock, fy_date, pack_or_none, parse_time, plus_hours, read_yaml

CATALOG_FILE = DEMO_DIR / "catalog.yaml"
S = EnrollmentStatus


@dataclass
class _Ctx:
    today: dt.date
    fy: int
    rng: random.Random
    conf: dict
    cast: Cast
    staff: Staff
    pool: list[int]  # general staff: not a demo login
    employees: dict[int, Employee]
    manager_scope: set[int]  # employee ids the demo manager may approve


def load_demo(*, plan, seed: int, stdout) -> None:
    started = time.perf_counter()
    pack = pack_or_none()
    if pack is None:
        stdout.write("  研修: ポリシーパックがないため研修メニューは作りません（先に load_policy_pack を実行）")
        return
    conf = read_yaml(CATALOG_FILE)
    today = plan.today
    fy = fiscal_year(today)
    cast = Cast.of(plan)
    staff = Staff.on(today)
    snap = org_snapshot(today)
    manager = cast.employees.get(Role.MANAGER)
    manager_scope: set[int] = set()
    if manager is not None and manager.pk in staff.rows:
        ka = snap.path_of(staff.rows[manager.pk][0]).get("ka")
        if ka is not None:
            manager_scope = set(staff.under(snap.subtree_ids([ka.unit_id]))) - {manager.pk}
    pool = sorted(e for e, (_u, is_manager, _h) in staff.rows.items() if not is_manager and e not in cast.employee_ids)
    ctx = _Ctx(
        today=today,
        fy=fy,
        rng=random.Random(f"{seed}-training"),
        conf=conf,
        cast=cast,
        staff=staff,
        pool=pool,
        employees=Employee.objects.in_bulk(list(staff.rows)),
        manager_scope=manager_scope,
    )
    hr = cast.users.get(Role.HR)
    with clock(fiscal_year_bounds(fy)[0], dt.time(8, 30)):
        catalog = _write_catalog(ctx, pack, by=hr)
    stories = _demo_logins_training(ctx, catalog)
    for course, runs in catalog:
        for run, spec, sessions in runs:
            _Replay(ctx, course, run, spec, sessions, stories.get(run.pk, []), by=hr).play()
    _mandatory_completions(ctx, catalog, by=hr)
    reset_snapshots()
    n = Enrollment.objects.filter(run__fiscal_year=fy, run__program=CourseRun.Program.GENERAL).count()
    pending = Enrollment.objects.filter(run__fiscal_year=fy, status=S.APPLIED).count()
    stdout.write(
        f"  研修: 講座 {len(catalog)} 件・{format_fiscal_year(fy)}の開講 {sum(len(r) for _c, r in catalog)} 件、"
        f"受講申込 {n:,} 件（承認待ち {pending} 件）、eラーニング修了 {ELearningCompletion.objects.count():,} 件"
        f"（{time.perf_counter() - started:.1f} 秒）"
    )


def session_dates(fy: int, spec: dict) -> list[dict]:
    """A run's sessions of catalog.yaml with their dates in fiscal year `fy` (weekends moved to Monday)."""
    return [dict(s, date=fy_date(fy, s["month"], s["day"], weekday=True)) for s in spec.get("sessions") or []]


def _write_catalog(ctx: _Ctx, pack, *, by) -> list[tuple[Course, list[tuple[CourseRun, dict, list[Session]]]]]:
    """Courses (kept when the code exists), and this 年度's runs with their sessions, through the services."""
    conf, fy = ctx.conf, ctx.fy
    talent_types = {t.code for t in pack.talent_types}
    fy_start, fy_end = fiscal_year_bounds(fy)
    places = conf.get("places") or {}
    out = []
    for spec in conf["courses"]:
        if spec["talent_type"] not in talent_types:
            continue  # a pack without that talent type: the course is not part of its catalog
        course = Course.objects.filter(code=spec["code"]).first() or services.course_create(
            code=spec["code"],
            title=spec["title"],
            delivery=spec["delivery"],
            provider=spec.get("provider", ""),
            talent_type=spec["talent_type"],
            hours=Decimal(str(spec["hours"])),
            description=spec.get("description", ""),
            vendor_code=spec.get("vendor_code", ""),
            by=by,
        )
        runs = []
        specs = spec.get("runs") or []
        for i, run_spec in enumerate(specs, start=1):
            dates = session_dates(fy, run_spec)
            if dates:
                first = dates[0]["date"]
                apply_from = max(fy_start, first - dt.timedelta(days=conf["apply_opens_days"]))
                apply_until = max(apply_from, first - dt.timedelta(days=conf["apply_closes_days"]))
            else:
                apply_from, apply_until = fy_start, None
            title = f"{course.title}（{format_fiscal_year(fy)}{f' 第{i}回' if len(specs) > 1 else ''}）"
            run = services.run_create(
                course=course,
                fiscal_year=fy,
                title=title,
                capacity=run_spec.get("capacity"),
                approval_required=bool(run_spec.get("approval", True)),
                apply_from=apply_from,
                apply_until=apply_until,
                by=by,
            )
            sessions = []
            hours = Decimal(str(spec["hours"])) / max(1, len(dates))
            for s in dates:
                start = parse_time(s.get("start", "13:00"))
                sessions.append(
                    services.session_create(
                        run=run,
                        date=min(s["date"], fy_end),
                        hours=Decimal(str(s.get("hours", hours))).quantize(Decimal("0.01")),
                        start_time=start,
                        end_time=plus_hours(start, Decimal(str(s.get("hours", hours)))),
                        place=places.get(s.get("place"), s.get("place", "")),
                        by=by,
                    )
                )
            runs.append((run, run_spec, sessions))
        out.append((course, runs))
    return out


@dataclass(frozen=True)
class _Story:
    """A person whose application is part of the demo's plot: `fate` = complete | approved | pending."""

    employee_id: int
    day: dt.date
    fate: str


def _open_today(run: CourseRun, sessions: list[Session], today: dt.date) -> bool:
    if run.apply_from and run.apply_from > today:
        return False
    if run.apply_until and run.apply_until < today:
        return False
    return not sessions or sessions[-1].date >= today


def _demo_logins_training(ctx: _Ctx, catalog) -> dict[int, list[_Story]]:
    """The demo employee's own training and the demo manager's pending approvals (catalog.yaml)."""
    today, rng = ctx.today, ctx.rng
    by_code = {course.code: runs for course, runs in catalog}
    stories: dict[int, list[_Story]] = {}

    def add(run, employee_id, day, fate):
        stories.setdefault(run.pk, []).append(_Story(employee_id, day, fate))

    me = ctx.cast.employees.get(Role.EMPLOYEE)
    wanted = ctx.conf.get("demo_employee") or {}
    if me is not None and me.pk in ctx.staff.rows:
        ctx.employees.setdefault(me.pk, me)
        for code in wanted.get("completed", []):
            done = [(r, s) for r, _spec, s in by_code.get(code, []) if s and s[-1].date < today]
            if done:
                run, _sessions = done[0]
                add(run, me.pk, run.apply_from, "complete")
        for code in wanted.get("elearning", []):
            runs = [r for r, _spec, s in by_code.get(code, []) if not s]
            if runs and code not in (ctx.conf.get("mandatory_completions") or {}):
                add(runs[0], me.pk, runs[0].apply_from + dt.timedelta(days=20), "complete")
        for key, fate in (("upcoming", "approved"), ("applied", "pending")):
            for code in wanted.get(key, []):
                runs = [(r, s) for r, _spec, s in by_code.get(code, []) if s and _open_today(r, s, today)]
                taken = {st.employee_id for st in stories.get(runs[0][0].pk, [])} if runs else set()
                if runs and me.pk not in taken:
                    run, _s = runs[0]
                    day = run.apply_from if fate == "approved" else today
                    add(run, me.pk, day, fate)
                    break
    pending = ctx.conf.get("manager_pending") or {}
    people = sorted(ctx.manager_scope - ctx.cast.employee_ids)
    rng.shuffle(people)
    open_runs = [
        (run, sessions)
        for code in pending.get("courses", [])
        for run, _spec, sessions in by_code.get(code, [])
        if run.approval_required and _open_today(run, sessions, today)
    ]
    for i, employee_id in enumerate(people[: pending.get("count", 0)]):
        if not open_runs:
            break
        run, _s = open_runs[i % len(open_runs)]
        add(run, employee_id, today - dt.timedelta(days=i), "pending")
    return stories


class _Replay:
    """One run's year, in date order: applications, decisions, cancellations, attendance, 修了 / 未修了."""

    def __init__(self, ctx: _Ctx, course: Course, run: CourseRun, spec: dict, sessions, stories, by):
        self.ctx, self.course, self.run, self.spec, self.sessions, self.by = ctx, course, run, spec, sessions, by
        self.rates = ctx.conf["rates"]
        self.notes = ctx.conf["notes"]
        self.queue: list = []
        self.seq = itertools.count()
        self.fates = {s.employee_id: s.fate for s in stories}
        self.first = sessions[0].date if sessions else None
        self.waiting: set[int] = set()  # enrollment ids on the waitlist
        self.stories = stories

    def at(self, day: dt.date, kind: str, payload) -> None:
        heapq.heappush(self.queue, (day, next(self.seq), kind, payload))

    def decider(self, employee_id: int):
        manager = self.ctx.cast.users.get(Role.MANAGER)
        return manager if manager is not None and employee_id in self.ctx.manager_scope else self.by

    # -- who applies, when
    def applicants(self) -> list[tuple[int, dt.date]]:
        ctx, run, rng = self.ctx, self.run, self.ctx.rng
        today = ctx.today
        if run.apply_from is None or run.apply_from > today:
            return []
        until = run.apply_until or fiscal_year_bounds(ctx.fy)[1]
        last = min(until, today)
        span = (until - run.apply_from).days + 1
        elapsed = min(1.0, 1.5 * ((last - run.apply_from).days + 1) / span)
        size = min(1.0, len(ctx.staff.rows) / float(ctx.conf.get("reference_staff") or len(ctx.staff.rows) or 1))
        if run.capacity:
            n = round(run.capacity * float(self.spec.get("demand", 0.8)) * elapsed * size)
        else:
            n = round(int(self.spec.get("applicants", 30)) * elapsed * size)
        pool = self._audience()
        chosen = rng.sample(pool, min(n, len(pool)))
        days = [run.apply_from + dt.timedelta(days=rng.randrange((last - run.apply_from).days + 1)) for _ in chosen]
        forced = [(s.employee_id, max(run.apply_from, min(s.day, last))) for s in self.stories]
        taken = {e for e, _d in forced}
        return forced + [(e, d) for e, d in zip(chosen, days, strict=True) if e not in taken]

    def _audience(self) -> list[int]:
        ctx = self.ctx
        audience = self.spec.get("audience") or {}
        pool = ctx.pool
        if "hired_within_years" in audience:
            since = fiscal_year_bounds(ctx.fy - int(audience["hired_within_years"]) + 1)[0]
            pool = [e for e in pool if ctx.staff.rows[e][2] >= since]
        return [e for e in pool if e not in self.fates]

    # -- events
    def play(self) -> None:
        for employee_id, day in self.applicants():
            self.at(day, "apply", employee_id)
        while self.queue:
            day, _seq, kind, payload = heapq.heappop(self.queue)
            with clock(day, dt.time(9 if kind == "apply" else 15)):
                getattr(self, f"on_{kind}")(day, payload)
        self.hold_sessions()

    def decide_day(self, day: dt.date, employee_id: int) -> dt.date | None:
        fate = self.fates.get(employee_id)
        if fate == "pending":
            return None
        lo, hi = self.rates["decide_days"]
        when = day + dt.timedelta(days=self.ctx.rng.randint(lo, hi))
        if self.first is not None:
            when = min(when, self.first - ONE_DAY)
        if fate in ("complete", "approved"):
            return min(max(when, day), self.ctx.today)
        if day > self.ctx.today - dt.timedelta(days=self.rates["pending_days"]) or when > self.ctx.today:
            return None  # applied in the last days: still waiting for the manager
        return max(when, day)

    def on_apply(self, day: dt.date, employee_id: int) -> None:
        employee = self.ctx.employees[employee_id]
        try:
            enrollment = services.enrollment_apply(employee=employee, run=self.run)
        except WorkflowError:
            return
        if enrollment.status == S.WAITLISTED:
            self.waiting.add(enrollment.pk)
        elif enrollment.status == S.APPLIED:
            when = self.decide_day(day, employee_id)
            if when is not None:
                self.at(when, "decide", enrollment.pk)
        elif enrollment.status == S.APPROVED:
            self.after_approval(day, enrollment)

    def on_decide(self, day: dt.date, pk: int) -> None:
        enrollment = Enrollment.objects.select_related("employee").get(pk=pk)
        if enrollment.status != S.APPLIED:
            return
        fate = self.fates.get(enrollment.employee_id)
        approve = fate is not None or self.ctx.rng.random() >= self.rates["reject"]
        note = "" if approve else self.ctx.rng.choice(self.notes["reject"])
        services.enrollment_decide(
            enrollment=enrollment, approve=approve, by=self.decider(enrollment.employee_id), note=note
        )
        if approve:
            self.after_approval(day, enrollment)
        else:
            self.promoted(day)

    def after_approval(self, day: dt.date, enrollment: Enrollment) -> None:
        rng, today = self.ctx.rng, self.ctx.today
        fate = self.fates.get(enrollment.employee_id)
        if self.course.delivery == Delivery.ELEARNING and not self.sessions:
            share = float(self.spec.get("completion", 0.6))
            if fate == "complete" or (fate is None and rng.random() < share):
                span = (today - day).days
                if span >= 3:
                    self.at(day + dt.timedelta(days=rng.randint(3, span)), "finish", enrollment.pk)
            elif fate is None and rng.random() < 0.5 and (today - day).days >= 1:
                self.at(day + dt.timedelta(days=rng.randint(1, (today - day).days)), "start", enrollment.pk)
            return
        if fate is None and rng.random() < self.rates["cancel"]:
            last = min(self.first - ONE_DAY if self.first else today, today)
            if last > day:
                self.at(day + dt.timedelta(days=rng.randint(1, (last - day).days)), "cancel", enrollment.pk)

    def on_cancel(self, day: dt.date, pk: int) -> None:
        enrollment = Enrollment.objects.get(pk=pk)
        if enrollment.status not in (S.APPLIED, S.APPROVED):
            return
        services.enrollment_cancel(enrollment=enrollment, note=self.ctx.rng.choice(self.notes["cancel"]))
        self.promoted(day)

    def promoted(self, day: dt.date) -> None:
        """People moved up from the waitlist by the last cancellation or rejection."""
        if not self.waiting:
            return
        moved = list(
            Enrollment.objects.filter(pk__in=self.waiting).exclude(status=S.WAITLISTED).values_list("pk", "status")
        )
        for pk, status in moved:
            self.waiting.discard(pk)
            if status == S.APPLIED:
                when = self.decide_day(day, Enrollment.objects.get(pk=pk).employee_id)
                if when is not None:
                    self.at(max(when, day), "decide", pk)

    def on_start(self, day: dt.date, pk: int) -> None:
        enrollment = Enrollment.objects.get(pk=pk)
        if enrollment.status == S.APPROVED:
            services.enrollment_start(enrollment=enrollment, by=self.by)

    def on_finish(self, day: dt.date, pk: int) -> None:
        """An e-learning course finished: the vendor's completion is recorded and the enrollment is 修了."""
        enrollment = Enrollment.objects.select_related("employee").get(pk=pk)
        services.elearning_completion_record(
            employee=enrollment.employee, course=self.course, completed_on=day, source=self.ctx.conf["elearning_source"]
        )
        if enrollment.status == S.APPROVED:
            enrollment = services.enrollment_start(enrollment=enrollment, by=self.by)
        if enrollment.status == S.IN_PROGRESS:
            services.enrollment_complete(enrollment=enrollment, by=self.by)

    # -- sessions
    def hold_sessions(self) -> None:
        rng, today = self.ctx.rng, self.ctx.today
        held = [s for s in self.sessions if s.date <= today]
        missed: set[int] = set()
        for session in held:
            rows = list(
                Enrollment.objects.filter(run=self.run, status__in=SEAT_HOLDING)
                .exclude(status=S.APPLIED)
                .values_list("pk", "employee_id")
                .order_by("pk")
            )
            entries = []
            for pk, employee_id in rows:
                roll = 1.0 if self.fates.get(employee_id) else rng.random()
                if roll < self.rates["absent"]:
                    entries.append((pk, AttendanceStatus.ABSENT, None))
                    missed.add(pk)
                elif roll < self.rates["absent"] + self.rates["partial"]:
                    short = min(Decimal(1), session.hours / 2)
                    entries.append((pk, AttendanceStatus.PARTIAL, session.hours - short))
                else:
                    entries.append((pk, AttendanceStatus.PRESENT, None))
            if entries:
                end = session.end_time or dt.time(17)
                with clock(session.date, end):
                    services.attendance_record(session=session, entries=entries, by=self.by)
        if held and len(held) == len(self.sessions):
            day = min(held[-1].date + dt.timedelta(days=2), today)
            with clock(day, dt.time(10)):
                for enrollment in Enrollment.objects.filter(run=self.run, status=S.IN_PROGRESS).order_by("pk"):
                    if enrollment.pk in missed:
                        services.enrollment_mark_incomplete(enrollment=enrollment, by=self.by, note="欠席あり")
                    else:
                        services.enrollment_complete(enrollment=enrollment, by=self.by)


def _mandatory_completions(ctx: _Ctx, catalog, *, by) -> None:
    """Courses everyone takes without applying (情報セキュリティ): a share of the staff finished them. The
    vendor sends a file of the month's completions, imported early the next month (this month's: today) with
    the same all-or-nothing import as `manage.py import_elearning`."""
    shares = ctx.conf.get("mandatory_completions") or {}
    courses = {course.code: course for course, _runs in catalog}
    fy_start = fiscal_year_bounds(ctx.fy)[0]
    me = ctx.cast.employees.get(Role.EMPLOYEE)
    span = (ctx.today - fy_start).days
    if span < 1:
        return
    months: dict[tuple[int, int], list[tuple[Employee, Course, dt.date]]] = {}
    for code, share in shares.items():
        course = courses.get(code)
        if course is None:
            continue
        people = ctx.rng.sample(sorted(ctx.staff.rows), round(len(ctx.staff.rows) * float(share)))
        if me is not None and me.pk in ctx.staff.rows and me.pk not in people:
            people.append(me.pk)
        done = set(ELearningCompletion.objects.filter(course=course).values_list("employee_id", flat=True))
        employees = Employee.objects.in_bulk(people)
        for employee_id in people:
            if employee_id not in done:
                day = fy_start + dt.timedelta(days=ctx.rng.randint(1, span))
                months.setdefault((day.year, day.month), []).append((employees[employee_id], course, day))
    for (year, month), rows in sorted(months.items()):
        imported = min(ctx.today, dt.date(year + month // 12, month % 12 + 1, 3))
        lines = ["職員番号,氏名,講座コード,修了日,学習時間"]
        for employee, course, day in sorted(rows, key=lambda r: (r[2], r[0].number)):
            lines.append(f"{employee.number},{employee.name},{course.vendor_code or course.code},{day},{course.hours}")
        with clock(imported, dt.time(10)):
            result = import_elearning(
                ("\n".join(lines) + "\n").encode("utf-8"), f"elearning_{year}{month:02d}.csv", user=by
            )
        if result.errors:
            raise ValueError(f"eラーニング修了のデモ取込に失敗しました: {result.errors[0]}")

"""`load_demo`: this 年度's cohort played up to today through the services (see the package docstring)."""

import datetime as dt
import math
import random
import time
from decimal import Decimal
from pathlib import Path

from dxtalent.core.models import User
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds, format_fiscal_year
from dxtalent.org.models import Employee, OrgUnit, RoleGrant
from dxtalent.org.selectors import org_snapshot, reset_snapshots
from dxtalent.policy.selectors import pack_of
from dxtalent.training import services as training
from dxtalent.training.demo_data import Cast, Staff, clock, fy_date, pack_or_none, parse_time, plus_hours, read_yaml
from dxtalent.training.models import AttendanceStatus, Session

from .. import services
from ..models import Cohort, CohortMember, Nomination, NominationStatus, NominationWindow
from ..selectors_cohorts import cohort_plan, prelearning_phase, proposed_session_dates, quota_table

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"  # dxtalent/leaders/demo/*.yaml
PROGRAMME_FILE = DEMO_DIR / "programme.yaml"
THEMES_FILE = DEMO_DIR / "themes.yaml"
ONE_DAY = dt.timedelta(days=1)
N = NominationStatus


def _day(fy: int, spec: dict) -> dt.date:
    return fy_date(fy, int(spec["month"]), int(spec["day"]))


def _weekday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


class _Demo:
    def __init__(self, *, plan, seed: int, stdout, pack):
        self.plan, self.stdout, self.pack = plan, stdout, pack
        self.conf = read_yaml(PROGRAMME_FILE)
        self.themes = read_yaml(THEMES_FILE)
        self.rng = random.Random(f"{seed}-leaders")
        self.today = plan.today
        self.fy = fiscal_year(self.today)
        self.fy_start, self.fy_end = fiscal_year_bounds(self.fy)
        self.cast = Cast.of(plan)
        self.secretariat = self.cast.users[Role.SECRETARIAT]
        self.staff = Staff.on(self.today)
        self.snap = org_snapshot(self.today)
        self.liaisons: dict[int, User] = {}
        self.liaison_people: set[int] = set()
        leader = self.cast.employees.get(Role.LEADER)
        self.leader_id = leader.pk if leader is not None else None

    def write(self, message: str) -> None:
        self.stdout.write(f"  DX推進リーダー: {message}")

    # ---------------------------------------------------------------- people

    def top_of(self, employee_id: int) -> int | None:
        row = self.staff.rows.get(employee_id)
        top = self.snap.path_of(row[0]).get("top") if row else None
        return top.unit_id if top else None

    def candidates(self, top_id: int, exclude: set[int]) -> list[int]:
        """Staff of a 局区 a liaison may nominate: not managers, a few years in, not a demo login."""
        since = self.fy_start.replace(year=self.fy_start.year - int(self.conf["min_service_years"]))
        units = self.snap.subtree_ids([top_id])
        logins = self.cast.employee_ids - {self.leader_id}
        return sorted(
            e
            for e, (unit, is_manager, hired) in self.staff.rows.items()
            if unit in units and not is_manager and hired <= since and e not in logins and e not in exclude
        )

    def liaison(self, top_id: int) -> User:
        """The 局区担当 login of a 局区: the demo one where it holds the grant, else one made for the demo."""
        if top_id in self.liaisons:
            return self.liaisons[top_id]
        demo = self.cast.users.get(Role.LIAISON)
        grant = RoleGrant.objects.filter(role=Role.LIAISON, scope_unit_id=top_id).select_related("user").first()
        if grant is not None:
            self.liaisons[top_id] = grant.user
            return grant.user
        units = self.snap.subtree_ids([top_id])
        taken = self.cast.employee_ids | self.liaison_people
        people = [
            e
            for e, (unit, is_manager, _h) in self.staff.rows.items()
            if unit in units and not is_manager and e not in taken
        ]
        # Someone in the 局区's 総務 section; numbered after the demo liaison, so that `demo_logins` (which lists a
        # few logins per role in 職員番号 order) still shows the 東区 liaison of staffing.yaml first.
        numbers = dict(Employee.objects.filter(pk__in=people).values_list("pk", "number"))
        after = [e for e in people if demo is None or numbers[e] > demo.username]
        office = [e for e in after or people if "総務" in self.snap.label_of(self.staff.rows[e][0])]
        person = Employee.objects.get(pk=min(office or after or people))
        user = User(
            username=person.number,
            first_name=person.name.split(" ")[-1],
            last_name=person.name.split(" ")[0],
            email=person.email,
            password=demo.password if demo is not None else "!",  # the demo password, already hashed
        )
        user.full_clean(exclude=["password"])
        user.save()
        person.user = user
        person.save(update_fields=["user"])
        grant = RoleGrant(user=user, role=Role.LIAISON, scope_unit_id=top_id, valid_from=self.fy_start)
        grant.full_clean()
        grant.save()
        self.liaisons[top_id] = user
        self.liaison_people.add(person.pk)
        return user

    def recommendation(self) -> str:
        phrases = self.conf["recommendations"]
        return "".join(self.rng.choice(phrases[key]) for key in ("interest", "communication", "improvement"))

    def requirements(self, pack) -> dict[str, bool]:
        return {code: True for code, _label in pack.nomination_requirements}

    # ---------------------------------------------------------------- 1. window, quotas, nominations

    def run(self) -> None:
        started = time.perf_counter()
        conf, today = self.conf, self.today
        opens = max(self.fy_start, _day(self.fy, conf["window"]["opens"]))
        closes = min(_day(self.fy, conf["window"]["closes"]), today - 3 * ONE_DAY)
        if closes < opens:
            self.write("年度の初めのため、今年度の期のデモは作りません。")
            self.next_window()
            return
        decided = min(max(_day(self.fy, conf["decided"]), closes + ONE_DAY), today - 2 * ONE_DAY)
        formed = min(max(_day(self.fy, conf["formed"]), decided), today - ONE_DAY)

        window, nominations = self.nominate(opens, closes)
        self.decide(window, nominations, decided)
        with clock(formed, dt.time(10)):
            cohort = services.cohort_form(window=window, by=self.secretariat)
            self.schedule(cohort)
        self.prerequisite(cohort, formed)
        self.attendance(cohort)
        self.groups(cohort, formed)
        self.next_window()
        reset_snapshots()
        self.write(f"{cohort}（{format_fiscal_year(self.fy)}）を作成しました（{time.perf_counter() - started:.1f} 秒）")

    def nominate(self, opens: dt.date, closes: dt.date) -> tuple[NominationWindow, list[Nomination]]:
        conf, rng = self.conf, self.rng
        with clock(opens, dt.time(9)):
            window = services.nomination_window_open(
                fiscal_year=self.fy,
                opens_on=opens,
                closes_on=closes,
                by=self.secretariat,
                note=conf["window"].get("note", ""),
            )
            quotas = self.set_quotas(window, float(conf["quota_margin"]))
            for top, quota in sorted(quotas.items()):
                if quota > 0:
                    self.liaison(top)
        pack = pack_of(window.pack)
        # How many each 局区 nominates: its quota, fewer where it lacks people, down to the scenario's total.
        leader_top = self.top_of(self.leader_id) if self.leader_id else None
        pools = {top: self.candidates(top, self.liaison_people) for top in quotas}
        wanted = {top: min(q, len(pools[top])) for top, q in quotas.items() if q > 0}
        order = sorted(wanted, key=lambda t: (-wanted[t], t))
        while sum(wanted.values()) > int(conf["nominations"]) and any(wanted[t] > 1 for t in order):
            for top in order:
                if sum(wanted.values()) <= int(conf["nominations"]):
                    break
                if wanted[top] > 1 and top != leader_top:
                    wanted[top] -= 1
        span = max(0, (closes - opens).days - 2)
        plan: list[tuple[dt.date, int, int]] = []  # (day, 局区, employee)
        withdrawn = None
        demo_liaison = self.cast.employees.get(Role.LIAISON)
        liaison_top = self.top_of(demo_liaison.pk) if demo_liaison is not None else None
        for top, n in sorted(wanted.items()):
            people = pools[top]
            chosen = rng.sample(people, n)
            if top == leader_top and self.leader_id is not None and self.leader_id not in chosen:
                chosen[0] = self.leader_id
            for e in chosen:
                plan.append((min(closes, opens + dt.timedelta(days=2 + rng.randint(0, span))), top, e))
            if top == liaison_top and len(people) > n:
                withdrawn = (top, rng.choice([p for p in people if p not in chosen]))
        # 東区 (the demo liaison's 局区): one nomination withdrawn early, the others after it, one edited later.
        mine = withdrawn[0] if withdrawn else None
        if withdrawn and span >= 4:
            first, gone = opens + 2 * ONE_DAY, opens + 4 * ONE_DAY
            plan = [(max(d, gone + ONE_DAY) if t == mine else d, t, e) for d, t, e in plan]
            plan += [(first, mine, withdrawn[1]), (gone, -1, withdrawn[1])]
        made: dict[int, Nomination] = {}
        for day, top, employee_id in sorted(plan, key=lambda p: (p[0], p[1], p[2])):
            with clock(day, dt.time(10)):
                if top == -1:  # the withdrawal
                    services.nomination_withdraw(nomination=made.pop(employee_id), by=self.liaison(mine))
                    continue
                made[employee_id] = services.nomination_submit(
                    window=window,
                    employee=Employee.objects.get(pk=employee_id),
                    by=self.liaison(top),
                    requirements=self.requirements(pack),
                    recommendation=self.recommendation(),
                )
        if mine is not None:
            edited = next((n for n in made.values() if n.unit_id == mine), None)
            if edited is not None:
                with clock(closes, dt.time(16)):
                    services.nomination_update(
                        nomination=edited,
                        by=self.liaison(mine),
                        recommendation=f"{edited.recommendation}{conf['reasons']['edit']}",
                    )
        return window, list(made.values())

    def set_quotas(self, window: NominationWindow, margin: float) -> dict[int, int]:
        """The quota suggestion (favouring 局区 with uncovered 部) × the scenario's margin, rounded up."""
        table = quota_table(window)
        quotas = {row.unit.unit_id: math.ceil(row.suggested * margin) for row in table.rows}
        services.nomination_quotas_set(window=window, quotas=quotas, by=self.secretariat)
        return quotas

    # ---------------------------------------------------------------- 2. selection and the cohort

    def decide(self, window: NominationWindow, nominations: list[Nomination], day: dt.date) -> None:
        rng = self.rng
        _number, size = cohort_plan(pack_of(window.pack), window.fiscal_year)
        rows = []
        for n in sorted(nominations, key=lambda n: n.pk):
            path = self.snap.path_of(self.staff.rows[n.employee_id][0])
            rows.append((n, n.unit_id, path["bu"].unit_id if "bu" in path else None))
        rng.shuffle(rows)
        selected: list = [r for r in rows if r[0].employee_id == self.leader_id]
        tops, bus = {r[1] for r in selected}, {r[2] for r in selected}
        for r in rows:  # first one per 局区, then one per 部, then anyone
            if len(selected) < size and r not in selected and r[1] not in tops:
                selected.append(r)
                tops.add(r[1])
                bus.add(r[2])
        for r in rows:
            if len(selected) < size and r not in selected and r[2] not in bus:
                selected.append(r)
                bus.add(r[2])
        for r in rows:
            if len(selected) < size and r not in selected:
                selected.append(r)
        rest = [r for r in rows if r not in selected]
        reserve, declined = rest[: int(self.conf["reserve"])], rest[int(self.conf["reserve"]) :]
        reasons = self.conf["reasons"]
        with clock(day, dt.time(14)):
            if selected:
                services.nominations_decide(
                    nominations=[r[0] for r in selected], decision=N.SELECTED, by=self.secretariat
                )
            for group, decision, texts in (
                (reserve, N.RESERVE, reasons["reserve"]),
                (declined, N.DECLINED, reasons["declined"]),
            ):
                for r in group:
                    services.nomination_decide(
                        nomination=r[0], decision=decision, reason=rng.choice(texts), by=self.secretariat
                    )

    def schedule(self, cohort: Cohort) -> None:
        """The pack's in-person sessions on the default dates (spread over each phase's months, weekdays)."""
        pack = pack_of(cohort.pack)
        times = self.conf["sessions"]
        for code, days in proposed_session_dates(pack, cohort.fiscal_year).items():
            phase = pack.phase(code)
            spec = times.get(code) or times["default"]
            start = parse_time(spec["start"])
            services.cohort_schedule_sessions(
                cohort=cohort,
                dates={code: days},
                place=spec["place"],
                start_time=start,
                end_time=plus_hours(start, phase.hours_per_session),
                by=self.secretariat,
            )
        vendor = (self.conf.get("prelearning") or {}).get("vendor_code")
        if vendor and cohort.prelearning_course and not cohort.prelearning_course.vendor_code:
            training.course_update(course=cohort.prelearning_course, vendor_code=vendor, by=self.secretariat)

    # ---------------------------------------------------------------- 3. prerequisite and attendance

    def members(self, cohort: Cohort) -> list[CohortMember]:
        return list(cohort.members.select_related("employee", "enrollment").order_by("employee__number"))

    def sessions(self, cohort: Cohort) -> list[Session]:
        return list(Session.objects.filter(run_id=cohort.run_id, is_makeup=False).order_by("date", "number"))

    def prerequisite(self, cohort: Cohort, formed: dt.date) -> None:
        pack = pack_of(cohort.pack)
        phase = prelearning_phase(pack)
        if phase is None or cohort.prelearning_course is None:
            return
        gate = next((s.date for s in self.sessions(cohort) if s.phase_code == phase.due_before_phase), None)
        due = gate - ONE_DAY if gate else fy_date(self.fy, phase.due_month or phase.months[-1], 28)
        members = self.members(cohort)
        others = [m for m in members if m.employee_id != self.leader_id]
        missing = {m.pk for m in self.rng.sample(others, min(len(others), int(self.conf["prelearning"]["missing"])))}
        span = max(0, (due - formed).days - 1)
        done = []
        for m in members:
            if m.pk not in missing:
                day = formed + dt.timedelta(days=1 + self.rng.randint(0, span))
                if day <= self.today:
                    done.append((day, m))
        for day, m in sorted(done, key=lambda x: (x[0], x[1].pk)):
            with clock(day, dt.time(18)):
                training.elearning_completion_record(
                    employee=m.employee,
                    course=cohort.prelearning_course,
                    completed_on=day,
                    source=self.conf["prelearning"]["source"],
                    by=self.secretariat,
                )

    def attendance(self, cohort: Cohort) -> None:
        rng, conf = self.rng, self.conf["attendance"]
        members = self.members(cohort)
        held = [s for s in self.sessions(cohort) if s.date <= self.today]
        if not held or not members:
            return
        slots = [(s.pk, m.enrollment_id) for s in held for m in members]
        picks = rng.sample(slots, min(len(slots), int(conf["absent"]) + int(conf["partial"])))
        absent, partial = set(picks[: int(conf["absent"])]), set(picks[int(conf["absent"]) :])
        by_pk = {s.pk: s for s in held}
        makeups = []
        for session_id, enrollment_id in sorted(absent, key=lambda x: (by_pk[x[0]].date, x[1])):
            when = _weekday(by_pk[session_id].date + dt.timedelta(days=int(conf["makeup_after_days"])))
            if len(makeups) < int(conf["makeup"]) and when <= min(self.today, self.fy_end):
                makeups.append((when, by_pk[session_id], enrollment_id))
        short = Decimal(str(conf["partial_hours_short"]))
        events = [(s.date, 0, s, None) for s in held] + [(d, 1, s, e) for d, s, e in makeups]
        for day, kind, session, enrollment_id in sorted(events, key=lambda x: (x[0], x[1])):
            if kind == 0:
                entries = []
                for m in members:
                    key = (session.pk, m.enrollment_id)
                    if key in absent:
                        entries.append((m.enrollment_id, AttendanceStatus.ABSENT, None))
                    elif key in partial:
                        entries.append(
                            (m.enrollment_id, AttendanceStatus.PARTIAL, max(session.hours - short, session.hours / 2))
                        )
                    else:
                        entries.append((m.enrollment_id, AttendanceStatus.PRESENT, None))
                with clock(day, session.end_time or dt.time(17)):
                    training.attendance_record(session=session, entries=entries, by=self.secretariat)
            else:
                with clock(session.date + ONE_DAY, dt.time(10)):
                    makeup = training.session_create(
                        run=session.run,
                        date=day,
                        hours=session.hours,
                        is_makeup=True,
                        makeup_for=session,
                        start_time=session.start_time,
                        end_time=session.end_time,
                        place=session.place,
                        by=self.secretariat,
                    )
                with clock(day, session.end_time or dt.time(17)):
                    training.attendance_record(
                        session=makeup, entries=[(enrollment_id, AttendanceStatus.PRESENT, None)], by=self.secretariat
                    )

    # ---------------------------------------------------------------- 4. practice groups

    def groups(self, cohort: Cohort, formed: dt.date) -> None:
        pack = pack_of(cohort.pack)
        practice = pack.practice_phase
        first = next((s.date for s in self.sessions(cohort) if practice and s.phase_code == practice.code), None)
        nominal = (first or self.fy_end) - dt.timedelta(days=int(self.conf["groups"]["formed_days_before_practice"]))
        day = min(max(nominal, formed + ONE_DAY), self.today)
        with clock(day, dt.time(11)):
            proposal = services.groups_propose(cohort=cohort)
            saved = services.groups_save(cohort=cohort, groups=proposal.groups, by=self.secretariat)
        members = {m.pk: m for m in self.members(cohort)}
        units = OrgUnit.objects.in_bulk([r[0] for r in self.staff.rows.values()])
        by_unit = self.themes.get("by_unit") or {}
        generic = list(self.themes.get("generic") or [])
        self.rng.shuffle(generic)
        used: set[str] = set()
        with clock(min(day + 2 * ONE_DAY, self.today), dt.time(16)):
            for group, ids in zip(saved, proposal.groups, strict=True):
                places = []
                for member_id in ids:
                    row = self.staff.rows.get(members[member_id].employee_id)
                    if row is None:
                        continue
                    path = self.snap.path_of(row[0])
                    node = path.get("ka") or path.get("bu") or path.get("top")
                    if node is not None:
                        places.append(node)
                match = next((n for n in places if n.name in by_unit and n.name not in used), None)
                if match is not None:
                    theme, unit = by_unit[match.name], match
                    used.add(match.name)
                elif places:
                    theme, unit = (
                        (generic.pop() if generic else {"theme": f"グループ{group.number}の業務改善"}),
                        places[0],
                    )
                else:
                    continue
                services.group_set_theme(
                    group=group,
                    theme=theme["theme"],
                    description=theme.get("description", ""),
                    unit=units.get(unit.unit_id) or OrgUnit.objects.get(pk=unit.unit_id),
                    by=self.secretariat,
                )

    # ---------------------------------------------------------------- 5. next year's window

    def next_window(self) -> None:
        conf = self.conf["next_window"]
        fy = self.fy + 1
        opens = min(_day(self.fy, conf["opens"]), self.today)
        closes = max(_day(self.fy, conf["closes"]), self.today + dt.timedelta(days=int(conf["min_days_left"])))
        if NominationWindow.objects.filter(fiscal_year=fy).exists():
            return
        with clock(opens, dt.time(9)):
            window = services.nomination_window_open(
                fiscal_year=fy, opens_on=opens, closes_on=closes, by=self.secretariat, note=conf.get("note", "")
            )
            quotas = self.set_quotas(window, float(conf.get("quota_margin", 1)))
        liaison = self.cast.employees.get(Role.LIAISON)
        top = self.top_of(liaison.pk) if liaison is not None else None
        if top is None:
            return
        trainees = set(CohortMember.objects.values_list("employee_id", flat=True))
        people = self.candidates(top, trainees | {self.leader_id})
        n = min(int(conf["drafts"]), quotas.get(top, 0), len(people))
        pack = pack_of(window.pack)
        span = (self.today - opens).days
        for i, employee_id in enumerate(self.rng.sample(people, n)):
            day = opens + dt.timedelta(days=min(span, 1 + i * 3))
            with clock(day, dt.time(11)):
                services.nomination_submit(
                    window=window,
                    employee=Employee.objects.get(pk=employee_id),
                    by=self.liaison(top),
                    requirements=self.requirements(pack),
                    recommendation=self.recommendation(),
                )


def load_demo(*, plan, seed: int, stdout) -> None:
    pack = pack_or_none()
    if pack is None:
        stdout.write("  DX推進リーダー: ポリシーパックがないため作りません（先に load_policy_pack を実行）")
        return
    if Cohort.objects.exists() or NominationWindow.objects.exists():
        stdout.write("  DX推進リーダー: 推薦受付か期が既にあるため作りません")
        return
    _Demo(plan=plan, seed=seed, stdout=stdout, pack=pack).run()

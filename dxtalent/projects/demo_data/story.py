"""`load_demo`: this 年度's improvement projects played up to yesterday through the services (see the package
docstring)."""

import datetime as dt
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds
from dxtalent.leaders.models import Cohort, PracticeGroup
from dxtalent.org.models import Employee, OrgUnit
from dxtalent.org.selectors import org_snapshot, reset_snapshots
from dxtalent.training.demo_data import Cast, clock, pack_or_none, read_yaml

from .. import services
from ..models import Case, Project
from .desk import play_desk
from .people import People, Trainee
from .timeline import ONE_DAY, Timeline, run_at

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"  # dxtalent/projects/demo/*.yaml
PROJECTS_FILE = DEMO_DIR / "projects.yaml"
DESK_FILE = DEMO_DIR / "desk.yaml"
WORKED_EXAMPLE = "worked_example"


def _hours(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass
class Played:
    """A project the story wrote: its first and last moments (consultations are dated inside them)."""

    project: Project
    leader_user: object
    first: dt.datetime
    last: dt.datetime


class _Story:
    def __init__(self, *, plan, seed: int, stdout, pack, cohort: Cohort, start: dt.date):
        self.stdout, self.pack = stdout, pack
        self.conf = read_yaml(PROJECTS_FILE)
        self.rng = random.Random(f"{seed}-projects")
        today = plan.today
        self.timeline = Timeline(start, today - ONE_DAY)
        self.cast = Cast.of(plan)
        self.secretariat = self.cast.users[Role.SECRETARIAT]
        self.people = People.on(today, self.cast, org_snapshot(today), cohort)
        self.since = start
        self.played: dict[str, Played] = {}
        self.cases: dict[str, Case] = {}
        self.units = OrgUnit.objects.in_bulk({t.ka_id for t in self.people.trainees})
        self.used: set[int] = set()  # trainees leading a project

    def write(self, message: str) -> None:
        self.stdout.write(f"  業務改善: {message}")

    # ---------------------------------------------------------------- one project, step by step

    def fields(self, spec: dict, step: int, *, finishing: bool, manager: Employee, when: dt.datetime) -> dict:
        hours = spec.get("hours") or {}
        if step == 2:
            planned = spec.get("analysis_hours_planned", hours.get("analysis"))
            out = {
                "as_is": spec.get("as_is"),
                "to_be": spec.get("to_be"),
                "feedback": spec.get("feedback"),
                "analysis_hours_planned": _hours(planned),
                "analysis_hours_actual": _hours(spec.get("analysis_hours_actual", planned)) if finishing else None,
                "baseline_hours": _hours(spec.get("baseline_hours")),
                "planned_after_hours": _hours(spec.get("planned_after_hours")),
            }
        elif step == 3:
            planned = spec.get("trial_hours_planned", hours.get("trial"))
            out = {
                "tool_kind": spec.get("tool_kind"),
                "tool_name": spec.get("tool_name"),
                "trial": spec.get("trial"),
                "support_received": spec.get("support_received"),
                "trial_hours_planned": _hours(planned),
                "trial_hours_actual": _hours(spec.get("trial_hours_actual", planned)) if finishing else None,
            }
        elif step == 4:
            out = {"operating_rule": spec.get("operating_rule")}
            if finishing and spec.get("after_hours") is not None:
                out.update(
                    after_hours=_hours(spec["after_hours"]),
                    qualitative_effects=spec.get("qualitative_effects"),
                    verified_by=manager,
                    verified_on=when.date(),
                )
        else:
            out = {}
        return {k: v for k, v in out.items() if v not in (None, "")}

    def owner(self, step: int, manager_user, leader_user):
        return leader_user if self.pack.improvement_step(step).owner == "leader" else manager_user

    def play(
        self,
        spec: dict,
        *,
        ka_id: int,
        trainee: Trainee | None,
        window: tuple[float, float],
        group_id: int | None = None,
        case: Case | None = None,
    ) -> Played | None:
        """Create the project and drive it to `spec["stage"]` (1–4, done, cancelled), with one send-back if asked."""
        manager_user = self.people.manager_of(ka_id, self.since)
        if manager_user is None:
            return None
        manager = manager_user.employee
        stage = spec.get("stage", 1)
        target = {"done": 5, "cancelled": 2}.get(stage, stage)
        leader = None if trainee is None or trainee.employee is None or spec.get("no_leader") else trainee.employee
        leader_user = self.people.leader_login(leader, self.since) if leader is not None else None
        if leader is not None:
            self.used.add(leader.pk)
        ops: list = []  # (callable(project, when) -> Project | None)
        unit = self.units.get(ka_id) or OrgUnit.objects.get(pk=ka_id)
        if case is None:
            ops.append(
                lambda p, w: services.project_create(
                    by=manager_user,
                    unit=unit,
                    title=spec["title"],
                    problem=spec.get("problem", ""),
                    leader=leader,
                    group=PracticeGroup.objects.get(pk=group_id) if group_id else None,
                    work_category=spec.get("work_category", ""),
                    at=w,
                )
            )
        else:
            ops.append(lambda p, w: services.case_adopt(case=case, by=manager_user, unit=unit, at=w))
            if leader is not None:
                ops.append(lambda p, w: services.project_update(project=p, by=manager_user, leader=leader, at=w))

        def fill(step: int, finishing: bool) -> None:
            by = self.owner(step, manager_user, leader_user)
            if step == 2 and leader is not None:
                ops.append(lambda p, w: self.participants(project=p, by=leader_user, spec=spec))
            ops.append(
                lambda p, w: (
                    services.project_update(project=p, by=by, at=w, **f)
                    if (f := self.fields(spec, step, finishing=finishing, manager=manager, when=w))
                    else p
                )
            )

        back = dict(spec.get("sent_back") or {})
        step = 1
        while True:
            if back and step == back["from"]:
                fill(step, True)
                by, to, reason = self.owner(step, manager_user, leader_user), back["to"], back["reason"]
                ops.append(lambda p, w, by=by, to=to, r=reason: services.project_send_back(
                    project=p, by=by, to_step=to, reason=r, at=w
                ))  # fmt: skip
                step, back = to, {}
                continue
            if step >= min(target, 5):
                break
            fill(step, True)
            by = self.owner(step, manager_user, leader_user)
            ops.append(lambda p, w, by=by: services.project_step_complete(project=p, by=by, at=w))
            step += 1
        if target <= 4 and leader is not None:
            fill(target, False)
        if stage == "cancelled":
            reason = spec.get("cancel_reason", "")
            ops.append(lambda p, w: services.project_cancel(project=p, by=manager_user, reason=reason, at=w))

        moments = self.timeline.spread(window[0], window[1], len(ops))
        project = None
        for op, when in zip(ops, moments, strict=True):
            with clock(when.date(), when.timetz().replace(tzinfo=None, microsecond=0)):
                result = op(project, when)
            if isinstance(result, Project):
                project = result
        project.refresh_from_db()
        return Played(project, leader_user, moments[0], moments[-1])

    def participants(self, *, project: Project, by, spec: dict) -> Project:
        """Two or three colleagues of the 課 (not managers, not the leader) with what they did."""
        roles = spec.get("participants") or self.conf.get("participant_roles") or ["入力テスト", "実務者の視点での意見"]
        units = self.people.snap.subtree_ids([project.unit_id])
        staff = sorted(
            e
            for e, (unit, is_manager, _h) in self.people.staff.rows.items()
            if unit in units and not is_manager and e != project.leader_id
        )
        chosen = self.rng.sample(staff, min(len(staff), len(roles), 3))
        employees = Employee.objects.in_bulk(chosen)
        services.project_participants_set(
            project=project, by=by, participants=[(employees[e], r) for e, r in zip(chosen, roles, strict=False)]
        )
        return project

    def publish(self, played: Played, *, when: dt.datetime, **text) -> Case:
        return run_at(when, services.case_publish, project=played.project, by=self.secretariat, **text)

    # ---------------------------------------------------------------- the scenario

    def worked_example_leader(self) -> tuple[Trainee, str]:
        """(trainee, how it was chosen) — see the package docstring."""
        trainees = [t for t in self.people.trainees if t.ka_id in self.people.heads]
        manager = self.cast.employees.get(Role.MANAGER)
        leader = self.cast.employees.get(Role.LEADER)
        own = next((t for t in trainees if leader is not None and t.employee.pk == leader.pk), None)
        manager_ka = None
        if manager is not None:
            row = self.people.staff.rows.get(manager.pk)
            manager_ka = self.people.ka_of(row[0]) if row else None
        if own is not None and own.ka_id == manager_ka:
            return own, "デモのリーダーと管理職"
        same = next((t for t in trainees if t.ka_id == manager_ka), None)
        if same is not None:
            return same, "デモの管理職の課の研修生"
        if own is not None:
            return own, "デモのリーダーの課（管理職はその課長）"
        return trainees[0], "研修生の課"

    def run(self) -> None:
        started = time.perf_counter()
        conf = self.conf
        trainees = [t for t in self.people.trainees if t.ka_id in self.people.heads]
        if not trainees:
            self.write("研修生のいる課に課長がいないため作りません")
            return
        # 1. the policy's worked example, done early so that it can be published and adopted
        example, how = self.worked_example_leader()
        spec = {**conf["worked_example"], "stage": "done"}
        worked = self.play(spec, ka_id=example.ka_id, trainee=example, window=(0.0, 0.45))
        self.played[WORKED_EXAMPLE] = worked
        self.cases[WORKED_EXAMPLE] = self.publish(
            worked,
            when=self.timeline.moment(self.timeline.day(0.5), 0),
            summary=spec["case"]["summary"],
            show_leader=bool(spec["case"].get("show_leader")),
        )
        # 2. practice groups whose theme is a 課's problem: a project of that 課, led by a member sitting there
        stages = list(conf.get("group_stages") or [])
        as_is = list(conf.get("group_as_is") or [])
        for group in PracticeGroup.objects.filter(theme_unit__kind="ka").exclude(theme="").order_by("number"):
            if not stages:
                break
            member = next(
                (
                    t
                    for t in trainees
                    if t.group_id == group.pk and t.ka_id == group.theme_unit_id and t.employee.pk not in self.used
                ),
                None,
            )
            if member is None:
                continue
            stage = stages.pop(0)
            spec = {
                "title": group.theme,
                "problem": group.theme_description or group.theme,
                "work_category": "other",
                "stage": stage,
                "as_is": self.rng.choice(as_is) if as_is else "",
                "hours": {"analysis": self.rng.choice([4, 5, 6, 8])},
            }
            a = self.rng.uniform(0.55, 0.8)
            self.play(spec, ka_id=member.ka_id, trainee=member, window=(a, min(1.0, a + 0.2)), group_id=group.pk)
        # 3. the scenario's other projects, each led by a trainee of its own 課 (the demo leader first)
        leader = self.cast.employees.get(Role.LEADER)
        pool = self.people.after_demo_login(
            [t for t in trainees if t.employee.pk not in self.used and t.employee.pk != example.employee.pk],
            Role.LEADER,
        )
        pool.sort(key=lambda t: leader is None or t.employee.pk != leader.pk)
        pool = pool or trainees
        mine = self.people.demo_manager_ka  # the demo manager's 課: a problem recorded, no leader yet
        for i, spec in enumerate(conf["projects"]):
            trainee = pool[i % len(pool)]
            if spec.get("unit") == "demo_manager" and mine is not None:
                trainee = Trainee(employee=None, ka_id=mine, group_id=None)
            stage = spec.get("stage", 1)
            if stage == "done":
                a = self.rng.uniform(0.0, 0.3)
                window = (a, a + self.rng.uniform(0.35, 0.55))
            else:
                a = self.rng.uniform(0.15, 0.7)
                window = (a, self.rng.uniform(max(a + 0.1, 0.85), 1.0))
            played = self.play(spec, ka_id=trainee.ka_id, trainee=trainee, window=window)
            if played is None:
                continue
            self.played[spec["title"]] = played
            if spec.get("publish"):
                day = self.timeline.day(window[1] + self.rng.uniform(0.02, 0.1))
                self.cases[spec["title"]] = self.publish(played, when=self.timeline.moment(day, 10))
        # 4. other 課 start from the worked example's case (横展開)
        adopters = [t for t in pool if t.ka_id != example.ka_id]
        seen: set[int] = set()
        adopted = 0
        for j, extra in enumerate(conf["worked_example"].get("adoptions") or []):
            if extra.get("unit") == "demo_manager" and mine is not None and mine != example.ka_id:
                trainee = Trainee(employee=None, ka_id=mine, group_id=None)
            else:
                trainee = next((t for t in adopters if t.ka_id not in seen), None)
            if trainee is None:
                break
            seen.add(trainee.ka_id)
            spec = {**conf["worked_example"], **extra}
            a = 0.55 + 0.08 * j
            window = (a, 0.95) if extra.get("stage") == "done" else (a, min(1.0, a + 0.15))
            played = self.play(
                spec, ka_id=trainee.ka_id, trainee=trainee, window=window, case=self.cases[WORKED_EXAMPLE]
            )
            adopted += played is not None
        # 5. the support desk
        consultations = play_desk(self, read_yaml(DESK_FILE))
        reset_snapshots()
        projects = Project.objects.count()
        self.write(
            f"プロジェクト {projects} 件（政策資料の例: {how}）、事例 {len(self.cases)} 件、横展開 {adopted} 件、"
            f"相談 {consultations} 件（{time.perf_counter() - started:.1f} 秒）"
        )


def _first_day(cohort: Cohort, fy: int) -> dt.date:
    """The day after the cohort was formed (its trainees are known from then on)."""
    first = cohort.history.order_by("history_date").values_list("history_date", flat=True).first()
    start = fiscal_year_bounds(fy)[0]
    if first is not None:
        start = max(start, first.date())
    return start + ONE_DAY


def load_demo(*, plan, seed: int, stdout) -> None:
    pack = pack_or_none()
    if pack is None:
        stdout.write("  業務改善: ポリシーパックがないため作りません（先に load_policy_pack を実行）")
        return
    if Project.objects.exists():
        stdout.write("  業務改善: プロジェクトが既にあるため作りません")
        return
    fy = fiscal_year(plan.today)
    cohort = Cohort.objects.filter(fiscal_year=fy).first()
    if cohort is None:
        stdout.write("  業務改善: 今年度の期がまだないため作りません（リーダーは研修生から選びます）")
        return
    _Story(plan=plan, seed=seed, stdout=stdout, pack=pack, cohort=cohort, start=_first_day(cohort, fy)).run()

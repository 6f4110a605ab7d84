"""`load_demo`: issue 5's demo played THROUGH THE SERVICES, each call under `clock(day)` with back-dated `at=` /
`on=` where the service takes them. Deterministic for a seed and today's date; nothing happens after yesterday.

1. ジョブチャレンジ, last 年度: a ③ programme posting (closed) with three applications; hr adopts one, which places
   the person (a transfer to a 課 of the ③ department and the ladder's first stage from 1 April of this 年度).
2. ③: about 40 staff of the pack's expert department (情報システム部; people are transferred in on 1 April when it
   has fewer) spread over the stages, with stage histories that meet the pack's minimum years (recorded by hr at
   the start of this 年度, when the system went live), hire routes, OJT plans for last and this 年度 with mentors
   from the upper stages, half-year reviews with experiences, the yearly ③ campaign of both 年度 (this one still
   open), two promotions decided by the 部長 on 1 April, two pending ones proposed by mentors, three leavers.
3. ② 第1期 (this 年度's cohort of the leaders' demo): a pre-training campaign before the first session and a
   post-training one (open now while the training runs, part of the trainees submitted), each trainee rated by
   themselves and the 課長 of their 課, with comments and attended sessions as evidence.
4. ジョブチャレンジ, now: the ③ programme (applications in every status, the demo employee login's among them) and a
   行政DX支援 role posting are open.
People act through their own logins (made where missing, see people.py), granted from the start of this 年度:
records of last 年度 are entered on that first day (the system went live then) with their own dates (`at`, `on`).
"""

import datetime as dt
import random
import time

from dxtalent.competency.models import Campaign
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds
from dxtalent.org.models import Assignment, Employee, OrgKind, valid_on
from dxtalent.org.selectors import org_snapshot, reset_snapshots
from dxtalent.training.demo_data import Cast, Staff, clock, pack_or_none

from ..models import Posting, StagePeriod
from .common import ONE_DAY, Routes, at, department_node, heads_of_ka, ka_of, scenario
from .people import Logins


class Demo:
    def __init__(self, *, plan, seed: int, stdout, pack):
        self.plan, self.stdout, self.pack = plan, stdout, pack
        self.conf = scenario()
        self.seed = seed
        self.rng = random.Random(f"{seed}-experts")
        self.today = plan.today
        self.yesterday = self.today - ONE_DAY
        self.fy = fiscal_year(self.today)
        self.fy_start, self.fy_end = fiscal_year_bounds(self.fy)
        self.since = self.fy_start  # logins made here are granted from the start of this 年度
        self.cast = Cast.of(plan)
        self.hr = self.cast.users[Role.HR]
        self.secretariat = self.cast.users.get(Role.SECRETARIAT) or self.hr
        self.logins = Logins(day=self.today, password=self.hr.password)
        self.routes = Routes.of(self.conf, pack)
        self.refresh()
        self.department = department_node(self.snap, pack)

    def refresh(self) -> None:
        """Re-read the staff in post and the org tree (after transfers)."""
        reset_snapshots()
        self.staff = Staff.on(self.today)
        self.snap = org_snapshot(self.today)
        self.heads = heads_of_ka(self.today)

    def write(self, section: str, message: str) -> None:
        self.stdout.write(f"  {section}: {message}")

    # ---------------------------------------------------------------- time

    def moment(self, day: dt.date, index: int = 0) -> dt.datetime:
        """The index-th action on `day`: 09:00, 09:10, … (so a story's actions keep their order)."""
        minutes = 9 * 60 + 10 * (index % 50)
        return at(day, minutes // 60, minutes % 60)

    def act(self, when: dt.datetime, service, *, dated: bool = True, **kwargs):
        """Call a service as of `when`: `at=when` when the service takes it, the clock set to `when` — or to the
        first day of this 年度 for last 年度's records, which were entered when the system went live (the demo
        logins hold their roles from that day; the services' own dates come from `at` / `on`)."""
        day = max(when.date(), self.fy_start)
        moment = when.timetz().replace(tzinfo=None, microsecond=0)
        with clock(day, moment):
            return service(at=when, **kwargs) if dated else service(**kwargs)

    def day_between(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.yesterday)
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    # ---------------------------------------------------------------- people

    def login(self, employee: Employee, role: str = Role.EMPLOYEE, scope_unit_id: int | None = None):
        for cast_role, cast_employee in self.cast.employees.items():
            if cast_employee.pk == employee.pk:
                return self.cast.users[cast_role]  # a demo login acts as itself, with its own grants
        return self.logins.of(employee, role, scope_unit_id=scope_unit_id, since=self.since)

    def ka_of(self, employee_id: int) -> int | None:
        row = self.staff.rows.get(employee_id)
        return ka_of(self.snap, row[0]) if row else None

    def evaluator_of(self, employee_id: int) -> Employee | None:
        """The 課長 of the person's current 課 (the nearest manager above when the 課 has none), logged in."""
        ka = self.ka_of(employee_id)
        head = self.heads.get(ka) if ka is not None else None
        if head is None and ka is not None:
            above = [n.unit_id for n in self.snap.ancestors(ka)[1:]]
            head = (
                Assignment.objects.filter(valid_on(self.today), unit_id__in=above, position__is_manager=True)
                .order_by("position__rank", "employee__number")
                .values_list("employee_id", flat=True)
                .first()
            )
        if head is None or head == employee_id:
            return None
        employee = Employee.objects.get(pk=head)
        self.login(employee, Role.MANAGER, scope_unit_id=ka if self.heads.get(ka) == head else None)
        return employee

    def kakari_of_department(self) -> list[int]:
        """The 係 of the department (its 課 where a 課 has none): where people transferred in sit."""
        out = []
        for ka in self.department.children:
            kakari = [n.unit_id for n in ka.children if n.kind == OrgKind.KAKARI]
            out += kakari or [ka.unit_id]
        return out or [self.department.unit_id]


def load_demo(*, plan, seed: int, stdout) -> None:
    from .assess_story import play_cohort
    from .jobs_story import play_open_postings, play_past_posting
    from .ladder_story import play_ladder

    section = "高度デジタル人材・評価"
    pack = pack_or_none()
    if pack is None:
        stdout.write(f"  {section}: ポリシーパックがないため作りません（先に load_policy_pack を実行）")
        return
    if StagePeriod.objects.exists() or Campaign.objects.exists() or Posting.objects.exists():
        stdout.write(f"  {section}: ③の段階・評価・募集が既にあるため作りません")
        return
    if not pack.ladder or pack.ladder_framework is None:
        stdout.write(f"  {section}: ポリシーパックに③のラダーがないため作りません")
        return
    started = time.perf_counter()
    demo = Demo(plan=plan, seed=seed, stdout=stdout, pack=pack)
    if demo.department is None:
        stdout.write(f"  {section}: {pack.expert_department}が組織にないため作りません")
        return
    adopted = play_past_posting(demo)
    play_ladder(demo, adopted=adopted)
    play_cohort(demo)
    play_open_postings(demo)
    reset_snapshots()
    demo.write(section, f"ログイン {demo.logins.made} 件を追加（{time.perf_counter() - started:.1f} 秒）")

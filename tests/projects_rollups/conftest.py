"""A city of improvement projects with HAND-COMPUTED roll-ups, built through the services with back-dated `at=`.

P = last fiscal year (all its dates are in the past whatever today is). Units: 東区 市民部 (戸籍住民課 hk,
保険年金課 hh), 北区 市民部 戸籍住民課 (kk), 総務局 職員部 人事課 (sj). Cohorts: 第1期 trained in P−1 (practice year P),
第2期 trained in P (practice year P+1 = this year).

Leaders: L1 (hk, 第1期), L2 (kk, 第1期), L3 (sj, 第1期), L4 (hh, 第2期), L5 (hk, 第1期, transferred to kk on
P-09-01 in the middle of its project), L6 (hh, 第1期, no project), L7 (kk, 第1期, its project cancelled).

Projects (unit, leader, hours; completion dates give the days per step in brackets):
  A1 hk L1  ACTIVE step 3  baseline 10 planned_after 4  → planned +6       [5, 30]         (L1's practice project)
  A3 sj L3  ACTIVE step 4  baseline 15 planned_after 5  → planned +10      [10, 30, 30]    (L3's practice project)
  D1 hk L1  DONE P  baseline 20 after 10 (planned 12)   → verified +10     [2, 10, 20, 10]
  D2 hh L4  DONE P  baseline 8.5 after 6                → verified +2.5    [4, 20, 20, 20]
  D3 kk L2  DONE P  baseline 5 after 7                  → verified −2      [1, 10, 30, 10] (L2's practice project)
  D4 sj L3  DONE P  baseline 30 after 12.25             → verified +17.75  [5, 20, 10, 10]
  D5 hk L5  DONE P  baseline 12 after 4                 → verified +8      [3, 30, 40, 20] (L5's practice project)
  D6 kk L2  DONE P−1 baseline 6 after 3                 → verified +3      [10, 30, 30, 30] (all in P−1)
  A2 kk L2  ACTIVE step 2  baseline 7 planned_after 9   → planned −2       [7]
  A4 hh —   ACTIVE step 1  nothing recorded
  C1 kk L7  CANCELLED (baseline 100 planned_after 0: excluded)             [2]             (L7's practice project)
Consultations (opened by L1; status by the desk):
  K1 technical resolved after 3 days; K2 technical resolved after 2 days; K3 technical still 受付;
  K4 accompany 対応中; K5 accompany 対象外 after 2 days; K6 budget resolved after 10 days (opened in P−1).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.org import services as org_services
from dxtalent.projects import services
from tests import factories as f
from tests.project_fixtures import certify, cohort, load_pack

FY = fiscal_year(timezone.localdate())
P = FY - 1


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=timezone.get_current_timezone())


def on(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


@dataclass
class RollupCity:
    units: dict
    people: dict
    managers: dict = field(default_factory=dict)  # unit key → manager user
    leaders: dict = field(default_factory=dict)  # "L1" → Employee
    users: dict = field(default_factory=dict)  # "L1" → User
    certs: dict = field(default_factory=dict)  # "L1" → Certification
    cohorts: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    consultations: dict = field(default_factory=dict)

    @property
    def desk(self):
        return self.people["users"][Role.SECRETARIAT]

    def create(self, key, unit_key, leader_key, when, **kw):
        project = services.project_create(
            by=self.managers[unit_key],
            unit=self.units[unit_key],
            title=f"{key} の業務改善",
            problem="照会が多すぎて何がなんだかよくわからない",
            leader=self.leaders.get(leader_key),
            work_category="inquiry",
            at=when,
            **kw,
        )
        self.projects[key] = project
        return project

    def step1(self, p, when):
        return services.project_step_complete(project=p, by=self.managers[self._unit_key(p)], at=when)

    def step2(self, p, when, *, baseline=None, planned_after=None, leader_key=None):
        user = self.users[leader_key or self._leader_key(p)]
        fields = {"as_is": "各照会内容をそれぞれの担当者しか状況把握できていない", "to_be": "一元的なタスク管理"}
        fields["analysis_hours_actual"] = Decimal(5)
        if baseline is not None:
            fields["baseline_hours"] = Decimal(str(baseline))
        if planned_after is not None:
            fields["planned_after_hours"] = Decimal(str(planned_after))
        services.project_update(project=p, by=user, at=when, **fields)
        return services.project_step_complete(project=p, by=user, at=when)

    def record_plan(self, p, when, *, baseline, planned_after):
        services.project_update(
            project=p,
            by=self.users[self._leader_key(p)],
            at=when,
            baseline_hours=Decimal(str(baseline)),
            planned_after_hours=Decimal(str(planned_after)),
        )

    def step3(self, p, when):
        user = self.users[self._leader_key(p)]
        services.project_update(
            project=p, by=user, at=when, tool_kind="nocode", trial="課内で試行", trial_hours_actual=Decimal(15)
        )
        return services.project_step_complete(project=p, by=user, at=when)

    def step4(self, p, when, *, baseline, after, verified_on):
        manager = self.managers[self._unit_key(p)]
        services.project_update(
            project=p,
            by=manager,
            at=when,
            operating_rule="照会案件は必ずこのアプリに登録すること",
            baseline_hours=Decimal(str(baseline)),
            after_hours=Decimal(str(after)),
            verified_by=manager.employee,
            verified_on=verified_on,
        )
        return services.project_step_complete(project=p, by=manager, at=when)

    def drive(
        self, key, unit_key, leader_key, dates, *, baseline=None, after=None, planned_after=None, verified_on=None
    ):
        """Create at dates[0] and complete one step at each following date (4 completions → DONE)."""
        p = self.create(key, unit_key, leader_key, dates[0])
        steps = (self.step1, None, self.step3, None)
        for number, when in enumerate(dates[1:], start=1):
            if number == 2:
                p = self.step2(p, when, baseline=baseline, planned_after=planned_after)
            elif number == 4:
                p = self.step4(p, when, baseline=baseline, after=after, verified_on=verified_on)
            else:
                p = steps[number - 1](p, when)
        self.projects[key] = p
        return p

    def _unit_key(self, p):
        return next(k for k, u in self.units.items() if u.pk == p.unit_id)

    def _leader_key(self, p):
        return next(k for k, e in self.leaders.items() if e.pk == p.leader_id)


def add_manager(city: RollupCity, unit_key: str, name: str):
    kacho = f.position("課長", rank=30, is_manager=True)
    unit = city.units[unit_key]
    emp = f.employee(unit, name=name, kana="カチョウ", pos=kacho)
    city.managers[unit_key] = f.login(emp, Role.MANAGER, scope_unit=unit)


def add_leader(city: RollupCity, key: str, unit_key: str, cohort_key: str):
    emp = f.employee(city.units[unit_key], name=f"リーダー {key}", kana=f"リーダー {key}")
    city.users[key] = f.login(emp, Role.LEADER)
    city.leaders[key] = emp
    city.certs[key] = certify(emp, cohort_obj=city.cohorts[cohort_key])


def base_city(people) -> RollupCity:
    """Managers of the four 課, the two cohorts and the seven certified leaders (no projects yet)."""
    load_pack()
    units = people["units"]
    city = RollupCity(
        units={"hk": units["higashi_koseki"], "hh": units["higashi_hoken"], "kk": units["kita_koseki"]}
        | {"sj": units["somu_jinjika"]},
        people=people,
    )
    city.managers["hk"] = people["users"][Role.MANAGER]
    add_manager(city, "hh", "保険 課長")
    add_manager(city, "kk", "北 課長")
    add_manager(city, "sj", "人事 課長")
    city.cohorts = {"c1": cohort(1, fiscal_year=P - 1), "c2": cohort(2, fiscal_year=P)}
    for key, unit_key, cohort_key in (
        ("L1", "hk", "c1"),
        ("L2", "kk", "c1"),
        ("L3", "sj", "c1"),
        ("L4", "hh", "c2"),
        ("L5", "hk", "c1"),
        ("L6", "hh", "c1"),
        ("L7", "kk", "c1"),
    ):
        add_leader(city, key, unit_key, cohort_key)
    return city


@pytest.fixture
def rollup_city(people):
    city = base_city(people)
    units = people["units"]
    # D6 first: last-but-one fiscal year, so it is not L2's practice project
    city.drive(
        "D6", "kk", "L2", [at(P - 1, 5, 1), at(P - 1, 5, 11), at(P - 1, 6, 10), at(P - 1, 7, 10), at(P - 1, 8, 9)],
        baseline=6, after=3, verified_on=on(P - 1, 8, 1),
    )  # fmt: skip
    # practice projects first (one per certification: the first project in the practice year is linked)
    city.drive("A1", "hk", "L1", [at(P, 4, 10), at(P, 4, 15), at(P, 5, 15)], baseline=10, planned_after=4)
    city.drive("A3", "sj", "L3", [at(P, 4, 10), at(P, 4, 20), at(P, 5, 20), at(P, 6, 19)], baseline=15, planned_after=5)
    city.drive(
        "D1", "hk", "L1", [at(P, 5, 1), at(P, 5, 3), at(P, 5, 13), at(P, 6, 2), at(P, 6, 12)],
        baseline=20, planned_after=12, after=10, verified_on=on(P, 6, 10),
    )  # fmt: skip
    city.drive(
        "D2", "hh", "L4", [at(P, 5, 1), at(P, 5, 5), at(P, 5, 25), at(P, 6, 14), at(P, 7, 4)],
        baseline="8.5", after=6, verified_on=on(P, 7, 1),
    )  # fmt: skip
    city.drive(
        "D3", "kk", "L2", [at(P, 6, 1), at(P, 6, 2), at(P, 6, 12), at(P, 7, 12), at(P, 7, 22)],
        baseline=5, after=7, verified_on=on(P, 7, 20),
    )  # fmt: skip
    city.drive(
        "D4", "sj", "L3", [at(P, 6, 1), at(P, 6, 6), at(P, 6, 26), at(P, 7, 6), at(P, 7, 16)],
        baseline=30, after="12.25", verified_on=on(P, 7, 15),
    )  # fmt: skip
    # D5: its leader moves from 東区 to 北区 on P-09-01, between step 2 and step 3
    d5 = city.drive("D5", "hk", "L5", [at(P, 7, 1), at(P, 7, 4), at(P, 8, 3)], baseline=12)
    org_services.employee_transfer(
        employee=city.leaders["L5"],
        unit=units["kita_koseki"],
        position=city.leaders["L5"].assignments.first().position,
        on=on(P, 9, 1),
    )
    d5 = city.step3(d5, at(P, 9, 12))
    city.projects["D5"] = city.step4(d5, at(P, 10, 2), baseline=12, after=4, verified_on=on(P, 10, 1))
    # A2: planned saving negative (the plan expects more work)
    a2 = city.create("A2", "kk", "L2", at(P, 8, 1))
    a2 = city.step1(a2, at(P, 8, 8))
    city.record_plan(a2, at(P, 8, 9), baseline=7, planned_after=9)
    city.create("A4", "hh", None, at(P, 9, 1))
    # C1: L7's practice project, cancelled: its big plan must not count anywhere
    c1 = city.create("C1", "kk", "L7", at(P, 8, 1))
    c1 = city.step1(c1, at(P, 8, 3))
    city.record_plan(c1, at(P, 8, 4), baseline=100, planned_after=0)
    c1 = services.project_cancel(project=c1, by=city.managers["kk"], reason="体制変更", at=at(P, 8, 20))
    city.projects["C1"] = c1

    _consultations(city)
    for p in city.projects.values():
        p.refresh_from_db()
    return city


def _consultations(city: RollupCity) -> None:
    leader = city.users["L1"]
    desk = city.desk

    def open_(key, kind, when):
        c = services.consultation_open(by=leader, title=f"{key} の相談", kind=kind, description="相談内容", at=when)
        city.consultations[key] = c
        return c

    def move(c, *steps):
        for status, when in steps:
            c = services.consultation_set_status(consultation=c, by=desk, status=status, at=when)
        return c

    move(open_("K1", "technical", at(P, 5, 1)), ("in_progress", at(P, 5, 2)), ("resolved", at(P, 5, 4)))
    move(open_("K2", "technical", at(P, 6, 1)), ("in_progress", at(P, 6, 1, 15)), ("resolved", at(P, 6, 3)))
    open_("K3", "technical", at(P, 6, 1))
    move(open_("K4", "accompany", at(P, 7, 1)), ("in_progress", at(P, 7, 2)))
    move(open_("K5", "accompany", at(P, 7, 1)), ("out_of_scope", at(P, 7, 3)))
    move(open_("K6", "budget", at(P - 1, 10, 1)), ("in_progress", at(P - 1, 10, 2)), ("resolved", at(P - 1, 10, 11)))

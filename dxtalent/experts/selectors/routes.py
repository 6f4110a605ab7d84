"""Hire route comparison (人材育成パターンの比較): the policy's pros/cons next to what the ladder records show.

Per hire route (Employee.hire_route, the pack's codes; blank = 不明):
- entrants: people whose first StagePeriod started on or before the day;
- headcount per current stage: people with a StagePeriod open on the day (and not gone: left_on after the day);
- years to the target stage: from the first day in the ladder to the first day at the target stage or above
  (a stage whose pack `order` is at least the target's), for everyone who got there by the day: median and mean.
  People who entered the ladder at or above the target stage are not counted (they had no way to go);
  The target stage is chosen by the user (GET ?target=<stage code>); by default it is the pack's third stage
  (`ladder[2]`, 一人前 in Sapporo's pack), or the top stage of a shorter ladder;
- leavers: entrants with no period open on the day (their last period closed) or who left the city
  (Employee.left_on on or before the day); leaver rate = leavers / entrants.
One query for every period of the ladder, whatever the number of people: aggregates only, no names.
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from dxtalent.policy.pack import Pack

from ..models import StagePeriod

UNKNOWN = ""
UNKNOWN_LABEL = "不明（未登録）"
DAYS_PER_YEAR = 365.2425


@dataclass
class RouteStats:
    code: str
    name: str
    pattern: str = ""
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()
    summary: str = ""
    entrants: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    current: int = 0
    reached: int = 0
    median_years: float | None = None
    mean_years: float | None = None
    leavers: int = 0

    @property
    def leaver_rate(self) -> float | None:
        return self.leavers / self.entrants if self.entrants else None

    @property
    def leaver_percent(self) -> str:
        return "—" if self.leaver_rate is None else f"{self.leaver_rate:.1%}"

    def stage_counts(self, stages) -> list[int]:
        return [self.by_stage.get(s.code, 0) for s in stages]


@dataclass
class RouteComparison:
    day: dt.date
    stages: tuple  # the pack's LadderStage, lowest first
    target: object  # the LadderStage years are counted to (None without a ladder)
    routes: list[RouteStats]

    @property
    def totals(self) -> RouteStats:
        t = RouteStats(code="total", name="合計")
        for r in self.routes:
            t.entrants += r.entrants
            t.current += r.current
            t.reached += r.reached
            t.leavers += r.leavers
            for code, n in r.by_stage.items():
                t.by_stage[code] = t.by_stage.get(code, 0) + n
        return t

    def chart(self) -> dict:
        return {
            "routes": [r.name for r in self.routes],
            "stages": [s.name for s in self.stages],
            "counts": [[r.by_stage.get(s.code, 0) for r in self.routes] for s in self.stages],
            "median_years": [r.median_years for r in self.routes],
            "mean_years": [r.mean_years for r in self.routes],
            "leaver_rates": [None if r.leaver_rate is None else round(r.leaver_rate * 100, 1) for r in self.routes],
            "target": self.target.name if self.target else "",
        }


def default_target(pack: Pack):
    ladder = pack.ladder
    if not ladder:
        return None
    return ladder[2] if len(ladder) > 2 else ladder[-1]


def target_stage(pack: Pack, code: str | None):
    """The stage named by `code` if the pack has it, else the default (see the module docstring)."""
    return next((s for s in pack.ladder if s.code == code), None) or default_target(pack)


def _years(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_YEAR


def route_comparison(pack: Pack, *, day: dt.date, target_code: str | None = None) -> RouteComparison:
    target = target_stage(pack, target_code)
    order = {s.code: s.order for s in pack.ladder}
    rows = (
        StagePeriod.objects.filter(valid_from__lte=day)
        .order_by()
        .values_list("employee_id", "stage_code", "valid_from", "valid_to", "employee__hire_route", "employee__left_on")
    )
    people: dict[int, dict] = {}
    for emp_id, stage, start, end, route, left_on in rows:
        p = people.setdefault(emp_id, {"route": route or UNKNOWN, "left_on": left_on, "periods": []})
        p["periods"].append((stage, start, end))
    stats: dict[str, RouteStats] = {}
    for r in pack.hire_routes:
        stats[r.code] = RouteStats(r.code, r.name, r.pattern, r.pros, r.cons, r.summary)
    years: dict[str, list[float]] = defaultdict(list)
    for p in people.values():
        code = p["route"]
        if code not in stats:
            stats[code] = RouteStats(code, UNKNOWN_LABEL if code == UNKNOWN else code)
        s = stats[code]
        s.entrants += 1
        first_stage, entry, _end = min(p["periods"], key=lambda x: x[1])
        gone = p["left_on"] is not None and p["left_on"] <= day
        now = next((st for st, a, b in p["periods"] if a <= day and (b is None or b >= day)), None)
        if now is not None and not gone:
            s.current += 1
            s.by_stage[now] = s.by_stage.get(now, 0) + 1
        else:
            s.leavers += 1
        if target is not None and order.get(first_stage, 0) < target.order:
            reached = [a for st, a, _b in p["periods"] if order.get(st, 0) >= target.order]
            if reached:
                s.reached += 1
                years[code].append(_years(entry, min(reached)))
    for code, values in years.items():
        stats[code].median_years = round(statistics.median(values), 2)
        stats[code].mean_years = round(statistics.fmean(values), 2)
    routes = [s for s in stats.values() if s.code in {r.code for r in pack.hire_routes} or s.entrants]
    return RouteComparison(day=day, stages=pack.ladder, target=target, routes=routes)


def years_label(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}年"

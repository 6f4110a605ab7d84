"""The ladder's overview: headcount per stage (the policy's distribution picture), stage × hire route, how many
are ready for promotion or have stayed long, pending promotions. The counts hold no personal data (every role);
the short person lists under them are scoped like every ③ record.
"""

import datetime as dt
from dataclasses import dataclass, field

from dxtalent.org.models import Employee, valid_on
from dxtalent.policy.pack import Pack

from ..models import Promotion, PromotionStatus, StagePeriod
from .ladder import readiness, stage_of
from .ladder_access import visible_rows
from .ladder_people import NO_ROUTE, hire_route_label

__all__ = ["Distribution", "StageCount", "distribution", "pending_promotions", "visible_people"]


@dataclass
class StageCount:
    code: str
    name: str
    order: int
    headcount: int = 0
    ready: int = 0
    long_stay: int = 0
    by_route: list[int] = field(default_factory=list)  # in `Distribution.routes` order


@dataclass
class Distribution:
    day: dt.date
    stages: list[StageCount]  # lowest first
    routes: list[tuple[str, str]]  # (filter code, name): the pack's routes, then unknown codes, then 未登録
    route_totals: list[int]
    total: int
    ready: int
    long_stay: int
    pending: int
    ready_ids: list[int]
    long_stay_ids: list[int]

    @property
    def stages_top_first(self) -> list[StageCount]:
        return list(reversed(self.stages))

    def chart(self) -> dict:
        """Data for the stacked horizontal bars (top stage first, like the policy's pyramid), one set per route."""
        top_first = self.stages_top_first
        return {
            "labels": [s.name for s in top_first],
            "totals": [s.headcount for s in top_first],
            "routes": [
                {"label": name, "data": [s.by_route[i] for s in top_first]}
                for i, (_code, name) in enumerate(self.routes)
                if self.route_totals[i]
            ],
        }


def distribution(*, pack: Pack, day: dt.date) -> Distribution:
    """Counts over everyone in the ladder on `day` (six queries whatever the number of people)."""
    periods = {
        employee_id: (stage_code, route)
        for employee_id, stage_code, route in StagePeriod.objects.filter(valid_on(day)).values_list(
            "employee_id", "stage_code", "employee__hire_route"
        )
    }
    ready = readiness(list(periods), pack=pack, day=day)
    known = [r.code for r in pack.hire_routes]
    extra = sorted({route for _s, route in periods.values()} - set(known) - {""})
    routes = [(r.code, r.name) for r in pack.hire_routes] + [(c, hire_route_label(pack, c)) for c in extra]
    routes.append((NO_ROUTE, "未登録"))
    index = {code: i for i, (code, _n) in enumerate(routes)}
    stages = {s.code: StageCount(s.code, s.name, s.order, by_route=[0] * len(routes)) for s in pack.ladder}
    for employee_id, (stage_code, route) in periods.items():
        stage = stage_of(pack, stage_code)
        if stage is None:
            continue
        count = stages[stage.code]
        count.headcount += 1
        count.by_route[index[route or NO_ROUTE]] += 1
        r = ready.get(employee_id)
        count.ready += bool(r and r.ready)
        count.long_stay += bool(r and r.long_stay)
    ordered = sorted(stages.values(), key=lambda s: s.order)
    return Distribution(
        day=day,
        stages=ordered,
        routes=routes,
        route_totals=[sum(s.by_route[i] for s in ordered) for i in range(len(routes))],
        total=sum(s.headcount for s in ordered),
        ready=sum(s.ready for s in ordered),
        long_stay=sum(s.long_stay for s in ordered),
        pending=Promotion.objects.filter(status=PromotionStatus.PROPOSED).count(),
        ready_ids=sorted(i for i, r in ready.items() if r.ready),
        long_stay_ids=sorted(i for i, r in ready.items() if r.long_stay),
    )


def visible_people(user, ids) -> list[Employee]:
    """The people of `ids` the user may see (one query), in kana order."""
    if not ids:
        return []
    return list(visible_rows(user, Employee.objects.filter(pk__in=list(ids)), path="").order_by("kana_key", "number"))


def pending_promotions(user) -> list[Promotion]:
    qs = Promotion.objects.filter(status=PromotionStatus.PROPOSED).select_related("employee", "proposed_by")
    return list(visible_rows(user, qs).order_by("proposed_on", "pk"))

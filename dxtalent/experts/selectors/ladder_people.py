"""The list of ③ staff (people in the ladder on a day), scoped to the user, with readiness and this year's mentor.

A fixed number of queries whatever the rows: the visible stage periods (with their employees), readiness (four),
this 年度's plans, the page's current assignments; the org tree comes from the cached snapshot.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Q

from dxtalent.core.paging import PageLinks
from dxtalent.core.text import kana_key, normalize, search_key
from dxtalent.core.wareki import fiscal_year
from dxtalent.org.models import Assignment, Employee, valid_on
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.pack import Pack

from ..models import OjtPlan, StagePeriod
from .ladder import Readiness, readiness, stage_of
from .ladder_access import visible_rows

__all__ = [
    "NO_ROUTE",
    "PER_PAGE",
    "SORT_LABELS",
    "LadderFilter",
    "LadderPage",
    "LadderRow",
    "attach",
    "hire_route_label",
    "ladder_page",
    "ladder_rows",
    "unit_labels",
]

PER_PAGE = 50
NO_ROUTE = "none"  # filter value for "hire route not recorded"
SORT_LABELS = {
    "kana": "氏名順",
    "number": "職員番号順",
    "stage": "段階が上の順",
    "-stage": "段階が下の順",
    "years": "段階の在籍年数が長い順",
    "total": "通算年数が長い順",
    "ready": "昇格基準を満たす人から",
}


@dataclass
class LadderFilter:
    stage: str = ""
    ready: bool = False
    long_stay: bool = False
    hire_route: str = ""
    q: str = ""
    sort: str = "kana"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False)}


@dataclass
class LadderRow:
    employee: Employee
    period: StagePeriod
    stage_name: str
    stage_order: int
    readiness: Readiness
    hire_route: str
    unit: str = ""
    mentor: Employee | None = None
    plan: OjtPlan | None = None

    @property
    def unmet_count(self) -> int:
        return len(self.readiness.unmet)


@dataclass
class LadderPage(PageLinks):
    rows: list[LadderRow]
    total: int
    page: int
    pages: int
    filters: LadderFilter = field(default_factory=LadderFilter)


def hire_route_label(pack: Pack, code: str) -> str:
    if not code:
        return "未登録"
    return next((r.name for r in pack.hire_routes if r.code == code), code)


def _search(q: str) -> Q:
    q = normalize(q)
    key = search_key(q)
    cond = Q(employee__search_text__contains=key) | Q(employee__number__startswith=q)
    if kana_key(q) != key:
        cond |= Q(employee__kana_key__contains=kana_key(q))
    return cond


def _periods(user, filters: LadderFilter, day: dt.date):
    qs = visible_rows(user, StagePeriod.objects.filter(valid_on(day)), path="employee").select_related("employee")
    if filters.stage:
        qs = qs.filter(stage_code=filters.stage)
    if filters.hire_route == NO_ROUTE:
        qs = qs.filter(employee__hire_route="")
    elif filters.hire_route:
        qs = qs.filter(employee__hire_route=filters.hire_route)
    if filters.q:
        qs = qs.filter(_search(filters.q))
    return list(qs)


def _sort_key(sort: str):
    keys = {
        "number": lambda r: (r.employee.number,),
        "stage": lambda r: (-r.stage_order, r.employee.kana_key),
        "-stage": lambda r: (r.stage_order, r.employee.kana_key),
        "years": lambda r: (-r.readiness.years_in_stage, r.employee.kana_key),
        "total": lambda r: (-r.readiness.years_since_entry, r.employee.kana_key),
        "ready": lambda r: (not r.readiness.ready, r.unmet_count, r.employee.kana_key),
    }
    return keys.get(sort, lambda r: (r.employee.kana_key, r.employee.number))


def ladder_rows(*, user, filters: LadderFilter, pack: Pack, day: dt.date) -> list[LadderRow]:
    """Every visible row matching the filters, sorted (mentors and units not yet attached: see `ladder_page`)."""
    periods = _periods(user, filters, day)
    ready = readiness([p.employee_id for p in periods], pack=pack, day=day)
    rows = []
    for p in periods:
        r = ready.get(p.employee_id)
        if r is None:
            continue
        if (filters.ready and not r.ready) or (filters.long_stay and not r.long_stay):
            continue
        stage = stage_of(pack, p.stage_code)
        rows.append(
            LadderRow(
                employee=p.employee,
                period=p,
                stage_name=stage.name if stage else p.stage_code,
                stage_order=stage.order if stage else 0,
                readiness=r,
                hire_route=hire_route_label(pack, p.employee.hire_route),
            )
        )
    rows.sort(key=_sort_key(filters.sort))
    return rows


def unit_labels(employee_ids, day: dt.date) -> dict[int, str]:
    """employee_id → their current 所属 (局区 部 課) on `day` (one query + the cached org tree)."""
    snap = org_snapshot(day)
    rows = Assignment.objects.filter(valid_on(day), employee_id__in=list(employee_ids)).values_list(
        "employee_id", "unit_id"
    )
    return {e: snap.label_of(u) for e, u in rows}


def attach(rows: list[LadderRow], day: dt.date) -> list[LadderRow]:
    """Add this 年度's plan (and so the mentor) and the current 所属 to the rows (two queries)."""
    ids = [r.employee.pk for r in rows]
    if not ids:
        return rows
    plans = {
        p.employee_id: p
        for p in OjtPlan.objects.filter(employee_id__in=ids, fiscal_year=fiscal_year(day)).select_related("mentor")
    }
    units = unit_labels(ids, day)
    for r in rows:
        r.plan = plans.get(r.employee.pk)
        r.mentor = r.plan.mentor if r.plan else None
        r.unit = units.get(r.employee.pk, "")
    return rows


def ladder_page(*, user, filters: LadderFilter, pack: Pack, day: dt.date, page: int = 1) -> LadderPage:
    rows = ladder_rows(user=user, filters=filters, pack=pack, day=day)
    pages = max(math.ceil(len(rows) / PER_PAGE), 1)
    page = min(max(page, 1), pages)
    chunk = attach(rows[(page - 1) * PER_PAGE : page * PER_PAGE], day)
    return LadderPage(chunk, len(rows), page, pages, filters)

"""The quota table of a nomination window and the suggestion that favours 局区 with uncovered 部."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dxtalent.org.selectors import UnitNode
from dxtalent.policy.selectors import pack_of

from ..coverage import Coverage, coverage
from ..models import Nomination, NominationQuota, NominationStatus, NominationWindow
from .curriculum import cohort_plan

S = NominationStatus


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- quota suggestion


def allocate_largest_remainder(size: int, weights: dict, order: list | None = None) -> dict:
    """Share `size` seats among keys in proportion to their weights (Hamilton / largest remainder).

    - the shares sum to `size` exactly (when some weight is positive);
    - a larger weight never gets fewer seats than a smaller one;
    - every key with a positive weight gets at least one seat when there are enough seats (seats are moved from
      the best-served key, which keeps the order above).
    Ties go to the key that comes first in `order`.
    """
    order = list(order if order is not None else weights)
    rank = {k: i for i, k in enumerate(order)}
    keys = [k for k in order if k in weights]
    total = sum(max(0, weights[k]) for k in keys)
    alloc = dict.fromkeys(keys, 0)
    if size <= 0 or total <= 0:
        return alloc
    remainders = {}
    for k in keys:
        share = size * max(0, weights[k])
        alloc[k], remainders[k] = divmod(share, total)
    left = size - sum(alloc.values())
    for k in sorted(keys, key=lambda k: (-remainders[k], -weights[k], rank[k]))[:left]:
        alloc[k] += 1
    for k in sorted((k for k in keys if weights[k] > 0), key=lambda k: (-weights[k], rank[k])):
        if alloc[k] > 0:
            continue
        donors = [d for d in keys if alloc[d] >= 2]
        if not donors:
            break
        top = max(alloc[d] for d in donors)
        donor = min((d for d in donors if alloc[d] == top), key=lambda d: (weights[d], -rank[d]))
        alloc[donor] -= 1
        alloc[k] = 1
    return alloc


@dataclass
class QuotaRow:
    unit: UnitNode
    bu_total: int
    bu_uncovered: int
    uncovered_names: list[str]
    quota: int | None
    suggested: int
    nominated: int = 0  # not withdrawn
    selected: int = 0

    @property
    def over(self) -> bool:
        return self.quota is not None and self.nominated > self.quota

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else self.quota - self.nominated


@dataclass
class QuotaTable:
    window: NominationWindow
    size: int  # the cohort size the suggestion distributes
    basis: str  # what the suggestion is proportional to
    rows: list[QuotaRow]
    day: dt.date

    @property
    def quota_total(self) -> int:
        return sum(r.quota or 0 for r in self.rows)

    @property
    def suggested_total(self) -> int:
        return sum(r.suggested for r in self.rows)

    @property
    def nominated_total(self) -> int:
        return sum(r.nominated for r in self.rows)

    def row_for(self, unit_id: int) -> QuotaRow | None:
        return next((r for r in self.rows if r.unit.unit_id == unit_id), None)


BASIS_LABELS = {
    "uncovered": "リーダーのいない部の数に比例",
    "bu": "部の数に比例（すべての部にリーダーがいるため）",
    "equal": "局区ごとに均等",
}


def quota_table(window: NominationWindow, day: dt.date | None = None, cov: Coverage | None = None) -> QuotaTable:
    """Every current 局区 with its quota, the suggested quota, and its nominations so far (5 queries)."""
    day = day or _today()
    cov = cov or coverage(day)
    pack = pack_of(window.pack)
    _number, size = cohort_plan(pack, window.fiscal_year)
    tops = cov.tops()
    uncovered = cov.uncovered_by_top()
    bu_by_top: dict[int, int] = defaultdict(int)
    for bu in cov.all_bu:
        top = cov.top_of(bu.unit_id)
        if top is not None:
            bu_by_top[top.unit_id] += 1
    order = [t.unit_id for t in tops]
    weights, basis = {t: len(uncovered.get(t, [])) for t in order}, "uncovered"
    if not any(weights.values()):
        weights, basis = {t: bu_by_top[t] for t in order}, "bu"
    if not any(weights.values()):
        weights, basis = dict.fromkeys(order, 1), "equal"
    suggested = allocate_largest_remainder(size, weights, order)
    quotas = dict(NominationQuota.objects.filter(window=window).values_list("unit_id", "quota"))
    counts = _counts_by_unit(Nomination.objects.filter(window=window))
    rows = [
        QuotaRow(
            unit=t,
            bu_total=bu_by_top[t.unit_id],
            bu_uncovered=len(uncovered.get(t.unit_id, [])),
            uncovered_names=[b.name for b in uncovered.get(t.unit_id, [])],
            quota=quotas.get(t.unit_id),
            suggested=suggested.get(t.unit_id, 0),
            nominated=counts[t.unit_id]["nominated"],
            selected=counts[t.unit_id]["selected"],
        )
        for t in tops
    ]
    return QuotaTable(window=window, size=size, basis=basis, rows=rows, day=day)


def _counts_by_unit(qs: QuerySet) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"nominated": 0, "selected": 0})
    rows = qs.values("unit_id").annotate(
        nominated=Count("id", filter=~Q(status=S.WITHDRAWN)), selected=Count("id", filter=Q(status=S.SELECTED))
    )
    for r in rows:
        out[r["unit_id"]] = {"nominated": r["nominated"], "selected": r["selected"]}
    return out

"""Windows and nominations as the user may see them, and the secretariat's selection board."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Assignment, valid_on
from dxtalent.org.selectors import UnitNode, org_snapshot
from dxtalent.policy.pack import Pack
from dxtalent.policy.selectors import pack_of

from ..coverage import Coverage, coverage
from ..models import Cohort, Nomination, NominationStatus, NominationWindow
from .curriculum import WINDOW_STATE_LABELS, cohort_plan, window_state
from .quotas import QuotaTable, quota_table

S = NominationStatus


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- windows and nominations, scoped


def liaison_units(user) -> set[int]:
    """The 局区 a liaison nominates for (their grants' root units); empty for everyone else."""
    if not access.may(user, Action.NOMINATE):
        return set()
    return access.role_units(user, Role.LIAISON)


def nominatable_employees(user, day: dt.date | None = None) -> QuerySet:
    """People the liaison may nominate: current 所属 inside their 局区, and visible to them."""
    day = day or _today()
    units = org_snapshot(day).subtree_ids(liaison_units(user))
    current = Assignment.objects.filter(valid_on(day), unit_id__in=units).values("employee_id")
    return access.employees_visible_to(user).filter(pk__in=current)


def nominations_visible_to(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Nomination.objects.all() if qs is None else qs
    if not access.may(user, Action.VIEW_NOMINATIONS):
        return qs.none()
    if access.scope(user).all:
        return qs
    return qs.filter(unit_id__in=access.role_units(user, Role.LIAISON))


def windows_with_counts(user) -> list[NominationWindow]:
    """All windows, newest first, each with `counts` of the nominations the user may see (2 queries)."""
    windows = list(NominationWindow.objects.select_related("pack").order_by("-fiscal_year"))
    rows = nominations_visible_to(user).values("window_id", "status").annotate(n=Count("id")).order_by()
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(S.values, 0))
    for r in rows:
        counts[r["window_id"]][r["status"]] = r["n"]
    for w in windows:
        w.counts = counts[w.pk]
        w.counts["active"] = sum(v for k, v in w.counts.items() if k != S.WITHDRAWN)
        w.state = window_state(w)
        w.state_label = WINDOW_STATE_LABELS[w.state]
    return windows


def current_window(day: dt.date | None = None) -> NominationWindow | None:
    """The window open today, else the next to open, else the latest one."""
    day = day or _today()
    qs = NominationWindow.objects.select_related("pack")
    return (
        qs.filter(opens_on__lte=day, closes_on__gte=day).order_by("-fiscal_year").first()
        or qs.filter(opens_on__gt=day).order_by("opens_on").first()
        or qs.order_by("-fiscal_year").first()
    )


def current_assignments_prefetch(day: dt.date) -> Prefetch:
    return Prefetch(
        "employee__assignments",
        queryset=Assignment.objects.filter(valid_on(day)).select_related("position"),
        to_attr="current_assignments",
    )


@dataclass
class NominationRow:
    nomination: Nomination
    unit_label: str  # the nominee's 所属 today
    top: UnitNode | None
    bu: UnitNode | None
    bu_leaders: int  # active leaders in the nominee's 部 today
    requirements: list[tuple[str, bool]]
    position: str = ""

    @property
    def employee(self):
        return self.nomination.employee

    @property
    def bu_covered(self) -> bool:
        return self.bu_leaders > 0

    @property
    def all_requirements(self) -> bool:
        return all(ok for _label, ok in self.requirements)


def nomination_rows(nominations: list[Nomination], pack: Pack, day: dt.date, cov: Coverage | None = None):
    """Label nominations (loaded by `scoped_nominations`) with 所属, 部 coverage and the requirement ticks."""
    snap = org_snapshot(day)
    cov = cov or coverage(day)
    reqs = pack.nomination_requirements
    rows = []
    for n in nominations:
        current = (getattr(n.employee, "current_assignments", None) or [None])[0]
        path = snap.path_of(current.unit_id) if current else {}
        bu = path.get("bu")
        rows.append(
            NominationRow(
                nomination=n,
                unit_label=snap.label_of(current.unit_id) if current else "（現在の所属なし）",
                top=path.get("top"),
                bu=bu,
                bu_leaders=cov.bu_leaders.get(bu.unit_id, 0) if bu else 0,
                requirements=[(label, n.requirements.get(code) is True) for code, label in reqs],
                position=current.position.name if current else "",
            )
        )
    return rows


def scoped_nominations(user, window: NominationWindow, day: dt.date, include_withdrawn: bool = True) -> list:
    qs = nominations_visible_to(user, Nomination.objects.filter(window=window))
    if not include_withdrawn:
        qs = qs.exclude(status=S.WITHDRAWN)
    qs = qs.select_related("employee", "nominated_by__employee", "decided_by").prefetch_related(
        current_assignments_prefetch(day)
    )
    return list(qs.order_by("unit_id", "employee__kana_key", "pk"))


@dataclass
class UnitGroup:
    unit_id: int
    name: str
    quota: int | None
    suggested: int | None
    rows: list[NominationRow] = field(default_factory=list)

    @property
    def active(self) -> int:
        return sum(1 for r in self.rows if r.nomination.status != S.WITHDRAWN)

    @property
    def selected(self) -> int:
        return sum(1 for r in self.rows if r.nomination.status == S.SELECTED)

    @property
    def over(self) -> bool:
        return self.quota is not None and self.active > self.quota


@dataclass
class SelectionBoard:
    window: NominationWindow
    pack: Pack
    groups: list[UnitGroup]
    counts: dict[str, int]
    planned_number: int | None
    target: int
    cohort: Cohort | None
    quotas: QuotaTable

    @property
    def selected(self) -> int:
        return self.counts.get(S.SELECTED, 0)

    @property
    def difference(self) -> int:
        """Selected minus target: negative = short of the pack's cohort size, positive = over it."""
        return self.selected - self.target

    @property
    def shortfall(self) -> int:
        return max(0, -self.difference)

    @property
    def excess(self) -> int:
        return max(0, self.difference)

    @property
    def undecided(self) -> int:
        return self.counts.get(S.SUBMITTED, 0)

    @property
    def rows(self) -> list[NominationRow]:
        return [r for g in self.groups for r in g.rows]


def selection_board(user, window: NominationWindow, day: dt.date | None = None) -> SelectionBoard:
    """Every nomination of the window, grouped by 局区 with quota and 部 coverage; counts vs the pack's target."""
    day = day or _today()
    pack = pack_of(window.pack)
    cov = coverage(day)
    quotas = quota_table(window, day, cov)
    nominations = scoped_nominations(user, window, day)
    rows = nomination_rows(nominations, pack, day, cov)
    snap = org_snapshot(day)
    groups: dict[int, UnitGroup] = {}
    for qrow in quotas.rows:
        groups[qrow.unit.unit_id] = UnitGroup(qrow.unit.unit_id, qrow.unit.name, qrow.quota, qrow.suggested)
    for row in rows:
        uid = row.nomination.unit_id
        if uid not in groups:
            node = snap.nodes.get(uid)
            groups[uid] = UnitGroup(uid, node.name if node else "（廃止された局区）", None, None)
        groups[uid].rows.append(row)
    counts = dict.fromkeys(S.values, 0)
    for row in rows:
        counts[row.nomination.status] += 1
    number, target = cohort_plan(pack, window.fiscal_year)
    return SelectionBoard(
        window=window,
        pack=pack,
        groups=[g for g in groups.values() if g.rows or g.quota],
        counts=counts,
        planned_number=number,
        target=target,
        cohort=Cohort.objects.filter(fiscal_year=window.fiscal_year).first(),
        quotas=quotas,
    )


def nomination_candidates(user, q: str, window: NominationWindow, day: dt.date | None = None, limit: int = 20):
    """People in the liaison's 局区 matching a search, each flagged if already nominated this year."""
    from dxtalent.org.selectors import EmployeeFilter, employee_list

    day = day or _today()
    roots = liaison_units(user)
    if not roots or not q.strip():
        return []
    snap = org_snapshot(day)
    units = snap.subtree_ids(roots)
    qs = employee_list(user=user, filters=EmployeeFilter(q=q), day=day)
    qs = qs.filter(pk__in=Assignment.objects.filter(valid_on(day), unit_id__in=units).values("employee_id"))
    people = list(qs[:limit])
    taken = set(
        Nomination.objects.filter(window=window, employee__in=[p.pk for p in people])
        .exclude(status=S.WITHDRAWN)
        .values_list("employee_id", flat=True)
    )
    out = []
    for p in people:
        current = (p.current_assignments or [None])[0]
        out.append(
            {
                "employee": p,
                "label": snap.label_of(current.unit_id) if current else "",
                "nominated": p.pk in taken,
            }
        )
    return out

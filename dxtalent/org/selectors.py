"""Reads of the org tree and the staff registry. Each runs a fixed number of queries whatever the rows."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from dxtalent.core.text import kana_key, normalize, search_key

from . import access
from .models import KIND_LEVEL, Assignment, Employee, EmploymentStatus, OrgKind, OrgUnit, OrgUnitVersion, valid_on


@dataclass
class UnitNode:
    """A unit as it stood on a given day, with its children and headcount (own + below)."""

    unit_id: int
    code: str
    kind: str
    name: str
    parent_id: int | None
    sort_order: int
    children: list["UnitNode"] = field(default_factory=list)
    own_headcount: int = 0
    headcount: int = 0

    @property
    def kind_label(self) -> str:
        return OrgKind(self.kind).label

    @property
    def level(self) -> int:
        return KIND_LEVEL[self.kind]


class OrgSnapshot:
    """The whole org tree as of one day, built from one query and kept for the request."""

    def __init__(self, day: dt.date):
        self.day = day
        rows = (
            OrgUnitVersion.objects.filter(valid_on(day), valid_on(day, "unit__"))
            .values_list("unit_id", "unit__code", "unit__kind", "name", "parent_id", "unit__sort_order")
            .order_by("unit__sort_order", "unit__code")
        )
        self.nodes: dict[int, UnitNode] = {r[0]: UnitNode(*r) for r in rows}
        self.roots: list[UnitNode] = []
        for node in self.nodes.values():
            parent = self.nodes.get(node.parent_id) if node.parent_id else None
            (parent.children if parent else self.roots).append(node)

    def subtree_ids(self, roots) -> set[int]:
        out: set[int] = set()
        stack = [self.nodes[r] for r in roots if r in self.nodes]
        while stack:
            node = stack.pop()
            out.add(node.unit_id)
            stack.extend(node.children)
        return out

    def ancestors(self, unit_id: int) -> list[UnitNode]:
        """The unit and its ancestors, nearest first."""
        chain, node, seen = [], self.nodes.get(unit_id), set()
        while node is not None and node.unit_id not in seen:
            seen.add(node.unit_id)
            chain.append(node)
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return chain

    def path_of(self, unit_id: int) -> dict[str, UnitNode]:
        """{'top': 局/区, 'bu': 部, 'ka': 課, 'kakari': 係} for a unit, as far as it goes."""
        out = {}
        for node in self.ancestors(unit_id):
            key = "top" if node.kind in (OrgKind.KYOKU, OrgKind.KU) else node.kind
            out[key] = node
        return out

    def label_of(self, unit_id: int) -> str:
        return " ".join(n.name for n in reversed(self.ancestors(unit_id)))

    def flat(self) -> list[UnitNode]:
        """All nodes in tree order (parents before children), for rendering as an indented table."""
        out: list[UnitNode] = []
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(node.children))
        return out

    @property
    def total_headcount(self) -> int:
        return sum(r.headcount for r in self.roots)

    def units_of_kind(self, *kinds) -> list[UnitNode]:
        return [n for n in self.nodes.values() if n.kind in kinds]


_SNAPSHOTS: dict[dt.date, OrgSnapshot] = {}  # memo for the current request
_SHARED: dict[tuple, OrgSnapshot] = {}  # across requests, keyed by day and the org tables' stamp
_SHARED_MAX = 16


def _org_stamp() -> tuple:
    """Changes whenever any unit or unit version is written (auto_now `changed_at`; counts for deletes).

    One query, so a cached tree costs what building it from one query used to cost, minus the work."""
    units, versions = OrgUnit._meta.db_table, OrgUnitVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(changed_at), (SELECT COUNT(*) FROM {versions}), "  # table names from _meta
            f"(SELECT MAX(changed_at) FROM {versions}) FROM {units}"
        )
        return tuple(cursor.fetchone())


def org_snapshot(day: dt.date | None = None) -> OrgSnapshot:
    """The tree as of `day`. Memoised for the request; across requests it is reused while the org tables
    are unchanged (two cheap aggregate queries instead of rebuilding ~1,500 nodes)."""
    day = day or timezone.localdate()
    if day not in _SNAPSHOTS:
        key = (day, _org_stamp())
        snap = _SHARED.get(key)
        if snap is None:
            snap = OrgSnapshot(day)
            if len(_SHARED) >= _SHARED_MAX:
                _SHARED.pop(next(iter(_SHARED)))
            _SHARED[key] = snap
        _SNAPSHOTS[day] = snap
    return _SNAPSHOTS[day]


def reset_snapshots(*, shared: bool = False) -> None:
    """Forget the request's snapshots (and, for tests, the cross-request cache too)."""
    _SNAPSHOTS.clear()
    if shared:
        _SHARED.clear()


def unit_subtree_ids(roots, day: dt.date | None = None) -> set[int]:
    return org_snapshot(day).subtree_ids(roots)


def ancestors_of(unit_id: int, day: dt.date | None = None) -> list[UnitNode]:
    return org_snapshot(day).ancestors(unit_id)


def org_tree_with_headcount(day: dt.date) -> OrgSnapshot:
    """The tree as of `day` with headcount per unit (people assigned there that day, and below)."""
    snap = OrgSnapshot(day)  # not memoised: headcounts are attached to the nodes
    # Assignments alone decide who sits where: hiring starts one and retiring end-dates it (services
    # guarantee both), so no join with employees is needed — that join cost 4× at city scale.
    counts = Assignment.objects.filter(valid_on(day)).order_by().values("unit_id").annotate(n=Count("id"))
    for row in counts:
        node = snap.nodes.get(row["unit_id"])
        if node:
            node.own_headcount = row["n"]

    def total(node: UnitNode) -> int:
        node.headcount = node.own_headcount + sum(total(c) for c in node.children)
        return node.headcount

    for root in snap.roots:
        total(root)
    return snap


def current_assignment(employee: Employee, day: dt.date | None = None) -> Assignment | None:
    day = day or timezone.localdate()
    return employee.assignments.filter(valid_on(day)).select_related("position").first()


def _current_assignments_prefetch(day: dt.date) -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(valid_on(day)).select_related("position"),
        to_attr="current_assignments",
    )


SORTS = {
    "kana": ("kana_key", "number"),
    "-kana": ("-kana_key", "-number"),
    "number": ("number",),
    "-number": ("-number",),
    "hire": ("hire_date", "kana_key"),
    "-hire": ("-hire_date", "kana_key"),
}


@dataclass
class EmployeeFilter:
    q: str = ""
    unit: int | None = None  # any unit: 局区, 部 or 課 (its subtree counts)
    job_type: int | None = None
    position: int | None = None
    include_retired: bool = False
    sort: str = "kana"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "", False)}


def employee_list(*, user, filters: EmployeeFilter, day: dt.date | None = None) -> QuerySet:
    """Employees visible to `user`, filtered and sorted; each carries `current_assignments` (0 or 1 row)."""
    day = day or timezone.localdate()
    qs = access.employees_visible_to(user, Employee.objects.select_related("job_type"))
    if not filters.include_retired:
        qs = qs.filter(status=EmploymentStatus.ACTIVE)
    if filters.q:
        q = normalize(filters.q)
        key = search_key(q)
        cond = Q(search_text__contains=key) | Q(number__startswith=q)
        if kana_key(q) != key:
            cond |= Q(kana_key__contains=kana_key(q))
        qs = qs.filter(cond)
    current = Assignment.objects.filter(valid_on(day))
    if filters.unit:
        units = unit_subtree_ids([filters.unit], day)
        qs = qs.filter(pk__in=current.filter(unit_id__in=units).values("employee_id"))
    if filters.position:
        qs = qs.filter(pk__in=current.filter(position_id=filters.position).values("employee_id"))
    if filters.job_type:
        qs = qs.filter(job_type_id=filters.job_type)
    order = SORTS.get(filters.sort, SORTS["kana"])
    return qs.order_by(*order).prefetch_related(_current_assignments_prefetch(day))


def employee_detail(employee_id: int) -> Employee:
    return Employee.objects.select_related("job_type").get(pk=employee_id)


def assignment_history(employee: Employee) -> list[Assignment]:
    return list(employee.assignments.select_related("position", "unit").order_by("-valid_from"))


def unit_labels_for(assignments, day_of=lambda a: a.valid_from) -> dict[int, str]:
    """Full unit names (局区 部 課 係) for each assignment as the tree stood when it began."""
    by_day: dict[dt.date, list] = defaultdict(list)
    for a in assignments:
        by_day[day_of(a)].append(a)
    out = {}
    for day, rows in by_day.items():
        snap = org_snapshot(day)
        for a in rows:
            out[a.pk] = snap.label_of(a.unit_id) or a.unit.code
    return out


HISTORY_TYPES = {"+": "作成", "~": "変更", "-": "削除"}


def change_history(employee: Employee, limit: int = 100) -> list[dict]:
    """Who changed what on this person and their assignments, newest first (from django-simple-history)."""
    entries = []
    records = list(employee.history.select_related("history_user").order_by("-history_date")[:limit])
    for newer, older in zip(records, [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [(employee._meta.get_field(c.field).verbose_name, c.old, c.new) for c in delta.changes]
        entries.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "what": HISTORY_TYPES.get(newer.history_type, newer.history_type),
                "target": "職員情報",
                "changes": changes,
            }
        )
    a_records = (
        Assignment.history.filter(employee_id=employee.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    for rec in a_records:
        entries.append(
            {
                "when": rec.history_date,
                "who": rec.history_user,
                "what": HISTORY_TYPES.get(rec.history_type, rec.history_type),
                "target": "所属",
                "changes": [("期間", "", f"{rec.valid_from}〜{rec.valid_to or ''}")],
            }
        )
    entries.sort(key=lambda e: e["when"], reverse=True)
    return entries[:limit]


def filter_choices(day: dt.date | None = None) -> dict:
    """Options for the employee list's filters (units as of today, job types, positions)."""
    from .models import JobType, Position

    snap = org_snapshot(day)
    return {
        "tops": sorted(snap.units_of_kind(OrgKind.KYOKU, OrgKind.KU), key=lambda n: (n.sort_order, n.code)),
        "snapshot": snap,
        "job_types": list(JobType.objects.all()),
        "positions": list(Position.objects.all()),
    }

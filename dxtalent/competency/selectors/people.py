"""People helpers: current 所属 labels and the default evaluator (所属長 = the 課長 of the person's current 課)."""

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from dxtalent.org.models import Assignment, Employee, OrgKind, valid_on
from dxtalent.org.selectors import org_snapshot


def current_assignments_prefetch(day: dt.date, path: str = "employee__assignments") -> Prefetch:
    return Prefetch(path, queryset=Assignment.objects.filter(valid_on(day)), to_attr="current_assignments")


def unit_label(employee: Employee | None, day: dt.date | None = None) -> str:
    """「東区 市民部 戸籍住民課」 from a prefetched `current_assignments` (no query)."""
    if employee is None:
        return ""
    current = getattr(employee, "current_assignments", None)
    if not current:
        return ""
    a = sorted(current, key=lambda a: a.valid_from, reverse=True)[0]
    return org_snapshot(day).label_of(a.unit_id)


def path_names(employee: Employee | None, day: dt.date | None = None) -> dict[str, str]:
    current = getattr(employee, "current_assignments", None) if employee else None
    if not current:
        return {}
    a = sorted(current, key=lambda a: a.valid_from, reverse=True)[0]
    return {k: n.name for k, n in org_snapshot(day).path_of(a.unit_id).items()}


def default_evaluators(employees, day: dt.date | None = None) -> dict[int, Employee | None]:
    """The 所属長 of each person on `day`: a manager-position holder of their current 課 (lowest rank first); for a
    課長 themself (or a 課 without one) the nearest manager above. Two queries whatever the number of people."""
    day = day or timezone.localdate()
    ids = [e.pk for e in employees]
    snap = org_snapshot(day)
    units: dict[int, int] = {}
    for a in Assignment.objects.filter(valid_on(day), employee_id__in=ids).order_by("valid_from", "pk"):
        units[a.employee_id] = a.unit_id
    chains: dict[int, list[int]] = {}
    wanted: set[int] = set()
    for emp_id, unit_id in units.items():
        chain = [n for n in snap.ancestors(unit_id)]  # nearest first
        ka = next((i for i, n in enumerate(chain) if n.kind == OrgKind.KA), 0)
        chains[emp_id] = [n.unit_id for n in chain[ka:]]
        wanted.update(chains[emp_id])
    managers: dict[int, list[Employee]] = defaultdict(list)
    rows = (
        Assignment.objects.filter(valid_on(day), unit_id__in=wanted, position__is_manager=True)
        .select_related("employee")
        .order_by("position__rank", "employee__number")
    )
    for a in rows:
        managers[a.unit_id].append(a.employee)
    out: dict[int, Employee | None] = {}
    for emp_id in ids:
        out[emp_id] = None
        for unit_id in chains.get(emp_id, []):
            found = next((m for m in managers.get(unit_id, []) if m.pk != emp_id), None)
            if found is not None:
                out[emp_id] = found
                break
    return out

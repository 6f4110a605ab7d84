"""People around an application, in a fixed number of queries: the head (課長) of a person's current 課, current
所属 labels, whether someone is a DX推進リーダー now, their open ladder stage."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from dxtalent.leaders.models import LeaderRole
from dxtalent.org.models import Assignment, Employee, OrgKind, valid_on
from dxtalent.org.selectors import org_snapshot

from ..models import StagePeriod


def ka_heads(employee_ids, day: dt.date | None = None) -> dict[int, Employee | None]:
    """The head (課長) of each person's current 課: the person assigned directly to that 課 with a manager
    position, lowest rank first (never the person themself). Two queries whatever the number of people."""
    day = day or timezone.localdate()
    ids = list(set(employee_ids))
    if not ids:
        return {}
    snap = org_snapshot(day)
    ka_of: dict[int, int] = {}
    for emp_id, unit_id in Assignment.objects.filter(valid_on(day), employee_id__in=ids).values_list(
        "employee_id", "unit_id"
    ):
        ka = next((n.unit_id for n in snap.ancestors(unit_id) if n.kind == OrgKind.KA), None)
        if ka is not None:
            ka_of.setdefault(emp_id, ka)
    heads: dict[int, list[Assignment]] = {}
    rows = (
        Assignment.objects.filter(valid_on(day), unit_id__in=set(ka_of.values()), position__is_manager=True)
        .select_related("employee", "position")
        .order_by("position__rank", "valid_from", "employee_id")
    )
    for a in rows:
        heads.setdefault(a.unit_id, []).append(a)
    out: dict[int, Employee | None] = {}
    for emp_id in ids:
        candidates = [a.employee for a in heads.get(ka_of.get(emp_id), []) if a.employee_id != emp_id]
        out[emp_id] = candidates[0] if candidates else None
    return out


def ka_head(employee: Employee, day: dt.date | None = None) -> Employee | None:
    return ka_heads([employee.pk], day).get(employee.pk)


def unit_labels(employee_ids, day: dt.date | None = None) -> dict[int, str]:
    """Each person's current 所属 as "局区 部 課" (one query)."""
    day = day or timezone.localdate()
    snap = org_snapshot(day)
    out: dict[int, str] = {}
    rows = Assignment.objects.filter(valid_on(day), employee_id__in=set(employee_ids)).values_list(
        "employee_id", "unit_id"
    )
    for emp_id, unit_id in rows:
        out.setdefault(emp_id, snap.label_of(unit_id))
    return out


def is_current_leader(employee: Employee, day: dt.date) -> bool:
    return LeaderRole.objects.filter(employee=employee).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).exists()


def open_stage(employee: Employee):
    return StagePeriod.objects.filter(employee=employee, valid_to__isnull=True).first()

"""Who sees which ③ records (stage history, OJT plans, reviews, promotions, readiness) and who may do what.

Rows: VIEW_EXPERT_RECORDS, then `access.employees_visible_to` (oneself, one's units, or all) OR the people whose
plan the user mentors OR — for the head (部長) of the pack's expert department, who decides promotions — everyone
who has ever been in the ladder. Writes: MANAGE_OJT for people in one's scope (enter/leave, plans), the plan's
mentor (reviews, proposals), the department head (decisions). The services check the same rules again.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import OjtPlan, StagePeriod
from .ladder import department_head

__all__ = [
    "is_department_head",
    "may_manage_ojt_for",
    "pack_or_none",
    "visible_employee",
    "visible_rows",
]


def pack_or_none(day: dt.date | None = None):
    try:
        return current_pack(day)
    except NoPolicyPack:
        return None


def is_department_head(user, day: dt.date | None = None) -> bool:
    """True when the user's Employee heads the pack's expert department today (cached on the user)."""
    day = day or timezone.localdate()
    cache = user.__dict__.setdefault("_dx_expert_head", {})
    if day not in cache:
        me = access.employee_of(user)
        pack = pack_or_none(day)
        head = department_head(pack, day) if (me is not None and pack is not None) else None
        cache[day] = head is not None and head.pk == me.pk
    return cache[day]


def visible_rows(user, qs: QuerySet, path: str = "employee") -> QuerySet:
    """Narrow `qs` (Employees with path="", or rows reaching an Employee through `path`) to the ③ rows the user
    may see. Always a filter on `qs`, so callers add their own filters and ordering."""
    if not access.may(user, Action.VIEW_EXPERT_RECORDS):
        return qs.none()
    if access.scope(user).all:
        return qs
    key = f"{path}_id" if path else "pk"
    if is_department_head(user):
        return qs.filter(**{f"{key}__in": StagePeriod.objects.values("employee_id")})
    scoped_ids = access.employees_visible_to(user, Employee.objects.all()).values("pk")
    condition = Q(**{f"{key}__in": scoped_ids})
    me = access.employee_of(user)
    if me is not None:
        condition |= Q(**{f"{key}__in": OjtPlan.objects.filter(mentor_id=me.pk).values("employee_id")})
    return qs.filter(condition)


def visible_employee(user, employee_pk: int) -> Employee | None:
    return visible_rows(user, Employee.objects.filter(pk=employee_pk), path="").select_related("job_type").first()


def may_manage_ojt_for(user, employee: Employee) -> bool:
    """MANAGE_OJT and the person in the user's scope (hr/secretariat: everyone; a manager: their 課)."""
    if not access.may(user, Action.MANAGE_OJT):
        return False
    s = access.scope(user)
    if s.all:
        return True
    me = access.employee_of(user)
    if me is not None and me.pk == employee.pk:
        return False
    return bool(s.unit_ids) and access.may_view_employee(user, employee)

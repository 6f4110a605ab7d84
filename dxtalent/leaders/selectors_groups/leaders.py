"""Active leaders as of a day (role type, where they sit, cohort, practice year) and one leader's role history."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dxtalent.core.wareki import fiscal_year
from dxtalent.org import access
from dxtalent.org.models import Employee, valid_on
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import (
    Cohort,
    LeaderRole,
)
from .groups import _assignment_units

# ---------------------------------------------------------------- leaders and their roles


@dataclass
class LeaderRow:
    role: LeaderRole
    employee: Employee
    cohort: Cohort | None
    role_type_name: str
    top: str
    bu: str
    unit_label: str
    top_id: int | None
    in_practice_year: bool


def role_types_on(day: dt.date) -> tuple:
    """The pack's role types in force on `day` (none before any pack is loaded)."""
    try:
        return current_pack(day).role_types
    except NoPolicyPack:
        return ()


def role_type_names(day: dt.date) -> dict[str, str]:
    return {r.code: r.name for r in role_types_on(day)}


def leader_list(*, user, day: dt.date | None = None, top: int | None = None, role_type: str = "") -> list[LeaderRow]:
    """Leaders active on `day` (a LeaderRole valid that day) whom `user` may see, where they sit that day.

    Fixed queries: the pack, the roles (with employee and cohort), assignments on the day, the org snapshot.
    """
    day = day or timezone.localdate()
    names = role_type_names(day)
    qs = LeaderRole.objects.filter(valid_on(day)).select_related("employee", "certification__member__cohort")
    qs = access.employees_visible_to(user, qs, path="employee")
    if role_type:
        qs = qs.filter(role_type=role_type)
    roles = list(qs.order_by("employee__kana_key", "employee__number"))
    units = _assignment_units({r.employee_id for r in roles}, day)
    snap = org_snapshot(day)
    fy = fiscal_year(day)
    out = []
    for r in roles:
        unit_id = units.get(r.employee_id)
        path = snap.path_of(unit_id) if unit_id else {}
        top_node = path.get("top")
        if top and (top_node is None or top_node.unit_id != top):
            continue
        cohort = r.certification.member.cohort if r.certification_id else None
        out.append(
            LeaderRow(
                role=r,
                employee=r.employee,
                cohort=cohort,
                role_type_name=names.get(r.role_type, r.role_type),
                top=top_node.name if top_node else "",
                bu=path["bu"].name if "bu" in path else "",
                unit_label=snap.label_of(unit_id) if unit_id else "",
                top_id=top_node.unit_id if top_node else None,
                in_practice_year=cohort is not None and cohort.practice_year == fy,
            )
        )
    return out


@dataclass
class LeaderDetail:
    employee: Employee
    roles: list[LeaderRole]
    role_names: dict[str, str]
    current: LeaderRole | None
    certification: object | None
    unit_label: str

    @property
    def cohort(self):
        return self.certification.member.cohort if self.certification else None


def leader_detail(employee: Employee, day: dt.date | None = None) -> LeaderDetail:
    day = day or timezone.localdate()
    roles = list(
        LeaderRole.objects.filter(employee=employee)
        .select_related("certification__member__cohort", "certification__certified_by")
        .order_by("-valid_from")
    )
    names = role_type_names(day)
    for r in roles:
        r.type_name = names.get(r.role_type, r.role_type)
    current = next((r for r in roles if r.is_valid_on(day)), None)
    certification = current or (roles[0] if roles else None)
    certification = certification.certification if certification else None
    unit = _assignment_units([employee.pk], day).get(employee.pk)
    return LeaderDetail(
        employee, roles, names, current, certification, org_snapshot(day).label_of(unit) if unit else ""
    )

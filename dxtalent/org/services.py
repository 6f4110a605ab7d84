"""Every write to the org tree and the staff registry goes through these functions."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from dxtalent.core.text import kana_key, search_key

from .models import Assignment, Employee, EmploymentStatus, OrgUnit, OrgUnitVersion, Position
from .selectors import reset_snapshots


def employee_search_fields(*, number: str, name: str, name_kana: str) -> dict:
    """The derived columns that make search and kana sorting work; set on every create/update."""
    return {"kana_key": kana_key(name_kana), "search_text": search_key(number, name, name_kana)}


@transaction.atomic
def employee_create(
    *,
    number: str,
    name: str,
    name_kana: str,
    job_type,
    hire_date: dt.date,
    email: str = "",
    unit: OrgUnit,
    position: Position,
    assigned_from: dt.date,
    source: str = "",
) -> Employee:
    employee = Employee(
        number=number,
        name=name,
        name_kana=name_kana,
        job_type=job_type,
        hire_date=hire_date,
        email=email,
        **employee_search_fields(number=number, name=name, name_kana=name_kana),
    )
    employee.full_clean()
    employee.save()
    assignment = Assignment(employee=employee, unit=unit, position=position, valid_from=assigned_from, source=source)
    assignment.full_clean()
    assignment.save()
    return employee


@transaction.atomic
def employee_transfer(
    *, employee: Employee, unit: OrgUnit, position: Position, on: dt.date, source: str = ""
) -> Assignment:
    """異動: end-date the assignment open on `on` (the day before) and start a new one on `on`."""
    open_rows = list(employee.assignments.select_for_update().filter(valid_to__isnull=True))
    for row in open_rows:
        if row.valid_from >= on:
            raise ValueError(f"{employee}: {on} より後に始まる所属があるため異動を登録できません")
        row.valid_to = on - dt.timedelta(days=1)
        row.save(update_fields=["valid_to"])
    assignment = Assignment(employee=employee, unit=unit, position=position, valid_from=on, source=source)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def employee_retire(*, employee: Employee, on: dt.date, source: str = "") -> None:
    """退職・転出: close the open assignment on the day before `on` and mark the person as gone."""
    for row in employee.assignments.filter(valid_to__isnull=True):
        row.valid_to = max(row.valid_from, on - dt.timedelta(days=1))
        row.save(update_fields=["valid_to"])
    employee.status = EmploymentStatus.RETIRED
    employee.left_on = on
    employee.save(update_fields=["status", "left_on"])


@transaction.atomic
def orgunit_create(
    *, code: str, kind: str, name: str, parent: OrgUnit | None, valid_from: dt.date, sort_order: int = 0
) -> OrgUnit:
    unit = OrgUnit(code=code, kind=kind, valid_from=valid_from, sort_order=sort_order)
    unit.full_clean()
    unit.save()
    OrgUnitVersion.objects.create(unit=unit, name=name, parent=parent, valid_from=valid_from)
    reset_snapshots()
    return unit


@transaction.atomic
def orgunit_revise(*, unit: OrgUnit, name: str, parent: OrgUnit | None, on: dt.date) -> OrgUnitVersion:
    """Rename or move a unit from `on`: the previous version is end-dated, never overwritten."""
    current = unit.versions.filter(valid_to__isnull=True).first()
    if current is not None:
        if current.valid_from >= on:
            raise ValueError(f"{unit.code}: {on} より後に始まる版があるため変更できません")
        current.valid_to = on - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    version = OrgUnitVersion(unit=unit, name=name, parent=parent, valid_from=on)
    version.full_clean()
    version.save()
    reset_snapshots()
    return version


@transaction.atomic
def orgunit_close(*, unit: OrgUnit, on: dt.date, merged_into: OrgUnit | None = None) -> None:
    """廃止・統合: the unit and its current version end the day before `on`."""
    last_day = on - dt.timedelta(days=1)
    unit.versions.filter(valid_to__isnull=True).update(valid_to=last_day, changed_at=timezone.now())
    unit.valid_to = last_day
    unit.merged_into = merged_into
    unit.save(update_fields=["valid_to", "merged_into"])
    reset_snapshots()

"""Test data builders shared by every test module. They write through the services, like the product does."""

import datetime as dt
import itertools

from dxtalent.core.models import User
from dxtalent.core.roles import Role
from dxtalent.org import services
from dxtalent.org.models import JobType, OrgKind, OrgUnit, Position, RoleGrant

_seq = itertools.count(1)
START = dt.date(2015, 4, 1)


def job_type(name="一般事務") -> JobType:
    return JobType.objects.get_or_create(name=name, defaults={"code": f"J{next(_seq):03d}"})[0]


def position(name="一般職員", rank=90, is_manager=False) -> Position:
    return Position.objects.get_or_create(
        name=name, defaults={"code": f"P{next(_seq):03d}", "rank": rank, "is_manager": is_manager}
    )[0]


def unit(name: str, kind: str, parent: OrgUnit | None = None, code: str | None = None, since=START) -> OrgUnit:
    return services.orgunit_create(
        code=code or f"U{next(_seq):05d}", kind=kind, name=name, parent=parent, valid_from=since
    )


def small_city():
    """Two wards and a bureau, each with 部 and 課: enough to test scopes and trees.

    Returns a dict of units by short name: higashi, kita, somu (局); higashi_shimin (部), higashi_koseki (課) …
    """
    u = {}
    u["higashi"] = unit("東区", OrgKind.KU, code="K01")
    u["kita"] = unit("北区", OrgKind.KU, code="K02")
    u["somu"] = unit("総務局", OrgKind.KYOKU, code="B01")
    u["higashi_shimin"] = unit("市民部", OrgKind.BU, u["higashi"], code="K01-1")
    u["higashi_koseki"] = unit("戸籍住民課", OrgKind.KA, u["higashi_shimin"], code="K01-1-1")
    u["higashi_hoken"] = unit("保険年金課", OrgKind.KA, u["higashi_shimin"], code="K01-1-2")
    u["kita_shimin"] = unit("市民部", OrgKind.BU, u["kita"], code="K02-1")
    u["kita_koseki"] = unit("戸籍住民課", OrgKind.KA, u["kita_shimin"], code="K02-1-1")
    u["somu_jinji"] = unit("職員部", OrgKind.BU, u["somu"], code="B01-1")
    u["somu_jinjika"] = unit("人事課", OrgKind.KA, u["somu_jinji"], code="B01-1-1")
    return u


def employee(unit: OrgUnit, *, number=None, name="札幌 太郎", kana="サッポロ タロウ", since=START, pos=None, **kw):
    n = next(_seq)
    return services.employee_create(
        number=number or f"{100000 + n}",
        name=name,
        name_kana=kana,
        job_type=kw.pop("job", None) or job_type(),
        hire_date=kw.pop("hire_date", since),
        email=kw.pop("email", ""),
        unit=unit,
        position=pos or position(),
        assigned_from=since,
    )


def login(employee_obj=None, *roles, scope_unit=None, password="pass-word-123") -> User:
    """A login for `employee_obj` (or a bare user) holding `roles` (default: employee)."""
    number = employee_obj.number if employee_obj else f"u{next(_seq)}"
    user = User.objects.create_user(username=number, password=password)
    if employee_obj is not None:
        employee_obj.user = user
        employee_obj.save(update_fields=["user"])
    for role in roles or (Role.EMPLOYEE,):
        RoleGrant.objects.create(user=user, role=role, scope_unit=scope_unit, valid_from=START)
    return user

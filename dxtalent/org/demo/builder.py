"""Write a simulated Plan into the database: the org tree through the org services, people in bulk.

Used by `load_demo` (about 2,000 people, with change history) and `generate_scale_data` (city scale; plain
bulk inserts unless asked for history). Both call `write_plan` inside one transaction.

Other apps add their own demo or scale data through a hook: a module `dxtalent.<app>.demo_data` with
`load_demo(*, plan, seed, stdout)` and/or `generate_scale_data(*, plan, seed, stdout)`. The org data is
written first; hooks run in INSTALLED_APPS order (the import direction), inside the same transaction.
"""

import copy
import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from importlib import import_module
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from dxtalent.core.models import User
from dxtalent.org import services
from dxtalent.org.models import (
    Assignment,
    Employee,
    EmploymentStatus,
    JobType,
    OrgUnit,
    OrgUnitVersion,
    Position,
    RoleGrant,
)
from dxtalent.org.selectors import reset_snapshots

from .simulate import Plan, fiscal_year
from .spec import ONE_DAY, OrgSpec

DEMO_PASSWORD = "dxtalent-demo-2026"  # shared by every demo login; passes the project's password validators
DEMO_URL = "http://127.0.0.1:8000/"
SOURCE_DEMO = "デモデータ"
SOURCE_SCALE = "規模データ"
HOOK_MODULE = "demo_data"

Log = Callable[[str], None]


def has_data() -> bool:
    """True when the database already holds org units or employees (demo or real)."""
    return OrgUnit.objects.exists() or Employee.objects.exists()


def _at(day: dt.date) -> dt.datetime:
    """History timestamps: 09:00 local time on the day something took effect."""
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo(settings.TIME_ZONE))


# ---- org -------------------------------------------------------------------------------------------------
def write_org(spec: OrgSpec) -> dict[str, int]:
    """Create every unit, then its renames/moves and closures in date order, via the org services.

    The 係 that `extend_for_scale` generates (a thousand or more, one version each, never changed) are
    bulk-inserted with their history rows afterwards: same rows as the services write, a fraction of the time.
    """
    events = []
    for u in spec.units:
        if u.generated:
            continue
        events.append((u.since, 0, u.level, u.sort_order, u, None))
        for v in u.versions[1:]:
            events.append((v.start, 1, u.level, u.sort_order, u, v))
        if u.closed:
            events.append((u.closed + ONE_DAY, 2, u.level, u.sort_order, u, None))
    events.sort(key=lambda e: e[:4])
    objs: dict[str, OrgUnit] = {}
    for day, kind, _level, _order, u, version in events:
        if kind == 0:
            first = u.versions[0]
            objs[u.code] = services.orgunit_create(
                code=u.code,
                kind=u.kind,
                name=first.name,
                parent=objs[spec.by_path[first.parent].code] if first.parent else None,
                valid_from=u.since,
                sort_order=u.sort_order,
            )
        elif kind == 1:
            services.orgunit_revise(
                unit=objs[u.code],
                name=version.name,
                parent=objs[spec.by_path[version.parent].code] if version.parent else None,
                on=day,
            )
        else:
            target = objs[spec.by_path[u.merged_into].code] if u.merged_into else None
            services.orgunit_close(unit=objs[u.code], on=day, merged_into=target)
    generated = [u for u in spec.units if u.generated]
    if generated:
        units = [OrgUnit(code=u.code, kind=u.kind, valid_from=u.since, sort_order=u.sort_order) for u in generated]
        bulk_create_with_history(units, OrgUnit, batch_size=2000, default_change_reason=SOURCE_SCALE)
        if any(o.pk is None for o in units):
            ids = dict(OrgUnit.objects.filter(code__in=[u.code for u in generated]).values_list("code", "pk"))
            for o in units:
                o.pk = ids[o.code]
        versions = [
            OrgUnitVersion(
                unit_id=o.pk,
                name=u.name,
                parent_id=objs[spec.by_path[u.versions[0].parent].code].pk,
                valid_from=u.since,
            )
            for u, o in zip(generated, units, strict=True)
        ]
        bulk_create_with_history(versions, OrgUnitVersion, batch_size=2000, default_change_reason=SOURCE_SCALE)
        objs.update({o.code: o for o in units})
        reset_snapshots()
    return {code: unit.pk for code, unit in objs.items()}


def write_masters(spec: OrgSpec, source: str = SOURCE_DEMO) -> tuple[dict[str, int], dict[str, int]]:
    """Job types and positions from the spec; ones already present (same name) are kept as they are."""

    def ensure(model, rows, build) -> dict[str, int]:
        existing = {o.name: o for o in model.objects.all()}
        missing = [build(i, r) for i, r in enumerate(rows, start=1) if r["name"] not in existing]
        taken = set(model.objects.filter(code__in=[m.code for m in missing]).values_list("code", flat=True))
        if taken:
            raise ValueError(
                f"{model._meta.verbose_name}のコードが別の名称で使われています: {', '.join(sorted(taken))}"
            )
        if missing:
            bulk_create_with_history(missing, model, default_change_reason=source)
        by_name = {o.name: o.pk for o in model.objects.all()}
        return {r["code"]: by_name[r["name"]] for r in rows}

    jobs = ensure(JobType, spec.job_types, lambda i, r: JobType(code=r["code"], name=r["name"], sort_order=i * 10))
    positions = ensure(
        Position,
        spec.positions,
        lambda i, r: Position(code=r["code"], name=r["name"], rank=r["rank"], is_manager=bool(r.get("is_manager"))),
    )
    return jobs, positions


# ---- people ----------------------------------------------------------------------------------------------
def write_people(
    plan: Plan,
    *,
    unit_ids: dict[str, int],
    job_ids: dict[str, int],
    position_ids: dict[str, int],
    history: bool,
    source: str,
    batch_size: int = 2000,
) -> dict[str, int]:
    """Bulk-insert employees and their assignments; with `history`, also their history rows.

    History is written the way it would have accrued: an employee's "+" on the hire date, "~" when they
    left; each assignment's "+" on its first day and "~" (end-dated) the day after its last.
    """
    employees = []
    for p in plan.people:
        employees.append(
            Employee(
                number=p.number,
                name=p.name,
                name_kana=p.name_kana,
                job_type_id=job_ids[p.job],
                hire_date=p.hire,
                email=p.email,
                status=EmploymentStatus.RETIRED if p.left_on else EmploymentStatus.ACTIVE,
                left_on=p.left_on,
                **services.employee_search_fields(number=p.number, name=p.name, name_kana=p.name_kana),
            )
        )
    Employee.objects.bulk_create(employees, batch_size=batch_size)
    if any(e.pk is None for e in employees):  # backends that do not return ids from bulk inserts
        ids = dict(Employee.objects.values_list("number", "pk"))
        for e in employees:
            e.pk = ids[e.number]
    assignments = [
        Assignment(
            employee_id=e.pk,
            unit_id=unit_ids[unit],
            position_id=position_ids[position],
            valid_from=start,
            valid_to=end,
            source=source,
        )
        for p, e in zip(plan.people, employees, strict=True)
        for unit, position, start, end in p.rows
    ]
    Assignment.objects.bulk_create(assignments, batch_size=batch_size)
    if history:
        if any(a.pk is None for a in assignments):
            ids = {
                (emp, start): pk
                for emp, start, pk in Assignment.objects.values_list("employee_id", "valid_from", "pk").iterator()
            }
            for a in assignments:
                a.pk = ids[(a.employee_id, a.valid_from)]
        _write_history(Employee, employees, _employee_versions, source, batch_size)
        _write_history(Assignment, assignments, _assignment_versions, source, batch_size)
    return {"employees": len(employees), "assignments": len(assignments)}


def _employee_versions(e: Employee) -> Iterator[tuple[Employee, dt.date, bool]]:
    hired = copy.copy(e)
    hired.status, hired.left_on = EmploymentStatus.ACTIVE, None
    yield hired, e.hire_date, False
    if e.left_on:
        yield e, e.left_on, True


def _assignment_versions(a: Assignment) -> Iterator[tuple[Assignment, dt.date, bool]]:
    opened = copy.copy(a)
    opened.valid_to = None
    yield opened, a.valid_from, False
    if a.valid_to:
        yield a, a.valid_to + ONE_DAY, True


def _write_history(model, objs, versions, reason: str, batch_size: int) -> None:
    created, updated = [], []
    for obj in objs:
        for version, day, is_update in versions(obj):
            version = copy.copy(version) if version is obj else version
            version._history_date = _at(day)
            (updated if is_update else created).append(version)
    model.history.bulk_history_create(created, batch_size=batch_size, default_change_reason=reason)
    model.history.bulk_history_create(updated, batch_size=batch_size, update=True, default_change_reason=reason)


# ---- logins ----------------------------------------------------------------------------------------------
def write_groups(spec: OrgSpec) -> dict[str, Group]:
    out = {}
    for name, conf in (spec.staffing.get("groups") or {}).items():
        group, _ = Group.objects.get_or_create(name=name)
        cond = Q(pk__in=[])
        for label in conf["models"]:
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in conf["actions"]]
            cond |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.add(*Permission.objects.filter(cond))
        out[name] = group
    return out


def write_logins(plan: Plan, *, unit_ids: dict[str, int], password: str = DEMO_PASSWORD) -> list[User]:
    """One login per role (staffing.yaml demo_logins): username = 職員番号, linked to the employee."""
    groups = write_groups(plan.spec)
    hashed = make_password(password)  # hashed once: the logins share one password
    since = dt.date(fiscal_year(plan.today), 4, 1)
    users = []
    for pick in plan.logins:
        p = pick.person
        user, _ = User.objects.get_or_create(username=p.number)
        user.first_name, user.last_name, user.email = p.given, p.surname, p.email
        user.is_staff, user.is_superuser, user.password = pick.is_staff, pick.is_superuser, hashed
        user.save()
        user.groups.add(*(groups[g] for g in pick.groups))
        employee = Employee.objects.get(number=p.number)
        employee.user = user
        employee.save(update_fields=["user"])
        scope = unit_ids[plan.spec.by_path[pick.scope].code] if pick.scope else None
        grant = RoleGrant(user=user, role=pick.role, scope_unit_id=scope, valid_from=since)
        grant.full_clean()
        grant.save()
        users.append(user)
    return users


# ---- all of it -------------------------------------------------------------------------------------------
def write_plan(plan: Plan, *, history: bool, source: str, log: Log = lambda _msg: None) -> dict[str, int]:
    """Org, masters, people, assignments and demo logins; the caller holds the transaction."""
    t = time.perf_counter()
    unit_ids = write_org(plan.spec)
    log(f"  組織 {len(unit_ids):,} 件（{time.perf_counter() - t:.1f} 秒）")
    t = time.perf_counter()
    job_ids, position_ids = write_masters(plan.spec, source)
    counts = write_people(
        plan,
        unit_ids=unit_ids,
        job_ids=job_ids,
        position_ids=position_ids,
        history=history,
        source=source,
    )
    log(
        f"  職員 {counts['employees']:,} 人・所属 {counts['assignments']:,} 件"
        f"{'（変更履歴つき）' if history else ''}（{time.perf_counter() - t:.1f} 秒）"
    )
    write_logins(plan, unit_ids=unit_ids)
    return {"units": len(unit_ids), **counts, "logins": len(plan.logins)}


def app_hooks(function: str) -> Iterator[Callable]:
    """`dxtalent.<app>.demo_data.<function>` of every other installed dxtalent app, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("dxtalent.") or config.name == "dxtalent.org":
            continue
        module_name = f"{config.name}.{HOOK_MODULE}"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        hook = getattr(module, function, None)
        if hook is not None:
            yield hook


def db_fingerprint() -> str:
    """The same hash as Plan.fingerprint, computed from what is in the database."""
    rows: dict[str, list[str]] = {}
    for number, unit, position, start, end in (
        Assignment.objects.order_by("employee__number", "valid_from")
        .values_list("employee__number", "unit__code", "position__code", "valid_from", "valid_to")
        .iterator(chunk_size=5000)
    ):
        rows.setdefault(number, []).append(f"{unit},{position},{start},{end or ''}")
    digest = hashlib.sha256()
    for number, name, kana, job, hire, left_on in (
        Employee.objects.order_by("number")
        .values_list("number", "name", "name_kana", "job_type__code", "hire_date", "left_on")
        .iterator(chunk_size=5000)
    ):
        line = f"{number}|{name}|{kana}|{job}|{hire}|{left_on or ''}|{';'.join(rows.get(number, []))}\n"
        digest.update(line.encode())
    return digest.hexdigest()

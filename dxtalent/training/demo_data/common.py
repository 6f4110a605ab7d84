"""Helpers the demo hooks share (the leaders' demo uses them too): the replay clock, the demo logins, the
staff in post, dates inside a fiscal year, the policy pack."""

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings

from dxtalent.org.models import Assignment, Employee, EmploymentStatus, valid_on
from dxtalent.policy import selectors as policy

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"  # dxtalent/training/demo/*.yaml
ONE_DAY = dt.timedelta(days=1)


@contextmanager
def clock(day: dt.date, at: dt.time = dt.time(9)) -> Iterator[None]:
    """Run the services as if it were `day`: `timezone.now()` answers `day` at `at` (local time), one second
    later at each call (so rows keep their order). Used to replay the demo year through the services."""
    start = dt.datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    ticks = itertools.count()

    def now() -> dt.datetime:
        return (start + dt.timedelta(seconds=next(ticks))).astimezone(dt.UTC)

    with mock.patch("django.utils.timezone.now", now):
        yield


def read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def fy_date(fy: int, month: int, day: int, *, weekday: bool = False) -> dt.date:
    """A month and day inside fiscal year `fy` (April–December of `fy`, January–March of the next year);
    with `weekday`, a Saturday or Sunday moves on to the Monday."""
    date = dt.date(fy if month >= 4 else fy + 1, month, day)
    if weekday and date.weekday() >= 5:
        date += dt.timedelta(days=7 - date.weekday())
    return date


def parse_time(text: str) -> dt.time:
    hours, minutes = (int(x) for x in str(text).split(":"))
    return dt.time(hours, minutes)


def plus_hours(start: dt.time, hours: Decimal) -> dt.time:
    moment = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=int(hours * 60))
    return moment.time()


def pack_or_none():
    try:
        return policy.current_pack()
    except policy.NoPolicyPack:
        return None


@dataclass
class Cast:
    """The demo logins (one per role, see staffing.yaml) as users and employees."""

    users: dict[str, object]
    employees: dict[str, Employee]

    @classmethod
    def of(cls, plan) -> "Cast":
        numbers = {pick.role: pick.person.number for pick in plan.logins}
        by_number = {e.number: e for e in Employee.objects.filter(number__in=numbers.values()).select_related("user")}
        employees = {role: by_number[n] for role, n in numbers.items() if n in by_number}
        return cls(users={role: e.user for role, e in employees.items()}, employees=employees)

    @property
    def employee_ids(self) -> set[int]:
        return {e.pk for e in self.employees.values()}


@dataclass
class Staff:
    """People in post on a day: employee id → (unit id, is a manager, hire date)."""

    day: dt.date
    rows: dict[int, tuple[int, bool, dt.date]]

    @classmethod
    def on(cls, day: dt.date) -> "Staff":
        rows = (
            Assignment.objects.filter(valid_on(day), employee__status=EmploymentStatus.ACTIVE)
            .order_by("employee_id", "-valid_from")
            .values_list("employee_id", "unit_id", "position__is_manager", "employee__hire_date")
        )
        out: dict[int, tuple[int, bool, dt.date]] = {}
        for employee_id, unit_id, is_manager, hired in rows:
            out.setdefault(employee_id, (unit_id, bool(is_manager), hired))
        return cls(day, out)

    def under(self, unit_ids: set[int]) -> list[int]:
        return [e for e, (unit, _m, _h) in self.rows.items() if unit in unit_ids]


def ensure_pack(stdout):
    """The pack the scale data needs: the one loaded, else Sapporo's (policy_packs/sapporo-r8)."""
    pack = pack_or_none()
    if pack is None:
        from dxtalent.policy.services import policy_pack_load

        policy_pack_load(directory=settings.BASE_DIR / "policy_packs" / "sapporo-r8")
        pack = policy.current_pack()
        stdout.write("  ポリシーパックがないため policy_packs/sapporo-r8 を読み込みました")
    return pack

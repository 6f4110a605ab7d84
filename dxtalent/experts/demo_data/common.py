"""What the demo and the scale data of issue 5 share: the scenario file, moments, the ③ department and its people,
the 課長 of each 課, and the hire route of a job type (the scenario's mapping, checked against the pack)."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from dxtalent.org.models import Assignment, EmploymentStatus, JobType, OrgKind, valid_on
from dxtalent.training.demo_data import read_yaml

SCENARIO_FILE = Path(__file__).resolve().parent.parent / "demo" / "experts.yaml"
ONE_DAY = dt.timedelta(days=1)


def scenario() -> dict:
    return read_yaml(SCENARIO_FILE)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A local moment on `day` (aware), for back-dated rows."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def md(fy: int, spec: dict) -> dt.date:
    """A {month, day} of the scenario inside fiscal year `fy`."""
    month, day = int(spec["month"]), int(spec["day"])
    return dt.date(fy if month >= 4 else fy + 1, month, day)


def department_node(snap, pack):
    """The 部 that runs the ③ ladder (pack.expert_department) in the org snapshot, or None."""
    name = pack.expert_department
    found = [n for n in snap.nodes.values() if n.kind == OrgKind.BU and n.name == name]
    return min(found, key=lambda n: (n.sort_order, n.unit_id)) if found else None


def ka_of(snap, unit_id: int) -> int | None:
    node = snap.path_of(unit_id).get(OrgKind.KA)
    return node.unit_id if node is not None else None


def heads_of_ka(day: dt.date) -> dict[int, int]:
    """課 id → the employee id of its 課長 (the highest manager post sitting in the 課 itself) on `day`."""
    heads: dict[int, int] = {}
    for unit_id, employee_id in (
        Assignment.objects.filter(
            valid_on(day), unit__kind=OrgKind.KA, position__is_manager=True, employee__status=EmploymentStatus.ACTIVE
        )
        .order_by("position__rank", "employee__number")
        .values_list("unit_id", "employee_id")
    ):
        heads.setdefault(unit_id, employee_id)
    return heads


def head_of_department(unit_id: int, day: dt.date) -> int | None:
    """The employee id of the 部長: assigned directly to the 部 with a manager post (lowest rank first)."""
    return (
        Assignment.objects.filter(valid_on(day), unit_id=unit_id, position__is_manager=True)
        .order_by("position__rank", "employee__number")
        .values_list("employee_id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class Routes:
    """The scenario's hire-route mapping, every code checked against the pack (unknown codes are dropped)."""

    by_job_type: dict[int, str]  # JobType id → route code
    other: str
    job_challenge: str
    job_challenge_from: str  # the route some of whom came by job challenge instead
    job_challenge_share: float
    recorded_since_years: int

    @classmethod
    def of(cls, conf: dict, pack) -> "Routes":
        codes = {r.code for r in pack.hire_routes}
        spec = conf["hire_routes"]
        names = {name: code for name, code in (spec.get("by_job_type") or {}).items() if code in codes}
        by_id = {pk: names[name] for pk, name in JobType.objects.values_list("pk", "name") if name in names}
        other = spec.get("other_route", "") if spec.get("other_route") in codes else ""
        challenge = spec.get("job_challenge_route", "") if spec.get("job_challenge_route") in codes else ""
        return cls(
            by_job_type=by_id,
            other=other,
            job_challenge=challenge,
            job_challenge_from=spec.get("job_challenge_from", ""),
            job_challenge_share=float(spec.get("job_challenge_share", 0)),
            recorded_since_years=int(spec.get("recorded_since_years", 15)),
        )

    def of_job(self, job_type_id: int) -> str:
        return self.by_job_type.get(job_type_id, self.other)

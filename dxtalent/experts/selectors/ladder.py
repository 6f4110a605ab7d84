"""Reads of the ③ OJT ladder that other apps use too: current stages, readiness for promotion, the department head.

Every rule comes from the policy pack (stages, minimum years, expected levels, experiences, the long-stay margin,
the department that decides): nothing about the ladder is typed here. Each function runs a fixed number of
queries whatever the number of people (bulk loads, then Python).
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import TextField
from django.db.models.functions import Cast

from dxtalent.competency.models import Assessment, Rater, Rating
from dxtalent.org.models import Assignment, Employee, EmploymentStatus, OrgKind, OrgUnitVersion, valid_on
from dxtalent.policy.pack import Pack
from dxtalent.policy.pack_talent import LadderStage

from ..models import OjtReview, StagePeriod

__all__ = [
    "Check",
    "Readiness",
    "current_stages",
    "department_head",
    "experience_labels",
    "readiness",
    "span_label",
    "stage_of",
    "whole_years",
]


def whole_years(start: dt.date, end: dt.date) -> int:
    """Whole years completed from `start` to `end` (2016-04-01 → 2018-03-31: 1; → 2018-04-01: 2)."""
    if end < start:
        return 0
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _whole_months(start: dt.date, end: dt.date) -> int:
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def span_label(start: dt.date, end_exclusive: dt.date) -> str:
    """ "2年3か月" for a span (the end day not counted)."""
    months = _whole_months(start, end_exclusive)
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years}年{rest}か月"
    if years:
        return f"{years}年"
    return f"{rest}か月"


def stage_of(pack: Pack, code: str) -> LadderStage | None:
    return next((s for s in pack.ladder if s.code == code), None)


def experience_labels(pack: Pack) -> dict[str, str]:
    """Every experience code of the ladder → its label (the pack's order)."""
    return {code: label for s in pack.ladder for code, label in s.experiences}


def current_stages(day: dt.date) -> dict[int, StagePeriod]:
    """employee_id → the StagePeriod they are in on `day` (one query; the employee is selected along)."""
    rows = StagePeriod.objects.filter(valid_on(day)).select_related("employee")
    return {p.employee_id: p for p in rows}


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """The fields of a StagePeriod that readiness and the pages read (`pk`, `stage_code`, dates, `note`)."""

    pk: int
    employee_id: int
    stage_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    note: str = ""

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


@dataclass(frozen=True)
class Check:
    """One criterion of the next stage: what is required, what the person has, whether it is met."""

    kind: str  # years_in_stage | years_since_entry | level | experience
    label: str
    required: str
    actual: str
    met: bool


@dataclass
class Readiness:
    employee_id: int
    stage: LadderStage | None
    next_stage: LadderStage | None
    period: "PeriodRow | StagePeriod | None"
    entered_on: dt.date | None
    years_in_stage: int
    years_since_entry: int
    levels: dict[str, int] = field(default_factory=dict)
    experiences_done: set[str] = field(default_factory=set)
    checks: list[Check] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    ready: bool = False
    long_stay: bool = False

    @property
    def is_top(self) -> bool:
        return self.stage is not None and self.next_stage is None

    def snapshot(self, day: dt.date) -> dict:
        """What a promotion stores: the criteria as they stood when it was proposed (JSON)."""
        return {
            "day": day.isoformat(),
            "stage": self.stage.code if self.stage else None,
            "next_stage": self.next_stage.code if self.next_stage else None,
            "years_in_stage": self.years_in_stage,
            "years_since_entry": self.years_since_entry,
            "levels": dict(self.levels),
            "experiences": sorted(self.experiences_done),
            "checks": [
                {"label": c.label, "required": c.required, "actual": c.actual, "met": c.met} for c in self.checks
            ],
            "unmet": list(self.unmet),
            "ready": self.ready,
        }


def _ids(employees: Iterable) -> list[int]:
    return sorted({e if isinstance(e, int) else e.pk for e in employees})


def _latest_levels(ids: list[int], framework_code: str, day: dt.date) -> dict[int, dict[str, int]]:
    """Latest submitted evaluator ratings per person, from campaigns on the ladder's framework (two queries)."""
    if not ids or not framework_code:
        return {}
    rows = (
        Assessment.objects.filter(
            employee_id__in=ids,
            campaign__framework_code=framework_code,
            campaign__opens_on__lte=day,
            evaluator_submitted_at__isnull=False,
        )
        .order_by("employee_id", "campaign__opens_on", "campaign_id")
        .values_list("pk", "employee_id")
    )
    latest: dict[int, int] = {}
    for pk, employee_id in rows:  # ordered oldest campaign first: the last one wins
        latest[employee_id] = pk
    out: dict[int, dict[str, int]] = defaultdict(dict)
    owner = {pk: employee_id for employee_id, pk in latest.items()}
    ratings = Rating.objects.filter(assessment_id__in=list(owner), rater=Rater.EVALUATOR).values_list(
        "assessment_id", "item_code", "level"
    )
    for assessment_id, item_code, level in ratings:
        out[owner[assessment_id]][item_code] = level
    return out


def _experiences(ids: list[int], day: dt.date) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    if not ids:
        return out
    # Ten years of half-year reviews are thousands of rows: fetch each distinct list once, as JSON text, and
    # parse them all in one json.loads (not one decode per row).
    rows = list(
        OjtReview.objects.filter(plan__employee_id__in=ids, reviewed_on__lte=day)
        .annotate(codes=Cast("experiences", TextField()))
        .order_by()
        .values_list("plan__employee_id", "codes")
        .distinct()
    )
    if not rows:
        return out
    parsed = json.loads("[" + ",".join(text or "[]" for _e, text in rows) + "]")
    for (employee_id, _text), codes in zip(rows, parsed, strict=True):
        out[employee_id].update(codes or ())
    return out


def _evaluate(r: Readiness, pack: Pack) -> None:
    nxt, stage = r.next_stage, r.stage
    if stage is None or nxt is None:
        return
    checks = [
        Check(
            "years_in_stage",
            f"{stage.name}での在籍年数",
            f"{nxt.min_years_in_previous_stage}年",
            f"{r.years_in_stage}年",
            r.years_in_stage >= nxt.min_years_in_previous_stage,
        ),
        Check(
            "years_since_entry",
            "育成開始からの年数",
            f"{nxt.min_years_since_assignment}年",
            f"{r.years_since_entry}年",
            r.years_since_entry >= nxt.min_years_since_assignment,
        ),
    ]
    for e in nxt.expected_levels:
        have = r.levels.get(e.item_code)
        actual = f"レベル{have}" if have is not None else "評価なし"
        checks.append(Check("level", e.item_name, f"レベル{e.level}", actual, have is not None and have >= e.level))
    for code, label in nxt.experiences:
        checks.append(Check("experience", label, "経験あり", "経験あり" if code in r.experiences_done else "未経験",
                            code in r.experiences_done))  # fmt: skip
    r.checks = checks
    unmet = []
    for c in checks:
        if c.met:
            continue
        if c.kind == "experience":
            unmet.append(f"未経験: {c.label}")
        elif c.kind == "level":
            unmet.append(f"{c.label} {c.actual}（必要 {c.required.removeprefix('レベル')}）")
        else:
            unmet.append(f"{c.label} {c.actual}（必要 {c.required}）")
    r.unmet = unmet
    r.ready = not unmet
    r.long_stay = r.years_in_stage >= nxt.min_years_in_previous_stage + pack.long_stay_margin_years


def readiness(employees: Iterable, *, pack: Pack, day: dt.date) -> dict[int, "Readiness"]:
    """employee_id → Readiness on `day` for the people of `employees` (Employees or ids) who are in the ladder.

    Four queries whatever the number of people: stage periods, the latest evaluator assessments, their ratings,
    the OJT reviews' experiences.
    """
    ids = _ids(employees)
    if not ids:
        return {}
    periods: dict[int, list[PeriodRow]] = defaultdict(list)
    rows = StagePeriod.objects.filter(employee_id__in=ids, valid_from__lte=day).order_by("employee_id", "valid_from")
    for p in rows.values_list("id", "employee_id", "stage_code", "valid_from", "valid_to", "note"):
        periods[p[1]].append(PeriodRow(*p))  # plain rows: a model instance per period costs more than the rest
    in_ladder = [i for i, ps in periods.items() if any(p.is_valid_on(day) for p in ps)]
    fw = pack.ladder_framework
    levels = _latest_levels(in_ladder, fw.code if fw else "", day)
    done = _experiences(in_ladder, day)
    out = {}
    for employee_id in in_ladder:
        ps = periods[employee_id]
        current = next(p for p in ps if p.is_valid_on(day))
        stage = stage_of(pack, current.stage_code)
        r = Readiness(
            employee_id=employee_id,
            stage=stage,
            next_stage=pack.next_stage(stage.code) if stage else None,
            period=current,
            entered_on=ps[0].valid_from,
            years_in_stage=whole_years(current.valid_from, day),
            years_since_entry=whole_years(ps[0].valid_from, day),
            levels=levels.get(employee_id, {}),
            experiences_done=done.get(employee_id, set()),
        )
        if stage is None:
            r.unmet = [f"段階「{current.stage_code}」はポリシーパックにありません"]
        _evaluate(r, pack)
        out[employee_id] = r
    return out


def department_head(pack: Pack, day: dt.date) -> Employee | None:
    """The head (部長) of the pack's expert department on `day`: the active employee assigned directly to the 部
    of that name with a manager position, the highest-ranking (lowest Position.rank) first. Two queries."""
    name = pack.expert_department
    if not name:
        return None
    units = list(
        OrgUnitVersion.objects.filter(valid_on(day), valid_on(day, "unit__"), name=name, unit__kind=OrgKind.BU)
        .order_by("unit__sort_order", "unit__code")
        .values_list("unit_id", flat=True)
    )
    if not units:
        return None
    a = (
        Assignment.objects.filter(
            valid_on(day),
            unit_id__in=units,
            position__is_manager=True,
            employee__status=EmploymentStatus.ACTIVE,
        )
        .select_related("employee", "position")
        .order_by("position__rank", "valid_from", "employee_id")
        .first()
    )
    return a.employee if a else None

"""A typed, read-only view of a loaded pack's content. Other apps read policy numbers only through this."""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from .pack_talent import TalentPackMixin


@dataclass(frozen=True)
class TalentType:
    code: str
    number: int
    name: str
    short_name: str
    description: str


@dataclass(frozen=True)
class PracticeStep:
    number: int
    code: str
    name: str
    deliverable: str
    per_member: bool


@dataclass(frozen=True)
class Phase:
    code: str
    name: str
    content: str
    delivery: str  # classroom | elearning | handson
    required: bool
    sessions: int
    hours_per_session: Decimal
    months: tuple[int, ...]
    due_month: int | None
    due_before_phase: str | None
    group_work: bool
    steps: tuple[PracticeStep, ...]

    @property
    def hours(self) -> Decimal:
        return self.hours_per_session * self.sessions

    @property
    def in_person(self) -> bool:
        return self.delivery != "elearning"


@dataclass(frozen=True)
class RoleType:
    code: str
    name: str
    placement: str
    description: str


@dataclass(frozen=True)
class Milestone:
    code: str
    fiscal_year: int
    leaders: int
    label: str
    min_leaders_per_bu: int | None


@dataclass(frozen=True)
class ImprovementStep:
    """One of the four steps of an improvement project (業務改善) and the role that owns it."""

    number: int
    code: str
    name: str
    owner: str  # manager | leader
    description: str
    support: str


class Pack(TalentPackMixin):
    """Wraps a PolicyPack row's content with accessors; cheap to build, cache per process by checksum.
    Competency frameworks, the ③ ladder, hire routes and reference data come from TalentPackMixin (pack_talent.py)."""

    def __init__(self, content: dict, *, pk: int | None = None):
        self.pk = pk
        self.raw = content
        self.code: str = content["code"]
        self.version: str = content["version"]
        self.name: str = content["name"]
        self.municipality: str = content["municipality"]

    # --- talent types -------------------------------------------------------------------------
    @cached_property
    def talent_types(self) -> tuple[TalentType, ...]:
        return tuple(
            TalentType(t["code"], t["number"], t["name"], t.get("short_name", t["name"]), t.get("description", ""))
            for t in self.raw["talent_types"]
        )

    def talent_type(self, code: str) -> TalentType:
        return next(t for t in self.talent_types if t.code == code)

    # --- leaders ------------------------------------------------------------------------------
    @property
    def _leaders(self) -> dict:
        return self.raw["leaders"]

    @cached_property
    def nomination_requirements(self) -> tuple[tuple[str, str], ...]:
        return tuple((r["code"], r["label"]) for r in self._leaders["nomination"]["requirements"])

    @property
    def cohort_size(self) -> int:
        return self._leaders["cohort_plan"]["cohort_size"]

    @cached_property
    def planned_cohorts(self) -> tuple[tuple[int, int, int], ...]:
        """(第N期, training fiscal year, planned size)."""
        return tuple(
            (c["number"], c["training_year"], c.get("size", self.cohort_size))
            for c in self._leaders["cohort_plan"]["cohorts"]
        )

    def planned_cohort_for_year(self, fiscal_year: int) -> tuple[int, int, int] | None:
        return next((c for c in self.planned_cohorts if c[1] == fiscal_year), None)

    @property
    def practice_years(self) -> int:
        return self._leaders["cohort_plan"].get("practice_years_after_certification", 1)

    @cached_property
    def cumulative_targets(self) -> dict[int, int]:
        """Fiscal year → cumulative certified leaders targeted by the end of that year."""
        return {t["fiscal_year"]: t["leaders"] for t in self._leaders["targets"]["cumulative"]}

    def cumulative_target(self, fiscal_year: int) -> int | None:
        """The target in force for a year: the latest target year ≤ fiscal_year (None before the first)."""
        years = [y for y in self.cumulative_targets if y <= fiscal_year]
        return self.cumulative_targets[max(years)] if years else None

    @cached_property
    def milestones(self) -> tuple[Milestone, ...]:
        return tuple(
            Milestone(m["code"], m["fiscal_year"], m["leaders"], m["label"], m.get("min_leaders_per_bu"))
            for m in self._leaders["targets"].get("milestones", [])
        )

    @cached_property
    def role_types(self) -> tuple[RoleType, ...]:
        return tuple(
            RoleType(r["code"], r["name"], r.get("placement", ""), r.get("description", ""))
            for r in self._leaders["role_types"]
        )

    def role_type(self, code: str) -> RoleType:
        return next(r for r in self.role_types if r.code == code)

    @property
    def default_role_type(self) -> str:
        return self._leaders["default_role_type"]

    # --- curriculum ---------------------------------------------------------------------------
    @property
    def _curriculum(self) -> dict:
        return self.raw["curriculum"]

    @property
    def curriculum_name(self) -> str:
        return self._curriculum["name"]

    @cached_property
    def phases(self) -> tuple[Phase, ...]:
        return tuple(
            Phase(
                code=p["code"],
                name=p["name"],
                content=p.get("content", ""),
                delivery=p["delivery"],
                required=p["required"],
                sessions=p["sessions"],
                hours_per_session=Decimal(str(p["hours_per_session"])),
                months=tuple(p["months"]),
                due_month=p.get("due_month"),
                due_before_phase=p.get("due_before_phase"),
                group_work=p.get("group_work", False),
                steps=tuple(
                    PracticeStep(
                        s["number"], s["code"], s["name"], s.get("deliverable", ""), s.get("per_member", False)
                    )
                    for s in p.get("steps", [])
                ),
            )
            for p in self._curriculum["phases"]
        )

    def phase(self, code: str) -> Phase:
        return next(p for p in self.phases if p.code == code)

    @property
    def required_phases(self) -> tuple[Phase, ...]:
        return tuple(p for p in self.phases if p.required)

    @property
    def curriculum_hours(self) -> Decimal:
        """Sum of the required phases' hours (38 h for Sapporo)."""
        return sum((p.hours for p in self.required_phases), Decimal(0))

    @property
    def in_person_days(self) -> int:
        """One day per in-person session of a required phase (10 for Sapporo)."""
        return sum(p.sessions for p in self.required_phases if p.in_person)

    @property
    def declared_total_hours(self) -> Decimal:
        return Decimal(str(self._curriculum["total_hours"]))

    @property
    def declared_in_person_days(self) -> int:
        return self._curriculum["in_person_days"]

    @property
    def group_size_bounds(self) -> tuple[int, int]:
        g = self._curriculum["groups"]
        return g["min_size"], g["max_size"]

    @property
    def completion_rule(self) -> dict:
        return dict(self._curriculum["completion_rule"])

    @cached_property
    def practice_phase(self) -> Phase | None:
        return next((p for p in self.phases if p.group_work), None)

    # --- improvement projects (業務改善) ------------------------------------------------------------
    @property
    def _improvement(self) -> dict:
        return self.raw["improvement"]

    @cached_property
    def improvement_steps(self) -> tuple[ImprovementStep, ...]:
        return tuple(
            ImprovementStep(
                s["number"], s["code"], s["name"], s["owner"], s.get("description", ""), s.get("support", "")
            )
            for s in self._improvement["steps"]
        )

    def improvement_step(self, number: int) -> ImprovementStep:
        return self.improvement_steps[number - 1]

    @cached_property
    def consultation_kinds(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of the support desk's kinds of consultation (技術的支援, 伴走支援 …)."""
        return tuple((k["code"], k["name"]) for k in self._improvement["consultation_kinds"])

    @cached_property
    def tool_kinds(self) -> tuple[tuple[str, str], ...]:
        return tuple((k["code"], k["name"]) for k in self._improvement["tool_kinds"])

    @cached_property
    def work_categories(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of 業務分類, used to tag projects and library cases."""
        return tuple((k["code"], k["name"]) for k in self._improvement["work_categories"])

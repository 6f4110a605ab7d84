"""Typed accessors for the pack's competency frameworks (②・③), the ③ OJT ladder, hire routes, ジョブチャレンジ and the
reference data (the 20 designated cities survey). Mixed into `Pack`; reads `self.raw` only.

A pack loaded before these sections existed still works: every accessor then returns an empty result."""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class Anchor:
    """What an item looks like at one level of the scale."""

    level: int
    label: str
    text: str


@dataclass(frozen=True)
class CompetencyItem:
    code: str
    kind: str  # mindset | skill
    name: str
    descriptors: tuple[str, ...]
    anchors: tuple[Anchor, ...]

    @property
    def is_skill(self) -> bool:
        return self.kind == "skill"

    def anchor(self, level: int) -> Anchor:
        return next(a for a in self.anchors if a.level == level)


@dataclass(frozen=True)
class Framework:
    code: str
    version: str
    name: str
    talent_type: str
    role: str
    scale: tuple[ScaleLevel, ...]
    items: tuple[CompetencyItem, ...]
    expected: tuple[tuple[str, int], ...] = ()  # item code → the level expected of the framework's role

    @property
    def expected_levels(self) -> dict[str, int]:
        return dict(self.expected)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(s.level for s in self.scale)

    @property
    def max_level(self) -> int:
        return max(self.levels)

    @property
    def mindsets(self) -> tuple[CompetencyItem, ...]:
        return tuple(i for i in self.items if i.kind == "mindset")

    @property
    def skills(self) -> tuple[CompetencyItem, ...]:
        return tuple(i for i in self.items if i.kind == "skill")

    def item(self, code: str) -> CompetencyItem:
        return next(i for i in self.items if i.code == code)

    def level_label(self, level: int) -> str:
        return next((s.label for s in self.scale if s.level == level), "")


@dataclass(frozen=True)
class ExpectedLevel:
    item_code: str
    item_name: str
    level: int
    label: str


@dataclass(frozen=True)
class LadderStage:
    code: str
    name: str
    order: int
    description: str
    min_years_in_previous_stage: int
    min_years_since_assignment: int
    expected_levels: tuple[ExpectedLevel, ...]
    experiences: tuple[tuple[str, str], ...]  # (code, label)

    def expected_level(self, item_code: str) -> int | None:
        return next((e.level for e in self.expected_levels if e.item_code == item_code), None)

    @property
    def expected(self) -> dict[str, int]:
        return {e.item_code: e.level for e in self.expected_levels}


@dataclass(frozen=True)
class HireRoute:
    code: str
    name: str
    pattern: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    summary: str


@dataclass(frozen=True)
class PostingKind:
    code: str
    name: str
    ladder_stage: str | None  # a ③ programme entry places into this stage
    leader_role_type: str | None  # a ② post places into this leader role type


@dataclass(frozen=True)
class CitySurveyRow:
    city: str
    has_track: bool
    hire_category: str | None  # 情報職 | 事務職(デジタル)
    placement: str | None  # デジタル部門のみ | デジタル部門及び業務部門


@dataclass(frozen=True)
class SurveyFindings:
    """Counts computed from the survey rows (never typed in the pack)."""

    cities: int
    with_track: int
    by_category: tuple[tuple[str, int], ...]  # among cities with a track, most first
    by_placement: tuple[tuple[str, int], ...]  # among cities with a track, most first
    placement_by_category: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]  # (category, n, by placement)

    @property
    def ratio(self) -> Decimal:
        return Decimal(self.with_track) / Decimal(self.cities) if self.cities else Decimal(0)

    @property
    def percent(self) -> int:
        return int((self.ratio * 100).to_integral_value(rounding=ROUND_HALF_UP))

    def category_count(self, category: str) -> int:
        return dict(self.by_category).get(category, 0)

    def placement_count(self, placement: str, category: str | None = None) -> int:
        if category is None:
            return dict(self.by_placement).get(placement, 0)
        split = next((s for c, _n, s in self.placement_by_category if c == category), ())
        return dict(split).get(placement, 0)


def _counts(values) -> tuple[tuple[str, int], ...]:
    return tuple(Counter(values).most_common())  # ties keep the order the rows give


class TalentPackMixin:
    raw: dict

    # --- competency frameworks (②・③) ---------------------------------------------------------------
    @cached_property
    def frameworks(self) -> tuple[Framework, ...]:
        out = []
        for f in self.raw.get("competency", {}).get("frameworks", []):
            scale = tuple(ScaleLevel(s["level"], s["label"], s.get("description", "")) for s in f["scale"])
            items = tuple(
                CompetencyItem(
                    code=i["code"],
                    kind=i["kind"],
                    name=i["name"],
                    descriptors=tuple(i["descriptors"]),
                    anchors=tuple(Anchor(s.level, s.label, text) for s, text in zip(scale, i["anchors"], strict=False)),
                )
                for i in f["items"]
            )
            out.append(
                Framework(
                    f["code"], f["version"], f["name"], f.get("talent_type", ""), f.get("role", ""), scale, items,
                    tuple(f.get("expected_levels", {}).items()),
                )
            )  # fmt: skip
        return tuple(out)

    def framework(self, code: str) -> Framework:
        return next(f for f in self.frameworks if f.code == code)

    def framework_raw(self, code: str) -> dict:
        """The framework exactly as the pack holds it: what a campaign freezes (see competency.models)."""
        return next(f for f in self.raw.get("competency", {}).get("frameworks", []) if f["code"] == code)

    # --- ③ OJT ladder ---------------------------------------------------------------------------------
    @property
    def _experts(self) -> dict:
        return self.raw.get("experts", {})

    @property
    def ladder_framework(self) -> Framework | None:
        code = self._experts.get("framework")
        return next((f for f in self.frameworks if f.code == code), None)

    @cached_property
    def ladder(self) -> tuple[LadderStage, ...]:
        """The stages, lowest first (見習い → 修行中 → 一人前 → 熟練者 for Sapporo)."""
        fw = self.ladder_framework
        names = {i.code: i.name for i in fw.items} if fw else {}
        order = list(names)
        stages = []
        for s in sorted(self._experts.get("ladder", []), key=lambda s: s["order"]):
            c = s["criteria"]
            levels = sorted(c["expected_levels"].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
            stages.append(
                LadderStage(
                    code=s["code"],
                    name=s["name"],
                    order=s["order"],
                    description=s.get("description", ""),
                    min_years_in_previous_stage=c.get("min_years_in_previous_stage", 0),
                    min_years_since_assignment=c.get("min_years_since_assignment", 0),
                    expected_levels=tuple(
                        ExpectedLevel(k, names.get(k, k), v, fw.level_label(v) if fw else "") for k, v in levels
                    ),
                    experiences=tuple((e["code"], e["label"]) for e in c.get("experiences", [])),
                )
            )
        return tuple(stages)

    @property
    def expert_department(self) -> str:
        """The name of the 部 that runs the ③ ladder (情報システム部 for Sapporo); its head decides promotions."""
        return self._experts.get("department", "")

    @property
    def long_stay_margin_years(self) -> int:
        return int(self._experts.get("long_stay_margin_years", 2))

    def stage(self, code: str) -> LadderStage:
        return next(s for s in self.ladder if s.code == code)

    def next_stage(self, code: str) -> LadderStage | None:
        current = self.stage(code)
        return next((s for s in self.ladder if s.order > current.order), None)

    @cached_property
    def hire_routes(self) -> tuple[HireRoute, ...]:
        return tuple(
            HireRoute(
                r["code"], r["name"], r.get("pattern", ""), tuple(r.get("pros", [])), tuple(r.get("cons", [])),
                r.get("summary", ""),
            )
            for r in self._experts.get("hire_routes", [])
        )  # fmt: skip

    def hire_route(self, code: str) -> HireRoute:
        return next(r for r in self.hire_routes if r.code == code)

    @cached_property
    def posting_kinds(self) -> tuple[PostingKind, ...]:
        return tuple(
            PostingKind(k["code"], k["name"], k.get("ladder_stage"), k.get("leader_role_type"))
            for k in self._experts.get("job_challenge", {}).get("posting_kinds", [])
        )

    def posting_kind(self, code: str) -> PostingKind:
        return next(k for k in self.posting_kinds if k.code == code)

    @property
    def notify_manager_on_apply(self) -> bool:
        return bool(self._experts.get("job_challenge", {}).get("notify_manager_on_apply", False))

    # --- reference data -------------------------------------------------------------------------------
    @property
    def _survey(self) -> dict:
        return self.raw.get("reference", {}).get("designated_city_survey", {})

    @property
    def city_survey_source(self) -> str:
        return self._survey.get("source", "")

    @property
    def city_survey_title(self) -> str:
        return self._survey.get("title", "")

    @cached_property
    def city_survey(self) -> tuple[CitySurveyRow, ...]:
        return tuple(
            CitySurveyRow(r["city"], r["has_track"], r.get("hire_category"), r.get("placement"))
            for r in self._survey.get("rows", [])
        )

    def survey_findings(self) -> SurveyFindings:
        """14 of 20 cities (70%) with a track, 11 of them as 事務職 … for Sapporo's pack, counted from the rows."""
        tracks = [r for r in self.city_survey if r.has_track]
        by_category = _counts(r.hire_category for r in tracks)
        return SurveyFindings(
            cities=len(self.city_survey),
            with_track=len(tracks),
            by_category=by_category,
            by_placement=_counts(r.placement for r in tracks),
            placement_by_category=tuple(
                (cat, n, _counts(r.placement for r in tracks if r.hire_category == cat)) for cat, n in by_category
            ),
        )

"""Everything the programme dashboard, its exports and the KPI API show, in one call."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds, format_fiscal_year
from dxtalent.leaders.coverage import coverage
from dxtalent.policy.pack import Pack
from dxtalent.policy.selectors import current_pack

from .coverage import CoverageSummary, coverage_summary
from .funnel import FunnelRow, funnel
from .targets import MilestoneRow, YearRow, certified_per_year, milestone_rows, year_rows

# ---------------------------------------------------------------- everything the dashboard and the API show


@dataclass(frozen=True)
class ProgrammeKpis:
    as_of: dt.date
    pack: Pack
    years: tuple[YearRow, ...]
    milestones: tuple[MilestoneRow, ...]
    funnel: tuple[FunnelRow, ...]
    coverage: CoverageSummary

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.as_of)

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def certified_total(self) -> int:
        started = [y.cumulative for y in self.years if y.cumulative is not None]
        return started[-1] if started else 0

    @property
    def current_target(self) -> int | None:
        return self.pack.cumulative_target(self.fiscal_year)

    @property
    def current_gap(self) -> int | None:
        target = self.current_target
        return None if target is None else max(target - self.certified_total, 0)

    def chart(self) -> dict:
        """The chart's data (Chart.js bar + line), for `json_script`."""
        return {
            "labels": [y.label for y in self.years],
            "certified": [y.certified for y in self.years],
            "cumulative": [y.cumulative for y in self.years],
            "targets": [y.target for y in self.years],
        }

    def as_dict(self) -> dict:
        """Plain data: the page, the exports and the API read this."""
        p, c = self.pack, self.coverage
        return {
            "chart": self.chart(),
            "as_of": self.as_of,
            "fiscal_year": self.fiscal_year,
            "fiscal_year_label": self.fiscal_year_label,
            "pack": {"id": p.pk, "code": p.code, "version": p.version, "name": p.name},
            "certified_total": self.certified_total,
            "current_target": self.current_target,
            "current_gap": self.current_gap,
            "years": [
                {
                    "fiscal_year": y.fiscal_year,
                    "label": y.label,
                    "year_end": fiscal_year_bounds(y.fiscal_year)[1],
                    "certified": y.certified,
                    "cumulative": y.cumulative,
                    "target": y.target,
                    "gap": y.gap,
                    "status": y.status,
                    "status_label": y.status_label,
                }
                for y in self.years
            ],
            "milestones": [
                {
                    "code": m.code,
                    "label": m.label,
                    "fiscal_year": m.fiscal_year,
                    "target": m.target,
                    "leaders": m.leaders,
                    "gap": m.gap,
                    "checked_on": m.checked_on,
                    "min_leaders_per_bu": m.min_leaders_per_bu,
                    "bu_total": m.bu_total,
                    "bu_short": m.bu_short,
                    "status": m.status,
                    "status_label": m.status_label,
                    "gap_text": m.gap_text,
                }
                for m in self.milestones
            ],
            "funnel": [
                {
                    "cohort": f.number,
                    "label": f.label,
                    "fiscal_year": f.fiscal_year,
                    "fiscal_year_label": f.fiscal_year_label,
                    "formed": f.formed,
                    "target_size": f.target_size,
                    "size_gap": f.size_gap,
                    "size_note": f.size_note,
                    "nominated": f.nominated,
                    "selected": f.selected,
                    "completed": f.completed,
                    "certified": f.certified,
                    "withdrawn": f.withdrawn,
                }
                for f in self.funnel
            ],
            "coverage": {
                "as_of": c.day,
                "bu_total": c.bu_total,
                "bu_covered": c.bu_covered,
                "bu_uncovered": c.bu_uncovered,
                "ratio": round(c.ratio, 4),
                "ratio_text": f"{c.ratio:.1%}",
                "active_leaders": c.active_leaders,
                "leaders_outside_bu": c.leaders_outside_bu,
                "by_unit": [
                    {
                        "id": t.unit.id,
                        "code": t.unit.code,
                        "name": t.unit.name,
                        "kind": t.kind,
                        "bu_total": t.bu_total,
                        "bu_covered": t.bu_covered,
                        "leaders": t.leaders,
                        "uncovered": [{"id": u.id, "code": u.code, "name": u.name} for u in t.uncovered],
                    }
                    for t in c.tops
                ],
            },
        }


def programme_kpis(as_of: dt.date | None = None) -> dict:
    """All the programme's numbers as of a day (default today), as plain data: what the dashboard shows, its
    Excel exports and the KPI API return. Raises dxtalent.policy.selectors.NoPolicyPack when no pack is loaded."""
    return programme_overview(as_of).as_dict()


def programme_overview(as_of: dt.date | None = None) -> ProgrammeKpis:
    """The same numbers as `programme_kpis`, as objects (rows with properties)."""
    as_of = as_of or timezone.localdate()
    pack = current_pack(as_of)
    per_year = certified_per_year(as_of)
    cov = coverage(as_of)
    return ProgrammeKpis(
        as_of=as_of,
        pack=pack,
        years=tuple(year_rows(pack, per_year, as_of)),
        milestones=tuple(milestone_rows(pack, per_year, as_of, cov)),
        funnel=tuple(funnel(pack)),
        coverage=coverage_summary(cov),
    )

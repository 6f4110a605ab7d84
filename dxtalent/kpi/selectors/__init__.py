"""Programme KPIs of ② DX推進リーダー: certified leaders per 年度 against the pack's targets, the milestones,
the funnel per cohort and 部 coverage.

Every number is an aggregate computed by the database (values + annotate Count); nothing loops over people.
`programme_kpis(as_of)` runs a fixed number of queries whatever the number of people, cohorts or leaders:
the pack (1), certifications per day (1), nominations per window (1), cohorts with their members' counts (1),
coverage on `as_of` (3: org snapshot, active leaders, their assignments), and 3 more for each milestone with a
per-部 condition whose deadline is already past (its coverage is taken on the deadline).
"""

from .coverage import CoverageSummary, TopRow, UnitRef, coverage_summary
from .funnel import FunnelRow, funnel
from .programme import ProgrammeKpis, programme_kpis, programme_overview
from .targets import (
    IN_PROGRESS,
    MET,
    NO_TARGET,
    PLANNED,
    SHORT,
    STATUS_LABELS,
    MilestoneRow,
    YearRow,
    certified_per_year,
    milestone_rows,
    year_rows,
)

__all__ = [
    "IN_PROGRESS",
    "MET",
    "NO_TARGET",
    "PLANNED",
    "SHORT",
    "STATUS_LABELS",
    "CoverageSummary",
    "FunnelRow",
    "MilestoneRow",
    "ProgrammeKpis",
    "TopRow",
    "UnitRef",
    "YearRow",
    "certified_per_year",
    "coverage_summary",
    "funnel",
    "milestone_rows",
    "programme_kpis",
    "programme_overview",
    "year_rows",
]

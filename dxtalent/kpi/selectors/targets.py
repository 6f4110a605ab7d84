"""Certified leaders per 年度 against the pack's cumulative targets, and the milestones (e.g. 105 by R10;
210 and at least one leader in every 部 by R13)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds, format_fiscal_year
from dxtalent.leaders.coverage import Coverage, coverage
from dxtalent.leaders.models import Certification
from dxtalent.policy.pack import Pack

# Status of a year's target or a milestone.
MET, SHORT, IN_PROGRESS, PLANNED, NO_TARGET = "met", "not_met", "in_progress", "planned", "no_target"
STATUS_LABELS = {MET: "達成", SHORT: "未達成", IN_PROGRESS: "進行中", PLANNED: "予定", NO_TARGET: "目標なし"}


# ---------------------------------------------------------------- certified leaders per 年度


@dataclass(frozen=True)
class YearRow:
    fiscal_year: int
    certified: int | None  # certified in that 年度, up to as_of (None: the year has not begun)
    cumulative: int | None
    target: int | None  # the pack's cumulative target for that year (None: no target that year)
    status: str

    @property
    def label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def gap(self) -> int | None:
        """How many more leaders the year's target needs (0 when met; None without a target or data)."""
        if self.target is None or self.cumulative is None:
            return None
        return max(self.target - self.cumulative, 0)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def certified_per_year(as_of: dt.date) -> dict[int, int]:
    """年度 → number of certifications dated in it, up to `as_of`.

    One query grouped by certification day (a cohort is certified on one or a few days, so this is a handful of
    rows); the days fold into 年度 here, the same on SQLite and PostgreSQL.
    """
    rows = (
        Certification.objects.filter(certified_on__lte=as_of)
        .values_list("certified_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[int, int] = {}
    for day, n in rows:
        fy = fiscal_year(day)
        out[fy] = out.get(fy, 0) + n
    return out


def _status(reached: bool, deadline: dt.date, as_of: dt.date) -> str:
    if reached:
        return MET
    return IN_PROGRESS if as_of <= deadline else SHORT


def year_rows(pack: Pack, per_year: dict[int, int], as_of: dt.date) -> list[YearRow]:
    """Every target year of the pack and every year with certifications, in order, with running totals.

    A year after `as_of`'s 年度 is only planned (no actuals); a year that has ended and fell short is 未達成.
    """
    current = fiscal_year(as_of)
    rows, running = [], 0
    for fy in sorted(set(pack.cumulative_targets) | set(per_year)):
        target = pack.cumulative_targets.get(fy)
        if fy > current:
            rows.append(YearRow(fy, None, None, target, PLANNED))
            continue
        running += per_year.get(fy, 0)
        status = NO_TARGET if target is None else _status(running >= target, fiscal_year_bounds(fy)[1], as_of)
        rows.append(YearRow(fy, per_year.get(fy, 0), running, target, status))
    return rows


# ---------------------------------------------------------------- milestones (105 by R10, 210 + every 部 by R13)


@dataclass(frozen=True)
class MilestoneRow:
    code: str
    label: str
    fiscal_year: int
    target: int
    leaders: int  # cumulative certified on the day checked (as_of, or the deadline once it has passed)
    checked_on: dt.date
    min_leaders_per_bu: int | None
    bu_total: int | None
    bu_short: int | None  # 部 with fewer leaders than min_leaders_per_bu on checked_on
    status: str

    @property
    def gap(self) -> int:
        return max(self.target - self.leaders, 0)

    @property
    def leaders_met(self) -> bool:
        return self.leaders >= self.target

    @property
    def bu_met(self) -> bool | None:
        return None if self.min_leaders_per_bu is None else self.bu_short == 0 and bool(self.bu_total)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def deadline_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def gap_text(self) -> str:
        """あと N 名 / リーダーのいない部 N か所, or "" when met."""
        parts = []
        if self.gap:
            parts.append(f"あと{self.gap}名")
        if self.min_leaders_per_bu is not None and self.bu_short:
            need = (
                "リーダーのいない部"
                if self.min_leaders_per_bu == 1
                else f"リーダーが{self.min_leaders_per_bu}名未満の部"
            )
            parts.append(f"{need}があと{self.bu_short}部")
        return "、".join(parts)


def bu_short_of(cov: Coverage, minimum: int) -> int:
    return sum(1 for bu in cov.all_bu if cov.bu_leaders.get(bu.unit_id, 0) < minimum)


def milestone_rows(pack: Pack, per_year: dict[int, int], as_of: dt.date, cov: Coverage) -> list[MilestoneRow]:
    rows = []
    for m in pack.milestones:
        deadline = fiscal_year_bounds(m.fiscal_year)[1]
        day = min(as_of, deadline)
        leaders = sum(n for fy, n in per_year.items() if fy <= fiscal_year(day))
        bu_total = bu_short = None
        if m.min_leaders_per_bu is not None:
            checked = cov if day == cov.day else coverage(day)
            bu_total, bu_short = checked.bu_total, bu_short_of(checked, m.min_leaders_per_bu)
        reached = leaders >= m.leaders and (m.min_leaders_per_bu is None or (bu_short == 0 and bool(bu_total)))
        rows.append(
            MilestoneRow(
                code=m.code,
                label=m.label,
                fiscal_year=m.fiscal_year,
                target=m.leaders,
                leaders=leaders,
                checked_on=day,
                min_leaders_per_bu=m.min_leaders_per_bu,
                bu_total=bu_total,
                bu_short=bu_short,
                status=_status(reached, deadline, as_of),
            )
        )
    return rows

"""The funnel per cohort: nominated → selected → completed → certified (two aggregate queries)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from dxtalent.core.wareki import format_fiscal_year
from dxtalent.leaders.models import Cohort, MemberStatus, Nomination, NominationStatus
from dxtalent.policy.pack import Pack

# ---------------------------------------------------------------- funnel per cohort


@dataclass(frozen=True)
class FunnelRow:
    fiscal_year: int
    number: int | None  # 第N期 (None: a nomination window with no cohort planned or formed)
    formed: bool  # the cohort exists (selection made and the cohort formed)
    target_size: int | None
    nominated: int  # nominations in that year's window, except withdrawn ones
    selected: int
    completed: int  # members who completed (修了) or were certified
    certified: int
    withdrawn: int  # members who left the programme (辞退)

    @property
    def label(self) -> str:
        return f"第{self.number}期" if self.number else "（期なし）"

    @property
    def fiscal_year_label(self) -> str:
        return format_fiscal_year(self.fiscal_year)

    @property
    def size_gap(self) -> int | None:
        """Selected minus the planned size: negative when under, positive when over."""
        return None if self.target_size is None else self.selected - self.target_size

    @property
    def size_note(self) -> str:
        """計画より N 名多い / 計画まで N 名不足, shown for a formed cohort that is off its planned size."""
        gap = self.size_gap
        if not self.formed or not gap:
            return ""
        return f"計画より{gap}名多い" if gap > 0 else f"計画まで{-gap}名不足"


def funnel(pack: Pack) -> list[FunnelRow]:
    """One row per cohort (formed or planned by the pack) and per nomination window. Two aggregate queries."""
    nominations = {
        r["window__fiscal_year"]: r
        for r in Nomination.objects.values("window__fiscal_year")
        .annotate(
            nominated=Count("id", filter=~Q(status=NominationStatus.WITHDRAWN)),
            selected=Count("id", filter=Q(status=NominationStatus.SELECTED)),
        )
        .order_by()
    }
    done = (MemberStatus.COMPLETED, MemberStatus.CERTIFIED)
    cohorts = {
        r["fiscal_year"]: r
        for r in Cohort.objects.values("number", "fiscal_year", "target_size")
        .annotate(
            members_total=Count("members"),
            # members whose nomination is counted as 選定 already (the others were added directly)
            from_selected=Count("members", filter=Q(members__nomination__status=NominationStatus.SELECTED)),
            completed=Count("members", filter=Q(members__status__in=done)),
            certified=Count("members__certification"),
            withdrawn=Count("members", filter=Q(members__status=MemberStatus.WITHDRAWN)),
        )
        .order_by()
    }
    planned = {fy: (number, size) for number, fy, size in pack.planned_cohorts}
    rows = []
    for fy in sorted(set(cohorts) | set(planned) | set(nominations)):
        n, c = nominations.get(fy, {}), cohorts.get(fy)
        number, size = (c["number"], c["target_size"]) if c else planned.get(fy, (None, None))
        c = c or {}
        rows.append(
            FunnelRow(
                fiscal_year=fy,
                number=number,
                formed=bool(c),
                target_size=size,
                nominated=n.get("nominated", 0),
                selected=n.get("selected", 0) + c.get("members_total", 0) - c.get("from_selected", 0),
                completed=c.get("completed", 0),
                certified=c.get("certified", 0),
                withdrawn=c.get("withdrawn", 0),
            )
        )
    return rows

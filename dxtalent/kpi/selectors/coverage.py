"""部 coverage on a day, grouped by 局区: covered / all 部, the uncovered 部 and the leaders of each 局区."""

import datetime as dt
from dataclasses import dataclass, field

from dxtalent.leaders.coverage import Coverage
from dxtalent.org.models import OrgKind

# ---------------------------------------------------------------- coverage of 部


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class TopRow:
    """A 局区 with its 部 and how many are covered, and its active leaders."""

    unit: UnitRef
    kind: str
    bu_total: int
    bu_covered: int
    leaders: int
    uncovered: tuple[UnitRef, ...] = ()

    @property
    def kind_label(self) -> str:
        return OrgKind(self.kind).label


@dataclass(frozen=True)
class CoverageSummary:
    day: dt.date
    bu_total: int
    bu_covered: int
    active_leaders: int
    leaders_outside_bu: int  # active leaders whose assignment that day is not under any 部
    tops: tuple[TopRow, ...] = field(default_factory=tuple)

    @property
    def ratio(self) -> float:
        return self.bu_covered / self.bu_total if self.bu_total else 0.0

    @property
    def bu_uncovered(self) -> int:
        return self.bu_total - self.bu_covered

    @property
    def uncovered_tops(self) -> tuple[TopRow, ...]:
        return tuple(t for t in self.tops if t.uncovered)


def coverage_summary(cov: Coverage) -> CoverageSummary:
    """Group the day's coverage by 局区 (in the tree's order). No queries: `cov` holds the snapshot."""
    per_top: dict[int, list] = {}
    for bu in cov.all_bu:
        top = cov.top_of(bu.unit_id)
        if top is not None:
            per_top.setdefault(top.unit_id, []).append(bu)
    tops = []
    for top in cov.tops():
        bus = per_top.get(top.unit_id, [])
        uncovered = tuple(UnitRef(b.unit_id, b.code, b.name) for b in bus if not cov.bu_leaders.get(b.unit_id))
        tops.append(
            TopRow(
                unit=UnitRef(top.unit_id, top.code, top.name),
                kind=top.kind,
                bu_total=len(bus),
                bu_covered=len(bus) - len(uncovered),
                leaders=cov.top_leaders.get(top.unit_id, 0),
                uncovered=uncovered,
            )
        )
    in_bu = sum(cov.bu_leaders.values())
    return CoverageSummary(
        day=cov.day,
        bu_total=cov.bu_total,
        bu_covered=cov.bu_covered,
        active_leaders=cov.active_leaders,
        leaders_outside_bu=cov.active_leaders - in_bu,
        tops=tuple(tops),
    )

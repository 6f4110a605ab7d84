"""Which 部 have at least one active DX推進リーダー on a given day.

A leader covers the 部 of their assignment on that day (so a leader transferred on 4/1 covers the new 部 from
4/1); a leader is active on a day when they hold a LeaderRole valid that day.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dxtalent.org.models import Assignment, OrgKind, valid_on
from dxtalent.org.selectors import OrgSnapshot, UnitNode, org_snapshot

from .models import LeaderRole


@dataclass
class Coverage:
    day: dt.date
    snapshot: OrgSnapshot
    leader_bu: dict[int, int | None]  # employee id → 部 id they cover that day (None: no 部 above them)
    bu_leaders: dict[int, int] = field(default_factory=dict)  # 部 id → number of active leaders there
    top_leaders: dict[int, int] = field(default_factory=dict)  # 局区 id → number of active leaders there

    @property
    def all_bu(self) -> list[UnitNode]:
        return sorted(self.snapshot.units_of_kind(OrgKind.BU), key=lambda n: (n.sort_order, n.code))

    @property
    def bu_total(self) -> int:
        return len(self.all_bu)

    @property
    def bu_covered(self) -> int:
        return sum(1 for n in self.all_bu if self.bu_leaders.get(n.unit_id))

    @property
    def ratio(self) -> float:
        return self.bu_covered / self.bu_total if self.bu_total else 0.0

    @property
    def active_leaders(self) -> int:
        return len(self.leader_bu)

    def top_of(self, unit_id: int) -> UnitNode | None:
        return self.snapshot.path_of(unit_id).get("top")

    def uncovered_by_top(self) -> dict[int, list[UnitNode]]:
        """局区 id → its 部 with no active leader (局区 in tree order; only those with gaps)."""
        out: dict[int, list[UnitNode]] = defaultdict(list)
        for bu in self.all_bu:
            if not self.bu_leaders.get(bu.unit_id):
                top = self.top_of(bu.unit_id)
                if top is not None:
                    out[top.unit_id].append(bu)
        return dict(out)

    def tops(self) -> list[UnitNode]:
        return sorted(self.snapshot.units_of_kind(OrgKind.KYOKU, OrgKind.KU), key=lambda n: (n.sort_order, n.code))


def coverage(day: dt.date) -> Coverage:
    """Three queries: the org snapshot, active leader ids, and their assignments on `day`."""
    snap = org_snapshot(day)
    leaders = LeaderRole.objects.filter(valid_on(day)).order_by().values("employee_id")
    units = dict(
        Assignment.objects.filter(valid_on(day), employee_id__in=leaders)
        .order_by()
        .values_list("employee_id", "unit_id")
    )
    leader_ids = set(LeaderRole.objects.filter(valid_on(day)).order_by().values_list("employee_id", flat=True))
    result = Coverage(day=day, snapshot=snap, leader_bu={})
    for employee_id in leader_ids:
        unit_id = units.get(employee_id)
        path = snap.path_of(unit_id) if unit_id else {}
        bu, top = path.get("bu"), path.get("top")
        result.leader_bu[employee_id] = bu.unit_id if bu else None
        if bu:
            result.bu_leaders[bu.unit_id] = result.bu_leaders.get(bu.unit_id, 0) + 1
        if top:
            result.top_leaders[top.unit_id] = result.top_leaders.get(top.unit_id, 0) + 1
    return result

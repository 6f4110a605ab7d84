"""Reads for practice groups: members and where they sit, who may see a group, the groups page, one group."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Assignment, valid_on
from dxtalent.org.selectors import OrgSnapshot, org_snapshot
from dxtalent.policy.pack import Pack
from dxtalent.policy.selectors import pack_by_id

from .. import grouping
from ..models import (
    Cohort,
    CohortMember,
    Deliverable,
    GroupMembership,
    MemberStatus,
    PracticeGroup,
)

PRESENTATION_STEP = "presentation"  # the deliverable kind for the 成果発表 slides (the pack's phase of that code)


# ---------------------------------------------------------------- deliverable steps


@dataclass(frozen=True)
class DeliverableStep:
    code: str
    name: str
    deliverable: str
    per_member: bool


def deliverable_steps(pack: Pack) -> list[DeliverableStep]:
    """The practice phase's steps (企画・要件定義, 各自構築, 共同構築) plus the 成果発表 slides, from the pack."""
    steps = (
        [DeliverableStep(s.code, s.name, s.deliverable, s.per_member) for s in pack.practice_phase.steps]
        if (pack.practice_phase)
        else []
    )
    presentation = next((p for p in pack.phases if p.code == PRESENTATION_STEP), None)
    if presentation is not None:
        steps.append(DeliverableStep(PRESENTATION_STEP, presentation.name, "発表資料", False))
    return steps


# ---------------------------------------------------------------- members and where they sit


def active_members(cohort: Cohort) -> list[CohortMember]:
    """The cohort's members who have not withdrawn (辞退), in kana order."""
    return list(
        CohortMember.objects.filter(cohort=cohort)
        .exclude(status=MemberStatus.WITHDRAWN)
        .select_related("employee")
        .order_by("employee__kana_key", "employee__number")
    )


def _assignment_units(employee_ids, day: dt.date) -> dict[int, int]:
    return dict(
        Assignment.objects.filter(valid_on(day), employee_id__in=list(employee_ids)).values_list(
            "employee_id", "unit_id"
        )
    )


def member_units(
    members, day: dt.date, units: dict[int, int] | None = None
) -> dict[int, tuple[int | None, int | None]]:
    """CohortMember id → (局区 id, 部 id) of their assignment on `day` (two queries: assignments, org snapshot;
    pass `units` (employee id → unit id) when already fetched)."""
    units = _assignment_units({m.employee_id for m in members}, day) if units is None else units
    snap = org_snapshot(day)
    out = {}
    for m in members:
        path = snap.path_of(units[m.employee_id]) if m.employee_id in units else {}
        out[m.pk] = (path["top"].unit_id if "top" in path else None, path["bu"].unit_id if "bu" in path else None)
    return out


def _visible_member_ids(user, cohort: Cohort) -> set[int]:
    qs = access.employees_visible_to(user, CohortMember.objects.filter(cohort=cohort), path="employee")
    return set(qs.values_list("pk", flat=True))


# ---------------------------------------------------------------- who may see or work on a group


def member_of_group(user, group: PracticeGroup) -> bool:
    me = access.employee_of(user)
    return (
        me is not None
        and GroupMembership.objects.filter(group=group, member__employee=me)
        .exclude(member__status=MemberStatus.WITHDRAWN)
        .exists()
    )


def may_view_group(user, group: PracticeGroup) -> bool:
    return access.may(user, Action.VIEW_PROGRAMME) or member_of_group(user, group)


def may_contribute(user, group: PracticeGroup) -> bool:
    """Add deliverables and set the theme: the secretariat, or a member of the group."""
    return access.may(user, Action.MANAGE_PROGRAMME) or member_of_group(user, group)


def my_groups(user) -> list[PracticeGroup]:
    me = access.employee_of(user)
    if me is None:
        return []
    return list(
        PracticeGroup.objects.filter(memberships__member__employee=me)
        .exclude(memberships__member__status=MemberStatus.WITHDRAWN)
        .select_related("cohort")
        .order_by("-cohort__fiscal_year", "number")
    )


# ---------------------------------------------------------------- the groups page


@dataclass
class MemberRow:
    member: CohortMember
    visible: bool
    top: str = ""
    bu: str = ""
    unit_label: str = ""


@dataclass
class GroupRow:
    group: PracticeGroup
    members: list[MemberRow]
    mix: dict
    size_ok: bool
    deliverables: int = 0

    @property
    def hidden_count(self) -> int:
        return sum(1 for m in self.members if not m.visible)

    @property
    def shown(self) -> list[MemberRow]:
        return [m for m in self.members if m.visible]


@dataclass
class GroupsPage:
    cohort: Cohort
    bounds: tuple[int, int]
    groups: list[GroupRow]
    ungrouped: list[MemberRow]
    active_count: int
    same_pairs: tuple[int, int] = (0, 0)

    @property
    def size_warnings(self) -> list[GroupRow]:
        return [g for g in self.groups if not g.size_ok]

    @property
    def plan(self) -> grouping.SizePlan:
        return grouping.group_sizes(self.active_count, *self.bounds)


def _member_row(m: CohortMember, visible: bool, unit_id: int | None, snap: OrgSnapshot) -> MemberRow:
    if not visible:
        return MemberRow(m, False)
    path = snap.path_of(unit_id) if unit_id else {}
    return MemberRow(
        m,
        True,
        top=path["top"].name if "top" in path else "",
        bu=path["bu"].name if "bu" in path else "",
        unit_label=snap.label_of(unit_id) if unit_id else "",
    )


def cohort_groups(*, cohort: Cohort, user, day: dt.date | None = None) -> GroupsPage:
    """The cohort's groups with members (visible ones named), 局区/部 mix and size warnings; six queries."""
    day = day or timezone.localdate()
    lo, hi = pack_by_id(cohort.pack_id).group_size_bounds
    members = active_members(cohort)
    memberships = dict(GroupMembership.objects.filter(group__cohort=cohort).values_list("member_id", "group_id"))
    groups = list(
        PracticeGroup.objects.filter(cohort=cohort)
        .select_related("evaluation", "theme_unit")
        .annotate(n_deliverables=Count("deliverables"))
        .order_by("number")
    )
    visible = _visible_member_ids(user, cohort)
    units = _assignment_units({m.employee_id for m in members}, day)
    snap = org_snapshot(day)
    units_of = member_units(members, day, units)
    by_group: dict[int, list[MemberRow]] = defaultdict(list)
    ungrouped = []
    for m in members:
        row = _member_row(m, m.pk in visible, units.get(m.employee_id), snap)
        group_id = memberships.get(m.pk)
        (by_group[group_id] if group_id else ungrouped).append(row)
    rows = []
    attrs = {m.pk: units_of.get(m.pk, (None, None)) for m in members}
    for g in groups:
        member_rows = by_group.get(g.pk, [])
        ids = [r.member.pk for r in member_rows]
        rows.append(
            GroupRow(
                group=g,
                members=member_rows,
                mix=grouping.mix_summary(ids, attrs),
                size_ok=lo <= len(ids) <= hi,
                deliverables=g.n_deliverables,
            )
        )
    pairs = grouping.same_pairs([[r.member.pk for r in g.members] for g in rows], attrs)
    return GroupsPage(cohort, (lo, hi), rows, ungrouped, len(members), pairs)


def proposal_rows(*, cohort: Cohort, groups: list[list[int]], user, day: dt.date | None = None) -> list[dict]:
    """A not-yet-saved proposal, shaped for the page: each group's member rows and mix."""
    day = day or timezone.localdate()
    lo, hi = pack_by_id(cohort.pack_id).group_size_bounds
    members = {m.pk: m for m in active_members(cohort)}
    visible = _visible_member_ids(user, cohort)
    units = _assignment_units({m.employee_id for m in members.values()}, day)
    snap = org_snapshot(day)
    attrs = member_units(list(members.values()), day, units)
    out = []
    for number, ids in enumerate(groups, start=1):
        rows = [_member_row(members[i], i in visible, units.get(members[i].employee_id), snap) for i in ids]
        out.append(
            {
                "number": number,
                "members": rows,
                "mix": grouping.mix_summary(ids, attrs),
                "size_ok": lo <= len(ids) <= hi,
            }
        )
    return out


# ---------------------------------------------------------------- one group


@dataclass
class StepDeliverables:
    step: DeliverableStep
    items: list[Deliverable]
    missing_members: list[MemberRow] = field(default_factory=list)  # per-member steps: who has nothing yet


@dataclass
class GroupDetail:
    group: PracticeGroup
    members: list[MemberRow]
    steps: list[StepDeliverables]
    other: list[Deliverable]  # deliverables of a step code no longer in the pack
    bounds: tuple[int, int]
    visible_ids: set[int]

    @property
    def evaluation(self):
        return getattr(self.group, "evaluation", None)

    @property
    def size_ok(self) -> bool:
        return self.bounds[0] <= len(self.members) <= self.bounds[1]


def group_detail(*, group: PracticeGroup, user, day: dt.date | None = None) -> GroupDetail:
    day = day or timezone.localdate()
    group = PracticeGroup.objects.select_related("cohort", "evaluation__evaluated_by", "theme_unit").get(pk=group.pk)
    pack = pack_by_id(group.cohort.pack_id)
    memberships = list(
        GroupMembership.objects.filter(group=group)
        .exclude(member__status=MemberStatus.WITHDRAWN)
        .select_related("member__employee")
        .order_by("member__employee__kana_key")
    )
    visible = _visible_member_ids(user, group.cohort)
    me = access.employee_of(user)
    if me is not None and any(gm.member.employee_id == me.pk for gm in memberships):
        visible |= {gm.member_id for gm in memberships}  # a trainee sees their own group's members by name
    units = _assignment_units({gm.member.employee_id for gm in memberships}, day)
    snap = org_snapshot(day)
    members = [
        _member_row(gm.member, gm.member_id in visible, units.get(gm.member.employee_id), snap) for gm in memberships
    ]
    items = list(
        Deliverable.objects.filter(group=group)
        .select_related("member__employee", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    steps = []
    by_code: dict[str, list[Deliverable]] = defaultdict(list)
    for d in items:
        by_code[d.step_code].append(d)
    for step in deliverable_steps(pack):
        done = {d.member_id for d in by_code.get(step.code, [])}
        missing = [m for m in members if step.per_member and m.member.pk not in done]
        steps.append(StepDeliverables(step, by_code.pop(step.code, []), missing))
    other = [d for rows in by_code.values() for d in rows]
    return GroupDetail(group, members, steps, other, pack.group_size_bounds, visible)

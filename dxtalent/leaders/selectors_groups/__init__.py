"""Reads for practice groups, certification (認定) and leader roles. Each runs a fixed number of queries.

Visibility: people are filtered with `access.employees_visible_to` (a 局区担当 sees only their 局区's trainees and
leaders); aggregates such as a group's 局区/部 mix count everyone, because they name no one. A trainee may see
the group(s) they belong to (`may_view_group`) and add its deliverables (`may_contribute`).
"""

from .certification import Candidate, PhaseProgress, certification_candidates
from .groups import (
    PRESENTATION_STEP,
    DeliverableStep,
    GroupDetail,
    GroupRow,
    GroupsPage,
    MemberRow,
    active_members,
    cohort_groups,
    deliverable_steps,
    group_detail,
    may_contribute,
    may_view_group,
    member_of_group,
    member_units,
    my_groups,
    proposal_rows,
)
from .leaders import LeaderDetail, LeaderRow, leader_detail, leader_list, role_type_names, role_types_on

__all__ = [
    "PRESENTATION_STEP",
    "Candidate",
    "DeliverableStep",
    "GroupDetail",
    "GroupRow",
    "GroupsPage",
    "LeaderDetail",
    "LeaderRow",
    "MemberRow",
    "PhaseProgress",
    "active_members",
    "certification_candidates",
    "cohort_groups",
    "deliverable_steps",
    "group_detail",
    "leader_detail",
    "leader_list",
    "may_contribute",
    "may_view_group",
    "member_of_group",
    "member_units",
    "my_groups",
    "proposal_rows",
    "role_type_names",
    "role_types_on",
]

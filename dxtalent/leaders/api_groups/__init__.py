"""/api/v1/ for practice groups, deliverables, evaluations, certification (認定) and leader roles.

Same services, selectors and access rules as the pages: VIEW_PROGRAMME to read (people filtered by
`employees_visible_to`), MANAGE_PROGRAMME to form groups, evaluate and certify, MANAGE_LEADER_ROLES to change roles;
a trainee reads their own group and adds its deliverables. An object the caller may not see answers 404; bad
input 400 with field errors; a step the current state does not allow (certifying someone who does not meet the
completion rule, changing an evaluated group) 409.
"""

from .groups import (
    CohortGroupsProposeView,
    CohortGroupsView,
    DeliverablesView,
    EvaluationView,
    GroupDetailView,
    GroupMoveView,
    GroupThemeView,
)
from .roles import CertificationView, LeaderRoleChangeView, LeaderRoleEndView, LeaderRolesView

__all__ = [
    "CertificationView",
    "CohortGroupsProposeView",
    "CohortGroupsView",
    "DeliverablesView",
    "EvaluationView",
    "GroupDetailView",
    "GroupMoveView",
    "GroupThemeView",
    "LeaderRoleChangeView",
    "LeaderRoleEndView",
    "LeaderRolesView",
]

"""Pages: practice groups, one group (theme, deliverables, evaluation), certification, leaders and their roles.

Thin: parse a form, call a service or selector, render. Who may do what: `dxtalent.org.access` (+ the group
membership checks in selectors_groups). Service ValidationErrors go back onto the form; WorkflowErrors are
shown as a message.
"""

from .groups import deliverable_file, group_detail, group_mine, groups_page
from .leaders import certification, leader_detail, leader_export, leader_list

__all__ = [
    "certification",
    "deliverable_file",
    "group_detail",
    "group_mine",
    "groups_page",
    "leader_detail",
    "leader_export",
    "leader_list",
]

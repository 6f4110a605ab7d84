"""Who may use the group / certification / leader pages (see tests/org/access_table.py for the format).

Pages about one cohort, group, deliverable or leader are OBJECT_SCOPED: tests/leaders_groups/test_pages.py checks
them role by role on real objects (VIEW_PROGRAMME to view, MANAGE_PROGRAMME to edit groups and certify,
MANAGE_LEADER_ROLES to change roles, and a trainee on their own group only).
"""

from dxtalent.core.roles import Role

ALL = set(Role)
PROGRAMME_VIEWERS = {Role.SECRETARIAT, Role.HR, Role.LIAISON}

EXPECTED = {
    "leaders:leader_list": PROGRAMME_VIEWERS,
    "leaders:leader_export": PROGRAMME_VIEWERS,
    "leaders:my_groups": ALL,
}
OBJECT_SCOPED = {
    "leaders:groups",
    "leaders:group_detail",
    "leaders:deliverable_file",
    "leaders:certification",
    "leaders:leader_detail",
}
URL_KWARGS = {"leaders:leader_export": {"fmt": "csv"}}

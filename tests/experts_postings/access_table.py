"""Who may use the ジョブチャレンジ pages (see tests/org/access_table.py for the format).

One posting, its edit/close pages, its applications export and one application are OBJECT_SCOPED:
tests/experts_postings/test_permissions.py checks them role by role on real rows (others' application → 404).
"""

from dxtalent.core.roles import Role

ALL = set(Role)

EXPECTED = {
    "jobs:list": ALL,
    "jobs:mine": ALL,
    "jobs:new": {Role.SECRETARIAT, Role.HR},
    "jobs:staff": {Role.MANAGER},
}
OBJECT_SCOPED = {"jobs:detail", "jobs:edit", "jobs:close", "jobs:applications_export", "jobs:application"}

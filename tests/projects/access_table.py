"""Who may use the project pages (see tests/org/access_table.py for the format).

One project's page and its attachments are OBJECT_SCOPED: tests/projects/test_permissions.py checks them role by
role on real projects (visible → 200, invisible → 404).
"""

from dxtalent.core.roles import Role

ALL = set(Role)

EXPECTED = {
    "projects:list": ALL,
    "projects:export": ALL,  # everyone may export the rows they see (recorded: names of leaders/managers)
    "projects:new": {Role.MANAGER},
}
OBJECT_SCOPED = {"projects:detail", "projects:attachment_file"}
URL_KWARGS = {"projects:export": {"fmt": "csv"}}

"""Who may use the support desk pages (see tests/org/access_table.py for the format).

One consultation and its files are OBJECT_SCOPED: tests/projects_desk/test_visibility.py checks them role by role
(the requester, their manager and 局区 liaison, the desk; another 局区's manager and liaison, HR and plain staff
get a 404).
"""

from dxtalent.core.roles import Role

DESK_VIEWERS = {Role.SECRETARIAT, Role.LIAISON, Role.MANAGER, Role.LEADER}

EXPECTED = {
    "desk:list": DESK_VIEWERS,
    "desk:export": DESK_VIEWERS,
    "desk:new": {Role.LIAISON, Role.LEADER},
}
OBJECT_SCOPED = {"desk:detail", "desk:attachment"}
URL_KWARGS = {"desk:export": {"fmt": "csv"}}

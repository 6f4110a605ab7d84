"""Who may use the roll-up dashboard and the practice-year page (see tests/org/access_table.py for the format).

The roll-ups are aggregates without personal data (VIEW_DASHBOARD: everyone); the practice-year page lists people
(VIEW_PROGRAMME: the secretariat, HR and liaisons, rows scoped by employee visibility — see test_practice.py).
"""

from dxtalent.core.roles import Role

ALL = set(Role)
PROGRAMME_VIEWERS = {Role.SECRETARIAT, Role.HR, Role.LIAISON}

EXPECTED = {
    "projects:rollups": ALL,
    "projects:rollups_export": ALL,
    "projects:practice": PROGRAMME_VIEWERS,
    "projects:practice_export": PROGRAMME_VIEWERS,
}
OBJECT_SCOPED: set = set()
URL_KWARGS: dict = {}

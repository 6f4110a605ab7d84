"""Who may use the nomination / selection / cohort pages: URL name → roles that get 200 on GET (others 403).

Gathered by tests/org/test_access.py with every other app's table. Pages about one window, nomination or cohort
are OBJECT_SCOPED: tests/leaders/test_pages.py and test_permissions.py check them row by row.
"""

from dxtalent.core.roles import Role

ALL = set(Role)
NOMINATION_VIEWERS = {Role.SECRETARIAT, Role.HR, Role.LIAISON}  # Action.VIEW_NOMINATIONS (liaison: own 局区)
PROGRAMME_VIEWERS = {Role.SECRETARIAT, Role.HR, Role.LIAISON}  # Action.VIEW_PROGRAMME (members scoped)
SECRETARIAT = {Role.SECRETARIAT}  # Action.MANAGE_PROGRAMME

EXPECTED = {
    "leaders:home": ALL,
    "leaders:window_list": NOMINATION_VIEWERS,
    "leaders:window_create": SECRETARIAT,
    "leaders:selection": SECRETARIAT,
    "leaders:cohort_list": PROGRAMME_VIEWERS,
}
OBJECT_SCOPED = {
    "leaders:window_detail",
    "leaders:window_edit",
    "leaders:window_quotas",
    "leaders:nomination_create",
    "leaders:nomination_export",
    "leaders:nomination_edit",
    "leaders:nomination_withdraw",
    "leaders:cohort_form",
    "leaders:cohort_detail",
    "leaders:cohort_export",
    "leaders:cohort_schedule",
    "leaders:cohort_add_member",
}
URL_KWARGS = {}

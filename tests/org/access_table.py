"""Who may use the org app's pages: URL name → roles that get 200 on GET (all others get 403).

tests/org/test_access.py gathers every app's table and walks the whole URLConf: a named URL that is in no
table fails the suite, so each new page must say who may use it.
"""

from dxtalent.core.roles import Role

ALL = set(Role)
STAFF_LISTS = {Role.SECRETARIAT, Role.HR, Role.LIAISON, Role.MANAGER, Role.SYSADMIN}
IMPORTERS = {Role.HR, Role.SYSADMIN}

EXPECTED = {
    "home": ALL,
    "org:tree": ALL,
    "org:employee_list": STAFF_LISTS,
    "org:employee_export": STAFF_LISTS,
    "org:import_roster": IMPORTERS,
    "org:import_org": IMPORTERS,
}
# Pages whose answer depends on the object, not only the role: each has its own row-by-row tests.
OBJECT_SCOPED = {"org:employee_detail"}
# Keyword arguments to reverse() a URL name in the role matrix.
URL_KWARGS = {"org:employee_export": {"fmt": "csv"}}

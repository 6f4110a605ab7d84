"""Who may use the case library pages (see tests/org/access_table.py for the format).

Everyone browses and searches; the secretariat publishes, edits and withdraws; managers adopt (横展開). Pages about
one case or project are OBJECT_SCOPED and checked role by role in test_pages.py.
"""

from dxtalent.core.roles import Role

ALL = set(Role)

EXPECTED = {
    "library:search": ALL,
    "library:export": ALL,
    "library:publishable": {Role.SECRETARIAT},
}
OBJECT_SCOPED = {
    "library:detail",
    "library:edit",
    "library:withdraw",
    "library:adopt",
    "library:publish",
}
URL_KWARGS = {"library:export": {"fmt": "csv"}}

"""Who may use the ③ ladder pages (see tests/org/access_table.py for the format).

One person's record and the pages that act on a person, plan or promotion are OBJECT_SCOPED:
tests/experts_ladder/test_pages.py checks them role by role (visible → 200, invisible → 404, not the mentor or
head → 403).
"""

from dxtalent.core.roles import Role

ALL = set(Role)

EXPECTED = {
    "experts:home": ALL,  # counts only
    "experts:people": ALL,  # rows scoped: oneself, one's units, one's mentees, or all
    "experts:people_export": ALL,
    "experts:promotions": ALL,
    "experts:mentees": ALL,
    "experts:enter": {Role.SECRETARIAT, Role.HR, Role.MANAGER},
}
OBJECT_SCOPED = {
    "experts:person",
    "experts:leave",
    "experts:plan_edit",
    "experts:review_edit",
    "experts:promotion_propose",
    "experts:promotion_decide",
}
URL_KWARGS = {"experts:people_export": {"fmt": "csv"}}

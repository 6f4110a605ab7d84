"""Pages of the ③ OJT ladder (/experts/): the overview, the staff list + export, one person's record, entering a
person, plans, reviews, proposals and decisions, a mentor's mentees.

Thin: parse a form, call a service or selector, render. Who may do what: `dxtalent.org.access` plus the mentor /
department-head rules in selectors/ladder_access.py. Service ValidationErrors go back onto the form; WorkflowErrors
are shown as a message.
"""

from .edit import enter, leave, plan_edit, promotion_propose, review_edit
from .home import home
from .people import people, people_export, person
from .promotions import mentees, promotion_decide, promotions

__all__ = [
    "enter",
    "home",
    "leave",
    "mentees",
    "people",
    "people_export",
    "person",
    "plan_edit",
    "promotion_decide",
    "promotion_propose",
    "promotions",
    "review_edit",
]

"""Pages of nomination (推薦), selection (選定) and cohorts (第N期). Thin: parse, call a service or selector, render.

Who may use each page is declared with access.require; which rows show comes from selectors_cohorts (a liaison
sees only their 局区's nominations; cohort members follow the personal-data scope).
"""

from .cohorts import (
    cohort_add_member,
    cohort_detail,
    cohort_export,
    cohort_form,
    cohort_list,
    cohort_schedule,
    selection,
)
from .home import (
    home,
)
from .nominations import (
    nomination_create,
    nomination_edit,
    nomination_export,
    nomination_withdraw,
)
from .windows import (
    window_create,
    window_detail,
    window_edit,
    window_list,
    window_quotas,
)

__all__ = [
    "cohort_add_member",
    "cohort_detail",
    "cohort_export",
    "cohort_form",
    "cohort_list",
    "cohort_schedule",
    "home",
    "nomination_create",
    "nomination_edit",
    "nomination_export",
    "nomination_withdraw",
    "selection",
    "window_create",
    "window_detail",
    "window_edit",
    "window_list",
    "window_quotas",
]

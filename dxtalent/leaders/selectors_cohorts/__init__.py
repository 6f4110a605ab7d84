"""Reads of nominations, selection and cohorts, scoped to the user, each in a fixed number of queries.

Who sees which nominations: the secretariat and HR (scope "all") see every nomination; a liaison sees only the
nominations made for their own 局区 (Nomination.unit in access.role_units(user, LIAISON)) — even after the
nominee moves elsewhere, the nomination stays the 局区's record; everybody else sees none. Cohort members follow
the ordinary rule for personal data (access.employees_visible_to: a liaison sees the members now in their 局区).

Policy numbers (cohort size, phases, hours, months) always come from the pack of the window or cohort.
"""

from .curriculum import (
    WINDOW_STATE_LABELS,
    cohort_plan,
    date_in_phase_months,
    fy_month_end,
    fy_month_start,
    in_person_phases,
    phase_months_label,
    prelearning_due_date,
    prelearning_phase,
    proposed_session_dates,
    window_state,
)
from .nominations import (
    NominationRow,
    SelectionBoard,
    UnitGroup,
    current_assignments_prefetch,
    current_window,
    liaison_units,
    nominatable_employees,
    nomination_candidates,
    nomination_rows,
    nominations_visible_to,
    scoped_nominations,
    selection_board,
    windows_with_counts,
)
from .progress import (
    CohortProgress,
    MemberProgress,
    PhaseProgress,
    Prerequisite,
    cohort_for_year,
    cohort_list,
    cohort_progress,
    cohort_sessions,
    cohorts_visible,
)
from .quotas import (
    BASIS_LABELS,
    QuotaRow,
    QuotaTable,
    allocate_largest_remainder,
    quota_table,
)

__all__ = [
    "BASIS_LABELS",
    "WINDOW_STATE_LABELS",
    "CohortProgress",
    "MemberProgress",
    "NominationRow",
    "PhaseProgress",
    "Prerequisite",
    "QuotaRow",
    "QuotaTable",
    "SelectionBoard",
    "UnitGroup",
    "allocate_largest_remainder",
    "cohort_for_year",
    "cohort_list",
    "cohort_plan",
    "cohort_progress",
    "cohort_sessions",
    "cohorts_visible",
    "current_assignments_prefetch",
    "current_window",
    "date_in_phase_months",
    "fy_month_end",
    "fy_month_start",
    "in_person_phases",
    "liaison_units",
    "nominatable_employees",
    "nomination_candidates",
    "nomination_rows",
    "nominations_visible_to",
    "phase_months_label",
    "prelearning_due_date",
    "prelearning_phase",
    "proposed_session_dates",
    "quota_table",
    "scoped_nominations",
    "selection_board",
    "window_state",
    "windows_with_counts",
]

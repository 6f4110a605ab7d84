"""Every read of the training engine that matters; each runs a fixed number of queries whatever the rows."""

from .attendance import (
    RUN_EXPORT_HEADERS,
    UNIT_EXPORT_HEADERS,
    SheetRow,
    UnitTimeline,
    attendance_sheet,
    run_attendance_rows,
    run_sessions,
    sheet_session,
    unit_attendance_rows,
)
from .catalog import CatalogFilter, RunRow, catalog_courses, catalog_runs, providers, run_with_counts
from .common import phase_labels, run_annotations, seats_left, talent_type_labels
from .enrollments import (
    attended_hours,
    current_assignments,
    enrollments_visible_to,
    my_enrollments,
    pending_approvals,
    run_roster,
    unit_label,
)
from .hours import Ledger, LedgerCourse, LedgerRun, YearHours, hours_by_year, hours_ledger, phase_hours, run_phase_hours
from .records import TrainingRecord, training_record

__all__ = [
    "RUN_EXPORT_HEADERS",
    "UNIT_EXPORT_HEADERS",
    "CatalogFilter",
    "Ledger",
    "LedgerCourse",
    "LedgerRun",
    "RunRow",
    "SheetRow",
    "TrainingRecord",
    "UnitTimeline",
    "YearHours",
    "attendance_sheet",
    "attended_hours",
    "catalog_courses",
    "catalog_runs",
    "current_assignments",
    "enrollments_visible_to",
    "hours_by_year",
    "hours_ledger",
    "my_enrollments",
    "pending_approvals",
    "phase_hours",
    "phase_labels",
    "providers",
    "run_annotations",
    "run_attendance_rows",
    "run_phase_hours",
    "run_roster",
    "run_sessions",
    "run_with_counts",
    "seats_left",
    "sheet_session",
    "talent_type_labels",
    "training_record",
    "unit_attendance_rows",
    "unit_label",
]

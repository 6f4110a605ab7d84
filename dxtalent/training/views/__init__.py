"""Pages of the training engine (thin: parse, call a service or selector, render)."""

from .approvals import approvals, decide
from .attendance import attendance, export_run, export_unit
from .catalog import apply, cancel, catalog, my_training, run_detail
from .imports import import_elearning_page
from .manage import (
    course_create,
    course_detail,
    course_edit,
    courses,
    enroll,
    enrollment_action,
    run_create,
    run_edit,
    run_roster,
    session_create,
    session_edit,
)
from .records import record

__all__ = [
    "apply",
    "approvals",
    "attendance",
    "cancel",
    "catalog",
    "course_create",
    "course_detail",
    "course_edit",
    "courses",
    "decide",
    "enroll",
    "enrollment_action",
    "export_run",
    "export_unit",
    "import_elearning_page",
    "my_training",
    "record",
    "run_create",
    "run_detail",
    "run_edit",
    "run_roster",
    "session_create",
    "session_edit",
]

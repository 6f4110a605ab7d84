"""Every write of the training engine. Keyword arguments only; `by=` is the acting user (None = the system, e.g.
the demo loader or a management command). Permission problems raise PermissionDenied, bad input ValidationError,
illegal workflow transitions WorkflowError (dxtalent.training.errors)."""

from ..errors import AttendanceSheetError, WorkflowError
from .attendance import attendance_record
from .courses import course_create, course_update, run_create, run_update, session_create, session_update
from .elearning import elearning_completion_record
from .enrollments import (
    ACTIONS,
    EVENT_LABELS,
    TRANSITIONS,
    Event,
    allowed_events,
    application_problem,
    can,
    enrollment_apply,
    enrollment_cancel,
    enrollment_complete,
    enrollment_decide,
    enrollment_enroll,
    enrollment_mark_incomplete,
    enrollment_reopen,
    enrollment_start,
    promote_waitlist,
)

__all__ = [
    "ACTIONS",
    "EVENT_LABELS",
    "TRANSITIONS",
    "AttendanceSheetError",
    "Event",
    "WorkflowError",
    "allowed_events",
    "application_problem",
    "attendance_record",
    "can",
    "course_create",
    "course_update",
    "elearning_completion_record",
    "enrollment_apply",
    "enrollment_cancel",
    "enrollment_complete",
    "enrollment_decide",
    "enrollment_enroll",
    "enrollment_mark_incomplete",
    "enrollment_reopen",
    "enrollment_start",
    "promote_waitlist",
    "run_create",
    "run_update",
    "session_create",
    "session_update",
]

"""Who may use the training pages: URL name → roles that get 200 on GET (all others get 403).

tests/org/test_access.py gathers this table with every app's and walks the whole URLConf. Pages about one object
(a run, a session, a person's record) or POST-only actions are OBJECT_SCOPED: tests/training/test_access_objects.py
checks them row by row with real objects.
"""

from dxtalent.core.roles import Role

ALL = set(Role)
MANAGERS = {Role.SECRETARIAT, Role.HR}  # Action.MANAGE_TRAINING
APPROVERS = {Role.SECRETARIAT, Role.HR, Role.MANAGER}  # Action.APPROVE_ENROLLMENTS

EXPECTED = {
    "training:catalog": ALL,
    "training:my_training": ALL,
    "training:approvals": APPROVERS,
    "training:manage_courses": MANAGERS,
    "training:manage_course_create": MANAGERS,
    "training:attendance_export_unit": MANAGERS,
    "training:import_elearning": MANAGERS,
}
OBJECT_SCOPED = {
    "training:run_detail",
    "training:apply",
    "training:cancel",
    "training:decide",
    "training:record",
    "training:manage_course",
    "training:manage_course_edit",
    "training:manage_run_create",
    "training:manage_run",
    "training:manage_run_edit",
    "training:manage_enroll",
    "training:manage_session_create",
    "training:manage_session_edit",
    "training:manage_enrollment_action",
    "training:attendance",
    "training:attendance_export_run",
}
URL_KWARGS: dict = {}

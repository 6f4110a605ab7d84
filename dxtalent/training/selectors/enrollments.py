"""Reads of enrollments: my training, approvals, a run's roster, the API list. Fixed query counts."""

import datetime as dt

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from dxtalent.org import access
from dxtalent.org.models import Assignment, valid_on
from dxtalent.org.selectors import org_snapshot

from ..models import Attendance, Enrollment, EnrollmentStatus
from .common import run_annotations

STATUS_ORDER = [
    EnrollmentStatus.APPLIED,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.APPROVED,
    EnrollmentStatus.IN_PROGRESS,
    EnrollmentStatus.COMPLETED,
    EnrollmentStatus.INCOMPLETE,
    EnrollmentStatus.REJECTED,
    EnrollmentStatus.CANCELLED,
]


def current_assignments(prefix: str = "employee__", day: dt.date | None = None) -> Prefetch:
    """Prefetch the employee's assignment valid today into `.current_assignments` (0 or 1 row)."""
    day = day or timezone.localdate()
    return Prefetch(
        f"{prefix}assignments", queryset=Assignment.objects.filter(valid_on(day)), to_attr="current_assignments"
    )


def unit_label(employee, snapshot=None) -> str:
    """The current 所属 as 局区 部 課 (needs `current_assignments` prefetched)."""
    rows = getattr(employee, "current_assignments", None) or []
    if not rows:
        return ""
    snapshot = snapshot or org_snapshot()
    return snapshot.label_of(rows[0].unit_id)


def attended_hours() -> Coalesce:
    hours = (
        Attendance.objects.filter(enrollment=OuterRef("pk"))
        .order_by()
        .values("enrollment_id")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    return Coalesce(Subquery(hours), 0, output_field=DecimalField(max_digits=7, decimal_places=2))


def my_enrollments(employee) -> list[Enrollment]:
    """All of a person's enrollments, newest 年度 first, with the run's dates and the hours attended (1 query)."""
    run = run_annotations("run_id")
    annotations = {f"run_{k}": run[k] for k in ("first_date", "last_date", "session_count")}
    return list(
        Enrollment.objects.filter(employee=employee)
        .select_related("run__course")
        .annotate(attended=attended_hours(), **annotations)
        .order_by("-run__fiscal_year", "run_first_date", "pk")
    )


def pending_approvals(user) -> QuerySet:
    """申込 awaiting a decision, of people the user may see (never their own), oldest first (3 queries with the
    prefetch and the org snapshot)."""
    me = access.employee_of(user)
    qs = Enrollment.objects.filter(status=EnrollmentStatus.APPLIED)
    qs = access.employees_visible_to(user, qs, path="employee")
    if me is not None:
        qs = qs.exclude(employee=me)
    return (
        qs.select_related("run__course", "employee")
        .prefetch_related(current_assignments())
        .order_by("applied_at", "pk")
    )


def run_roster(run) -> list[Enrollment]:
    """Every enrollment of a run (any state), seat holders first, with current 所属 and hours attended (2 queries)."""
    rows = list(
        Enrollment.objects.filter(run=run)
        .select_related("employee", "decided_by")
        .prefetch_related(current_assignments())
        .annotate(attended=attended_hours())
        .order_by("employee__kana_key", "pk")
    )
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows.sort(key=lambda e: (rank.get(e.status, 99), e.waitlist_position or 0))
    return rows


def enrollments_visible_to(user) -> QuerySet:
    """Enrollments the user may see: their own, and those of staff they may see (API list)."""
    return access.employees_visible_to(user, Enrollment.objects.all(), path="employee")

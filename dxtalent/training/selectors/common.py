"""Small query helpers shared by the training selectors."""

from django.db.models import Count, IntegerField, Max, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from ..models import SEAT_HOLDING, Enrollment, EnrollmentStatus, Session


def _scalar(qs: QuerySet, aggregate, output_field=None):
    grouped = qs.order_by().values("run_id").annotate(v=aggregate).values("v")
    return Subquery(grouped, output_field=output_field)


def run_annotations(outer: str = "pk") -> dict:
    """Per run: seats taken, people waiting, sessions, first and last date (subqueries: no row multiplication).
    `outer` names the run's id on the annotated model ("pk" on CourseRun, "run_id" on Enrollment)."""
    enrollments = Enrollment.objects.filter(run=OuterRef(outer))
    sessions = Session.objects.filter(run=OuterRef(outer))
    return {
        "seats_taken": Coalesce(_scalar(enrollments.filter(status__in=SEAT_HOLDING), Count("pk")), 0),
        "waiting": Coalesce(_scalar(enrollments.filter(status=EnrollmentStatus.WAITLISTED), Count("pk")), 0),
        "session_count": Coalesce(
            _scalar(sessions.filter(is_makeup=False), Count("pk"), IntegerField()), 0, output_field=IntegerField()
        ),
        "first_date": _scalar(sessions, Min("date")),
        "last_date": _scalar(sessions, Max("date")),
        "total_hours": _scalar(sessions.filter(is_makeup=False), Sum("hours")),
    }


def seats_left(run) -> int | None:
    """None = no capacity limit (needs the `seats_taken` annotation)."""
    if run.capacity is None:
        return None
    return max(0, run.capacity - run.seats_taken)


def talent_type_labels() -> dict[str, str]:
    """人材像 code → short name, from the policy pack in force (empty without a pack)."""
    from dxtalent.policy import selectors as policy

    try:
        pack = policy.current_pack()
    except policy.NoPolicyPack:
        return {}
    return {t.code: t.short_name for t in pack.talent_types}


def phase_labels() -> dict[str, str]:
    """Curriculum phase code → name, from the policy pack in force (empty without a pack)."""
    from dxtalent.policy import selectors as policy

    try:
        pack = policy.current_pack()
    except policy.NoPolicyPack:
        return {}
    return {p.code: p.name for p in pack.phases}

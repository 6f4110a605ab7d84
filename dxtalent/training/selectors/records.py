"""A person's training record (研修履歴): every enrollment with its attendance, hours per 年度, e-learning."""

from dataclasses import dataclass

from django.db.models import Prefetch

from ..models import Attendance, ELearningCompletion, Enrollment
from .enrollments import attended_hours
from .hours import YearHours, hours_by_year


@dataclass
class TrainingRecord:
    enrollments: list[Enrollment]  # each with .attendance_rows (attendance, session) and .attended
    years: list[YearHours]
    elearning: list[ELearningCompletion]


def training_record(employee) -> TrainingRecord:
    """6 queries whatever the number of enrollments, sessions and completions."""
    enrollments = list(
        Enrollment.objects.filter(employee=employee)
        .select_related("run__course")
        .annotate(attended=attended_hours())
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("session").order_by("session__date", "session__start_time"),
                to_attr="attendance_rows",
            )
        )
        .order_by("-run__fiscal_year", "run__course__code", "pk")
    )
    elearning = list(
        ELearningCompletion.objects.filter(employee=employee).select_related("course").order_by("-completed_on", "pk")
    )
    return TrainingRecord(enrollments=enrollments, years=hours_by_year(employee), elearning=elearning)

"""The course catalog (研修メニュー): courses with runs this 年度, each run with seats left and the waitlist."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dxtalent.core.text import normalize
from dxtalent.core.wareki import fiscal_year as fiscal_year_of

from ..models import Course, CourseRun, Enrollment, Session
from ..services import application_problem
from .common import run_annotations, seats_left


@dataclass
class CatalogFilter:
    q: str = ""
    delivery: str = ""
    talent_type: str = ""
    provider: str = ""
    include_closed: bool = False  # also runs whose application window is not open today

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", False, None)}


def _open_runs(fiscal_year: int, day: dt.date, include_closed: bool) -> QuerySet:
    runs = CourseRun.objects.filter(fiscal_year=fiscal_year, program=CourseRun.Program.GENERAL, course__is_active=True)
    if not include_closed:
        sessions = Session.objects.filter(run=OuterRef("pk"))
        runs = (
            runs.filter(Q(apply_from__isnull=True) | Q(apply_from__lte=day))
            .filter(Q(apply_until__isnull=True) | Q(apply_until__gte=day))
            .filter(~Exists(sessions) | Exists(sessions.filter(date__gte=day)))  # not over yet
        )
    return runs


def catalog_courses(filters: CatalogFilter, *, fiscal_year: int | None = None, day: dt.date | None = None) -> QuerySet:
    """Active courses with at least one run of the 年度 (open for application today unless include_closed)."""
    day = day or timezone.localdate()
    fiscal_year = fiscal_year or fiscal_year_of(day)
    runs = _open_runs(fiscal_year, day, filters.include_closed).filter(course=OuterRef("pk"))
    qs = Course.objects.filter(is_active=True).filter(Exists(runs))
    if filters.delivery:
        qs = qs.filter(delivery=filters.delivery)
    if filters.talent_type:
        qs = qs.filter(talent_type=filters.talent_type)
    if filters.provider:
        qs = qs.filter(provider=filters.provider)
    if filters.q:
        for word in normalize(filters.q).split():
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(code__icontains=word)
                | Q(description__icontains=word)
                | Q(provider__icontains=word)
            )
    return qs.order_by("code")


@dataclass
class RunRow:
    run: CourseRun
    seats_left: int | None
    waiting: int
    mine: Enrollment | None
    problem: str | None  # why one cannot apply today (None: open)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0


def catalog_runs(
    courses, *, employee=None, fiscal_year: int | None = None, day: dt.date | None = None, include_closed=False
) -> dict[int, list[RunRow]]:
    """Runs of the given courses, annotated, with the employee's own enrollment on each (2 queries)."""
    day = day or timezone.localdate()
    fiscal_year = fiscal_year or fiscal_year_of(day)
    course_ids = [c.pk for c in courses]
    runs = list(
        _open_runs(fiscal_year, day, include_closed)
        .filter(course_id__in=course_ids)
        .select_related("course")
        .annotate(**run_annotations())
        .order_by("course__code", "first_date", "pk")
    )
    mine = {}
    if employee is not None and runs:
        mine = {e.run_id: e for e in Enrollment.objects.filter(employee=employee, run_id__in=[r.pk for r in runs])}
    out: dict[int, list[RunRow]] = defaultdict(list)
    for run in runs:
        out[run.course_id].append(
            RunRow(run, seats_left(run), run.waiting, mine.get(run.pk), application_problem(run, day))
        )
    return out


def run_with_counts(pk: int) -> CourseRun:
    return CourseRun.objects.select_related("course").annotate(**run_annotations()).get(pk=pk)


def providers() -> list[str]:
    return list(
        Course.objects.filter(is_active=True)
        .exclude(provider="")
        .order_by("provider")
        .values_list("provider", flat=True)
        .distinct()
    )

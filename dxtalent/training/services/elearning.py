"""E-learning completions (eラーニング修了) recorded one at a time (the vendor's file goes through imports.py)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.wareki import format_wareki
from dxtalent.org.access import Action
from dxtalent.org.models import Employee

from ..models import Course, ELearningCompletion
from ._common import check_may, parse_hours


@transaction.atomic
def elearning_completion_record(
    *, employee: Employee, course: Course, completed_on: dt.date, hours=None, source: str = "", by=None
) -> ELearningCompletion:
    """Record (or correct the hours of) a completion; recording the same completion twice changes nothing.
    Without `hours` the course's standard hours are used."""
    check_may(by, Action.MANAGE_TRAINING)
    value = course.hours if hours is None else parse_hours(hours, label="学習時間")
    if value < 0:
        raise ValidationError({"hours": ["学習時間は0以上にしてください。"]})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": [f"修了日（{format_wareki(completed_on)}）が未来の日付です。"]})
    row = (
        ELearningCompletion.objects.select_for_update()
        .filter(employee=employee, course=course, completed_on=completed_on)
        .first()
    )
    if row is None:
        row = ELearningCompletion(
            employee=employee, course=course, completed_on=completed_on, hours=value, source=source
        )
        row.full_clean()
        row.save()
    elif row.hours != value:
        row.hours = value
        row.source = source or row.source
        row.full_clean()
        row.save()
    return row

"""The hours ledger per person and 年度: 3/31 belongs to the old 年度, 4/1 to the new one."""

import datetime as dt
from decimal import Decimal

import pytest

from dxtalent.training import selectors, services

from .conftest import FY, make_run

pytestmark = pytest.mark.django_db


def test_ledger_splits_on_the_fiscal_year_boundary(course, elearning_course, people):
    person = people["higashi_staff"]
    last_year = make_run(course, fiscal_year=FY - 1, approval_required=False)
    this_year = make_run(course, fiscal_year=FY, approval_required=False)
    old = services.enrollment_enroll(employee=person, run=last_year)
    new = services.enrollment_enroll(employee=person, run=this_year)
    march = services.session_create(run=last_year, date=dt.date(FY, 3, 31), hours=Decimal("2.5"))
    april = services.session_create(run=this_year, date=dt.date(FY, 4, 1), hours=Decimal("4"))
    services.attendance_record(session=march, entries=[(old, "present", None)])
    services.attendance_record(session=april, entries=[(new, "partial", "3")])
    services.elearning_completion_record(employee=person, course=elearning_course, completed_on=dt.date(FY, 3, 31))
    services.elearning_completion_record(
        employee=person, course=elearning_course, completed_on=dt.date(FY, 4, 1), hours="1.25"
    )

    then = selectors.hours_ledger(person, FY - 1)
    now = selectors.hours_ledger(person, FY)
    assert [r.run for r in then.runs] == [last_year] and then.attended == Decimal("2.5")
    assert [r.run for r in now.runs] == [this_year] and now.attended == Decimal("3")
    assert then.elearning_hours == Decimal("3") and now.elearning_hours == Decimal("1.25")
    assert now.total == Decimal("4.25") and then.total == Decimal("5.5")
    assert now.runs[0].status == "in_progress" and now.runs[0].sessions == 1
    assert now.elearning[0].title == elearning_course.title
    assert now.phases == {"": Decimal("3")}
    years = {y.fiscal_year: (y.attended, y.elearning) for y in selectors.hours_by_year(person)}
    assert years == {FY: (Decimal("3"), Decimal("1.25")), FY - 1: (Decimal("2.5"), Decimal("3"))}


def test_ledger_query_count_is_fixed(course, people, staff, django_assert_num_queries):
    person = people["higashi_staff"]
    for i in range(2):
        run = make_run(course, approval_required=False, title=f"回{i}")
        e = services.enrollment_enroll(employee=person, run=run)
        for _ in range(3):
            s = services.session_create(run=run, date=dt.date(FY, 4, 1), hours=1)
            services.attendance_record(session=s, entries=[(e, "present", None)])
    with django_assert_num_queries(2):
        ledger = selectors.hours_ledger(person, FY)
    assert ledger.attended == 6 and len(ledger.runs) == 2


def test_recording_the_same_elearning_completion_twice_changes_nothing(elearning_course, people):
    person = people["kita_staff"]
    day = dt.date(FY, 4, 1)
    a = services.elearning_completion_record(employee=person, course=elearning_course, completed_on=day)
    b = services.elearning_completion_record(employee=person, course=elearning_course, completed_on=day)
    assert a.pk == b.pk and a.history.count() == 1

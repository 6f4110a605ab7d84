"""Query counts do not grow with the rows: each page is measured at 5 rows and at 35 (a cohort's size)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dxtalent.core.roles import Role
from dxtalent.org.selectors import reset_snapshots
from dxtalent.training import services
from dxtalent.training.models import Delivery

from .conftest import future_day, make_run, past_day

pytestmark = pytest.mark.django_db
SMALL, LARGE = 5, 35


def count(client, url, **params) -> int:
    # Every measured request starts with a cold org-tree cache, so runs at different sizes compare alike.
    reset_snapshots(shared=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow(n_before: int, n_after: int, add):
    for i in range(n_before, n_after):
        add(i)


def test_attendance_sheet_queries_fixed(client, people, course, staff, secretariat):
    run = make_run(course, approval_required=False)
    session = services.session_create(run=run, date=past_day(), hours=3)
    people_ = staff(LARGE)

    def add(i):
        e = services.enrollment_enroll(employee=people_[i], run=run)
        services.attendance_record(session=session, entries=[(e, "present", None)])

    grow(0, SMALL, add)
    client.force_login(secretariat)
    url = reverse("training:attendance", args=[session.pk])
    small = count(client, url)
    grow(SMALL, LARGE, add)
    large = count(client, url)
    assert small == large <= 14
    # the roster page and the run export too
    assert count(client, reverse("training:manage_run", args=[run.pk])) <= 16
    with CaptureQueriesContext(connection) as ctx:
        client.post(url, {f"status-{e.pk}": "present" for e in run.enrollments.all()})
    assert len(ctx.captured_queries) <= 30  # one sheet of 35 people is saved in bulk, not row by row


def test_catalog_queries_fixed(client, people, pack, employee_user):
    courses = []

    def add(i):
        c = services.course_create(
            code=f"C{i:03d}",
            title=f"講座{i}",
            delivery=Delivery.CLASSROOM,
            talent_type="general",
            hours=2,
            provider=f"主体{i % 3}",
        )
        run = make_run(c, capacity=3)
        services.session_create(run=run, date=future_day(), hours=2)
        services.enrollment_apply(employee=people["kita_staff"], run=run)
        courses.append(c)

    grow(0, SMALL, add)
    client.force_login(employee_user)
    url = reverse("training:catalog")
    small = count(client, url)
    grow(SMALL, 20, add)  # one page holds 20 courses
    assert count(client, url) == small <= 14


def test_my_training_and_approvals_queries_fixed(client, people, pack, manager, employee_user, elearning_course):
    me = people["higashi_staff"]

    def add(i):
        c = services.course_create(
            code=f"M{i:03d}", title=f"講座{i}", delivery="classroom", talent_type="general", hours=2
        )
        run = make_run(c)
        e = services.enrollment_apply(employee=me, run=run)
        s = services.session_create(run=run, date=past_day(), hours=2)
        if i % 2:
            services.enrollment_decide(enrollment=e, approve=True)
            services.attendance_record(session=s, entries=[(e, "present", None)])
        services.elearning_completion_record(employee=me, course=elearning_course, completed_on=past_day(i + 1))

    grow(0, SMALL, add)
    client.force_login(employee_user)
    mine_small = count(client, reverse("training:my_training"))
    record_small = count(client, reverse("training:record", args=[me.pk]))
    client.force_login(manager)
    approvals_small = count(client, reverse("training:approvals"))
    grow(SMALL, LARGE, add)
    client.force_login(employee_user)
    assert count(client, reverse("training:my_training")) == mine_small <= 14
    assert count(client, reverse("training:record", args=[me.pk])) == record_small <= 17
    client.force_login(manager)
    assert count(client, reverse("training:approvals")) == approvals_small <= 14


def test_api_lists_queries_fixed(client, people, course, staff, secretariat):
    run = make_run(course, approval_required=False)
    session = services.session_create(run=run, date=past_day(), hours=3)
    people_ = staff(LARGE)

    def add(i):
        e = services.enrollment_enroll(employee=people_[i], run=run)
        services.attendance_record(session=session, entries=[(e, "present", None)])
        make_run(course, title=f"追加{i}")
        services.session_create(run=run, date=past_day(), hours=1)

    urls = [
        "/api/v1/training/courses/",
        "/api/v1/training/runs/",
        "/api/v1/training/sessions/",
        "/api/v1/training/enrollments/",
        f"/api/v1/training/sessions/{session.pk}/attendance/",
    ]
    grow(0, SMALL, add)
    client.force_login(secretariat)
    small = [count(client, u) for u in urls]
    grow(SMALL, LARGE, add)
    assert [count(client, u) for u in urls] == small
    assert max(small) <= 12
    client.force_login(people["users"][Role.MANAGER])
    assert count(client, "/api/v1/training/enrollments/") <= 12

"""The training API: same access rules as the pages, 400 with field errors, 409 on illegal transitions."""

from decimal import Decimal

import pytest

from dxtalent.core.roles import Role
from dxtalent.training import services
from dxtalent.training.models import Attendance, Course, Enrollment

from .conftest import FY, make_run, past_day

pytestmark = pytest.mark.django_db
API = "/api/v1/training"


def as_role(client, people, role):
    client.force_login(people["users"][role])
    return client


def test_anonymous_gets_401_or_403(client):
    for path in ("/courses/", "/runs/", "/sessions/", "/enrollments/"):
        assert client.get(API + path).status_code in (401, 403)


def test_everyone_reads_courses_and_runs_but_only_the_secretariat_writes(client, people, course, run):
    as_role(client, people, Role.EMPLOYEE)
    body = client.get(f"{API}/courses/").json()
    assert body["count"] == 1 and body["results"][0]["code"] == course.code
    run_body = client.get(f"{API}/runs/", {"fiscal_year": FY}).json()["results"][0]
    assert run_body["seats_left"] == 2 and run_body["accepting"] is True
    response = client.post(
        f"{API}/courses/", {"code": "X", "title": "x", "delivery": "classroom", "talent_type": "general", "hours": "1"}
    )
    assert response.status_code == 403 and response.json()["detail"]
    as_role(client, people, Role.SECRETARIAT)
    response = client.post(
        f"{API}/courses/",
        {"code": "X-1", "title": "生成AI入門", "delivery": "elearning", "talent_type": "general", "hours": "1.5"},
    )
    assert response.status_code == 201 and response.json()["hours"] == "1.50"
    response = client.patch(f"{API}/courses/{course.pk}/", {"is_active": False}, content_type="application/json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    response = client.post(f"{API}/runs/", {"course": course.pk, "fiscal_year": FY, "capacity": 10})
    assert response.status_code == 201 and response.json()["capacity"] == 10
    response = client.patch(f"{API}/runs/{run.pk}/", {"fiscal_year": FY + 1}, content_type="application/json")
    assert response.status_code == 400 and "fiscal_year" in response.json()["errors"]


def test_bad_input_is_400_with_field_errors_never_500(client, people, course, run):
    as_role(client, people, Role.SECRETARIAT)
    response = client.post(
        f"{API}/courses/", {"code": course.code, "title": "", "delivery": "tv", "talent_type": "nobody", "hours": "-1"}
    )
    body = response.json()
    assert response.status_code == 400 and body["detail"] == "入力内容に誤りがあります。"
    assert {"title", "delivery", "hours"} <= set(body["errors"])
    response = client.post(
        f"{API}/courses/",
        {"code": course.code, "title": "t", "delivery": "classroom", "talent_type": "nobody", "hours": "1"},
    )
    assert response.status_code == 400 and {"code", "talent_type"} <= set(response.json()["errors"])
    response = client.post(f"{API}/sessions/", {"run": run.pk, "date": f"{FY + 1}-04-01", "hours": "2"})
    assert response.status_code == 400 and "date" in response.json()["errors"]
    response = client.post(f"{API}/sessions/", {"run": 99999, "date": f"{FY}-04-01", "hours": "2"})
    assert response.status_code == 400 and "run" in response.json()["errors"]
    assert client.get(f"{API}/runs/", {"fiscal_year": "abc"}).status_code == 400
    assert client.get(f"{API}/enrollments/", {"status": "sleeping"}).status_code == 400
    assert client.get(f"{API}/courses/99999/").status_code == 404


def test_sessions_with_makeups(client, people, run):
    as_role(client, people, Role.HR)
    first = client.post(
        f"{API}/sessions/", {"run": run.pk, "date": past_day(3).isoformat(), "hours": "3", "phase_code": ""}
    ).json()
    makeup = client.post(
        f"{API}/sessions/", {"run": run.pk, "date": past_day(1).isoformat(), "hours": "3", "makeup_for": first["id"]}
    )
    assert makeup.status_code == 201 and makeup.json()["is_makeup"] and makeup.json()["number"] == first["number"]
    listing = client.get(f"{API}/sessions/", {"run": run.pk}).json()
    assert listing["count"] == 2


def test_apply_decide_and_409_on_illegal_transitions(client, people, run):
    as_role(client, people, Role.EMPLOYEE)
    response = client.post(f"{API}/enrollments/", {"run": run.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "applied" and set(body["allowed_actions"]) == {"approve", "reject", "cancel"}
    again = client.post(f"{API}/enrollments/", {"run": run.pk})
    assert again.status_code == 409 and "すでに" in again.json()["detail"]
    # an employee may not approve (403) nor apply for someone else (not visible: 400)
    assert client.post(f"{API}/enrollments/{body['id']}/approve/").status_code == 403
    other = client.post(f"{API}/enrollments/", {"run": run.pk, "employee": people["kita_staff"].pk})
    assert other.status_code == 400 and "employee" in other.json()["errors"]
    as_role(client, people, Role.MANAGER)
    approved = client.post(f"{API}/enrollments/{body['id']}/approve/", {"note": "がんばって"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    conflict = client.post(f"{API}/enrollments/{body['id']}/reject/")
    assert conflict.status_code == 409 and "「承認」" in conflict.json()["detail"] and conflict.json()["errors"] == {}
    assert client.post(f"{API}/enrollments/{body['id']}/dance/").status_code == 404
    as_role(client, people, Role.EMPLOYEE)
    assert client.post(f"{API}/enrollments/{body['id']}/cancel/").json()["status"] == "cancelled"
    assert client.post(f"{API}/enrollments/{body['id']}/cancel/").status_code == 409


def test_manager_cannot_act_on_another_ka(client, people, run):
    other = services.enrollment_apply(employee=people["higashi_other_ka"], run=run)
    as_role(client, people, Role.MANAGER)
    assert client.post(f"{API}/enrollments/{other.pk}/approve/").status_code == 404  # not visible: like not there
    ids = [e["id"] for e in client.get(f"{API}/enrollments/").json()["results"]]
    assert other.pk not in ids
    assert Enrollment.objects.get(pk=other.pk).status == "applied"


def test_enrollment_list_is_scoped(client, people, course):
    run = make_run(course, approval_required=False)
    mine = services.enrollment_apply(employee=people["higashi_staff"], run=run)
    same_ka = services.enrollment_apply(employee=people["users"][Role.MANAGER].employee, run=run)
    other_ka = services.enrollment_apply(employee=people["higashi_other_ka"], run=run)
    kita = services.enrollment_apply(employee=people["kita_staff"], run=run)
    seen = lambda role: {e["id"] for e in as_role(client, people, role).get(f"{API}/enrollments/").json()["results"]}  # noqa: E731
    assert seen(Role.EMPLOYEE) == {mine.pk}
    assert seen(Role.MANAGER) == {mine.pk, same_ka.pk}
    assert seen(Role.LIAISON) == {mine.pk, same_ka.pk, other_ka.pk}
    assert seen(Role.HR) == {mine.pk, same_ka.pk, other_ka.pk, kita.pk}
    assert seen(Role.LEADER) == set()  # the leader (北区) applied for nothing and sees only their own
    as_role(client, people, Role.EMPLOYEE)
    assert client.get(f"{API}/enrollments/{kita.pk}/").status_code == 404


def test_attendance_sheet_api(client, people, course, staff):
    run = make_run(course, approval_required=False)
    a, b = (services.enrollment_apply(employee=p, run=run) for p in staff(2))
    session = services.session_create(run=run, date=past_day(), hours=Decimal("3"))
    as_role(client, people, Role.MANAGER)
    assert client.get(f"{API}/sessions/{session.pk}/attendance/").status_code == 403
    as_role(client, people, Role.SECRETARIAT)
    sheet = client.get(f"{API}/sessions/{session.pk}/attendance/").json()
    assert [r["status"] for r in sheet["rows"]] == [None, None]
    bad = {
        "entries": [{"enrollment": a.pk, "status": "present"}, {"enrollment": b.pk, "status": "partial", "hours": "3"}]
    }
    response = client.post(f"{API}/sessions/{session.pk}/attendance/", bad, content_type="application/json")
    assert response.status_code == 400 and list(response.json()["errors"]["entries"]) == [str(b.pk)]
    assert not Attendance.objects.exists()
    good = {
        "entries": [
            {"enrollment": a.pk, "status": "present"},
            {"enrollment": b.pk, "status": "partial", "hours": "1.5"},
        ]
    }
    response = client.post(f"{API}/sessions/{session.pk}/attendance/", good, content_type="application/json")
    assert response.status_code == 200
    assert {r["enrollment"]: r["hours"] for r in response.json()["rows"]} == {a.pk: "3.00", b.pk: "1.50"}
    empty = client.post(f"{API}/sessions/{session.pk}/attendance/", {"entries": []}, content_type="application/json")
    assert empty.status_code == 400


def test_hours_ledger_api(client, people, course):
    me = people["higashi_staff"]
    run = make_run(course, approval_required=False)
    e = services.enrollment_apply(employee=me, run=run)
    s = services.session_create(run=run, date=past_day(), hours=2)
    services.attendance_record(session=s, entries=[(e, "present", None)])
    as_role(client, people, Role.EMPLOYEE)
    body = client.get(f"{API}/employees/{me.pk}/hours/", {"fiscal_year": FY}).json()
    assert body["total"] == "2.00" and body["rows"][0]["kind"] == "run"
    assert client.get(f"{API}/employees/{people['kita_staff'].pk}/hours/").status_code == 404
    as_role(client, people, Role.MANAGER)
    assert client.get(f"{API}/employees/{me.pk}/hours/").status_code == 200
    assert client.get(f"{API}/employees/{people['higashi_other_ka'].pk}/hours/").status_code == 404


def test_course_list_filters(client, people, course, elearning_course):
    as_role(client, people, Role.LEADER)
    codes = lambda **q: [c["code"] for c in client.get(f"{API}/courses/", q).json()["results"]]  # noqa: E731
    assert codes(delivery="elearning") == [elearning_course.code]
    assert codes(search="excel") == [course.code]
    Course.objects.filter(pk=course.pk).update(is_active=False)
    assert codes(is_active="true") == [elearning_course.code]

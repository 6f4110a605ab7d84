"""The training pages as people use them: catalog and apply (htmx), approvals, attendance sheet, management forms,
exports and the e-learning import page."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.core.wareki import format_fiscal_year
from dxtalent.training import services
from dxtalent.training.models import Attendance, Course, CourseRun, ELearningCompletion, Enrollment, Session

from .conftest import FY, TODAY, future_day, make_run, past_day

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(client, people, role):
    client.force_login(people["users"][role])
    return client


# ---------------------------------------------------------------- catalog and applying


def test_catalog_lists_open_runs_with_seats_and_filters(client, people, course, elearning_course, staff):
    run = make_run(course, capacity=1)
    services.enrollment_apply(employee=staff(1)[0], run=run)
    make_run(elearning_course, apply_until=TODAY - dt.timedelta(days=1))  # closed: hidden by default
    make_run(course, fiscal_year=FY - 1)  # last year: never shown
    over = make_run(course, title="終わった開講")
    services.session_create(run=over, date=dt.date(FY, 4, 1), hours=1)  # all sessions past: hidden by default
    login(client, people, Role.EMPLOYEE)
    body = client.get(reverse("training:catalog")).content.decode()
    assert course.title in body and "残り0人" in body and "キャンセル待ちで申し込む" in body
    assert elearning_course.title not in body
    assert "終わった開講" not in body or dt.date(FY, 4, 1) == TODAY
    body = client.get(reverse("training:catalog"), {"include_closed": "on"}).content.decode()
    assert elearning_course.title in body and "締め切りました" in body

    def courses(**q):
        return [
            c.code for c, _ in client.get(reverse("training:catalog"), {"include_closed": "on", **q}).context["courses"]
        ]

    assert courses(delivery="elearning") == [elearning_course.code]
    assert courses(provider="職員研修所") == [course.code]
    assert courses(q="ピボット") == [course.code]
    assert courses(talent_type="leader") == []
    # htmx: only the results fragment
    fragment = client.get(reverse("training:catalog"), {"q": "Excel"}, **HTMX).content.decode()
    assert 'id="results"' in fragment and "<html" not in fragment


def test_apply_with_htmx_answers_the_run_row(client, people, course):
    run = make_run(course, capacity=1)
    login(client, people, Role.EMPLOYEE)
    response = client.post(reverse("training:apply", args=[run.pk]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and f'id="run-{run.pk}"' in body and "<html" not in body
    assert "申し込みました" in body and "申込" in body
    assert Enrollment.objects.get(run=run).employee == people["higashi_staff"]
    # applying twice: the clear message, nothing new
    body = client.post(reverse("training:apply", args=[run.pk]), **HTMX).content.decode()
    assert "すでにこの開講に申し込んでいます" in body and Enrollment.objects.count() == 1
    # without htmx: a redirect with a message
    client.force_login(people["users"][Role.LEADER])
    response = client.post(reverse("training:apply", args=[run.pk]), {"next": "/training/my/"})
    assert response.status_code == 302 and response["Location"] == "/training/my/"
    assert Enrollment.objects.get(employee=people["users"][Role.LEADER].employee).status == "waitlisted"


def test_apply_needs_post(client, people, run):
    login(client, people, Role.EMPLOYEE)
    assert client.get(reverse("training:apply", args=[run.pk])).status_code == 405


def test_run_detail_and_my_training_and_cancel(client, people, course):
    run = make_run(course, approval_required=False)
    services.session_create(run=run, date=future_day(), hours=3, place="本庁舎")
    login(client, people, Role.EMPLOYEE)
    body = client.get(reverse("training:run_detail", args=[run.pk])).content.decode()
    assert "本庁舎" in body and "申し込む" in body
    client.post(reverse("training:apply", args=[run.pk]))
    body = client.get(reverse("training:my_training")).content.decode()
    assert run.title in body and "承認" in body and "取り消す" in body
    e = Enrollment.objects.get()
    response = client.post(reverse("training:cancel", args=[e.pk]), follow=True)
    assert "取り消しました" in response.content.decode()
    e.refresh_from_db()
    assert e.status == "cancelled"
    # someone else's enrollment cannot be cancelled
    other = services.enrollment_apply(employee=people["kita_staff"], run=run)
    assert client.post(reverse("training:cancel", args=[other.pk])).status_code == 403


def test_my_training_shows_hours_per_year(client, people, course, elearning_course):
    me = people["higashi_staff"]
    run = make_run(course, approval_required=False)
    e = services.enrollment_apply(employee=me, run=run)
    s = services.session_create(run=run, date=dt.date(FY, 4, 1), hours=Decimal("2.5"))
    services.attendance_record(session=s, entries=[(e, "present", None)])
    services.elearning_completion_record(employee=me, course=elearning_course, completed_on=dt.date(FY, 3, 31))
    login(client, people, Role.EMPLOYEE)
    response = client.get(reverse("training:my_training"))
    assert response.context["ledger"].total == Decimal("2.5")
    years = {y.fiscal_year: y.total for y in response.context["years"]}
    assert years == {FY: Decimal("2.5"), FY - 1: Decimal("3")}
    assert client.get(reverse("training:my_training"), {"fy": FY - 1}).context["ledger"].elearning_hours == 3
    for junk in ("abc", "99999", "-1"):
        assert client.get(reverse("training:my_training"), {"fy": junk}).context["ledger"].fiscal_year == FY
    # a login without an employee record sees an explanation
    login(client, people, Role.SYSADMIN)
    assert "職員として登録されていない" in client.get(reverse("training:my_training")).content.decode()


# ---------------------------------------------------------------- approvals


def test_manager_sees_and_decides_only_own_ka(client, people, course):
    run = make_run(course)
    own = services.enrollment_apply(employee=people["higashi_staff"], run=run)
    other = services.enrollment_apply(employee=people["higashi_other_ka"], run=run)
    login(client, people, Role.MANAGER)
    body = client.get(reverse("training:approvals")).content.decode()
    assert people["higashi_staff"].name in body and people["higashi_other_ka"].name not in body
    response = client.post(reverse("training:decide", args=[own.pk]), {"decision": "approve"}, **HTMX)
    assert response.status_code == 200 and "承認しました" in response.content.decode()
    own.refresh_from_db()
    assert own.status == "approved" and own.decided_by == people["users"][Role.MANAGER]
    # another 課's application: 403, unchanged
    assert client.post(reverse("training:decide", args=[other.pk]), {"decision": "approve"}).status_code == 403
    other.refresh_from_db()
    assert other.status == "applied"
    # deciding twice: a clear message (the illegal transition), no error page
    body = client.post(reverse("training:decide", args=[own.pk]), {"decision": "reject"}, **HTMX).content.decode()
    assert "「承認」の申込は不承認できません" in body


def test_reject_with_a_comment_promotes_the_waitlist(client, people, course):
    run = make_run(course, capacity=1)
    first = services.enrollment_apply(employee=people["higashi_staff"], run=run)
    waiting = services.enrollment_apply(employee=people["kita_staff"], run=run)
    login(client, people, Role.HR)
    response = client.post(
        reverse("training:decide", args=[first.pk]), {"decision": "reject", "note": "業務繁忙のため"}
    )
    assert response.status_code == 302
    first.refresh_from_db(), waiting.refresh_from_db()
    assert first.status == "rejected" and "業務繁忙" in first.note and waiting.status == "applied"


# ---------------------------------------------------------------- attendance sheet


@pytest.fixture
def sheet(course, staff):
    run = make_run(course, approval_required=False)
    rows = [services.enrollment_apply(employee=p, run=run) for p in staff(3)]
    session = services.session_create(run=run, date=past_day(), hours=Decimal("3"))
    return session, rows


def test_attendance_sheet_defaults_to_present_and_records_all(client, people, sheet):
    session, (a, b, c) = sheet
    login(client, people, Role.SECRETARIAT)
    url = reverse("training:attendance", args=[session.pk])
    body = client.get(url).content.decode()
    assert body.count('value="present" checked') == 3 and "全員出席" in body
    data = {f"status-{a.pk}": "present", f"status-{b.pk}": "absent", f"status-{c.pk}": "partial", f"hours-{c.pk}": "２"}
    response = client.post(url, data, follow=True)
    assert "出欠を記録しました（出席 1人、欠席 1人、遅刻・早退 1人）" in response.content.decode()
    assert {x.enrollment_id: x.hours for x in Attendance.objects.all()} == {a.pk: 3, b.pk: 0, c.pk: 2}
    # the recorded statuses are shown next time
    body = client.get(url).content.decode()
    assert 'value="absent" checked' in body and 'value="2"' in body


def test_attendance_sheet_errors_are_shown_inline_and_nothing_is_saved(client, people, sheet):
    session, (a, b, c) = sheet
    login(client, people, Role.HR)
    url = reverse("training:attendance", args=[session.pk])
    data = {f"status-{a.pk}": "absent", f"status-{b.pk}": "partial", f"hours-{b.pk}": "3", f"status-{c.pk}": "partial"}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "誤りが2件あるため、記録していません" in body
    assert "より短く" in body and "出席した時間を入力" in body
    assert f'id="error-{b.pk}"' in body and f'id="error-{c.pk}"' in body
    assert 'value="absent" checked' in body  # what was typed is kept
    assert not Attendance.objects.exists()


def test_makeup_sheet_lists_those_who_missed(client, people, sheet, secretariat):
    session, (a, b, c) = sheet
    services.attendance_record(session=session, entries=[(a, "present", None), (b, "absent", None), (c, "partial", 1)])
    makeup = services.session_create(run=session.run, date=past_day(), hours=3, makeup_for=session)
    login(client, people, Role.SECRETARIAT)
    rows = client.get(reverse("training:attendance", args=[makeup.pk])).context["sheet"]
    assert [r["row"].enrollment for r in rows] == [b, c]


# ---------------------------------------------------------------- management forms


def test_course_run_and_session_forms(client, people, pack):
    login(client, people, Role.SECRETARIAT)
    response = client.post(
        reverse("training:manage_course_create"),
        {"code": "G-9", "title": "データ活用入門", "delivery": "classroom", "talent_type": "general", "hours": "abc"},
    )
    assert response.status_code == 200 and "数値で入力" in response.content.decode() and not Course.objects.exists()
    response = client.post(
        reverse("training:manage_course_create"),
        {
            "code": "G-9",
            "title": "データ活用入門",
            "delivery": "classroom",
            "talent_type": "general",
            "hours": "６",
            "is_active": "on",
        },
    )
    course = Course.objects.get()
    assert response.status_code == 302 and course.hours == 6
    response = client.post(
        reverse("training:manage_run_create", args=[course.pk]),
        {
            "fiscal_year": FY,
            "program": "general",
            "capacity": "20",
            "approval_required": "on",
            "apply_from": f"R{FY - 2018}.4.2",
            "apply_until": f"{FY}-04-01",
        },
    )
    assert response.status_code == 200 and "申込締切日は申込開始日以降" in response.content.decode()
    response = client.post(
        reverse("training:manage_run_create", args=[course.pk]),
        {"fiscal_year": FY, "program": "general", "capacity": "20", "approval_required": "on"},
    )
    run = CourseRun.objects.get()
    assert (
        response.status_code == 302
        and run.title == f"データ活用入門（{format_fiscal_year(FY)}）"
        and run.capacity == 20
    )
    response = client.post(
        reverse("training:manage_session_create", args=[run.pk]), {"date": f"{FY + 1}-04-01", "hours": "3"}
    )
    assert "開講年度" in response.content.decode() and not Session.objects.exists()
    response = client.post(
        reverse("training:manage_session_create", args=[run.pk]),
        {"date": past_day().isoformat(), "hours": "3", "start_time": "09:00", "end_time": "12:00", "place": "研修室"},
    )
    session = Session.objects.get()
    assert response.status_code == 302 and session.number == 1
    response = client.post(
        reverse("training:manage_session_create", args=[run.pk]) + f"?makeup_for={session.pk}",
        {"date": TODAY.isoformat(), "hours": "3", "makeup_for": session.pk},
    )
    makeup = Session.objects.get(is_makeup=True)
    assert response.status_code == 302 and makeup.makeup_for == session and makeup.number == 1
    response = client.post(
        reverse("training:manage_session_edit", args=[session.pk]),
        {"date": session.date.isoformat(), "hours": "2", "number": "1", "place": "研修室"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.hours == 2
    body = client.get(reverse("training:manage_run", args=[run.pk])).content.decode()
    assert "補講" in body and "研修室" in body
    client.post(
        reverse("training:manage_run_edit", args=[run.pk]),
        {"fiscal_year": FY, "program": "general", "capacity": "", "title": "改題"},
    )
    run.refresh_from_db()
    assert run.title == "改題" and run.capacity is None and not run.approval_required


def test_roster_enroll_by_number_and_actions(client, people, course):
    run = make_run(course)
    login(client, people, Role.SECRETARIAT)
    number = people["kita_staff"].number
    client.post(reverse("training:manage_enroll", args=[run.pk]), {"number": f" {number} "})
    e = Enrollment.objects.get()
    assert e.status == "approved"
    response = client.post(reverse("training:manage_enroll", args=[run.pk]), {"number": "000"}, follow=True)
    assert "登録されていません" in response.content.decode()
    client.post(reverse("training:manage_enrollment_action", args=[e.pk, "start"]))
    client.post(reverse("training:manage_enrollment_action", args=[e.pk, "complete"]))
    e.refresh_from_db()
    assert e.status == "completed"
    response = client.post(reverse("training:manage_enrollment_action", args=[e.pk, "cancel"]), follow=True)
    assert "「修了」の申込は取消できません" in response.content.decode()
    assert client.post(reverse("training:manage_enrollment_action", args=[e.pk, "fly"])).status_code == 404


# ---------------------------------------------------------------- exports


def test_attendance_exports_per_run_and_per_unit(client, people, course, secretariat):
    from dxtalent.org.services import employee_transfer

    units = people["units"]
    run = make_run(course, approval_required=False)
    mover = people["higashi_staff"]
    e1 = services.enrollment_apply(employee=mover, run=run)
    e2 = services.enrollment_apply(employee=people["kita_staff"], run=run)
    s1 = services.session_create(run=run, date=dt.date(FY, 4, 1), hours=3)
    services.attendance_record(session=s1, entries=[(e1, "present", None), (e2, "absent", None)])
    # the mover goes to 北区 after the first session; the second session counts for 北区
    moved_on = max(dt.date(FY, 4, 2), TODAY - dt.timedelta(days=1))
    if moved_on > TODAY:  # pragma: no cover - 1 April
        pytest.skip("needs a day after 1 April")
    employee_transfer(
        employee=mover, unit=units["kita_koseki"], position=mover.assignments.first().position, on=moved_on
    )
    s2 = services.session_create(run=run, date=moved_on, hours=3)
    services.attendance_record(session=s2, entries=[(e1, "partial", "1.5")])
    login(client, people, Role.SECRETARIAT)
    response = client.get(reverse("training:attendance_export_run", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "年度" and len(rows) == 1 + 4  # 2 sessions × 2 enrollees
    assert {r[12] for r in rows[1:]} == {"出席", "欠席", "遅刻・早退", "未記録"}
    url = reverse("training:attendance_export_unit")
    assert client.get(url).status_code == 200
    response = client.get(url, {"download": "1", "fiscal_year": FY, "unit": units["higashi"].pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert [(r[9], r[10], r[13]) for r in rows] == [(mover.name, "東区", "出席")]
    response = client.get(url, {"download": "1", "fiscal_year": FY, "unit": units["kita"].pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]
    assert sorted((r[9], r[13]) for r in rows) == sorted(
        [(people["kita_staff"].name, "欠席"), (mover.name, "遅刻・早退")]
    )
    assert ExportLog.objects.count() == 3 and set(ExportLog.objects.values_list("kind", flat=True)) == {
        "出欠（開講別）",
        "出欠（所属別）",
    }


# ---------------------------------------------------------------- e-learning import page


def test_import_page_preview_then_confirm(client, people, elearning_course):
    a = people["higashi_staff"]
    data = f"職員番号,氏名,講座コード,修了日,学習時間\n{a.number},{a.name},VND-0001,{FY}-04-01,2\n".encode()
    login(client, people, Role.HR)
    url = reverse("training:import_elearning")
    upload = io.BytesIO(data)
    upload.name = "vendor.csv"
    response = client.post(url, {"action": "preview", "file": upload})
    body = response.content.decode()
    assert "まだ取り込んでいません" in body and "added=1 unchanged=0 errors=0" in body
    assert not ELearningCompletion.objects.exists()
    token = response.context["token"]
    response = client.post(url, {"action": "confirm", "token": token}, follow=True)
    assert "取り込みました" in response.content.decode() and ELearningCompletion.objects.count() == 1
    bad = io.BytesIO(data.replace(a.name.encode(), "別人".encode()))
    bad.name = "bad.csv"
    body = client.post(url, {"action": "preview", "file": bad}).content.decode()
    assert "取り込めません" in body and "一致しません" in body and 'name="token"' not in body

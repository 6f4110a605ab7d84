"""ジョブチャレンジ end to end: post → apply → the manager sees it (pack true) or not (pack false) → hr screens →
adopted → the placement rows exist from the posting's starts_on, with nothing retyped."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxtalent.core.errors import WorkflowError
from dxtalent.core.roles import Role
from dxtalent.experts import services
from dxtalent.experts.models import Application, ApplicationStatus, StagePeriod
from dxtalent.leaders.models import LeaderRole
from dxtalent.org.models import Assignment
from tests.experts_postings.conftest import make_posting, set_notify
from tests.project_fixtures import certify

MOTIVATION = "業務システムの調達に関わり、発注者として力をつけたいと考えています。"


def _leader_role(employee, since):
    cert = certify(employee)
    return LeaderRole.objects.create(employee=employee, certification=cert, role_type="teisu", valid_from=since)


@pytest.mark.django_db
def test_programme_posting_end_to_end(client, people, pack, sec, hr, today):
    city = people["units"]
    applicant_user = people["users"][Role.EMPLOYEE]
    manager_user = people["users"][Role.MANAGER]
    posting = make_posting(sec, unit=city["somu_jinjika"])

    client.force_login(applicant_user)
    r = client.post(f"/jobs/{posting.pk}/", {"motivation": MOTIVATION})
    app = Application.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/jobs/applications/{app.pk}/"
    applicant = people["higashi_staff"]
    assert app.employee == applicant and app.status == ApplicationStatus.APPLIED
    assert app.manager.user == manager_user  # the 課長 of 東区 戸籍住民課 is told (pack: true)
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "応募済み" in page and 'name="motivation"' not in page
    assert "応募済み" in client.get("/jobs/").content.decode()

    # The manager sees THAT their staff applied, never the motivation; not the application itself.
    client.force_login(manager_user)
    page = client.get("/jobs/staff/").content.decode()
    assert applicant.name in page and posting.title in page and MOTIVATION not in page
    assert client.get(f"/jobs/applications/{app.pk}/").status_code == 404

    # hr screens: 書類選考 → 面談 → 決定 (a decision needs a reason).
    client.force_login(hr)
    for step in ("documents", "interview"):
        r = client.post(f"/jobs/applications/{app.pk}/", {"action": "advance", "status": step, "note": "良好"})
        assert r.status_code == 302
    r = client.post(f"/jobs/applications/{app.pk}/", {"action": "advance", "status": "adopted"})
    assert r.status_code == 200 and "決定の理由を入力してください" in r.content.decode().replace("「", "").replace(
        "」", ""
    )
    r = client.post(f"/jobs/applications/{app.pk}/", {"action": "advance", "status": "adopted", "reason": "意欲と適性"})
    assert r.status_code == 302
    app.refresh_from_db()
    applicant.refresh_from_db()
    assert app.status == ApplicationStatus.ADOPTED and app.decided_on == today
    # Placed without retyping, from starts_on: a transfer to the posting's unit and the first stage of the ladder.
    assert app.placed_assignment.unit_id == city["somu_jinjika"].pk
    assert app.placed_assignment.valid_from == posting.starts_on
    old = Assignment.objects.get(employee=applicant, unit=city["higashi_koseki"])
    assert old.valid_to == posting.starts_on - dt.timedelta(days=1)
    period = StagePeriod.objects.get(employee=applicant)
    assert app.placed_stage_period == period
    assert (period.stage_code, period.valid_from, period.valid_to) == (
        pack.content["experts"]["job_challenge"]["posting_kinds"][0]["ladder_stage"],
        posting.starts_on,
        None,
    )
    assert applicant.hire_route == "job_challenge"
    page = client.get(f"/jobs/applications/{app.pk}/").content.decode()
    assert "決定による配置" in page and "人事課" in page and "見習い" in page
    # The applicant sees the decision; a decided application cannot be withdrawn or advanced again.
    with pytest.raises(WorkflowError):
        services.application_withdraw(application=app, by=applicant_user)
    with pytest.raises(WorkflowError):
        services.application_advance(application=app, by=hr, status="rejected", reason="x")


@pytest.mark.django_db
def test_leader_posting_changes_the_role_from_starts_on(people, pack, sec, hr, today):
    leader_user = people["users"][Role.LEADER]
    leader = leader_user.employee
    since = today - dt.timedelta(days=400)
    first = _leader_role(leader, since)
    posting = make_posting(sec, kind="dx_waku", title="DX推進枠（オンライン申請）")
    app = services.application_submit(posting=posting, by=leader_user, motivation=MOTIVATION)
    for step in ("documents", "interview"):
        services.application_advance(application=app, by=hr, status=step)
    app = services.application_advance(application=app, by=hr, status="adopted", reason="経験")
    role = app.placed_leader_role
    assert (role.role_type, role.valid_from, role.valid_to) == ("dx_waku", posting.starts_on, None)
    first.refresh_from_db()
    assert first.valid_to == posting.starts_on - dt.timedelta(days=1)
    assert app.placed_assignment is None and app.placed_stage_period is None  # no unit on the posting: no transfer


@pytest.mark.django_db
def test_pack_false_manager_is_not_told(client, people, pack, sec):
    set_notify(pack, False)
    posting = make_posting(sec)
    app = services.application_submit(posting=posting, by=people["users"][Role.EMPLOYEE], motivation=MOTIVATION)
    assert app.manager is None
    client.force_login(people["users"][Role.MANAGER])
    page = client.get("/jobs/staff/").content.decode()
    assert "所属長に知らされません" in page and people["higashi_staff"].name not in page
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(people["users"][Role.MANAGER])
    assert api.get("/api/v1/applications/", {"scope": "staff"}).json()["count"] == 0


@pytest.mark.django_db
def test_withdraw_before_decision(client, people, pack, sec, hr):
    posting = make_posting(sec)
    user = people["users"][Role.EMPLOYEE]
    app = services.application_submit(posting=posting, by=user, motivation=MOTIVATION)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=app, by=hr)
    client.force_login(user)
    assert client.post(f"/jobs/applications/{app.pk}/", {"action": "withdraw"}).status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(WorkflowError):
        services.application_advance(application=app, by=hr, status="documents")


@pytest.mark.django_db
def test_illegal_moves_are_workflow_errors(people, pack, sec, hr):
    posting = make_posting(sec)
    app = services.application_submit(posting=posting, by=people["users"][Role.EMPLOYEE], motivation=MOTIVATION)
    with pytest.raises(WorkflowError, match="次に選べるのは: 書類選考"):
        services.application_advance(application=app, by=hr, status="adopted", reason="x")  # skips two steps
    with pytest.raises(PermissionDenied):
        services.application_advance(application=app, by=sec, status="documents")  # hr only screens
    with pytest.raises(ValidationError):
        services.application_advance(application=app, by=hr, status="rejected")  # no reason
    app = services.application_advance(application=app, by=hr, status="rejected", reason="要件を満たさない")
    assert app.status == ApplicationStatus.REJECTED and app.placed_assignment is None


@pytest.mark.django_db
def test_posting_rules(people, pack, sec, today):
    with pytest.raises(ValidationError) as exc:
        make_posting(sec, kind="nope", deadline=today - dt.timedelta(days=10), starts_on=today - dt.timedelta(days=20))
    assert set(exc.value.message_dict) == {"kind", "deadline", "starts_on"}
    with pytest.raises(PermissionDenied):
        make_posting(people["users"][Role.MANAGER])
    posting = make_posting(sec)
    posting = services.posting_update(posting=posting, by=sec, title="変更後", slots=3)
    assert (posting.title, posting.slots) == ("変更後", 3)
    services.posting_close(posting=posting, by=sec)
    with pytest.raises(WorkflowError):
        services.posting_close(posting=posting, by=sec)
    with pytest.raises(WorkflowError):
        services.posting_update(posting=posting, by=sec, title="x")

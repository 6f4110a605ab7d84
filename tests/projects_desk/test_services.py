"""The desk's services: the workflow end to end, every status move allowed or refused, who may do what, and bad
input that leaves nothing behind."""

import datetime as dt
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxtalent.leaders.errors import WorkflowError
from dxtalent.projects import services
from dxtalent.projects.models import Attachment, Consultation, ConsultationMessage, ConsultationStatus
from dxtalent.projects.selectors import consultations as sel

from .conftest import days_ago, make_project, open_consultation, pdf, published_case

pytestmark = pytest.mark.django_db
S = ConsultationStatus


def test_workflow_end_to_end(cast):
    project = make_project(cast.kita_manager, cast.city["kita_koseki"], leader=cast.leader.employee)
    opened = days_ago(9)
    c = open_consultation(cast.leader, kind="accompany", project=project, at=opened)
    assert c.requester == cast.leader.employee and c.unit == cast.city["kita_koseki"]
    assert c.status == S.RECEIVED and c.closed_at is None and c.project == project
    services.consultation_attachment_add(consultation=c, by=cast.leader, file=pdf(), title="業務フロー")

    services.consultation_assign(consultation=c, by=cast.staff, handler=cast.handler_employee)
    services.consultation_set_status(consultation=c, by=cast.handler, status=S.IN_PROGRESS, at=days_ago(8))
    services.consultation_reply(consultation=c, by=cast.handler, body="項目案を送ります。", at=days_ago(8))
    services.consultation_reply(consultation=c, by=cast.leader, body="ありがとうございます。", at=days_ago(7))
    case = published_case(cast)
    services.consultation_link_case(consultation=c, by=cast.handler, case=case)
    services.consultation_set_status(consultation=c, by=cast.handler, status=S.RESOLVED, at=days_ago(4))

    c.refresh_from_db()
    assert c.status == S.RESOLVED and c.handler == cast.handler_employee and c.case == case
    assert c.closed_at is not None and not c.is_open
    assert [m.body for m in c.messages.all()] == ["項目案を送ります。", "ありがとうございます。"]
    assert c.attachments.get().title == "業務フロー"
    row = sel.consultation_detail(c).row
    assert row.resolution_days == 5 and row.days_open is None and row.messages == 2

    # the desk reopens it: closed_at is cleared; closing again stamps it again
    services.consultation_set_status(consultation=c, by=cast.staff, status=S.IN_PROGRESS)
    c.refresh_from_db()
    assert c.status == S.IN_PROGRESS and c.closed_at is None
    services.consultation_set_status(consultation=c, by=cast.staff, status=S.RESOLVED)
    c.refresh_from_db()
    assert c.closed_at is not None
    assert c.history.count() >= 6  # every change is in the history


PATHS = {  # how to reach each status from 受付
    S.RECEIVED: [],
    S.IN_PROGRESS: [S.IN_PROGRESS],
    S.RESOLVED: [S.IN_PROGRESS, S.RESOLVED],
    S.OUT_OF_SCOPE: [S.OUT_OF_SCOPE],
}
ALLOWED = {
    (S.RECEIVED, S.IN_PROGRESS),
    (S.RECEIVED, S.OUT_OF_SCOPE),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.OUT_OF_SCOPE),
    (S.RESOLVED, S.IN_PROGRESS),
}


def test_transition_table_is_the_documented_one():
    table = {(a, b) for a, targets in services.CONSULTATION_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("start", "target"), list(product(S.values, S.values)))
def test_every_status_move(cast, start, target):
    c = open_consultation(cast.leader)
    for step in PATHS[start]:
        services.consultation_set_status(consultation=c, by=cast.staff, status=step)
    before = (c.status, c.closed_at)
    if (start, target) in ALLOWED:
        services.consultation_set_status(consultation=c, by=cast.staff, status=target)
        c.refresh_from_db()
        assert c.status == target
        assert (c.closed_at is not None) == (target in (S.RESOLVED, S.OUT_OF_SCOPE))
    else:
        with pytest.raises(WorkflowError) as exc:
            services.consultation_set_status(consultation=c, by=cast.staff, status=target)
        assert "できません" in str(exc.value) or "すでに" in str(exc.value)
        c.refresh_from_db()
        assert (c.status, c.closed_at) == before


def test_unknown_status_is_bad_input(cast):
    c = open_consultation(cast.leader)
    with pytest.raises(ValidationError) as exc:
        services.consultation_set_status(consultation=c, by=cast.staff, status="done")
    assert "status" in exc.value.message_dict


def test_closing_before_opening_is_refused(cast):
    c = open_consultation(cast.leader, at=days_ago(2))
    services.consultation_set_status(consultation=c, by=cast.staff, status=S.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.consultation_set_status(consultation=c, by=cast.staff, status=S.RESOLVED, at=days_ago(3))


@pytest.mark.parametrize("who", ["leader", "kita_manager", "kita_liaison", "hr", "employee"])
def test_only_the_desk_assigns_moves_and_links(cast, who):
    c = open_consultation(cast.leader)
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.consultation_assign(consultation=c, by=user, handler=cast.handler_employee)
    with pytest.raises(PermissionDenied):
        services.consultation_set_status(consultation=c, by=user, status=S.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        services.consultation_link_case(consultation=c, by=user, case=None)
    c.refresh_from_db()
    assert c.status == S.RECEIVED and c.handler is None


def test_handler_must_hold_the_secretariat_role(cast):
    c = open_consultation(cast.leader)
    with pytest.raises(ValidationError) as exc:
        services.consultation_assign(consultation=c, by=cast.staff, handler=cast.kita_manager.employee)
    assert "事務局" in exc.value.message_dict["handler"][0]
    services.consultation_assign(consultation=c, by=cast.staff, handler=cast.handler_employee)
    services.consultation_assign(consultation=c, by=cast.staff, handler=None)
    c.refresh_from_db()
    assert c.handler is None


def test_closed_consultations_take_no_assignment_reply_or_file(cast):
    c = open_consultation(cast.leader)
    services.consultation_set_status(consultation=c, by=cast.staff, status=S.OUT_OF_SCOPE)
    with pytest.raises(WorkflowError):
        services.consultation_reply(consultation=c, by=cast.leader, body="追加の質問")
    with pytest.raises(WorkflowError):
        services.consultation_assign(consultation=c, by=cast.staff, handler=cast.handler_employee)
    with pytest.raises(WorkflowError):
        services.consultation_attachment_add(consultation=c, by=cast.leader, file=pdf())
    assert not ConsultationMessage.objects.exists() and not Attachment.objects.exists()


def test_who_writes_in_the_thread(cast):
    c = open_consultation(cast.leader)
    services.consultation_reply(consultation=c, by=cast.leader, body="補足です")
    services.consultation_reply(consultation=c, by=cast.handler, body="承知しました")
    # the requester's manager and liaison read the thread but do not write in it
    for reader in (cast.kita_manager, cast.kita_liaison):
        with pytest.raises(PermissionDenied):
            services.consultation_reply(consultation=c, by=reader, body="横から失礼します")
    # someone who cannot see it at all
    for outsider in (cast.higashi_manager, cast.kita_other_leader, cast.hr):
        with pytest.raises(PermissionDenied):
            services.consultation_reply(consultation=c, by=outsider, body="?")
    with pytest.raises(ValidationError) as exc:
        services.consultation_reply(consultation=c, by=cast.leader, body="   ")
    assert exc.value.message_dict == {"body": ["本文を入力してください。"]}
    assert c.messages.count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "unknown"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"description": ""}, "description"),
        ({"description": "  \n "}, "description"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_on_open_saves_nothing(cast, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        open_consultation(cast.leader, **kwargs)
    assert field in exc.value.message_dict
    assert not Consultation.objects.exists()


def test_unknown_kind_message_lists_the_packs_kinds(cast):
    with pytest.raises(ValidationError) as exc:
        open_consultation(cast.leader, kind="magic")
    message = exc.value.message_dict["kind"][0]
    assert "技術的支援" in message and "伴走支援" in message


def test_linked_project_must_be_visible_to_the_requester(cast):
    higashi = make_project(cast.higashi_manager, cast.city["higashi_koseki"])
    with pytest.raises(ValidationError) as exc:
        open_consultation(cast.leader, project=higashi)
    assert "project" in exc.value.message_dict and not Consultation.objects.exists()
    # the 東区 liaison sees 東区's projects and may link it
    c = open_consultation(cast.higashi_liaison, project=higashi)
    assert c.project == higashi and c.unit == cast.city["higashi_koseki"]


@pytest.mark.parametrize("who", ["higashi_manager", "hr", "employee", "staff", "sysadmin"])
def test_only_leaders_and_liaisons_open(cast, who):
    with pytest.raises(PermissionDenied):
        open_consultation(getattr(cast, who))
    assert not Consultation.objects.exists()


def test_unit_is_the_requesters_current_ka(cast):
    from dxtalent.org import services as org

    leader = cast.leader.employee
    org.employee_transfer(
        employee=leader,
        unit=cast.city["higashi_hoken"],
        position=leader.assignments.first().position,
        on=timezone.localdate(),
    )
    c = open_consultation(cast.leader)
    assert c.unit == cast.city["higashi_hoken"]


def test_attachment_checks(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = open_consultation(cast.leader)
    exe = SimpleUploadedFile("tool.exe", b"MZ" + b"0" * 64)
    with pytest.raises(ValidationError) as exc:
        services.consultation_attachment_add(consultation=c, by=cast.leader, file=exe)
    assert "形式" in exc.value.message_dict["file"][0]
    big = pdf("big.pdf")
    big.size = 21 * 1024 * 1024
    with pytest.raises(ValidationError) as exc:
        services.consultation_attachment_add(consultation=c, by=cast.leader, file=big)
    assert "大きすぎます" in exc.value.message_dict["file"][0]
    fake = SimpleUploadedFile("flow.pdf", b"not a pdf at all")
    with pytest.raises(ValidationError):
        services.consultation_attachment_add(consultation=c, by=cast.leader, file=fake)
    with pytest.raises(PermissionDenied):
        services.consultation_attachment_add(consultation=c, by=cast.kita_manager, file=pdf())
    assert not Attachment.objects.exists()
    a = services.consultation_attachment_add(consultation=c, by=cast.handler, file=pdf("回答.pdf"))
    assert a.title == "回答.pdf" and a.size == len(pdf().read()) and a.uploaded_by == cast.handler


def test_link_case_only_published(cast):
    c = open_consultation(cast.leader)
    case = published_case(cast)
    if hasattr(services, "case_withdraw"):
        services.case_withdraw(case=case, by=cast.staff)
    else:
        case.status = "withdrawn"
        case.save()
    case.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.consultation_link_case(consultation=c, by=cast.staff, case=case)
    assert "case" in exc.value.message_dict
    c.refresh_from_db()
    assert c.case is None


def test_back_dated_messages_cannot_precede_the_opening(cast):
    c = open_consultation(cast.leader, at=days_ago(3))
    with pytest.raises(ValidationError):
        services.consultation_reply(consultation=c, by=cast.leader, body="x", at=days_ago(4))
    assert isinstance(c.opened_at, dt.datetime)

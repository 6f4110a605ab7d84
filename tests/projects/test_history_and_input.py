"""Sent-back projects keep their history; bad input gives clear messages and saves nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dxtalent.core.roles import Role
from dxtalent.projects import services
from dxtalent.projects.models import Attachment, Project, ProjectEvent, ProjectEventKind, ProjectStatus
from dxtalent.projects.selectors.projects import saving_label
from tests import factories as f
from tests.projects import builders as b

PDF = b"%PDF-1.4 flow diagram"


@pytest.fixture
def pair(leader_pair):
    return leader_pair


def test_sent_back_project_keeps_history_and_can_be_completed_again(manager, koseki, pair):
    leader, leader_user = pair
    p = b.start(manager, koseki, leader=leader)
    p = b.to_step(p, 4, manager_user=manager, leader_user=leader_user)
    p = services.project_send_back(project=p, by=manager, to_step=2, reason="To-Beに窓口の意見を反映してください")
    assert p.step == 2
    # the leader revises step 2, then the project goes forward again
    services.project_update(project=p, by=leader_user, to_be="窓口の意見を反映した改善案")
    p = b.to_step(p, 5, manager_user=manager, leader_user=leader_user)
    assert p.status == ProjectStatus.DONE
    events = list(ProjectEvent.objects.filter(project=p).order_by("at", "pk"))
    back = [e for e in events if e.kind == ProjectEventKind.SENT_BACK]
    assert len(back) == 1
    assert (back[0].from_step, back[0].to_step) == (4, 2)
    assert back[0].reason == "To-Beに窓口の意見を反映してください"
    assert back[0].actor == manager
    assert [e.from_step for e in events if e.kind == ProjectEventKind.COMPLETED] == [1, 2, 3, 2, 3, 4]
    # simple-history keeps the earlier To-Be
    assert set(p.history.values_list("to_be", flat=True)) >= {"改善案", "窓口の意見を反映した改善案"}


def test_send_back_needs_a_reason(manager, koseki, pair):
    leader, leader_user = pair
    p = b.to_step(b.start(manager, koseki, leader=leader), 3, manager_user=manager, leader_user=leader_user)
    with pytest.raises(ValidationError) as exc:
        services.project_send_back(project=p, by=leader_user, to_step=2, reason="  ")
    assert "差戻しの理由を入力してください" in exc.value.message_dict["reason"]
    p.refresh_from_db()
    assert p.step == 3 and not ProjectEvent.objects.filter(project=p, kind="sent_back").exists()


def test_negative_hours_are_refused_and_nothing_is_saved(manager, koseki, pair):
    leader, leader_user = pair
    p = b.to_step(b.start(manager, koseki, leader=leader), 2, manager_user=manager, leader_user=leader_user)
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=p, by=leader_user, as_is="現状を書いた", analysis_hours_actual=Decimal("-1"))
    assert "負の値は入力できません" in exc.value.message_dict["analysis_hours_actual"][0]
    p.refresh_from_db()
    assert p.as_is == "" and p.analysis_hours_actual is None
    with pytest.raises(ValidationError) as exc:
        services.project_update(project=p, by=leader_user, baseline_hours="十時間")
    assert "数値で入力" in exc.value.message_dict["baseline_hours"][0]


@pytest.mark.parametrize(
    ("step", "fields"),
    [
        (1, {"problem", "leader"}),
        (2, {"as_is", "to_be", "analysis_hours_actual"}),
        (3, {"tool_kind", "trial", "trial_hours_actual"}),
        (4, {"operating_rule", "baseline_hours", "after_hours", "verified_by", "verified_on"}),
    ],
)
def test_completing_a_step_needs_its_fields(manager, koseki, pair, step, fields):
    leader, leader_user = pair
    p = services.project_create(by=manager, unit=koseki, title="必須項目の確認")
    if step > 1:
        services.project_update(project=p, by=manager, problem="問題", leader=leader)
        p = b.to_step(p, step, manager_user=manager, leader_user=leader_user)
        if step == 4:  # step 2 recorded a planned baseline: blank it to see every field of step 4 asked for
            services.project_update(project=p, by=manager, baseline_hours=None)
    owner = leader_user if step in (2, 3) else manager
    with pytest.raises(ValidationError) as exc:
        services.project_step_complete(project=p, by=owner)
    assert set(exc.value.message_dict) == fields
    assert all("を入力してください" in m[0] for m in exc.value.message_dict.values())
    p.refresh_from_db()
    assert p.step == step and p.status == ProjectStatus.ACTIVE


def test_after_above_baseline_is_a_negative_saving(manager, koseki, pair):
    leader, leader_user = pair
    p = b.to_step(b.start(manager, koseki, leader=leader), 4, manager_user=manager, leader_user=leader_user)
    services.project_update(
        project=p,
        by=manager,
        operating_rule="新しい様式で入力する",
        baseline_hours=Decimal("8"),
        after_hours=Decimal("10"),
        verified_by=manager.employee,
        verified_on=dt.date(2025, 3, 1),
    )
    p = services.project_step_complete(project=p, by=manager)
    assert p.status == ProjectStatus.DONE
    assert p.saving_hours == Decimal("-2")
    assert saving_label(p.saving_hours) == "−2.0 時間/月（増加）"
    assert p.verified_fiscal_year == 2024


def test_leader_must_be_certified_or_in_training(manager, koseki, pack):
    plain = f.employee(koseki, name="一般 職員", kana="イッパン ショクイン")
    with pytest.raises(ValidationError) as exc:
        services.project_create(by=manager, unit=koseki, title="リーダー確認", leader=plain)
    assert "認定されたDX推進リーダーでも研修中の研修生でもない" in exc.value.message_dict["leader"][0]
    assert not Project.objects.exists()


def test_unit_must_be_a_ka_in_the_managers_scope(manager, city, pack):
    with pytest.raises(ValidationError) as exc:
        services.project_create(by=manager, unit=city["higashi_shimin"], title="部では登録できない")
    assert "課を単位に" in exc.value.message_dict["unit"][0]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.project_create(by=manager, unit=city["kita_koseki"], title="他区の課")
    assert not Project.objects.exists()


def test_attachments_wrong_type_and_too_large(manager, koseki, pair, monkeypatch):
    leader, leader_user = pair
    p = b.to_step(b.start(manager, koseki, leader=leader), 2, manager_user=manager, leader_user=leader_user)
    with pytest.raises(ValidationError) as exc:
        services.project_attachment_add(
            project=p, by=leader_user, file=SimpleUploadedFile("flow.exe", b"MZ\x90\x00"), title="フロー"
        )
    assert "この形式のファイル（.exe）は登録できません" in exc.value.message_dict["file"][0]
    monkeypatch.setattr("dxtalent.core.uploads.MAX_FILE_MB", 0.00001)
    with pytest.raises(ValidationError) as exc:
        services.project_attachment_add(project=p, by=leader_user, file=SimpleUploadedFile("flow.pdf", PDF * 10))
    assert "ファイルが大きすぎます" in exc.value.message_dict["file"][0]
    assert not Attachment.objects.exists()
    monkeypatch.undo()
    a = services.project_attachment_add(project=p, by=leader_user, file=SimpleUploadedFile("flow.pdf", PDF))
    assert a.step == 2 and a.title == "flow.pdf"


def test_practice_year_project_is_linked_to_the_certification(manager, koseki, pack):
    from django.utils import timezone

    from dxtalent.core.wareki import fiscal_year
    from tests.project_fixtures import certify, cohort

    this_year = fiscal_year(timezone.localdate())
    c = cohort(7, fiscal_year=this_year - 1)  # trained last year → this year is the practice year
    leader = f.employee(koseki, name="実践 リーダー", kana="ジッセン リーダー")
    cert = certify(leader, cohort_obj=c)
    p = services.project_create(by=manager, unit=koseki, title="実践年度の取組", leader=leader)
    assert p.practice_certification == cert and p.cohort == c
    second = services.project_create(by=manager, unit=koseki, title="2件目", leader=leader)
    assert second.practice_certification is None  # one per certification


def test_group_must_be_the_leaders(manager, koseki, pack):
    from dxtalent.leaders.models import PracticeGroup
    from tests.project_fixtures import cohort

    leader = f.employee(koseki, name="研修 生", kana="ケンシュウ セイ")
    from dxtalent.leaders.models import CohortMember

    CohortMember.objects.create(cohort=cohort(1), employee=leader)
    group = PracticeGroup.objects.create(cohort=cohort(1), number=1, theme="照会")
    with pytest.raises(ValidationError) as exc:
        services.project_create(by=manager, unit=koseki, title="グループ", leader=leader, group=group)
    assert "構成員ではありません" in exc.value.message_dict["group"][0]
    p = services.project_create(by=manager, unit=koseki, title="研修生のテーマ", leader=leader)
    assert p.cohort == cohort(1)


def test_only_managers_create(people, koseki, pack):
    from django.core.exceptions import PermissionDenied

    for role in (Role.LEADER, Role.SECRETARIAT, Role.EMPLOYEE, Role.LIAISON):
        with pytest.raises(PermissionDenied):
            services.project_create(by=people["users"][role], unit=koseki, title="x")

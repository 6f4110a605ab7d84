"""Services: campaigns, ratings and evidence — bad input says what and where, and nothing is saved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxtalent.competency import services
from dxtalent.competency.models import Assessment, Evidence, Rating
from dxtalent.competency.selectors.people import default_evaluators
from dxtalent.core.errors import WorkflowError
from dxtalent.core.roles import Role
from tests import factories as f

from .conftest import all_items, make_campaign


def me(people, role=Role.EMPLOYEE):
    return people["users"][role]


def test_campaign_freezes_a_deep_copy_of_the_pack_framework(campaign, pack):
    from dxtalent.policy.selectors import pack_of

    raw = pack_of(pack).framework_raw("leader")
    assert campaign.framework == raw and campaign.framework is not raw
    assert campaign.framework_code == "leader" and campaign.framework_version == raw["version"]
    assert campaign.pack_id == pack.pk


def test_only_hr_and_secretariat_manage_campaigns(pack, people):
    with pytest.raises(PermissionDenied):
        make_campaign(people["users"][Role.MANAGER])
    make_campaign(people["users"][Role.SECRETARIAT])


def test_unknown_framework_and_pre_without_run_are_refused(pack, hr):
    with pytest.raises(ValidationError) as exc:
        make_campaign(hr, framework="nope")
    assert "nope" in exc.value.message_dict["framework_code"][0]
    with pytest.raises(ValidationError) as exc:
        make_campaign(hr, kind="pre")
    assert "run" in exc.value.message_dict


def test_self_rating_draft_then_submit(assessment, people):
    user = me(people)
    services.assessment_rate(assessment=assessment, by=user, rater="self", levels={"ownership": 2}, submit=False)
    a = Assessment.objects.get(pk=assessment.pk)
    assert a.self_submitted_at is None and Rating.objects.filter(assessment=a).count() == 1
    levels = all_items(a.campaign, 2, ownership=3)
    services.assessment_rate(
        assessment=a, by=user, rater="self", levels=levels, comments={"ownership": "頑張った"}, comment="全体"
    )
    a.refresh_from_db()
    assert a.self_submitted_at is not None and a.self_comment == "全体"
    assert Rating.objects.filter(assessment=a, rater="self").count() == len(levels)
    assert Rating.objects.get(assessment=a, item_code="ownership").comment == "頑張った"
    # resubmitting replaces the rater's ratings (no duplicates); a draft after submitting is refused
    services.assessment_rate(assessment=a, by=user, rater="self", levels=all_items(a.campaign, 4))
    assert set(Rating.objects.filter(assessment=a).values_list("level", flat=True)) == {4}
    with pytest.raises(WorkflowError):
        services.assessment_rate(assessment=a, by=user, rater="self", levels={"ownership": 1}, submit=False)


def test_off_scale_level_names_the_item_and_saves_nothing(assessment, people):
    levels = all_items(assessment.campaign, 3, ownership=5)
    with pytest.raises(ValidationError) as exc:
        services.assessment_rate(assessment=assessment, by=me(people), rater="self", levels=levels)
    message = exc.value.message_dict["levels"][0]
    assert "当事者意識" in message and "1〜4" in message
    assert not Rating.objects.exists()
    assert Assessment.objects.get(pk=assessment.pk).self_submitted_at is None
    with pytest.raises(ValidationError) as exc:
        services.assessment_rate(
            assessment=assessment, by=me(people), rater="self", levels={"ownership": 0}, submit=False
        )
    with pytest.raises(ValidationError) as exc:
        services.assessment_rate(
            assessment=assessment, by=me(people), rater="self", levels={"made_up": 2}, submit=False
        )
    assert "made_up" in exc.value.message_dict["levels"][0]
    assert not Rating.objects.exists()


def test_submit_needs_every_item(assessment, people):
    levels = all_items(assessment.campaign)
    del levels["improvement"]
    with pytest.raises(ValidationError) as exc:
        services.assessment_rate(assessment=assessment, by=me(people), rater="self", levels=levels)
    assert any("業務改善能力" in m for m in exc.value.message_dict["levels"])
    assert not Rating.objects.exists()


def test_wrong_rater_is_denied_and_nothing_saved(assessment, people, mentor, hr):
    levels = all_items(assessment.campaign)
    for user, rater in ((mentor, "self"), (me(people), "evaluator"), (hr, "evaluator"), (hr, "self")):
        with pytest.raises(PermissionDenied):
            services.assessment_rate(assessment=assessment, by=user, rater=rater, levels=levels)
    manager = people["users"][Role.MANAGER]
    with pytest.raises(PermissionDenied):
        services.assessment_rate(assessment=assessment, by=manager, rater="evaluator", levels=levels)
    assert not Rating.objects.exists()
    services.assessment_rate(assessment=assessment, by=mentor, rater="evaluator", levels=levels)
    assert Rating.objects.filter(rater="evaluator").count() == len(levels)


def test_closed_or_out_of_window_campaign_is_a_workflow_error(assessment, people, hr, mentor):
    services.campaign_close(campaign=assessment.campaign, by=hr)
    with pytest.raises(WorkflowError):
        services.assessment_rate(
            assessment=assessment, by=me(people), rater="self", levels=all_items(assessment.campaign)
        )
    with pytest.raises(WorkflowError):
        services.campaign_close(campaign=assessment.campaign, by=hr)
    with pytest.raises(WorkflowError):
        services.campaign_add_people(campaign=assessment.campaign, by=hr, people=[(people["kita_staff"], None)])
    future = make_campaign(hr, name="来月", opens=10, closes=20)
    (a,) = services.campaign_add_people(campaign=future, by=hr, people=[(people["higashi_staff"], mentor.employee)])
    with pytest.raises(WorkflowError) as exc:
        services.assessment_rate(assessment=a, by=me(people), rater="self", levels=all_items(future))
    assert "から" in str(exc.value)
    assert not Rating.objects.exists()


def test_add_people_updates_evaluators_and_refuses_self_evaluation(campaign, hr, people, mentor):
    staff = people["higashi_staff"]
    (a,) = services.campaign_add_people(campaign=campaign, by=hr, people=[(staff, None)])
    assert a.evaluator_id is None
    (b,) = services.campaign_add_people(campaign=campaign, by=hr, people=[(staff, mentor.employee)])
    assert a.pk == b.pk and Assessment.objects.get(pk=a.pk).evaluator_id == mentor.employee.pk
    with pytest.raises(ValidationError) as exc:
        services.campaign_add_people(campaign=campaign, by=hr, people=[(staff, staff)])
    assert "本人" in exc.value.message_dict["people"][0]
    assert Assessment.objects.get(pk=a.pk).evaluator_id == mentor.employee.pk


def test_default_evaluator_is_the_ka_manager(people):
    manager = people["users"][Role.MANAGER].employee
    staff, kita = people["higashi_staff"], people["kita_staff"]
    found = default_evaluators([staff, manager, kita])
    assert found[staff.pk] == manager
    assert found[manager.pk] is None  # nobody above the 課長 holds a manager post in the test city
    assert found[kita.pk] is None
    bucho = f.employee(people["units"]["higashi_shimin"], name="市民 部長", pos=f.position("部長", 20, True))
    assert default_evaluators([manager])[manager.pk] == bucho


def test_evidence_kinds(assessment, people, mentor):
    from decimal import Decimal

    from dxtalent.training.models import Attendance, Enrollment, Session

    from .conftest import make_run

    run = make_run()
    enrollment = Enrollment.objects.create(run=run, employee=people["higashi_staff"], status="approved")
    session = Session.objects.create(run=run, number=1, date=timezone.localdate() - dt.timedelta(days=3), hours=3)
    present = Attendance.objects.create(session=session, enrollment=enrollment, status="present", hours=Decimal(3))
    s2 = Session.objects.create(run=run, number=2, date=timezone.localdate() - dt.timedelta(days=2), hours=3)
    absent = Attendance.objects.create(session=s2, enrollment=enrollment, status="absent", hours=0)
    user = me(people)
    e = services.evidence_add(assessment=assessment, by=user, rater="self", kind="session", attendance=present)
    assert "第1回" in e.label and e.attendance_id == present.pk
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(assessment=assessment, by=user, rater="self", kind="session", attendance=absent)
    assert "欠席" in exc.value.message_dict["attendance"][0]
    with pytest.raises(ValidationError):
        services.evidence_add(assessment=assessment, by=user, rater="self", kind="other", label="")
    services.evidence_add(
        assessment=assessment, by=mentor, rater="evaluator", kind="other", label="庁内報告会で発表", url="https://x"
    )
    with pytest.raises(ValidationError):  # no projects: the hook offers nothing to pick
        services.evidence_add(assessment=assessment, by=user, rater="self", kind="project", ref_id=1)
    with pytest.raises(PermissionDenied):
        services.evidence_add(assessment=assessment, by=mentor, rater="self", kind="other", label="x")
    assert Evidence.objects.count() == 2


def test_project_evidence_comes_from_the_projects_hook(pack, hr, people):
    """projects registers the provider: the person's projects (as leader) with their current step."""
    from dxtalent.competency import hooks
    from tests.projects.builders import leader_in, start

    leader, leader_user = leader_in(people["units"]["higashi_koseki"])
    project = start(
        people["users"][Role.MANAGER], people["units"]["higashi_koseki"], leader=leader, title="台帳の電子化"
    )
    choices = dict(hooks.project_evidence_choices(leader))
    assert "台帳の電子化" in choices[project.pk] and "ステップ1" in choices[project.pk]
    assert hooks.project_evidence_choices(people["kita_staff"]) == []
    campaign = make_campaign(hr)
    (a,) = services.campaign_add_people(campaign=campaign, by=hr, people=[(leader, None)])
    e = services.evidence_add(assessment=a, by=leader_user, rater="self", kind="project", ref_id=project.pk)
    assert e.ref_id == project.pk and "台帳の電子化" in e.label

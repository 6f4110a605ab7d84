"""`load_demo`'s part of issue 5: 第1期's pre/post assessments, about 40 ③ staff over the ladder with their OJT
and promotions, and ジョブチャレンジ postings with applications. The demo is loaded once for the module (rolled
back afterwards); the counts come from the scenario file and the pack, never typed here."""

import datetime as dt
import io
import itertools
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from dxtalent.competency.models import Assessment, Campaign, CampaignKind, CampaignStatus, Evidence, Rater, Rating
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.experts.demo_data.common import department_node, scenario
from dxtalent.experts.models import (
    Application,
    ApplicationStatus,
    OjtPlan,
    OjtReview,
    Posting,
    PostingStatus,
    Promotion,
    PromotionStatus,
    StagePeriod,
)
from dxtalent.experts.selectors.ladder import current_stages, department_head, readiness, whole_years
from dxtalent.leaders.models import Cohort
from dxtalent.org.models import Assignment, Employee, RoleGrant, valid_on
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import current_pack

EMPLOYEES = 600


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the pack and the demo once; everything is rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_policy_pack", str(settings.BASE_DIR / "policy_packs" / "sapporo-r8"), stdout=out)
            call_command("load_demo", employees=EMPLOYEES, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def pack(demo, db):
    return current_pack()


def _department_ids(pack) -> set[int]:
    snap = org_snapshot(timezone.localdate())
    return snap.subtree_ids([department_node(snap, pack).unit_id])


def test_ladder_staff_spread_over_the_stages_with_histories_that_meet_the_pack(demo, pack):
    assert "高度デジタル人材:" in demo
    conf = scenario()["ladder"]
    today = timezone.localdate()
    current = current_stages(today)
    assert len(current) == conf["staff"]
    counts = Counter(p.stage_code for p in current.values())
    wanted = conf["stage_counts"]  # one more or less where the hire dates do not allow the exact split
    assert all(abs(counts[s.code] - n) <= 1 for s, n in zip(pack.ladder, wanted, strict=True)), counts
    # everyone sits in the department today
    dept = _department_ids(pack)
    units = dict(Assignment.objects.filter(valid_on(today), employee_id__in=current).values_list("employee", "unit"))
    assert all(units[e] in dept for e in current)
    # each promotion came after the next stage's minimum years (in the stage and since entering the ladder)
    for _e, periods in itertools.groupby(
        StagePeriod.objects.order_by("employee_id", "valid_from"), lambda p: p.employee_id
    ):
        periods = list(periods)
        for before, after in itertools.pairwise(periods):
            assert after.valid_from == before.valid_to + dt.timedelta(days=1)
            stage = pack.stage(after.stage_code)
            assert pack.next_stage(before.stage_code).code == stage.code
            assert whole_years(before.valid_from, after.valid_from) >= stage.min_years_in_previous_stage
            assert whole_years(periods[0].valid_from, after.valid_from) >= stage.min_years_since_assignment
    assert StagePeriod.objects.filter(valid_from__lt=dt.date(today.year - 5, 4, 1)).exists()  # years back
    # leavers: a closed period with no successor
    leavers = StagePeriod.objects.exclude(employee_id__in=current).values("employee_id").distinct()
    assert leavers.count() == conf["leavers"]
    # hire routes: a mix of the pack's routes, the job-challenge one among them
    routes = Counter(Employee.objects.filter(pk__in=current).values_list("hire_route", flat=True))
    assert set(routes) <= {r.code for r in pack.hire_routes} and len(routes) >= 3
    assert routes["job_challenge"] >= 1
    assert Employee.objects.exclude(pk__in=current).exclude(hire_route="").count() > EMPLOYEES / 4


def test_ojt_plans_reviews_and_promotions(demo, pack):
    conf = scenario()["ladder"]
    today = timezone.localdate()
    fy = fiscal_year(today)
    current = current_stages(today)
    plans = OjtPlan.objects.filter(fiscal_year=fy)
    assert set(plans.values_list("employee_id", flat=True)) == set(current)
    assert OjtPlan.objects.filter(fiscal_year=fy - 1).count() >= len(current) // 2
    # mentors come from the upper half of the ladder, and are never the person
    upper = {s.code for s in pack.ladder[len(pack.ladder) // 2 :]}
    for plan in plans:
        assert plan.mentor_id != plan.employee_id
        assert current[plan.mentor_id].stage_code in upper
    reviews = OjtReview.objects.select_related("plan")
    assert reviews.count() >= len(current)
    assert all(r.reviewer_id == r.plan.mentor_id and r.reviewed_on < today for r in reviews)
    known = {code for s in pack.ladder for code, _label in s.experiences}
    assert {c for r in reviews for c in r.experiences} <= known
    assert reviews.exclude(experiences=[]).exists()
    # exactly two pending promotions, each proposed by this 年度's mentor, and the people are ready
    pending = Promotion.objects.filter(status=PromotionStatus.PROPOSED)
    assert pending.count() == conf["pending_promotions"]
    ready = readiness(pending.values_list("employee_id", flat=True), pack=pack, day=today)
    for p in pending:
        assert p.proposed_by_id == plans.get(employee_id=p.employee_id).mentor_id
        assert ready[p.employee_id].ready, ready[p.employee_id].unmet
        assert p.readiness["ready"] is True
    # promotions decided by the 部長 in history
    head = department_head(pack, today)
    decided = Promotion.objects.filter(status=PromotionStatus.APPROVED)
    assert decided.count() == conf["decided_promotions"]
    assert all(p.decided_by_id == head.pk and p.stage_period_id for p in decided)
    # the 部長 logs in and holds the manager role for the department
    assert head.user is not None and head.user.username in demo
    scope = RoleGrant.objects.get(valid_on(today), user=head.user, role=Role.MANAGER).scope_unit_id
    assert scope == department_node(org_snapshot(today), pack).unit_id


def test_annual_campaigns_rate_the_ladder(demo, pack):
    today = timezone.localdate()
    fy = fiscal_year(today)
    annual = Campaign.objects.filter(kind=CampaignKind.ANNUAL, framework_code=pack.ladder_framework.code)
    last = annual.get(fiscal_year=fy - 1)
    assert last.status == CampaignStatus.CLOSED
    assert not last.assessments.filter(evaluator_submitted_at__isnull=True).exists()
    evaluated = Assessment.objects.filter(campaign__in=annual, evaluator_submitted_at__isnull=False)
    mentors = {(e, y): m for e, y, m in OjtPlan.objects.values_list("employee_id", "fiscal_year", "mentor_id")}
    assert evaluated.count() >= 20
    for a in evaluated.select_related("campaign"):  # the evaluator is the mentor of that 年度's plan
        assert a.evaluator_id == mentors[(a.employee_id, a.campaign.fiscal_year)]
    items = {i["code"] for i in last.framework["items"]}
    for a in evaluated[:10]:
        assert set(a.ratings.filter(rater=Rater.EVALUATOR).values_list("item_code", flat=True)) == items


def test_cohort_pre_and_post_assessments(demo, pack):
    assert "マインド・スキル評価:" in demo
    today = timezone.localdate()
    cohort = Cohort.objects.get(fiscal_year=fiscal_year(today))
    pre = Campaign.objects.get(kind=CampaignKind.PRE, run=cohort.run)
    post = Campaign.objects.get(kind=CampaignKind.POST, run=cohort.run)
    first = cohort.run.sessions.order_by("date").first().date
    assert pre.closes_on < first <= post.closes_on and pre.status == CampaignStatus.CLOSED
    trainees = set(cohort.members.values_list("employee_id", flat=True))
    assert set(pre.assessments.values_list("employee_id", flat=True)) == trainees
    assert not pre.assessments.filter(self_submitted_at__isnull=True).exists()
    if post.closes_on >= today:  # open now: part of the trainees submitted
        assert post.status == CampaignStatus.OPEN
        submitted = post.assessments.filter(self_submitted_at__isnull=False).count()
        assert 0 < submitted < len(trainees)
    # the evaluator is a manager (the 課長 of the trainee's 課)
    evaluators = pre.assessments.exclude(evaluator=None).values_list("evaluator_id", flat=True)
    assert evaluators and Assignment.objects.filter(
        valid_on(today), employee_id__in=evaluators, position__is_manager=True
    ).values("employee_id").distinct().count() == len(set(evaluators))

    # levels rise after the training
    def average(c):
        return Rating.objects.filter(assessment__campaign=c, rater=Rater.EVALUATOR).aggregate(a=Avg("level"))["a"]

    assert average(post) > average(pre)
    assert pre.assessments.exclude(self_comment="").exists() and pre.assessments.exclude(evaluator_comment="").exists()
    evidence = Evidence.objects.filter(assessment__campaign=post).select_related("attendance__enrollment", "assessment")
    assert evidence.exists()
    assert all(e.attendance.enrollment.employee_id == e.assessment.employee_id for e in evidence)
    now = timezone.now()
    assert not Assessment.objects.filter(self_submitted_at__gt=now).exists()
    assert not Assessment.objects.filter(evaluator_submitted_at__gt=now).exists()


def test_job_challenge_postings_and_applications(demo, pack):
    assert "ジョブチャレンジ:" in demo
    today = timezone.localdate()
    open_ = Posting.objects.filter(status=PostingStatus.OPEN, deadline__gte=today)
    assert open_.count() == 2
    kinds = {k.code: k for k in pack.posting_kinds}
    programme = next(p for p in open_ if kinds[p.kind].ladder_stage)
    assert programme.unit_id in _department_ids(pack)
    assert any(kinds[p.kind].leader_role_type for p in open_)
    statuses = set(programme.applications.values_list("status", flat=True))
    assert {ApplicationStatus.APPLIED, ApplicationStatus.DOCUMENTS, ApplicationStatus.INTERVIEW} <= statuses
    employee = RoleGrant.objects.filter(role=Role.EMPLOYEE).order_by("pk").first().user.employee
    assert Application.objects.filter(employee=employee).exists()
    # last 年度's posting placed the adopted person: a transfer into the department and the ladder's first stage
    adopted = Application.objects.get(posting__status=PostingStatus.CLOSED, status=ApplicationStatus.ADOPTED)
    assert adopted.placed_stage_period.stage_code == pack.ladder[0].code
    assert adopted.placed_assignment.unit_id in _department_ids(pack)
    assert adopted.employee.hire_route == "job_challenge"
    assert not Application.objects.filter(applied_at__gt=timezone.now()).exists()


def test_loading_twice_changes_nothing(demo, db):
    from dxtalent.experts.demo_data import load_demo

    counts = (StagePeriod.objects.count(), Campaign.objects.count(), Posting.objects.count())
    out = io.StringIO()
    load_demo(plan=None, seed=1, stdout=out)
    assert "既に" in out.getvalue()
    assert counts == (StagePeriod.objects.count(), Campaign.objects.count(), Posting.objects.count())

"""Enter → plan → reviews → propose → decide, end to end; bad input says what is wrong and saves nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxtalent.core.errors import WorkflowError
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.experts import services
from dxtalent.experts.models import OjtPlan, OjtReview, Promotion, PromotionStatus, StagePeriod
from tests.experts_ladder import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def trainee(dept, hr, today):
    e = b.staff(dept["ka"], hire_route="digital_course")
    services.ladder_enter(employee=e, stage_code="minarai", on=today - dt.timedelta(days=800), by=hr)
    return e


@pytest.fixture
def plan(trainee, dept, hr, today):
    return services.ojt_plan_save(
        employee=trainee, fiscal_year=fiscal_year(today), mentor=dept["mentor"], goals="運用を覚える", by=hr,
        systems="住民記録システム", projects="更改",
    )  # fmt: skip


def test_propose_and_approve_moves_the_stage(trainee, plan, dept, today):
    services.ojt_review_save(
        plan=plan, half=1, by=dept["mentor_user"], reviewed_on=today, progress="問合せ対応を担当",
        experiences=["operations", "budget_request"],
    )  # fmt: skip
    p = services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="運用を自立して担当")
    assert (p.from_stage, p.to_stage, p.status) == ("minarai", "shugyo", PromotionStatus.PROPOSED)
    assert p.readiness["stage"] == "minarai" and p.readiness["experiences"] == ["budget_request", "operations"]
    assert "未経験: 軽微な改修の要望整理と事業者への依頼" in p.readiness["unmet"]
    effective = today + dt.timedelta(days=10)
    p = services.promotion_decide(
        promotion=p, by=dept["head_user"], approve=True, reasons="承認", effective_on=effective
    )
    assert p.status == PromotionStatus.APPROVED and p.decided_by == dept["head"] and p.effective_on == effective
    old, new = trainee.stage_periods.order_by("valid_from")
    assert old.valid_to == effective - dt.timedelta(days=1) and old.stage_code == "minarai"
    assert (new.stage_code, new.valid_from, new.valid_to) == ("shugyo", effective, None) and p.stage_period == new


def test_a_declined_promotion_keeps_the_stage_and_frees_the_next_proposal(trainee, plan, dept):
    p = services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="推薦")
    p = services.promotion_decide(promotion=p, by=dept["head_user"], approve=False, reasons="経験が不足")
    assert p.status == PromotionStatus.REJECTED and p.stage_period is None
    assert trainee.stage_periods.count() == 1
    with pytest.raises(WorkflowError, match="すでに決定済み"):
        services.promotion_decide(promotion=p, by=dept["head_user"], approve=True, reasons="やはり")
    services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="再推薦")


def test_review_by_someone_who_is_not_the_mentor_is_refused(plan, dept, today):
    with pytest.raises(PermissionDenied, match="OJT指導者（指導 先輩さん）だけ"):
        services.ojt_review_save(plan=plan, half=1, by=dept["other_user"], reviewed_on=today, progress="勝手に")
    assert not OjtReview.objects.exists()


def test_review_with_experiences_not_in_the_pack_is_refused(plan, dept, today):
    with pytest.raises(ValidationError) as exc:
        services.ojt_review_save(
            plan=plan, half=1, by=dept["mentor_user"], reviewed_on=today, progress="x", experiences=["skydiving"]
        )
    assert "経験「skydiving」は育成段階の経験にありません" in exc.value.message_dict["experiences"][0]
    with pytest.raises(ValidationError) as exc:
        services.ojt_review_save(plan=plan, half=3, by=dept["mentor_user"], reviewed_on=today, progress="")
    assert set(exc.value.message_dict) == {"half", "progress"}
    assert not OjtReview.objects.exists()


def test_a_review_is_updated_in_place(plan, dept, today):
    services.ojt_review_save(plan=plan, half=2, by=dept["mentor_user"], reviewed_on=today, progress="一回目")
    services.ojt_review_save(plan=plan, half=2, by=dept["mentor_user"], reviewed_on=today, progress="二回目",
                             experiences=["change_request", "operations"])  # fmt: skip
    r = OjtReview.objects.get()
    assert r.progress == "二回目" and r.experiences == ["operations", "change_request"]  # the pack's order


def test_promotion_from_the_top_stage_is_refused(dept, hr, today):
    e = b.staff(dept["ka"], name="熟練 者", kana="ジュクレン シャ")
    services.ladder_enter(employee=e, stage_code="jukuren", on=today - dt.timedelta(days=4000), by=hr)
    services.ojt_plan_save(employee=e, fiscal_year=fiscal_year(today), mentor=dept["mentor"], goals="後進指導", by=hr)
    with pytest.raises(WorkflowError, match="最上位の段階（熟練者）"):
        services.promotion_propose(employee=e, by=dept["mentor_user"], reasons="さらに上へ")
    assert not Promotion.objects.exists()


def test_a_second_pending_promotion_is_refused(trainee, plan, dept):
    services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="推薦")
    with pytest.raises(WorkflowError, match="すでに決定待ちの昇格（見習い→修行中"):
        services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="もう一度")
    assert Promotion.objects.count() == 1


def test_only_this_years_mentor_proposes(trainee, plan, dept, people):
    for user in (dept["other_user"], dept["head_user"], people["users"][Role.HR]):
        with pytest.raises(PermissionDenied, match="OJT指導者（指導 先輩さん）だけ"):
            services.promotion_propose(employee=trainee, by=user, reasons="推薦")
    assert not Promotion.objects.exists()


def test_decision_by_someone_who_is_not_the_head_is_refused(trainee, plan, dept, people):
    p = services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="推薦")
    for user in (dept["mentor_user"], people["users"][Role.HR], people["users"][Role.SECRETARIAT]):
        with pytest.raises(PermissionDenied, match="情報システム部の部長（現在: 情報 部長さん）だけ"):
            services.promotion_decide(promotion=p, by=user, approve=True, reasons="承認")
    p.refresh_from_db()
    assert p.status == PromotionStatus.PROPOSED and trainee.stage_periods.count() == 1


def test_decision_needs_reasons_and_a_later_effective_date(trainee, plan, dept, today):
    p = services.promotion_propose(employee=trainee, by=dept["mentor_user"], reasons="推薦")
    with pytest.raises(ValidationError) as exc:
        services.promotion_decide(promotion=p, by=dept["head_user"], approve=True, reasons=" ")
    assert "reasons" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.promotion_decide(
            promotion=p, by=dept["head_user"], approve=True, reasons="承認", effective_on=today - dt.timedelta(days=900)
        )
    assert "effective_on" in exc.value.message_dict
    p.refresh_from_db()
    assert p.status == PromotionStatus.PROPOSED and StagePeriod.objects.filter(employee=trainee).count() == 1


def test_enter_and_leave_rules(dept, hr, people, today):
    e = b.staff(dept["ka"])
    with pytest.raises(ValidationError, match="段階「boss」はポリシーパックにありません"):
        services.ladder_enter(employee=e, stage_code="boss", on=today, by=hr)
    with pytest.raises(PermissionDenied):
        services.ladder_enter(employee=e, stage_code="minarai", on=today, by=people["users"][Role.MANAGER])
    services.ladder_enter(employee=e, stage_code="minarai", on=today, by=hr)
    with pytest.raises(WorkflowError, match="すでに育成段階「見習い」"):
        services.ladder_enter(employee=e, stage_code="shugyo", on=today, by=hr)
    with pytest.raises(ValidationError):
        services.ladder_leave(employee=e, on=today - dt.timedelta(days=1), by=hr)
    services.ladder_leave(employee=e, on=today, by=hr)
    with pytest.raises(ValidationError, match="前回の育成期間の終了日"):
        services.ladder_enter(employee=e, stage_code="minarai", on=today, by=hr)
    assert StagePeriod.objects.filter(employee=e).count() == 1


def test_plan_rules(dept, hr, people, today):
    e = b.staff(dept["ka"])
    fy = fiscal_year(today)
    with pytest.raises(ValidationError) as exc:
        services.ojt_plan_save(employee=e, fiscal_year=fy, mentor=e, goals="", by=hr)
    assert set(exc.value.message_dict) == {"employee", "mentor", "goals"}
    services.ladder_enter(employee=e, stage_code="minarai", on=today, by=hr)
    plan = services.ojt_plan_save(employee=e, fiscal_year=fy, mentor=dept["mentor"], goals="目標", by=hr)
    again = services.ojt_plan_save(employee=e, fiscal_year=fy, mentor=dept["other_mentor"], goals="新目標", by=hr)
    assert again.pk == plan.pk and again.mentor == dept["other_mentor"] and again.stage_code == "minarai"
    # the manager of 東区 戸籍住民課 may not plan for 情報システム部 staff; hr may
    with pytest.raises(PermissionDenied):
        services.ojt_plan_save(
            employee=e, fiscal_year=fy, mentor=dept["mentor"], goals="x", by=people["users"][Role.MANAGER]
        )
    assert OjtPlan.objects.get().goals == "新目標"


def test_a_manager_plans_for_own_staff(people, dept, today):
    manager = people["users"][Role.MANAGER]
    e = people["higashi_staff"]
    services.ladder_enter(employee=e, stage_code="minarai", on=today, by=manager)
    plan = services.ojt_plan_save(
        employee=e, fiscal_year=fiscal_year(today), mentor=dept["mentor"], goals="g", by=manager
    )
    assert plan.created_by == manager

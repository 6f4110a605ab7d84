"""Promotions to the next stage of the ladder: proposed by the mentor, decided by the department head (部長).

Approval closes the current StagePeriod the day before the effective date and opens the next stage's period.
The readiness by the pack's criteria is stored with the proposal (a snapshot), so a later change of the pack or
of the ratings never rewrites what the head saw.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dxtalent.core.errors import WorkflowError
from dxtalent.core.wareki import fiscal_year, format_fiscal_year, format_wareki
from dxtalent.org import access
from dxtalent.org.models import Employee

from ..models import OjtPlan, Promotion, PromotionStatus, StagePeriod
from ..selectors.ladder import department_head, readiness, stage_of
from .ladder import day_of, open_period, pack_for

__all__ = ["promotion_decide", "promotion_propose"]


def _name(pack, code: str) -> str:
    stage = stage_of(pack, code)
    return stage.name if stage else code


@transaction.atomic
def promotion_propose(
    *, employee: Employee, by, reasons: str, on: dt.date | None = None, at: dt.datetime | None = None
) -> Promotion:
    """The mentor of `employee`'s plan for the 年度 of `on` proposes promoting them to the pack's next stage."""
    on = day_of(on, at)
    fy = fiscal_year(on)
    me = access.employee_of(by)
    plan = OjtPlan.objects.filter(employee=employee, fiscal_year=fy).select_related("mentor").first()
    if me is None or plan is None or plan.mentor_id != me.pk:
        who = f"（{plan.mentor.name}さん）" if plan is not None else "（計画が未作成です）"
        raise PermissionDenied(
            f"昇格を推薦できるのは、{employee.name}さんの{format_fiscal_year(fy)}のOJT指導者{who}だけです。"
        )
    pack = pack_for(on)
    period = StagePeriod.objects.select_for_update().filter(employee=employee).filter(valid_from__lte=on).last()
    if period is None or not period.is_valid_on(on):
        raise WorkflowError(f"{employee.name}さんは{format_wareki(on)}時点で育成段階に登録されていません。")
    stage = stage_of(pack, period.stage_code)
    if stage is None:
        raise WorkflowError(f"段階「{period.stage_code}」はポリシーパックにありません。")
    nxt = pack.next_stage(stage.code)
    if nxt is None:
        raise WorkflowError(f"{employee.name}さんは最上位の段階（{stage.name}）のため、昇格の推薦はできません。")
    pending = Promotion.objects.filter(employee=employee, status=PromotionStatus.PROPOSED).first()
    if pending is not None:
        move = f"{_name(pack, pending.from_stage)}→{_name(pack, pending.to_stage)}"
        raise WorkflowError(
            f"{employee.name}さんにはすでに決定待ちの昇格（{move}、{format_wareki(pending.proposed_on)}推薦）があります。"
        )
    if not (reasons or "").strip():
        raise ValidationError({"reasons": ["推薦理由を入力してください。"]})
    snapshot = readiness([employee.pk], pack=pack, day=on)[employee.pk].snapshot(on)
    promotion = Promotion(
        employee=employee,
        from_stage=stage.code,
        to_stage=nxt.code,
        proposed_by=me,
        proposed_on=on,
        reasons=reasons.strip(),
        readiness=snapshot,
    )
    promotion.full_clean(validate_constraints=False)
    promotion.save()
    return promotion


@transaction.atomic
def promotion_decide(
    *,
    promotion: Promotion,
    by,
    approve: bool,
    reasons: str,
    effective_on: dt.date | None = None,
    on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Promotion:
    """The department head approves (the next stage starts on `effective_on`, default `on`) or declines."""
    on = day_of(on, at)
    pack = pack_for(on)
    head = department_head(pack, on)
    me = access.employee_of(by)
    if head is None or me is None or head.pk != me.pk:
        now = f"（現在: {head.name}さん）" if head is not None else "（現在、部長が登録されていません）"
        raise PermissionDenied(f"昇格を決定できるのは{pack.expert_department}の部長{now}だけです。")
    promotion = Promotion.objects.select_for_update().select_related("employee").get(pk=promotion.pk)
    if promotion.status != PromotionStatus.PROPOSED:
        raise WorkflowError(
            f"この昇格はすでに決定済みです（{promotion.get_status_display()}、{format_wareki(promotion.decided_on)}）。"
        )
    if not (reasons or "").strip():
        raise ValidationError({"reasons": ["決定の理由を入力してください。"]})
    promotion.status = PromotionStatus.APPROVED if approve else PromotionStatus.REJECTED
    promotion.decided_by = me
    promotion.decided_on = on
    promotion.decision_reasons = reasons.strip()
    if approve:
        effective_on = effective_on or on
        period = open_period(promotion.employee, lock=True)
        if period is None or period.stage_code != promotion.from_stage:
            was = _name(pack, promotion.from_stage)
            raise WorkflowError(
                f"{promotion.employee.name}さんの段階が推薦時（{was}）から変わっているため、"
                "この昇格は決定できません。見送りにしてください。"
            )
        if effective_on <= period.valid_from:
            raise ValidationError(
                {
                    "effective_on": [
                        f"昇格日は現在の段階の開始日（{format_wareki(period.valid_from)}）より後にしてください。"
                    ]
                }
            )
        period.valid_to = effective_on - dt.timedelta(days=1)
        period.full_clean()
        period.save()
        new = StagePeriod(
            employee=promotion.employee,
            stage_code=promotion.to_stage,
            valid_from=effective_on,
            note=f"昇格（{format_wareki(on)} {me.name}決定）",
        )
        new.full_clean()
        new.save()
        promotion.effective_on = effective_on
        promotion.stage_period = new
    promotion.full_clean(validate_constraints=False)
    promotion.save()
    return promotion

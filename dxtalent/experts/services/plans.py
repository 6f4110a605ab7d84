"""OJT plans (one per person and 年度) and the mentor's half-year reviews.

Plans: MANAGE_OJT for people in one's scope; the person must be in the ladder in that 年度. Reviews: only the plan's
mentor, with experiences that are codes of the pack's ladder.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from dxtalent.core.wareki import fiscal_year_bounds, format_fiscal_year
from dxtalent.org import access
from dxtalent.org.models import Employee

from ..models import Half, OjtPlan, OjtReview, StagePeriod
from ..selectors.ladder import experience_labels
from .ladder import day_of, pack_for, require_manage

__all__ = ["ojt_plan_save", "ojt_review_save"]


def _stage_in_year(employee: Employee, fiscal_year: int, day: dt.date) -> StagePeriod | None:
    """The period the person is in on `day` clamped into the 年度 (else their latest period overlapping it)."""
    start, end = fiscal_year_bounds(fiscal_year)
    ref = min(max(day, start), end)
    overlapping = StagePeriod.objects.filter(employee=employee, valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )
    rows = list(overlapping.order_by("valid_from"))
    return next((p for p in rows if p.is_valid_on(ref)), rows[-1] if rows else None)


@transaction.atomic
def ojt_plan_save(
    *,
    employee: Employee,
    fiscal_year: int,
    mentor: Employee | None,
    goals: str,
    by,
    systems: str = "",
    projects: str = "",
    at: dt.datetime | None = None,
) -> OjtPlan:
    """Create or update `employee`'s OJT plan for `fiscal_year` (stage_code = their stage in that 年度)."""
    require_manage(by, employee, "OJT計画の作成")
    errors: dict[str, list[str]] = {}
    label = format_fiscal_year(fiscal_year) if fiscal_year else ""
    period = _stage_in_year(employee, fiscal_year, day_of(None, at)) if fiscal_year else None
    if not fiscal_year:
        errors["fiscal_year"] = ["年度を入力してください。"]
    elif period is None:
        errors["employee"] = [f"{employee.name}さんは{label}に育成段階に登録されていないため、OJT計画を作れません。"]
    if mentor is None:
        errors["mentor"] = ["OJT指導者を指定してください。"]
    elif mentor.pk == employee.pk:
        errors["mentor"] = ["OJT指導者には本人以外の職員を指定してください。"]
    if not (goals or "").strip():
        errors["goals"] = ["目標を入力してください。"]
    if errors:
        raise ValidationError(errors)
    plan = OjtPlan.objects.select_for_update().filter(employee=employee, fiscal_year=fiscal_year).first()
    if plan is None:
        plan = OjtPlan(employee=employee, fiscal_year=fiscal_year, created_by=by if by.is_authenticated else None)
    plan.stage_code = period.stage_code
    plan.mentor = mentor
    plan.goals = goals.strip()
    plan.systems = (systems or "").strip()
    plan.projects = (projects or "").strip()
    plan.full_clean(validate_unique=False)
    created = plan.pk is None
    plan.save()
    if created and at is not None:
        OjtPlan.objects.filter(pk=plan.pk).update(created_at=at, updated_at=at)
        plan.created_at = plan.updated_at = at
    return plan


@transaction.atomic
def ojt_review_save(
    *,
    plan: OjtPlan,
    half: int,
    by,
    reviewed_on: dt.date | None,
    progress: str,
    next_steps: str = "",
    experiences=(),
    at: dt.datetime | None = None,
) -> OjtReview:
    """Create or update the mentor's review of `plan` for `half` (1 上期, 2 下期)."""
    me = access.employee_of(by)
    if me is None or me.pk != plan.mentor_id:
        raise PermissionDenied(
            f"振り返りを記入できるのは、この計画のOJT指導者（{plan.mentor.name}さん）だけです。"
            "記入は保存されていません。"
        )
    pack = pack_for()
    known = experience_labels(pack)
    codes = list(dict.fromkeys(experiences or ()))
    unknown = [c for c in codes if c not in known]
    errors: dict[str, list[str]] = {}
    if half not in Half.values:
        errors["half"] = ["半期は 1（上期）か 2（下期）で指定してください。"]
    if unknown:
        choices = "、".join(f"{label}（{code}）" for code, label in known.items())
        errors["experiences"] = [
            f"経験「{'」「'.join(unknown)}」は育成段階の経験にありません（選べるもの: {choices}）。"
        ]
    if not (progress or "").strip():
        errors["progress"] = ["取組と成果を入力してください。"]
    reviewed_on = reviewed_on or day_of(None, at)
    start, _end = fiscal_year_bounds(plan.fiscal_year)
    if reviewed_on < start:
        errors["reviewed_on"] = [
            f"振り返り日は{format_fiscal_year(plan.fiscal_year)}の開始日（{start}）以降にしてください。"
        ]
    if errors:
        raise ValidationError(errors)
    review = OjtReview.objects.select_for_update().filter(plan=plan, half=half).first() or OjtReview(
        plan=plan, half=half
    )
    review.reviewer = me
    review.reviewed_on = reviewed_on
    review.progress = progress.strip()
    review.next_steps = (next_steps or "").strip()
    review.experiences = [c for c in known if c in codes]  # the pack's order
    review.full_clean(validate_unique=False)
    review.save()
    return review

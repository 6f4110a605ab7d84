"""One person's ③ record (stage history with years per stage, plans by 年度 with reviews, readiness, promotions),
the promotions list and a mentor's plans. Invisible people and rows are 404, like missing ones."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from dxtalent.core.wareki import fiscal_year
from dxtalent.org import access
from dxtalent.org.models import Employee
from dxtalent.policy.pack import Pack

from ..models import OjtPlan, OjtReview, Promotion, PromotionStatus, StagePeriod
from .ladder import Readiness, experience_labels, readiness, span_label, stage_of, whole_years
from .ladder_access import is_department_head, may_manage_ojt_for, visible_employee, visible_rows
from .ladder_people import hire_route_label, unit_labels

__all__ = [
    "PeriodRow",
    "PersonRecord",
    "get_visible_plan",
    "get_visible_promotion",
    "label_promotions",
    "mentee_plans",
    "person_record",
    "promotion_rows",
    "stage_names",
]


@dataclass
class PeriodRow:
    period: StagePeriod
    stage_name: str
    years: int
    span: str
    is_current: bool


@dataclass
class PersonRecord:
    employee: Employee
    unit: str
    hire_route: str
    periods: list[PeriodRow]
    plans: list[OjtPlan]
    promotions: list[Promotion]
    readiness: Readiness | None
    fiscal_year: int
    this_year_plan: OjtPlan | None
    experience_labels: dict[str, str]
    can_manage: bool
    is_mentor: bool
    is_head: bool
    pending: Promotion | None

    @property
    def in_ladder(self) -> bool:
        return self.readiness is not None

    @property
    def can_propose(self) -> bool:
        r = self.readiness
        return self.is_mentor and r is not None and r.next_stage is not None and self.pending is None


def stage_names(pack: Pack | None) -> dict[str, str]:
    return {s.code: s.name for s in pack.ladder} if pack else {}


def label_promotions(promotions, pack: Pack | None):
    """Give each promotion `from_name` / `to_name` (the pack's stage names) for templates; returns the list."""
    names = stage_names(pack)
    for p in promotions:
        p.from_name = names.get(p.from_stage, p.from_stage)
        p.to_name = names.get(p.to_stage, p.to_stage)
    return promotions


def _period_rows(periods: list[StagePeriod], pack: Pack, day: dt.date) -> list[PeriodRow]:
    out = []
    for p in periods:
        end = p.valid_to + dt.timedelta(days=1) if p.valid_to and p.valid_to < day else day
        stage = stage_of(pack, p.stage_code)
        out.append(
            PeriodRow(
                period=p,
                stage_name=stage.name if stage else p.stage_code,
                years=whole_years(p.valid_from, end),
                span=span_label(p.valid_from, end),
                is_current=p.is_valid_on(day),
            )
        )
    return out


def person_record(*, user, employee_pk: int, pack: Pack, day: dt.date) -> PersonRecord:
    employee = visible_employee(user, employee_pk)
    if employee is None:
        raise Http404("この職員の記録は見つかりません。")
    periods = list(StagePeriod.objects.filter(employee=employee).order_by("valid_from"))
    plans = list(
        OjtPlan.objects.filter(employee=employee)
        .select_related("mentor")
        .prefetch_related(Prefetch("reviews", queryset=OjtReview.objects.select_related("reviewer").order_by("half")))
        .order_by("-fiscal_year")
    )
    promotions = list(
        Promotion.objects.filter(employee=employee)
        .select_related("proposed_by", "decided_by")
        .order_by("-proposed_on", "-pk")
    )
    names, labels = stage_names(pack), experience_labels(pack)
    for plan in plans:
        plan.stage_name = names.get(plan.stage_code, plan.stage_code)
        for review in plan.reviews.all():
            review.experience_names = [labels.get(c, c) for c in review.experiences]
    fy = fiscal_year(day)
    this_year = next((p for p in plans if p.fiscal_year == fy), None)
    me = access.employee_of(user)
    return PersonRecord(
        employee=employee,
        unit=unit_labels([employee.pk], day).get(employee.pk, ""),
        hire_route=hire_route_label(pack, employee.hire_route),
        periods=_period_rows(periods, pack, day),
        plans=plans,
        promotions=label_promotions(promotions, pack),
        readiness=readiness([employee.pk], pack=pack, day=day).get(employee.pk),
        fiscal_year=fy,
        this_year_plan=this_year,
        experience_labels=labels,
        can_manage=may_manage_ojt_for(user, employee),
        is_mentor=me is not None and this_year is not None and this_year.mentor_id == me.pk,
        is_head=is_department_head(user, day),
        pending=next((p for p in promotions if p.status == PromotionStatus.PROPOSED), None),
    )


def get_visible_plan(user, pk: int) -> OjtPlan:
    plan = visible_rows(user, OjtPlan.objects.select_related("employee", "mentor")).filter(pk=pk).first()
    if plan is None:
        raise Http404("このOJT計画は見つかりません。")
    return plan


def get_visible_promotion(user, pk: int) -> Promotion:
    qs = Promotion.objects.select_related("employee", "proposed_by", "decided_by")
    promotion = visible_rows(user, qs).filter(pk=pk).first()
    if promotion is None:
        raise Http404("この昇格の記録は見つかりません。")
    return promotion


def promotion_rows(user, status: str = "") -> list[Promotion]:
    """Visible promotions (pending first, then the newest decided), one query."""
    qs = Promotion.objects.select_related("employee", "proposed_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    rows = list(visible_rows(user, qs).order_by("-proposed_on", "-pk"))
    rows.sort(key=lambda p: p.status != PromotionStatus.PROPOSED)
    return rows


def mentee_plans(user, fy: int) -> list[OjtPlan]:
    """The plans the user mentors in 年度 `fy`, with their reviews (two queries)."""
    me = access.employee_of(user)
    if me is None:
        return []
    return list(
        OjtPlan.objects.filter(mentor=me, fiscal_year=fy)
        .select_related("employee")
        .prefetch_related("reviews")
        .order_by("employee__kana_key", "employee__number")
    )

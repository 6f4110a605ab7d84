"""Promotions (pending first; the department head decides with reasons and an effective date) and a mentor's
plans of this 年度 with the review status per half."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from dxtalent.core.errors import WorkflowError
from dxtalent.core.wareki import fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action

from .. import services
from ..forms_ladder import DecideForm, apply_errors
from ..models import Half, PromotionStatus
from ..selectors.ladder import department_head
from ..selectors.ladder_access import is_department_head
from ..selectors.ladder_person import (
    get_visible_promotion,
    label_promotions,
    mentee_plans,
    promotion_rows,
    stage_names,
)
from .common import crumbs, pack_and_day


@access.require(Action.VIEW_EXPERT_RECORDS)
def promotions(request):
    pack, day = pack_and_day()
    status = request.GET.get("status", "")
    status = status if status in PromotionStatus.values else ""
    return render(
        request,
        "experts/ladder_promotions.html",
        {
            "rows": label_promotions(promotion_rows(request.user, status), pack),
            "status": status,
            "statuses": PromotionStatus.choices,
            "stage_names": stage_names(pack),
            "is_head": is_department_head(request.user, day),
            "head": department_head(pack, day) if pack else None,
            "department": pack.expert_department if pack else "",
            "crumbs": crumbs(("昇格の推薦と決定", None)),
        },
    )


@access.require(Action.VIEW_EXPERT_RECORDS)
def promotion_decide(request, pk: int):
    promotion = get_visible_promotion(request.user, pk)
    pack, day = pack_and_day()
    if not is_department_head(request.user, day):
        dept = pack.expert_department if pack else "担当部"
        raise PermissionDenied(f"昇格を決定できるのは{dept}の部長だけです。")
    form = DecideForm(request.POST or None, initial={"effective_on": day, "approve": "1"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.promotion_decide(
                promotion=promotion, by=request.user, approve=d["approve"], reasons=d["reasons"],
                effective_on=d["effective_on"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("experts:promotions")
        else:
            word = "昇格を決定しました" if d["approve"] else "昇格を見送りました"
            messages.success(request, f"{promotion.employee.name}さんの{word}。")
            return redirect("experts:person", employee_pk=promotion.employee_id)
    return render(
        request,
        "experts/ladder_decide.html",
        {
            "form": form,
            "p": label_promotions([promotion], pack)[0],
            "snap": promotion.readiness or {},
            "stage_names": stage_names(pack),
            "crumbs": crumbs(
                ("昇格の推薦と決定", reverse("experts:promotions")), (f"{promotion.employee.name}さん", None)
            ),
        },
    )


@access.require(Action.VIEW_EXPERT_RECORDS)
def mentees(request):
    pack, day = pack_and_day()
    fy = fiscal_year(day)
    plans = mentee_plans(request.user, fy)
    rows = []
    names = stage_names(pack)
    for plan in plans:
        plan.stage_name = names.get(plan.stage_code, plan.stage_code)
        by_half = {r.half: r for r in plan.reviews.all()}
        rows.append((plan, [(h, label, by_half.get(h)) for h, label in Half.choices]))
    return render(
        request,
        "experts/ladder_mentees.html",
        {"rows": rows, "fiscal_year": fy, "crumbs": crumbs(("OJT指導の担当", None))},
    )

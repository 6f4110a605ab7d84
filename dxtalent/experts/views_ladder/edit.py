"""Pages that write: enter a person into the ladder, end their period, an OJT plan, a review, a proposal."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dxtalent.core.errors import WorkflowError
from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action

from .. import services
from ..forms_ladder import EnterForm, LeaveForm, PlanForm, ProposeForm, ReviewForm, apply_errors
from ..models import Half, OjtReview
from ..selectors.ladder_access import may_manage_ojt_for, visible_employee
from ..selectors.ladder_people import hire_route_label
from ..selectors.ladder_person import get_visible_plan, person_record
from .common import NO_PACK, crumbs, pack_and_day, person_crumbs


def _visible(request, employee_pk: int):
    employee = visible_employee(request.user, employee_pk)
    if employee is None:
        raise Http404("この職員の記録は見つかりません。")
    return employee


@access.require(Action.MANAGE_OJT)
def enter(request):
    pack, day = pack_and_day()
    form = EnterForm(request.POST or None, pack=pack, initial={"on": day})
    if request.method == "POST" and pack is not None and form.is_valid():
        d = form.cleaned_data
        try:
            period = services.ladder_enter(
                employee=form.employee,
                stage_code=d["stage_code"],
                on=d["on"],
                by=request.user,
                note=d["note"],
                hire_route=d["hire_route"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except (PermissionDenied, WorkflowError) as exc:
            form.add_error("number", str(exc))
        else:
            e = form.employee
            route = hire_route_label(pack, e.hire_route)
            stage = dict((s.code, s.name) for s in pack.ladder)[period.stage_code]
            messages.success(request, f"{e.name}さん（採用区分: {route}）を「{stage}」として育成段階に登録しました。")
            return redirect("experts:person", employee_pk=e.pk)
    return render(
        request,
        "experts/ladder_enter.html",
        {
            "form": form,
            "pack": pack,
            "no_pack": NO_PACK if pack is None else "",
            "crumbs": crumbs(("育成段階への登録", None)),
        },
    )


@require_POST
@access.require(Action.MANAGE_OJT)
def leave(request, employee_pk: int):
    employee = _visible(request, employee_pk)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "終了日を正しく入力してください。")
        return redirect("experts:person", employee_pk=employee.pk)
    try:
        services.ladder_leave(
            employee=employee, on=form.cleaned_data["on"], by=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{employee.name}さんの育成段階を終了しました。")
    return redirect("experts:person", employee_pk=employee.pk)


@access.require(Action.MANAGE_OJT)
def plan_edit(request, employee_pk: int, fiscal_year: int):
    employee = _visible(request, employee_pk)
    if not may_manage_ojt_for(request.user, employee):
        raise PermissionDenied("この職員のOJT計画を作成する権限がありません。")
    plan = employee.ojt_plans.select_related("mentor").filter(fiscal_year=fiscal_year).first()
    initial = (
        {"mentor": plan.mentor.number, "goals": plan.goals, "systems": plan.systems, "projects": plan.projects}
        if plan
        else {}
    )
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.ojt_plan_save(
                employee=employee, fiscal_year=fiscal_year, mentor=form.mentor, goals=d["goals"], by=request.user,
                systems=d["systems"], projects=d["projects"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"{employee.name}さんの{format_fiscal_year(fiscal_year)}のOJT計画を保存しました。"
            )
            return redirect("experts:person", employee_pk=employee.pk)
    label = f"{format_fiscal_year(fiscal_year)}のOJT計画"
    return render(
        request,
        "experts/ladder_plan_form.html",
        {
            "form": form,
            "employee": employee,
            "plan": plan,
            "label": label,
            "crumbs": person_crumbs(employee, (label, None)),
        },
    )


@access.require(Action.VIEW_EXPERT_RECORDS)
def review_edit(request, plan_pk: int, half: int):
    plan = get_visible_plan(request.user, plan_pk)
    if half not in Half.values:
        raise Http404("半期は上期・下期だけです。")
    me = access.employee_of(request.user)
    if me is None or me.pk != plan.mentor_id:
        raise PermissionDenied(f"振り返りを記入できるのは、この計画のOJT指導者（{plan.mentor.name}さん）だけです。")
    pack, day = pack_and_day()
    review = OjtReview.objects.filter(plan=plan, half=half).first()
    initial = {"reviewed_on": day}
    if review:
        initial = {k: getattr(review, k) for k in ("reviewed_on", "progress", "next_steps", "experiences")}
    form = ReviewForm(request.POST or None, pack=pack, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.ojt_review_save(
                plan=plan, half=half, by=request.user, reviewed_on=d["reviewed_on"], progress=d["progress"],
                next_steps=d["next_steps"], experiences=d["experiences"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{plan.employee.name}さんの{Half(half).label}の振り返りを保存しました。")
            return redirect("experts:person", employee_pk=plan.employee_id)
    label = f"{format_fiscal_year(plan.fiscal_year)} {Half(half).label}の振り返り"
    return render(
        request,
        "experts/ladder_review_form.html",
        {"form": form, "plan": plan, "label": label, "crumbs": person_crumbs(plan.employee, (label, None))},
    )


@access.require(Action.VIEW_EXPERT_RECORDS)
def promotion_propose(request, employee_pk: int):
    pack, day = pack_and_day()
    if pack is None:
        raise Http404(NO_PACK)
    rec = person_record(user=request.user, employee_pk=employee_pk, pack=pack, day=day)
    if not rec.is_mentor:
        raise PermissionDenied("昇格を推薦できるのは、今年度のOJT計画の指導者だけです。")
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.promotion_propose(employee=rec.employee, by=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("experts:person", employee_pk=rec.employee.pk)
        else:
            messages.success(request, f"{rec.employee.name}さんの昇格を推薦しました。部長の決定を待っています。")
            return redirect("experts:person", employee_pk=rec.employee.pk)
    return render(
        request,
        "experts/ladder_propose.html",
        {"form": form, "rec": rec, "r": rec.readiness, "crumbs": person_crumbs(rec.employee, ("昇格の推薦", None))},
    )

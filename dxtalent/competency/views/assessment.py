"""One assessment: radar (self vs evaluator vs expected), items table, rating form, evidence, the person's history.

Visible only to the person, the evaluator, hr and the secretariat; anyone else gets 404 (existence is private).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtalent.core.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.training.models import Attendance, AttendanceStatus

from .. import hooks, services
from ..forms import EvidenceForm, RatingForm, apply_errors
from ..frozen import items_in_order
from ..models import CampaignStatus, EvidenceKind, Rater
from ..selectors import assessments as sel

RATER_LABELS = dict(Rater.choices)


def _is_open(campaign) -> bool:
    today = timezone.localdate()
    return campaign.status == CampaignStatus.OPEN and campaign.opens_on <= today <= campaign.closes_on


def _attendance_choices(employee) -> list[tuple[int, str]]:
    rows = (
        Attendance.objects.filter(
            enrollment__employee=employee, status__in=(AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL)
        )
        .select_related("session__run")
        .order_by("-session__date")[:200]
    )
    return [(a.pk, f"{a.session.date:%Y-%m-%d} {a.session.run.title} 第{a.session.number}回") for a in rows]


def _evidence_form(detail, data=None) -> EvidenceForm:
    person = detail.assessment.employee
    return EvidenceForm(
        data,
        attendances=_attendance_choices(person),
        projects=hooks.project_evidence_choices(person),
        items=items_in_order(detail.framework),
        initial={"kind": EvidenceKind.SESSION},
    )


def _render(request, pk: int, *, rating_form=None, evidence_form=None, status=200):
    detail = sel.assessment_detail(request.user, pk)
    a = detail.assessment
    open_now = _is_open(a.campaign)
    rater = detail.my_raters[0] if detail.my_raters else None
    if rating_form is None and rater and open_now:
        initial = {f"level_{k}": str(v) for k, v in detail.own_levels[rater].items()}
        initial.update({f"comment_{k}": v for k, v in detail.own_comments[rater].items()})
        initial["comment"] = a.self_comment if rater == Rater.SELF else a.evaluator_comment
        rating_form = RatingForm(framework=detail.framework, rater=rater, initial=initial)
    if evidence_form is None and rater and open_now:
        evidence_form = _evidence_form(detail)
    submitted = a.self_submitted_at if rater == Rater.SELF else a.evaluator_submitted_at if rater else None
    crumbs = [("マインド・スキル評価", reverse("competency:mine"))]
    if access.may(request.user, Action.VIEW_ALL_ASSESSMENTS):
        crumbs.append((a.campaign.name, reverse("competency:campaign", args=[a.campaign_id])))
    crumbs.append((f"{a.employee.name}さんの評価", None))
    return render(
        request,
        "competency/assessment_detail.html",
        {
            "d": detail,
            "a": a,
            "campaign": a.campaign,
            "framework": detail.framework,
            "radar": detail.radar(),
            "rater": rater,
            "rater_label": RATER_LABELS.get(rater, ""),
            "my_submitted_at": submitted,
            "open_now": open_now,
            "rating_form": rating_form,
            "evidence_form": evidence_form,
            "crumbs": crumbs,
        },
        status=status,
    )


@access.require(Action.VIEW_ASSESSMENTS)
def assessment_detail(request, pk: int):
    return _render(request, pk)


def _my_rater(request, pk: int):
    """The visible assessment (404 otherwise) and the user's rater role on it (403 if none)."""
    a = sel.get_visible_assessment(request.user, pk)
    raters = services.rater_of(request.user, a)
    if not raters:
        raise PermissionDenied("この評価を入力できるのは、対象者本人と評価者だけです。")
    return a, raters[0]


@require_POST
@access.require(Action.VIEW_ASSESSMENTS)
def assessment_rate(request, pk: int):
    a, rater = _my_rater(request, pk)
    from ..frozen import framework_of

    form = RatingForm(request.POST, framework=framework_of(a.campaign), rater=rater)
    submit = "submit" in request.POST
    if form.is_valid():
        try:
            services.assessment_rate(
                assessment=a,
                by=request.user,
                rater=rater,
                levels=form.levels(),
                comments=form.comments(),
                comment=form.cleaned_data.get("comment") or "",
                submit=submit,
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("competency:assessment", pk=pk)
        else:
            what = "提出しました" if submit else "下書きを保存しました"
            messages.success(request, f"{RATER_LABELS[rater]}評価を{what}。")
            return redirect("competency:assessment", pk=pk)
    return _render(request, pk, rating_form=form, status=400)


@require_POST
@access.require(Action.VIEW_ASSESSMENTS)
def assessment_evidence(request, pk: int):
    a, rater = _my_rater(request, pk)
    detail = sel.assessment_detail(request.user, pk)
    form = _evidence_form(detail, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.evidence_add(
                assessment=a,
                by=request.user,
                rater=rater,
                kind=d["kind"],
                label=d.get("label") or "",
                attendance=Attendance.objects.filter(pk=d["attendance"]).first() if d.get("attendance") else None,
                ref_id=d.get("ref_id"),
                url=d.get("url") or "",
                item_code=d.get("item_code") or "",
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("competency:assessment", pk=pk)
        else:
            messages.success(request, "根拠を登録しました。")
            return redirect(reverse("competency:assessment", args=[pk]) + "#evidence")
    return _render(request, pk, evidence_form=form, status=400)

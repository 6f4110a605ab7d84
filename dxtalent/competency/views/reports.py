"""Aggregates (VIEW_ALL_ASSESSMENTS): a cohort's pre/post averages and a group's biggest gaps, with xlsx exports."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dxtalent.core.exports import XLSX_TYPE, to_xlsx_book
from dxtalent.core.models import ExportLog
from dxtalent.org import access
from dxtalent.org.access import Action

from ..forms import CohortForm, GapForm
from ..models import Campaign
from ..selectors import aggregates as agg
from ..selectors.exports import COHORT_HEADERS, GAP_HEADERS, cohort_rows, gap_rows


def _crumbs(label):
    return [("マインド・スキル評価", reverse("competency:mine")), (label, None)]


def _cohort(request):
    runs = agg.cohort_runs()
    form = CohortForm(request.GET or None, runs=runs)
    d = form.cleaned_data if form.is_valid() else {}
    pre_id, post_id = d.get("pre"), d.get("post")
    if d.get("run") and not (pre_id and post_id):
        chosen = next((r for r in runs if r["run"].pk == d["run"]), None)
        if chosen:
            pre_id, post_id = pre_id or chosen["pre"][-1].pk, post_id or chosen["post"][-1].pk
    if not (pre_id and post_id) and runs and not request.GET:
        pre_id, post_id = runs[0]["pre"][-1].pk, runs[0]["post"][-1].pk
    found = {c.pk: c for c in Campaign.objects.filter(pk__in=[x for x in (pre_id, post_id) if x])}
    result = None
    if pre_id in found and post_id in found:
        result = agg.cohort_compare(found[pre_id], found[post_id])
    return form, result, runs


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def cohort(request):
    form, result, runs = _cohort(request)
    return render(
        request,
        "competency/cohort.html",
        {
            "form": form,
            "result": result,
            "runs": runs,
            "chart": result.chart() if result else None,
            "crumbs": _crumbs("研修前後の比較"),
        },
    )


def _xlsx(request, *, filename: str, sheets, kind: str, filters: dict, rows: int) -> HttpResponse:
    from urllib.parse import quote

    ExportLog.objects.create(user=request.user, kind=kind, file_format="xlsx", filters=filters, row_count=rows)
    response = HttpResponse(to_xlsx_book(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}.xlsx"
    return response


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def cohort_export(request):
    _form, result, _runs = _cohort(request)
    rows = cohort_rows(result) if result else []
    title = f"{result.pre.name}_{result.post.name}" if result else "研修前後の比較"
    return _xlsx(
        request,
        filename=f"研修前後の比較_{title}",
        sheets=[("研修前後の比較", COHORT_HEADERS, rows)],
        kind="competency_cohort",
        filters={"pre": result.pre.pk, "post": result.post.pk} if result else {},
        rows=len(rows),
    )


def _gaps(request):
    campaigns = list(Campaign.objects.order_by("-fiscal_year", "-opens_on", "-pk")[:300])
    units = agg.unit_choices()
    form = GapForm(request.GET or None, campaigns=campaigns, units=units)
    d = form.cleaned_data if form.is_valid() else {}
    chosen = next((c for c in campaigns if c.pk == d.get("campaign")), None)
    if chosen is None and not request.GET and campaigns:
        chosen = campaigns[0]
    result = agg.group_gaps(chosen, d.get("unit")) if chosen else None
    return form, result


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def gaps(request):
    form, result = _gaps(request)
    return render(
        request,
        "competency/gaps.html",
        {
            "form": form,
            "result": result,
            "chart": result.chart() if result else None,
            "crumbs": _crumbs("項目別のギャップ"),
        },
    )


@access.require(Action.VIEW_ALL_ASSESSMENTS)
def gaps_export(request):
    _form, result = _gaps(request)
    rows = gap_rows(result) if result else []
    return _xlsx(
        request,
        filename=f"項目別のギャップ_{result.campaign.name if result else ''}",
        sheets=[("項目別のギャップ", GAP_HEADERS, rows)],
        kind="competency_gaps",
        filters={"campaign": result.campaign.pk, "unit": result.unit_label} if result else {},
        rows=len(rows),
    )

"""Nominating, editing and withdrawing (局区担当), and the scoped export of nominations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dxtalent.core.exports import export_response
from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import pack_of

from .. import selectors_cohorts as sel
from .. import services
from ..errors import WorkflowError
from ..forms_cohorts import (
    NominationForm,
    apply_errors,
)
from ..models import Nomination
from ._common import _crumbs, _window

# ---------------------------------------------------------------- nominations (liaison)


def _units_label(user) -> str:
    snap = org_snapshot()
    return "、".join(snap.nodes[u].name for u in sorted(sel.liaison_units(user)) if u in snap.nodes) or "担当なし"


NOMINATION_ERROR_FIELDS = {"employee": "number"}


@access.require(Action.NOMINATE)
def nomination_create(request, pk: int):
    window = _window(pk)
    user = request.user
    pack = pack_of(window.pack)
    visible = sel.nominatable_employees(user)
    initial = {"number": request.GET.get("number", "")}
    form = NominationForm(
        request.POST or None,
        initial=initial,
        requirements=pack.nomination_requirements,
        visible_employees=visible,
        units_label=_units_label(user),
    )
    q = request.GET.get("q", "").strip()
    candidates = sel.nomination_candidates(user, q, window) if q else []
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(
            request, "leaders/nomination_form.html#candidates", {"candidates": candidates, "q": q, "window": window}
        )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_submit(
                window=window,
                employee=form.employee,
                by=user,
                requirements=form.requirement_values(),
                recommendation=form.cleaned_data["recommendation"],
            )
        except ValidationError as exc:
            apply_errors(form, exc, NOMINATION_ERROR_FIELDS)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"{nomination.employee.name}さんを推薦しました。締切までは変更・取下げができます。"
            )
            return redirect("leaders:window_detail", pk=window.pk)
    return _nomination_page(request, window, form, candidates=candidates, q=q)


def _nomination_page(request, window, form, nomination=None, candidates=(), q=""):
    state = sel.window_state(window)
    label = f"{format_fiscal_year(window.fiscal_year)} 推薦受付"
    units = sel.liaison_units(request.user)
    quota_rows = [r for r in sel.quota_table(window).rows if r.unit.unit_id in units]
    return render(
        request,
        "leaders/nomination_form.html",
        {
            "window": window,
            "state": state,
            "state_label": sel.WINDOW_STATE_LABELS[state],
            "form": form,
            "nomination": nomination,
            "candidates": candidates,
            "q": q,
            "units_label": _units_label(request.user),
            "quota_rows": quota_rows,
            "crumbs": _crumbs(
                ("推薦受付", reverse("leaders:window_list")),
                (label, reverse("leaders:window_detail", args=[window.pk])),
                ("推薦の変更" if nomination else "推薦する", None),
            ),
        },
    )


def _my_nomination(user, pk: int) -> Nomination:
    """A nomination of the liaison's own 局区; anything else is 404 (as if it did not exist)."""
    qs = Nomination.objects.select_related("window__pack", "employee").filter(unit_id__in=sel.liaison_units(user))
    nomination = qs.filter(pk=pk).first()
    if nomination is None:
        raise Http404("推薦が見つかりません。")
    return nomination


@access.require(Action.NOMINATE)
def nomination_edit(request, pk: int):
    nomination = _my_nomination(request.user, pk)
    window = nomination.window
    pack = pack_of(window.pack)
    initial = {"recommendation": nomination.recommendation}
    initial.update({f"req_{c}": bool(nomination.requirements.get(c)) for c, _l in pack.nomination_requirements})
    form = NominationForm(
        request.POST or None, initial=initial, requirements=pack.nomination_requirements, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_update(
                nomination=nomination,
                by=request.user,
                requirements=form.requirement_values(),
                recommendation=form.cleaned_data["recommendation"],
            )
        except ValidationError as exc:
            apply_errors(form, exc, NOMINATION_ERROR_FIELDS)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{nomination.employee.name}さんの推薦を変更しました。")
            return redirect("leaders:window_detail", pk=window.pk)
    return _nomination_page(request, window, form, nomination=nomination)


@require_POST
@access.require(Action.NOMINATE)
def nomination_withdraw(request, pk: int):
    nomination = _my_nomination(request.user, pk)
    try:
        services.nomination_withdraw(nomination=nomination, by=request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{nomination.employee.name}さんの推薦を取り下げました。")
    return redirect("leaders:window_detail", pk=nomination.window_id)


NOMINATION_HEADERS = [
    "年度",
    "推薦した局区",
    "職員番号",
    "氏名",
    "氏名カナ",
    "現在の所属",
    "職位",
    "所属の部のリーダー数",
    "要件（すべて確認）",
    "推薦理由",
    "状態",
    "決定理由",
    "推薦日時",
]


@access.require(Action.VIEW_NOMINATIONS)
def nomination_export(request, pk: int, fmt: str):
    window = _window(pk)
    today = timezone.localdate()
    rows = sel.nomination_rows(sel.scoped_nominations(request.user, window, today), pack_of(window.pack), today)
    snap = org_snapshot(today)
    data = [
        [
            format_fiscal_year(window.fiscal_year),
            snap.nodes[r.nomination.unit_id].name if r.nomination.unit_id in snap.nodes else "",
            r.employee.number,
            r.employee.name,
            r.employee.name_kana,
            r.unit_label,
            r.position,
            r.bu_leaders,
            "はい" if r.all_requirements else "いいえ",
            r.nomination.recommendation,
            r.nomination.get_status_display(),
            r.nomination.decision_reason,
            timezone.localtime(r.nomination.created_at),
        ]
        for r in rows
    ]
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"DX推進リーダー推薦_{format_fiscal_year(window.fiscal_year)}",
        headers=NOMINATION_HEADERS,
        rows=data,
        kind="DX推進リーダー推薦",
        filters={"window": window.fiscal_year},
        personal=True,
    )

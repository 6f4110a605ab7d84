"""Nomination windows and quotas (事務局), and the window page everyone with VIEW_NOMINATIONS sees."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.policy.selectors import pack_of

from .. import selectors_cohorts as sel
from .. import services
from ..errors import WorkflowError
from ..forms_cohorts import (
    QuotaForm,
    WindowForm,
    apply_errors,
)
from ..models import NominationWindow
from ._common import _can, _crumbs, _window

# ---------------------------------------------------------------- windows and quotas


@access.require(Action.VIEW_NOMINATIONS)
def window_list(request):
    windows = sel.windows_with_counts(request.user)
    return render(
        request,
        "leaders/window_list.html",
        {"windows": windows, "can": _can(request.user), "crumbs": _crumbs(("推薦受付", None))},
    )


@access.require(Action.MANAGE_PROGRAMME)
def window_create(request):
    today = timezone.localdate()
    taken = set(NominationWindow.objects.values_list("fiscal_year", flat=True))
    form = WindowForm(request.POST or None, today=today, taken=taken)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            window = services.nomination_window_open(
                fiscal_year=d["fiscal_year"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                note=d["note"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"{format_fiscal_year(window.fiscal_year)}の推薦受付を作成しました。推薦枠を設定してください。"
            )
            return redirect("leaders:window_quotas", pk=window.pk)
    return render(
        request,
        "leaders/window_form.html",
        {"form": form, "crumbs": _crumbs(("推薦受付", reverse("leaders:window_list")), ("推薦受付の作成", None))},
    )


@access.require(Action.MANAGE_PROGRAMME)
def window_edit(request, pk: int):
    window = _window(pk)
    form = WindowForm(
        request.POST or None,
        today=timezone.localdate(),
        editing=True,
        initial={"opens_on": window.opens_on, "closes_on": window.closes_on, "note": window.note},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.nomination_window_update(
                window=window, opens_on=d["opens_on"], closes_on=d["closes_on"], note=d["note"], by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "推薦受付の期間を変更しました。")
            return redirect("leaders:window_detail", pk=window.pk)
    label = f"{format_fiscal_year(window.fiscal_year)} 推薦受付"
    return render(
        request,
        "leaders/window_form.html",
        {
            "form": form,
            "window": window,
            "crumbs": _crumbs(
                ("推薦受付", reverse("leaders:window_list")),
                (label, reverse("leaders:window_detail", args=[window.pk])),
                ("期間の変更", None),
            ),
        },
    )


@access.require(Action.VIEW_NOMINATIONS)
def window_detail(request, pk: int):
    window = _window(pk)
    user, today = request.user, timezone.localdate()
    state = sel.window_state(window, today)
    pack = pack_of(window.pack)
    quotas = sel.quota_table(window, today)
    units = sel.liaison_units(user)
    if not access.scope(user).all:
        quotas.rows = [r for r in quotas.rows if r.unit.unit_id in units]
    nominations = sel.scoped_nominations(user, window, today)
    rows = sel.nomination_rows(nominations, pack, today)
    number, target = sel.cohort_plan(pack, window.fiscal_year)
    return render(
        request,
        "leaders/window_detail.html",
        {
            "window": window,
            "state": state,
            "state_label": sel.WINDOW_STATE_LABELS[state],
            "pack": pack,
            "quotas": quotas,
            "basis_label": sel.BASIS_LABELS[quotas.basis],
            "rows": rows,
            "planned_number": number,
            "target": target,
            "can": _can(user),
            "is_liaison": bool(units),
            "cohort": sel.cohort_for_year(window.fiscal_year),
            "crumbs": _crumbs(
                ("推薦受付", reverse("leaders:window_list")),
                (f"{format_fiscal_year(window.fiscal_year)} 推薦受付", None),
            ),
        },
    )


@access.require(Action.MANAGE_PROGRAMME)
def window_quotas(request, pk: int):
    window = _window(pk)
    table = sel.quota_table(window)
    units = [r.unit for r in table.rows]
    if request.method == "POST":
        form = QuotaForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.nomination_quotas_set(window=window, quotas=form.quotas(), by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "推薦枠を保存しました。")
                return redirect("leaders:window_detail", pk=window.pk)
    else:
        use_suggestion = request.GET.get("suggest") == "1"
        initial = {f"unit_{r.unit.unit_id}": (r.suggested if use_suggestion else r.quota) for r in table.rows}
        form = QuotaForm(initial=initial, units=units)
    fields = {u.unit_id: f for u, f in form.rows()}
    return render(
        request,
        "leaders/window_quotas.html",
        {
            "window": window,
            "table": table,
            "rows": [(r, fields[r.unit.unit_id]) for r in table.rows],
            "form": form,
            "basis_label": sel.BASIS_LABELS[table.basis],
            "crumbs": _crumbs(
                ("推薦受付", reverse("leaders:window_list")),
                (
                    f"{format_fiscal_year(window.fiscal_year)} 推薦受付",
                    reverse("leaders:window_detail", args=[window.pk]),
                ),
                ("推薦枠", None),
            ),
        },
    )

"""Selection (選定), forming the cohort, and the cohort pages (members, progress, schedule, export)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dxtalent.core.exports import export_response
from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.policy.selectors import pack_of

from .. import selectors_cohorts as sel
from .. import services
from ..errors import WorkflowError
from ..forms_cohorts import (
    CohortFormForm,
    DecisionForm,
    ScheduleForm,
    apply_errors,
)
from ..models import Cohort, CohortMember, Nomination, NominationWindow
from ._common import S, _can, _crumbs, _window

# ---------------------------------------------------------------- selection (secretariat)


@access.require(Action.MANAGE_PROGRAMME)
def selection(request):
    windows = list(NominationWindow.objects.select_related("pack").order_by("-fiscal_year"))
    window = None
    wanted = request.POST.get("window") or request.GET.get("window")
    if wanted and str(wanted).isdigit():
        window = next((w for w in windows if w.pk == int(wanted)), None)
        if window is None:
            raise Http404("推薦受付が見つかりません。")
    window = window or sel.current_window()
    context = {"windows": windows, "window": window, "crumbs": _crumbs(("選定", None))}
    if window is None:
        return render(request, "leaders/selection_board.html", context)
    ids = list(Nomination.objects.filter(window=window).values_list("pk", flat=True))
    form = DecisionForm(request.POST or None, nomination_ids=ids)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        chosen = list(Nomination.objects.filter(window=window, pk__in=d["ids"]))
        try:
            done = services.nominations_decide(
                nominations=chosen, decision=d["decision"], reason=d["reason"], by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc, {"nominations": "ids"})
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{len(done)}件を「{S(d['decision']).label}」にしました。")
            return redirect(f"{reverse('leaders:selection')}?window={window.pk}")
    board = sel.selection_board(request.user, window)
    context.update(
        {
            "board": board,
            "form": form,
            "checked": {int(i) for i in request.POST.getlist("ids") if i.isdigit()},
            "cohort_form": CohortFormForm(),
            "state": sel.window_state(window),
            "state_label": sel.WINDOW_STATE_LABELS[sel.window_state(window)],
        }
    )
    return render(request, "leaders/selection_board.html", context)


@require_POST
@access.require(Action.MANAGE_PROGRAMME)
def cohort_form(request, pk: int):
    window = _window(pk)
    form = CohortFormForm(request.POST)
    start_dates = None
    if form.is_valid() and form.cleaned_data["schedule"]:
        start_dates = sel.proposed_session_dates(pack_of(window.pack), window.fiscal_year)
    try:
        cohort = services.cohort_form(
            window=window,
            by=request.user,
            start_dates=start_dates,
            place=form.cleaned_data.get("place", "") if form.is_valid() else "",
        )
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, WorkflowError) else " ".join(exc.messages))
        return redirect(f"{reverse('leaders:selection')}?window={window.pk}")
    messages.success(
        request, f"{cohort}（{format_fiscal_year(cohort.fiscal_year)}、{cohort.members.count()}名）を編成しました。"
    )
    return redirect("leaders:cohort_detail", pk=cohort.pk)


# ---------------------------------------------------------------- cohorts


@access.require(Action.VIEW_PROGRAMME)
def cohort_list(request):
    return render(
        request,
        "leaders/cohort_list.html",
        {
            "cohorts": sel.cohort_list(request.user),
            "can": _can(request.user),
            "crumbs": _crumbs(("期（研修生）", None)),
        },
    )


def _cohort(user, pk: int) -> Cohort:
    cohort = sel.cohorts_visible(user).select_related("pack", "run", "prelearning_course").filter(pk=pk).first()
    if cohort is None:
        raise Http404("期が見つかりません。")
    return cohort


@access.require(Action.VIEW_PROGRAMME)
def cohort_detail(request, pk: int):
    cohort = _cohort(request.user, pk)
    progress = sel.cohort_progress(cohort, user=request.user)
    total = CohortMember.objects.filter(cohort=cohort).count()
    reserves = []
    if access.may(request.user, Action.MANAGE_PROGRAMME):
        reserves = list(
            Nomination.objects.filter(window__fiscal_year=cohort.fiscal_year, status=S.RESERVE)
            .select_related("employee")
            .order_by("employee__kana_key")
        )
    return render(
        request,
        "leaders/cohort_detail.html",
        {
            "cohort": cohort,
            "progress": progress,
            "reserves": reserves,
            "member_total": total,
            "shortfall": max(0, cohort.target_size - total),
            "excess": max(0, total - cohort.target_size),
            "can": _can(request.user),
            "crumbs": _crumbs(("期（研修生）", reverse("leaders:cohort_list")), (str(cohort), None)),
        },
    )


@access.require(Action.VIEW_PROGRAMME)
def cohort_export(request, pk: int, fmt: str):
    cohort = _cohort(request.user, pk)
    progress = sel.cohort_progress(cohort, user=request.user)
    headers = [
        "期",
        "職員番号",
        "氏名",
        "氏名カナ",
        "現在の所属",
        "状態",
        *[f"{p.name}（時間／{p.hours}）" for p in progress.phases],
        f"合計（時間／{progress.curriculum_hours}）",
        "事前学習",
        "事前学習の修了日",
        "要確認",
    ]
    rows = [
        [
            str(cohort),
            r.employee.number,
            r.employee.name,
            r.employee.name_kana,
            r.unit_label,
            r.member.get_status_display(),
            *[pp.attended for pp in r.phases],
            r.total,
            r.prerequisite.label,
            r.prerequisite.completed_on,
            " ".join(r.flags),
        ]
        for r in progress.rows
    ]
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"DX推進リーダー{cohort}_研修生",
        headers=headers,
        rows=rows,
        kind="DX推進リーダー研修生",
        filters={"cohort": cohort.number},
        personal=True,
    )


@access.require(Action.MANAGE_PROGRAMME)
def cohort_schedule(request, pk: int):
    cohort = _cohort(request.user, pk)
    pack = pack_of(cohort.pack)
    phases = sel.in_person_phases(pack)
    progress_sessions = sel.cohort_sessions(cohort)
    existing: dict[str, list[dt.date]] = {}
    place = ""
    for s in progress_sessions:
        if not s.is_makeup:
            existing.setdefault(s.phase_code, []).append(s.date)
            place = place or s.place
    proposed = sel.proposed_session_dates(pack, cohort.fiscal_year)
    use_proposed = request.GET.get("proposed") == "1"
    initial = {"place": place}
    for p in phases:
        days = proposed.get(p.code, []) if use_proposed or not existing.get(p.code) else existing[p.code]
        for i, d in enumerate(days):
            initial[f"{p.code}_{i + 1}"] = d
    form = ScheduleForm(request.POST or None, initial=initial, phases=phases)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.cohort_schedule_sessions(
                cohort=cohort,
                dates=form.dates(),
                place=d["place"],
                start_time=d["start_time"],
                end_time=d["end_time"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc, {p.code: f"{p.code}_1" for p in phases} | {"dates": None})
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"研修日を{len(result.sessions)}回分保存しました。")
            for w in result.warnings:
                messages.warning(request, w)
            return redirect("leaders:cohort_detail", pk=cohort.pk)
    pre = sel.prelearning_phase(pack)
    return render(
        request,
        "leaders/cohort_schedule.html",
        {
            "cohort": cohort,
            "pack": pack,
            "form": form,
            "groups": [(p, sel.phase_months_label(p), fields) for p, fields in form.grouped()],
            "prelearning": pre,
            "prelearning_due": sel.prelearning_due_date(pack, cohort.fiscal_year),
            "crumbs": _crumbs(
                ("期（研修生）", reverse("leaders:cohort_list")),
                (str(cohort), reverse("leaders:cohort_detail", args=[cohort.pk])),
                ("研修日程", None),
            ),
        },
    )


@require_POST
@access.require(Action.MANAGE_PROGRAMME)
def cohort_add_member(request, pk: int):
    cohort = _cohort(request.user, pk)
    raw = request.POST.get("nomination", "")
    nomination = Nomination.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if nomination is None:
        messages.error(request, "追加する補欠を選んでください。")
        return redirect("leaders:cohort_detail", pk=cohort.pk)
    try:
        member = services.cohort_add_member(cohort=cohort, nomination=nomination, by=request.user)
    except (WorkflowError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, WorkflowError) else " ".join(exc.messages))
    else:
        messages.success(request, f"{member.employee.name}さんを{cohort}の研修生に追加しました。")
    return redirect("leaders:cohort_detail", pk=cohort.pk)

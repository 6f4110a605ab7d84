"""Pages: one posting (text, 応募する, the applications table for hr/secretariat and its export) and one
application (the applicant or hr/secretariat only: others get 404; withdraw; hr screens it)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.errors import WorkflowError
from dxtalent.core.exports import export_response
from dxtalent.core.wareki import format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .. import services
from ..forms_postings import AdvanceForm, ApplyForm, apply_errors
from ..models import ApplicationStatus, PostingStatus
from ..selectors import postings as sel
from ..services.applications import NEXT_STATUSES, OPEN_STATUSES


def _apply_block(user, posting, mine, day) -> str:
    """Why the 応募する form is not shown ("" when it is)."""
    if mine is not None:
        applied_on = format_wareki(timezone.localdate(mine.applied_at))
        return f"この募集には{applied_on}に応募済みです（状態: {mine.get_status_display()}）。"
    if access.employee_of(user) is None:
        return "職員として登録されていないため応募できません。"
    if posting.status == PostingStatus.CLOSED:
        return "この募集は募集終了のため応募できません。"
    if day < posting.opens_on:
        return f"応募の受付は{format_wareki(posting.opens_on)}からです。"
    if day > posting.deadline:
        return f"締切（{format_wareki(posting.deadline)}）を過ぎたため応募できません。"
    return ""


@access.require(Action.VIEW_POSTINGS)
def posting_detail(request, pk: int):
    posting = sel.get_posting(request.user, pk)
    day = timezone.localdate()
    mine = sel.my_application_for(request.user, posting)
    block = _apply_block(request.user, posting, mine, day)
    form = ApplyForm()
    if request.method == "POST":
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                app = services.application_submit(
                    posting=posting, by=request.user, motivation=form.cleaned_data["motivation"]
                )
            except WorkflowError as exc:
                messages.error(request, str(exc))
                return redirect("jobs:detail", pk=pk)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"「{posting.title}」に応募しました。")
                return redirect("jobs:application", pk=app.pk)
    status = request.GET.get("status") or ""
    row = sel.posting_rows([posting], day=day)[0]
    can_view_apps = access.may(request.user, Action.VIEW_APPLICATIONS)
    return render(
        request,
        "experts/posting_detail.html",
        {
            "p": posting,
            "row": row,
            "mine": mine,
            "apply_block": block,
            "form": form,
            "can_view_apps": can_view_apps,
            "applications": sel.posting_applications(request.user, posting, status=status) if can_view_apps else [],
            "status": status,
            "statuses": ApplicationStatus.choices,
            "can_manage": access.may(request.user, Action.MANAGE_POSTINGS),
            "managers_told": sel.managers_told(),
            "crumbs": [("ジョブチャレンジ", reverse("jobs:list")), (posting.title, None)],
        },
    )


EXPORT_HEADERS = ["応募ID", "状態", "応募日", "職員番号", "氏名", "所属", "所属長", "決定日", "決定・不採用の理由"]


@access.require(Action.VIEW_APPLICATIONS)
def applications_export(request, pk: int, fmt: str):
    posting = sel.get_posting(request.user, pk)
    status = request.GET.get("status") or ""
    rows = [
        [
            r.application.pk,
            r.application.get_status_display(),
            format_wareki(timezone.localdate(r.application.applied_at)),
            r.application.employee.number,
            r.application.employee.name,
            r.unit_label,
            r.manager.name if r.manager else "",
            format_wareki(r.application.decided_on),
            r.application.decision_reason,
        ]
        for r in sel.posting_applications(request.user, posting, status=status)
    ]
    return export_response(
        user=request.user,
        fmt=fmt,
        filename=f"ジョブチャレンジ応募者_{posting.title}",
        headers=EXPORT_HEADERS,
        rows=rows,
        kind="job_applications",
        filters={"posting": posting.pk, "status": status},
        personal=True,
    )


def _post_application(request, app) -> str | None:
    action = request.POST.get("action")
    if action == "withdraw":
        services.application_withdraw(application=app, by=request.user)
        return "応募を取り下げました。"
    if action == "advance":
        form = AdvanceForm(request.POST, current=app.status)
        request.advance_form = form
        if not form.is_valid():
            return None
        d = form.cleaned_data
        try:
            done = services.application_advance(
                application=app, by=request.user, status=d["status"], note=d["note"], reason=d["reason"], on=d["on"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return None
        return f"状態を「{done.get_status_display()}」にしました。"
    raise Http404("不明な操作です")


def _placements(app) -> list[tuple[str, str, object]]:
    """What a decision created: (kind, what, from) for the 異動, the leader role and the ladder stage."""
    out = []
    try:
        pack = current_pack(app.posting.starts_on)
        stages = {s.code: s.name for s in pack.ladder}
        roles = {r.code: r.name for r in pack.role_types}
    except NoPolicyPack:
        stages, roles = {}, {}
    if app.placed_assignment_id:
        a = app.placed_assignment
        out.append(("異動", org_snapshot(a.valid_from).label_of(a.unit_id), a.valid_from))
    if app.placed_leader_role_id:
        r = app.placed_leader_role
        out.append(("リーダーの役割", roles.get(r.role_type, r.role_type), r.valid_from))
    if app.placed_stage_period_id:
        sp = app.placed_stage_period
        out.append(("育成段階", stages.get(sp.stage_code, sp.stage_code), sp.valid_from))
    return out


@access.require(Action.VIEW_POSTINGS)
def application_detail(request, pk: int):
    app = sel.get_application(request.user, pk)
    if request.method == "POST":
        try:
            message = _post_application(request, app)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("jobs:application", pk=pk)
        if message:
            messages.success(request, message)
            return redirect("jobs:application", pk=pk)
    me = access.employee_of(request.user)
    is_applicant = me is not None and me.pk == app.employee_id
    can_screen = access.may(request.user, Action.SCREEN_APPLICATIONS) and bool(NEXT_STATUSES.get(app.status))
    row = sel.application_rows([app])[0]
    return render(
        request,
        "experts/application_detail.html",
        {
            "a": app,
            "row": row,
            "placements": _placements(app),
            "is_applicant": is_applicant,
            "can_withdraw": is_applicant and app.status in OPEN_STATUSES,
            "can_screen": can_screen,
            "advance_form": getattr(request, "advance_form", None) or AdvanceForm(current=app.status),
            "can_view_apps": access.may(request.user, Action.VIEW_APPLICATIONS),
            "crumbs": [
                ("ジョブチャレンジ", reverse("jobs:list")),
                (app.posting.title, reverse("jobs:detail", args=[app.posting_id])),
                (f"{app.employee.name}さんの応募", None),
            ],
        },
    )

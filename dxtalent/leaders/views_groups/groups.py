"""Pages: a cohort's practice groups (propose, save, move) and one group (theme, deliverables, evaluation)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.forms import apply_errors
from dxtalent.core.uploads import UPLOAD_HINT
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgKind, OrgUnit
from dxtalent.org.selectors import org_snapshot

from .. import selectors_groups as sel
from .. import services
from ..errors import WorkflowError
from ..forms_groups import (
    DeliverableForm,
    EvaluationForm,
    GroupsSaveForm,
    MoveForm,
    ThemeForm,
)
from ..models import Cohort, CohortMember, Deliverable, PracticeGroup


def _deny(message="この操作を行う権限がありません。"):
    raise PermissionDenied(message)


def cohort_crumbs(cohort: Cohort, *tail) -> list[tuple[str, str | None]]:
    """期 › 第N期 › …: the cohort pages live in views_cohorts."""
    return [
        ("期", reverse("leaders:cohort_list")),
        (str(cohort), reverse("leaders:cohort_detail", kwargs={"pk": cohort.pk})),
        *tail,
    ]


# ---------------------------------------------------------------- groups of a cohort


def _groups_context(request, cohort, **extra):
    page = sel.cohort_groups(cohort=cohort, user=request.user)
    lo, _hi = page.bounds
    return {
        "cohort": cohort,
        "page": page,
        "can_manage": access.may(request.user, Action.MANAGE_PROGRAMME),
        "max_groups": max(len(page.groups), page.active_count // lo + 1, 1),
        "crumbs": cohort_crumbs(cohort, ("実践演習グループ", None)),
        **extra,
    }


def _proposal_context(request, cohort, groups, *, max_groups: int, form=None, message=""):
    """A proposal (not saved yet) as editable rows: each member with the select of their group number."""
    rows = sel.proposal_rows(cohort=cohort, groups=groups, user=request.user)
    if form is None:
        initial = {f"member_{pk}": number for number, ids in enumerate(groups, start=1) for pk in ids}
        ids = [pk for group in groups for pk in group]
        form = GroupsSaveForm(initial=initial, member_ids=ids, max_groups=max(max_groups, len(groups)))
    for row in rows:
        row["members"] = [(m, form[f"member_{m.member.pk}"]) for m in row["members"]]
    return {"proposal": rows, "proposal_message": message, "proposal_form": form}


@access.require(Action.VIEW_PROGRAMME)
def groups_page(request, cohort_pk: int):
    cohort = get_object_or_404(Cohort, pk=cohort_pk)
    if request.method != "POST":
        return render(request, "leaders/group_list.html", _groups_context(request, cohort))
    if not access.may(request.user, Action.MANAGE_PROGRAMME):
        _deny()
    action = request.POST.get("action")
    if action == "propose":
        proposal = services.groups_propose(cohort=cohort)
        ctx = _groups_context(request, cohort)
        ctx.update(
            _proposal_context(request, cohort, proposal.groups, max_groups=ctx["max_groups"], message=proposal.message)
        )
        return render(request, "leaders/group_list.html", ctx)
    if action == "save":
        return _groups_save(request, cohort)
    if action == "move":
        return _group_move(request, cohort)
    raise Http404("不明な操作です")


def _groups_save(request, cohort):
    members = sel.active_members(cohort)
    ctx = _groups_context(request, cohort)
    form = GroupsSaveForm(request.POST, member_ids=[m.pk for m in members], max_groups=ctx["max_groups"])
    if form.is_valid():
        groups = form.groups()
        try:
            services.groups_save(
                cohort=cohort,
                groups=groups,
                by=request.user,
                allow_out_of_bounds=form.cleaned_data["allow_out_of_bounds"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{cohort}のグループ（{len(groups)}グループ）を保存しました。")
            return redirect("leaders:groups", cohort_pk=cohort.pk)
    else:
        groups = [[m.pk for m in members]]
    ctx.update(_proposal_context(request, cohort, groups, max_groups=ctx["max_groups"], form=form))
    return render(request, "leaders/group_list.html", ctx)


def _group_move(request, cohort):
    form = MoveForm(request.POST)
    error = ""
    if form.is_valid():
        member = get_object_or_404(CohortMember, pk=form.cleaned_data["member"], cohort=cohort)
        group = get_object_or_404(PracticeGroup, pk=form.cleaned_data["group"], cohort=cohort)
        try:
            services.group_move_member(
                member=member,
                group=group,
                by=request.user,
                allow_out_of_bounds=form.cleaned_data["allow_out_of_bounds"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except WorkflowError as exc:
            error = str(exc)
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, f"{member.employee.name}さんをグループ{group.number}に移しました。")
    else:
        error = "移動先を選んでください。"
    if request.headers.get("HX-Request"):
        ctx = _groups_context(request, cohort, move_error=error)
        return render(request, "leaders/group_list.html#groups", ctx)
    if error:
        messages.error(request, error)
    return redirect("leaders:groups", cohort_pk=cohort.pk)


# ---------------------------------------------------------------- one group


def _unit_choices():
    snap = org_snapshot()
    return [
        (n.unit_id, "　" * (n.level - 1) + n.name)
        for n in snap.flat()
        if n.kind in (OrgKind.KYOKU, OrgKind.KU, OrgKind.BU, OrgKind.KA)
    ]


def _saved(form, call) -> bool:
    """Run a service call for a valid form; its ValidationError goes back onto the form's fields."""
    if not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    return True


def _theme_post(request, group, ctx) -> str | None:
    form = ctx["theme_form"] = ThemeForm(request.POST, unit_choices=_unit_choices())

    def call(d):
        unit = OrgUnit.objects.filter(pk=d["unit"]).first() if d["unit"] else None
        services.group_set_theme(
            group=group, theme=d["theme"], description=d["description"], unit=unit, by=request.user
        )

    return "テーマを保存しました。" if _saved(form, call) else None


def _deliverable_post(request, group, ctx) -> str | None:
    form = ctx["deliverable_form"] = DeliverableForm(
        request.POST, request.FILES, steps=ctx["steps"], members=ctx["member_choices"]
    )

    def call(d):
        member = CohortMember.objects.filter(pk=d["member"], cohort=group.cohort).first() if d["member"] else None
        services.deliverable_add(
            group=group,
            step_code=d["step_code"],
            member=member,
            title=d["title"],
            file=d["file"],
            url=d["url"],
            by=request.user,
        )

    return f"成果物「{form.data.get('title', '').strip()}」を登録しました。" if _saved(form, call) else None


def _evaluate_post(request, group, ctx) -> str | None:
    form = ctx["evaluation_form"] = EvaluationForm(request.POST)

    def call(d):
        services.group_evaluate(
            group=group, presented_on=d["presented_on"], score=d["score"], comment=d["comment"], by=request.user
        )

    return "成果発表の評価を保存しました。" if _saved(form, call) else None


# action → (permission flag in the context, handler returning the success message or None)
GROUP_ACTIONS = {
    "theme": ("can_contribute", _theme_post),
    "deliverable": ("can_contribute", _deliverable_post),
    "evaluate": ("can_evaluate", _evaluate_post),
}


def _group_context(request, group) -> dict:
    user = request.user
    detail = sel.group_detail(group=group, user=user)
    me = access.employee_of(user)
    mine = next((m.member.pk for m in detail.members if me and m.member.employee_id == me.pk), None)
    member_choices = [(m.member.pk, m.member.employee.name if m.visible else "（担当外）") for m in detail.members]
    steps = [s.step for s in detail.steps]
    e = detail.evaluation
    if access.may(user, Action.VIEW_PROGRAMME):
        groups_url = reverse("leaders:groups", kwargs={"cohort_pk": group.cohort_id})
        crumbs = cohort_crumbs(group.cohort, ("実践演習グループ", groups_url))
    else:
        crumbs = [("自分のグループ", reverse("leaders:my_groups"))]
    return {
        "group": group,
        "detail": detail,
        "steps": steps,
        "member_choices": member_choices,
        "crumbs": [*crumbs, (f"グループ{group.number}", None)],
        "can_contribute": sel.may_contribute(user, group),
        "can_evaluate": access.may(user, Action.MANAGE_PROGRAMME),
        "theme_form": ThemeForm(
            initial={"theme": group.theme, "description": group.theme_description, "unit": group.theme_unit_id},
            unit_choices=_unit_choices(),
        ),
        "deliverable_form": DeliverableForm(initial={"member": mine}, steps=steps, members=member_choices),
        "evaluation_form": EvaluationForm(
            initial={
                "presented_on": e.presented_on if e else timezone.localdate(),
                "score": e.score if e else "",
                "comment": e.comment if e else "",
            }
        ),
        "file_hint": UPLOAD_HINT,
        "theme_unit_label": org_snapshot().label_of(group.theme_unit_id) if group.theme_unit_id else "",
    }


def group_detail(request, pk: int):
    """One group: members, theme, deliverables per step, evaluation; POST action=theme|deliverable|evaluate."""
    group = get_object_or_404(PracticeGroup.objects.select_related("cohort"), pk=pk)
    if not sel.may_view_group(request.user, group):
        _deny("このグループを見る権限がありません。")
    ctx = _group_context(request, group)
    if request.method == "POST":
        if request.POST.get("action") not in GROUP_ACTIONS:
            raise Http404("不明な操作です")
        flag, handler = GROUP_ACTIONS[request.POST["action"]]
        if not ctx[flag]:
            _deny()
        message = handler(request, group, ctx)
        if message:
            messages.success(request, message)
            return redirect("leaders:group_detail", pk=group.pk)
    return render(request, "leaders/group_detail.html", ctx)


def deliverable_file(request, pk: int):
    deliverable = get_object_or_404(Deliverable.objects.select_related("group"), pk=pk)
    if not sel.may_view_group(request.user, deliverable.group):
        _deny("この成果物を見る権限がありません。")
    if not deliverable.file:
        raise Http404("この成果物にはファイルがありません")
    name = deliverable.file.name.rsplit("/", 1)[-1]
    return FileResponse(deliverable.file.open("rb"), as_attachment=True, filename=name)


def group_mine(request):
    """The groups the logged-in person belongs to (a trainee's way in)."""
    return render(
        request,
        "leaders/group_mine.html",
        {"groups": sel.my_groups(request.user), "crumbs": [("自分のグループ", None)]},
    )

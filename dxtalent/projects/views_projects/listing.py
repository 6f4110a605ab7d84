"""Pages: the project list (filters, sort, paging), its Excel/CSV export, and a new project (step 1)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from dxtalent.core.exports import export_response
from dxtalent.core.wareki import format_wareki
from dxtalent.leaders.models import PracticeGroup
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee, OrgKind, OrgUnit
from dxtalent.org.selectors import org_snapshot

from .. import services
from ..forms_projects import ProjectCreateForm, ProjectFilterForm, apply_errors, group_choices, leader_choices
from ..selectors import projects as sel
from ..services.projects import manager_units

EXPORT_LIMIT = 20000


def _filters(request) -> tuple[ProjectFilterForm, sel.ProjectFilter, int, dict]:
    choices = sel.filter_choices()
    form = ProjectFilterForm(request.GET or None, choices=choices)
    d = form.cleaned_data if form.is_valid() else {}
    filters = sel.ProjectFilter(
        step=d.get("step"),
        status=d.get("status") or "",
        top=d.get("top"),
        bu=d.get("bu"),
        work_category=d.get("work_category") or "",
        q=(d.get("q") or "").strip(),
        sort=d.get("sort") or "new",
    )
    return form, filters, d.get("page") or 1, choices


@access.require(Action.VIEW_PROJECTS)
def project_list(request):
    form, filters, page, choices = _filters(request)
    result = sel.project_list(user=request.user, filters=filters, page=page)
    for row in result.rows:
        row.saving_label = sel.saving_label(row.saving)
        row.planned_label = sel.saving_label(row.planned_saving)
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "filters": filters,
            "result": result,
            "choices": choices,
            "can_start": access.may(request.user, Action.START_PROJECT),
            "crumbs": [("業務改善プロジェクト", None)],
        },
    )


EXPORT_HEADERS = [
    "ID",
    "件名",
    "局区",
    "部",
    "課",
    "ステップ",
    "状態",
    "業務分類",
    "DX推進リーダー",
    "管理職",
    "改善前（時間/月）",
    "改善後の見込み（時間/月）",
    "改善後（時間/月）",
    "見込み削減（時間/月）",
    "削減（時間/月・検証済み）",
    "効果確認日",
    "登録日",
]


@access.require(Action.VIEW_PROJECTS)
def project_export(request, fmt: str):
    _form, filters, _page, choices = _filters(request)
    qs = sel.filtered_projects(user=request.user, filters=filters)[:EXPORT_LIMIT]
    categories = dict(choices["work_categories"])
    rows = []
    for r in sel.project_rows(list(qs)):
        p = r.project
        rows.append(
            [
                p.pk,
                p.title,
                r.top,
                r.bu,
                r.unit,
                f"{p.step}. {r.step_name}",
                p.get_status_display(),
                categories.get(p.work_category, p.work_category),
                p.leader.name if p.leader_id else "",
                p.manager.name,
                p.baseline_hours,
                p.planned_after_hours,
                p.after_hours,
                r.planned_saving,
                r.saving,
                format_wareki(p.verified_on),
                format_wareki(p.created_at.date()),
            ]
        )
    return export_response(
        user=request.user,
        fmt=fmt,
        filename="業務改善プロジェクト一覧",
        headers=EXPORT_HEADERS,
        rows=rows,
        kind="projects",
        filters=filters.as_dict(),
        personal=True,
    )


def _unit_choices(user) -> list[tuple[int, str]]:
    snap = org_snapshot()
    ids = manager_units(user)
    nodes = sorted((snap.nodes[i] for i in ids if i in snap.nodes), key=lambda n: (n.sort_order, n.code))
    return [(n.unit_id, snap.label_of(n.unit_id)) for n in nodes if n.kind == OrgKind.KA]


@access.require(Action.START_PROJECT)
def project_create(request):
    kw = {"units": _unit_choices(request.user), "leaders": leader_choices(), "groups": group_choices()}
    form = ProjectCreateForm(request.POST or None, **kw)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.project_create(
                by=request.user,
                unit=OrgUnit.objects.get(pk=d["unit"]),
                title=d["title"],
                problem=d["problem"],
                leader=Employee.objects.filter(pk=d["leader"]).first() if d["leader"] else None,
                group=PracticeGroup.objects.filter(pk=d["group"]).first() if d["group"] else None,
                work_category=d["work_category"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("unit", str(exc))
        else:
            messages.success(request, f"プロジェクト「{project.title}」を登録しました。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "crumbs": [("業務改善プロジェクト", reverse("projects:list")), ("新規登録", None)],
        },
    )

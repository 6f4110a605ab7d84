"""Pages of the case library (/library/): search, one case, publish / edit / withdraw (secretariat), adopt (manager).

Thin: parse a form, call a selector or service, render. Service ValidationErrors go back onto the form;
WorkflowErrors are shown as messages; PermissionDenied answers 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from dxtalent.core.exports import export_response
from dxtalent.core.forms import apply_errors
from dxtalent.leaders.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgUnit

from . import services
from .forms_library import AdoptForm, CaseForm, SearchForm, WithdrawForm
from .models import Case, Project, ProjectStatus
from .selectors import cases as sel

CRUMB = ("事例集", None)


def _crumbs(*tail):
    return [("事例集", reverse("library:search")), *tail]


def project_url(pk: int) -> str:
    """The project's page, when the projects pages exist (else "")."""
    try:
        return reverse("projects:detail", args=[pk])
    except NoReverseMatch:
        return ""


def _search_form(request) -> SearchForm:
    categories, tools = sel.tag_choices()
    return SearchForm(request.GET or None, work_categories=categories, tool_kinds=tools)


# ---------------------------------------------------------------- search and export


@access.require(Action.VIEW_LIBRARY)
def search(request):
    form = _search_form(request)
    values = form.values() if request.GET else {"q": "", "work_category": "", "tool_kind": "", "sort": "relevance"}
    result = sel.library_search(user=request.user, page=request.GET.get("page") or 1, **values)
    return render(
        request,
        "projects/library_search.html",
        {
            "form": form,
            "values": values,
            "result": result,
            "sorts": sel.SORTS,
            "can_manage": access.may(request.user, Action.MANAGE_LIBRARY),
            "crumbs": [CRUMB],
        },
    )


EXPORT_HEADERS = [
    "事例名",
    "概要",
    "業務分類",
    "ツールの種類",
    "所属",
    "DX推進リーダー",
    "公開日",
    "横展開した課の数",
    "横展開先の削減時間（時間/月、効果検証済み）",
]


@access.require(Action.VIEW_LIBRARY)
def export(request, fmt: str):
    if fmt not in ("xlsx", "csv"):
        raise Http404("不明な形式です")
    values = _search_form(request).values()
    result = sel.library_search(user=request.user, everything=True, **values)
    rows = [
        [
            c.case.title,
            c.case.summary,
            c.work_category_name,
            c.tool_kind_name,
            c.unit_label,
            c.leader_name,
            c.case.published_at.date(),
            c.case.adopted_units,
            c.case.adopted_saving,
        ]
        for c in result.cards
    ]
    return export_response(
        user=request.user,
        fmt=fmt,
        filename="事例集",
        headers=EXPORT_HEADERS,
        rows=rows,
        kind="事例集",
        filters=values,
        personal=any(c.leader_name for c in result.cards),  # leader names are personal data
    )


# ---------------------------------------------------------------- one case


def _units_for(request, case) -> list[tuple[int, str]]:
    """課 the manager may adopt the case in (not the 課 the case came from)."""
    return [u for u in sel.adoptable_units(request.user) if u[0] != case.project.unit_id]


def _detail_context(request, detail, adopt_form=None):
    case = detail.case
    units = _units_for(request, case)
    return {
        "detail": detail,
        "case": case,
        "card": detail.card,
        "adoptions": [(row, project_url(row.project_id)) for row in detail.adoptions],
        "source_url": project_url(case.project_id) if access.may(request.user, Action.MANAGE_LIBRARY) else "",
        "can_manage": access.may(request.user, Action.MANAGE_LIBRARY),
        "can_adopt": bool(units) and case.status == "published",
        "adopt_form": adopt_form or AdoptForm(units=units),
        "crumbs": _crumbs((case.title, None)),
    }


@access.require(Action.VIEW_LIBRARY)
def detail(request, pk: int):
    return render(
        request, "projects/library_detail.html", _detail_context(request, sel.case_detail(user=request.user, pk=pk))
    )


@access.require(Action.START_PROJECT)
@require_http_methods(["GET", "POST"])
def adopt(request, pk: int):
    case = sel.case_for(request.user, pk)
    units = _units_for(request, case)
    if request.method != "POST":
        return redirect("library:detail", pk=case.pk)
    form = AdoptForm(request.POST, units=units)
    if form.is_valid():
        unit = get_object_or_404(OrgUnit, pk=form.cleaned_data["unit"])
        try:
            project = services.case_adopt(case=case, by=request.user, unit=unit, title=form.cleaned_data["title"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"事例「{case.title}」をもとに、業務改善プロジェクトを登録しました。")
            return redirect(project_url(project.pk) or reverse("library:detail", args=[case.pk]))
    detail_obj = sel.case_detail(user=request.user, pk=pk)
    return render(request, "projects/library_detail.html", _detail_context(request, detail_obj, form), status=400)


# ---------------------------------------------------------------- secretariat: publish, edit, withdraw


def _case_form(data=None, initial=None) -> CaseForm:
    categories, tools = sel.tag_choices()
    return CaseForm(data, initial=initial, work_categories=categories, tool_kinds=tools)


@access.require(Action.MANAGE_LIBRARY)
def publishable(request):
    return render(
        request,
        "projects/library_publishable.html",
        {
            "projects": [(p, project_url(p.pk)) for p in sel.publishable_projects(request.user)],
            "crumbs": _crumbs(("事例の公開", None)),
        },
    )


@access.require(Action.MANAGE_LIBRARY)
def publish(request, project_pk: int):
    project = get_object_or_404(Project.objects.select_related("leader"), pk=project_pk)
    if project.status != ProjectStatus.DONE:
        messages.error(request, "事例として公開できるのは、運用ルールが承認され効果を確認したプロジェクトだけです。")
        return redirect("library:publishable")
    existing = Case.objects.filter(project=project, status="published").first()
    if existing is not None:
        messages.info(request, "このプロジェクトはすでに事例として公開されています。")
        return redirect("library:detail", pk=existing.pk)
    form = _case_form(initial={**services.case_defaults(project), "show_unit": True, "show_leader": False})
    if request.method == "POST":
        form = _case_form(request.POST)
        if form.is_valid():
            try:
                case = services.case_publish(project=project, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"事例「{case.title}」を公開しました。")
                return redirect("library:detail", pk=case.pk)
    return render(
        request,
        "projects/library_form.html",
        {
            "form": form,
            "project": project,
            "project_link": project_url(project.pk),
            "heading": "事例として公開",
            "crumbs": _crumbs(("事例の公開", reverse("library:publishable")), (project.title, None)),
        },
        status=400 if form.errors else 200,
    )


@access.require(Action.MANAGE_LIBRARY)
def edit(request, pk: int):
    case = sel.case_for(request.user, pk, manage=True)
    fields = [f for f in CaseForm.base_fields]
    form = _case_form(initial={f: getattr(case, f) for f in fields})
    if request.method == "POST":
        form = _case_form(request.POST)
        if form.is_valid():
            try:
                services.case_update(case=case, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "事例を更新しました。")
                return redirect("library:detail", pk=case.pk)
    return render(
        request,
        "projects/library_form.html",
        {
            "form": form,
            "case": case,
            "project": case.project,
            "project_link": project_url(case.project_id),
            "heading": "事例の編集",
            "crumbs": _crumbs((case.title, reverse("library:detail", args=[case.pk])), ("編集", None)),
        },
        status=400 if form.errors else 200,
    )


@access.require(Action.MANAGE_LIBRARY)
def withdraw(request, pk: int):
    case = sel.case_for(request.user, pk, manage=True)
    form = WithdrawForm()
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.case_withdraw(case=case, by=request.user)
            except WorkflowError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"事例「{case.title}」の公開を停止しました。")
            return redirect("library:detail", pk=case.pk)
    return render(
        request,
        "projects/library_withdraw.html",
        {
            "form": form,
            "case": case,
            "crumbs": _crumbs((case.title, reverse("library:detail", args=[case.pk])), ("公開停止", None)),
        },
    )

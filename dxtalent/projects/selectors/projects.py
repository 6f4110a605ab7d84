"""Reads of improvement projects, scoped to the user (access.rows_visible_to), in a fixed number of queries.

`project_list` pages and filters (step, status, 局区/部 of the 課, 業務分類, title search) and sorts; `project_detail`
returns one visible project with its steps (names/owners from the pack), events, attachments and participants;
`may_*` tell templates and the API what the user may do on the current step.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from dxtalent.core.paging import FilterParams, PageLinks
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgKind
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.pack import ImprovementStep
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import Attachment, Project, ProjectEvent, ProjectParticipant, ProjectStatus
from ..services.projects import (
    STEP_FIELDS,
    STEP_REQUIRED,
    is_leader_of,
    is_manager_of,
    may_manage_people,
    owns_step,
)

PEOPLE_PATHS = ("leader_id", "manager_id", "participations__employee_id")
SORTS = {
    "new": ("-created_at", "-pk"),
    "old": ("created_at", "pk"),
    "title": ("title", "pk"),
    "step": ("status", "step", "-pk"),
    "-step": ("-step", "-pk"),
    "saving": ("-saving", "-pk"),
    "updated": ("-updated_at", "-pk"),
}
SORT_LABELS = {
    "new": "登録が新しい順",
    "old": "登録が古い順",
    "title": "件名順",
    "step": "ステップ順",
    "-step": "ステップが進んでいる順",
    "saving": "削減時間が大きい順",
    "updated": "更新が新しい順",
}
PER_PAGE = 50


def improvement_steps() -> tuple[ImprovementStep, ...]:
    """The pack's four steps; plain "ステップN" placeholders when no pack is loaded (pages still render)."""
    try:
        return current_pack().improvement_steps
    except NoPolicyPack:
        return tuple(ImprovementStep(n, f"step{n}", f"ステップ{n}", "", "", "") for n in range(1, 5))


def work_categories() -> tuple[tuple[str, str], ...]:
    try:
        return current_pack().work_categories
    except NoPolicyPack:
        return ()


def tool_kinds() -> tuple[tuple[str, str], ...]:
    try:
        return current_pack().tool_kinds
    except NoPolicyPack:
        return ()


def visible_projects(user, qs: QuerySet | None = None) -> QuerySet:
    """Projects the user may see (empty without VIEW_PROJECTS)."""
    qs = Project.objects.all() if qs is None else qs
    if not access.may(user, Action.VIEW_PROJECTS):
        return qs.none()
    return access.rows_visible_to(user, qs, unit_path="unit_id", people_paths=PEOPLE_PATHS)


def get_visible_project(user, pk) -> Project:
    """The project if the user may see it; Http404 otherwise (invisible rows look like missing ones)."""
    project = (
        visible_projects(user, Project.objects.select_related("leader", "manager", "cohort", "group"))
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404("このプロジェクトは見つかりません。")
    return project


@dataclass
class ProjectFilter(FilterParams):
    step: int | None = None
    status: str = ""
    top: int | None = None  # 局区
    bu: int | None = None  # 部
    work_category: str = ""
    q: str = ""
    sort: str = "new"


@dataclass
class ProjectRow:
    project: Project
    top: str
    bu: str
    unit: str
    step_name: str
    saving: Decimal | None
    planned_saving: Decimal | None
    created_on: dt.date | None = None


@dataclass
class ProjectPage(PageLinks):
    rows: list[ProjectRow]
    total: int
    page: int
    pages: int
    per_page: int
    filters: ProjectFilter = field(default_factory=ProjectFilter)


def filtered_projects(*, user, filters: ProjectFilter) -> QuerySet:
    qs = visible_projects(user, Project.objects.select_related("leader", "manager"))
    if filters.step:
        qs = qs.filter(step=filters.step, status=ProjectStatus.ACTIVE)
    if filters.status:
        qs = qs.filter(status=filters.status)
    roots = [u for u in (filters.bu, filters.top) if u]
    if roots:
        snap = org_snapshot()
        qs = qs.filter(unit_id__in=snap.subtree_ids(roots[:1]))
    if filters.work_category:
        qs = qs.filter(work_category=filters.work_category)
    if filters.q:
        for word in filters.q.replace("\u3000", " ").split():
            qs = qs.filter(title__icontains=word)
    saving = ExpressionWrapper(F("baseline_hours") - F("after_hours"), output_field=DecimalField())
    qs = qs.annotate(saving=saving)
    order = SORTS.get(filters.sort, SORTS["new"])
    if filters.sort == "saving":
        return qs.order_by(F("saving").desc(nulls_last=True), "-pk")
    return qs.order_by(*order)


def _row(project: Project, snap, steps) -> ProjectRow:
    path = snap.path_of(project.unit_id)
    return ProjectRow(
        project=project,
        top=path["top"].name if "top" in path else "",
        bu=path[OrgKind.BU].name if OrgKind.BU in path else "",
        unit=path[OrgKind.KA].name if OrgKind.KA in path else snap.label_of(project.unit_id),
        step_name=steps[project.step - 1].name,
        saving=project.saving_hours,
        planned_saving=project.planned_saving_hours,
        created_on=timezone.localdate(project.created_at),
    )


def project_rows(projects, user=None) -> list[ProjectRow]:
    snap = org_snapshot()
    steps = improvement_steps()
    return [_row(p, snap, steps) for p in projects]


def project_list(*, user, filters: ProjectFilter, page: int = 1, per_page: int = PER_PAGE) -> ProjectPage:
    qs = filtered_projects(user=user, filters=filters)
    total = qs.count()
    pages = max(math.ceil(total / per_page), 1)
    page = min(max(page, 1), pages)
    chunk = list(qs[(page - 1) * per_page : page * per_page])
    return ProjectPage(project_rows(chunk), total, page, pages, per_page, filters)


def filter_choices() -> dict:
    """局区 and 部 (today) and the pack's lists, for the list page's selects."""
    snap = org_snapshot()
    key = lambda n: (n.sort_order, n.code)  # noqa: E731
    return {
        "tops": sorted(snap.units_of_kind(OrgKind.KYOKU, OrgKind.KU), key=key),
        "bus": [(n.unit_id, snap.label_of(n.unit_id)) for n in sorted(snap.units_of_kind(OrgKind.BU), key=key)],
        "steps": improvement_steps(),
        "work_categories": work_categories(),
        "statuses": ProjectStatus.choices,
        "sorts": SORT_LABELS,
    }


# ---------------------------------------------------------------- one project


@dataclass
class StepView:
    number: int
    name: str
    owner: str  # manager | leader
    owner_label: str
    description: str
    support: str
    state: str  # done | current | todo
    fields: list[tuple[str, str, object]]  # (name, label, value)
    attachments: list[Attachment]
    required: tuple[str, ...]


@dataclass
class ProjectDetail:
    project: Project
    unit_label: str
    steps: list[StepView]
    events: list[ProjectEvent]
    attachments: list[Attachment]
    participants: list[ProjectParticipant]
    step_names: dict[int, str]


def _value(project: Project, name: str):
    if name == "leader":
        return project.leader
    if name == "group":
        return project.group
    if name == "verified_by":
        return project.verified_by
    if name == "work_category":
        return dict(current_pack().work_categories).get(project.work_category, project.work_category)
    if name == "tool_kind":
        return dict(current_pack().tool_kinds).get(project.tool_kind, project.tool_kind)
    return getattr(project, name)


def project_detail(*, user, pk) -> ProjectDetail:
    project = get_visible_project(user, pk)
    project = (
        Project.objects.select_related("leader", "manager", "cohort", "group__cohort", "verified_by", "source_case")
        .prefetch_related(
            Prefetch("events", queryset=ProjectEvent.objects.select_related("actor").order_by("at", "pk")),
            Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by").order_by("pk")),
            Prefetch("participations", queryset=ProjectParticipant.objects.select_related("employee").order_by("pk")),
        )
        .get(pk=project.pk)
    )
    pack = current_pack()
    attachments = list(project.attachments.all())
    steps = []
    for s in pack.improvement_steps:
        if project.status == ProjectStatus.DONE or s.number < project.step:
            state = "done"
        elif s.number == project.step and project.status == ProjectStatus.ACTIVE:
            state = "current"
        else:
            state = "todo"
        fields = [(n, str(Project._meta.get_field(n).verbose_name), _value(project, n)) for n in STEP_FIELDS[s.number]]
        steps.append(
            StepView(
                number=s.number,
                name=s.name,
                owner=s.owner,
                owner_label="DX推進リーダー" if s.owner == "leader" else "管理職",
                description=s.description,
                support=s.support,
                state=state,
                fields=fields,
                attachments=[a for a in attachments if a.step == s.number],
                required=STEP_REQUIRED[s.number],
            )
        )
    return ProjectDetail(
        project=project,
        unit_label=org_snapshot().label_of(project.unit_id),
        steps=steps,
        events=list(project.events.all()),
        attachments=attachments,
        participants=list(project.participations.all()),
        step_names={s.number: s.name for s in pack.improvement_steps},
    )


# ---------------------------------------------------------------- what the user may do


def may_edit(user, project: Project) -> bool:
    """Edit the current step's fields (= complete it, = send it back): the step's owner while active."""
    return project.status == ProjectStatus.ACTIVE and owns_step(user, project)


may_complete = may_edit


def may_send_back(user, project: Project) -> bool:
    return may_edit(user, project) and project.step > 1


def may_cancel(user, project: Project) -> bool:
    return project.status == ProjectStatus.ACTIVE and is_manager_of(user, project)


def may_attach(user, project: Project) -> bool:
    return may_manage_people(user, project)


def abilities(user, project: Project) -> dict[str, bool]:
    return {
        "can_edit": may_edit(user, project),
        "can_complete": may_complete(user, project),
        "can_send_back": may_send_back(user, project),
        "can_cancel": may_cancel(user, project),
        "can_attach": may_attach(user, project),
        "is_leader": is_leader_of(user, project),
    }


def saving_label(hours: Decimal | None) -> str:
    """10.00 → "10.0 時間/月"; −2 → "−2.0 時間/月（増加）"; None → "—"."""
    if hours is None:
        return "—"
    if hours < 0:
        return f"−{abs(hours):.1f} 時間/月（増加）"
    return f"{hours:.1f} 時間/月"


def days_since(moment: dt.datetime) -> int:
    return max((timezone.now() - moment).days, 0)


__all__ = [
    "PER_PAGE",
    "SORTS",
    "ProjectDetail",
    "ProjectFilter",
    "ProjectPage",
    "ProjectRow",
    "abilities",
    "days_since",
    "filter_choices",
    "filtered_projects",
    "get_visible_project",
    "may_attach",
    "may_cancel",
    "may_complete",
    "may_edit",
    "may_send_back",
    "project_detail",
    "project_list",
    "project_rows",
    "saving_label",
    "visible_projects",
]

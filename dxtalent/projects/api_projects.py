"""API of improvement projects (/api/v1/projects/): list/create, detail/PATCH (current step's fields) and the
step transitions as actions (complete, send-back, cancel) plus attachments.

The same services and selectors as the pages: rows scoped by access.rows_visible_to (an invisible project is 404),
400 with field errors for bad input, 403 for users with no part in the project, 409 for illegal moves.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dxtalent.core.api import run_service as _run
from dxtalent.leaders.models import PracticeGroup
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer
from dxtalent.org.models import Employee, OrgUnit

from . import services
from .api_projects_serializers import (
    AttachmentInput,
    AttachmentSerializer,
    CancelInput,
    ProjectCreateInput,
    ProjectDetailSerializer,
    ProjectQuerySerializer,
    ProjectSerializer,
    ProjectUpdateInput,
    SendBackInput,
)
from .selectors import projects as sel
from .services.projects import STEP_FIELDS, is_leader_of, is_manager_of

TAGS = ["業務改善プロジェクト"]
CONFLICT = {
    409: OpenApiResponse(ErrorSerializer, description="現在のステップ・状態ではできない操作（理由を detail に）")
}


def _ref(id_, code, name) -> dict:
    return {"id": id_, "code": code, "name": name}


def _person(e: Employee | None) -> dict | None:
    return _ref(e.pk, e.number, e.name) if e is not None else None


def _summary(row: sel.ProjectRow) -> dict:
    p = row.project
    return {
        "id": p.pk,
        "title": p.title,
        "unit": _ref(p.unit_id, "", row.unit),
        "top": row.top,
        "bu": row.bu,
        "step": p.step,
        "step_name": row.step_name,
        "status": p.status,
        "status_label": p.get_status_display(),
        "work_category": p.work_category,
        "leader": _person(p.leader),
        "manager": _person(p.manager),
        "planned_saving_hours": row.planned_saving,
        "saving_hours": row.saving,
        "created_at": p.created_at,
    }


def _detail_body(request, pk: int) -> dict:
    d = sel.project_detail(user=request.user, pk=pk)
    p = d.project
    body = _summary(sel.project_rows([p])[0])
    for name in (
        "problem",
        "as_is",
        "to_be",
        "feedback",
        "analysis_hours_planned",
        "analysis_hours_actual",
        "baseline_hours",
        "planned_after_hours",
        "tool_kind",
        "tool_name",
        "trial",
        "support_received",
        "trial_hours_planned",
        "trial_hours_actual",
        "operating_rule",
        "after_hours",
        "qualitative_effects",
        "verified_on",
        "verified_fiscal_year",
        "step_entered_at",
    ):
        body[name] = getattr(p, name)
    can = sel.abilities(request.user, p)
    body.update(
        group=p.group_id,
        cohort=p.cohort_id,
        practice_certification=p.practice_certification_id,
        source_case=p.source_case_id,
        verified_by=_person(p.verified_by),
        editable_fields=list(STEP_FIELDS[p.step]) if can["can_edit"] else [],
        events=[
            {
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "from_step": e.from_step,
                "to_step": e.to_step,
                "reason": e.reason,
                "days_in_step": e.days_in_step,
                "actor": (e.actor.get_full_name() or e.actor.username) if e.actor_id else None,
                "at": e.at,
            }
            for e in d.events
        ],
        attachments=[_attachment(request, a) for a in d.attachments],
        participants=[{"employee": _person(x.employee), "contribution": x.contribution} for x in d.participants],
        abilities={k: v for k, v in can.items() if k != "is_leader"},
    )
    return body


def _attachment(request, a) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "step": a.step,
        "size": a.size,
        "url": request.build_absolute_uri(reverse("projects:attachment_file", args=[a.pk])),
        "uploaded_at": a.uploaded_at,
    }


def _project_for_action(request, pk: int):
    """The visible project (404 otherwise); 403 unless the user is its manager side or its leader."""
    project = sel.get_visible_project(request.user, pk)
    if not (is_manager_of(request.user, project) or is_leader_of(request.user, project)):
        raise PermissionDenied("このプロジェクトを操作する権限がありません（管理職・リーダーのみ）。")
    return project


def _obj(model, pk, field: str, message: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise exceptions.ValidationError({field: [message]})
    return obj


class ProjectListView(ScopedAPIView):
    serializer_class = ProjectSerializer
    required_action = Action.VIEW_PROJECTS
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        operation_id="projects_list",
        summary="業務改善プロジェクト一覧",
        description="閲覧できるプロジェクト（自分の課・局区、またはリーダー・管理職・参加職員として関わるもの）だけを返します。",
        parameters=[ProjectQuerySerializer],
        responses={200: ProjectSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(ProjectQuerySerializer)
        filters = sel.ProjectFilter(
            step=q.get("step"),
            status=q.get("status", ""),
            top=q.get("top"),
            bu=q.get("bu"),
            work_category=q.get("work_category", ""),
            q=(q.get("q") or "").strip(),
            sort=q.get("sort") or "new",
        )
        qs = sel.filtered_projects(user=request.user, filters=filters)
        page = self.paginate_queryset(qs)
        return self.paginated([_summary(r) for r in sel.project_rows(page)])

    @extend_schema(
        operation_id="projects_create",
        summary="プロジェクトの登録（ステップ1 問題点の共有）",
        description="管理職が自分の課のプロジェクトを登録します。リーダーは認定されたDX推進リーダーか研修中の研修生。",
        request=ProjectCreateInput,
        responses={201: ProjectDetailSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        if not access.may(request.user, Action.START_PROJECT):
            raise PermissionDenied("業務改善プロジェクトを登録できるのは管理職だけです。")
        data = ProjectCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        project = services.project_create(
            by=request.user,
            unit=_obj(OrgUnit, d["unit"], "unit", "この課はありません"),
            title=d["title"],
            problem=d.get("problem", ""),
            leader=_obj(Employee, d.get("leader"), "leader", "この職員はいません"),
            group=_obj(PracticeGroup, d.get("group"), "group", "このグループはありません"),
            work_category=d.get("work_category", ""),
        )
        return Response(_detail_body(request, project.pk), status=status.HTTP_201_CREATED)


class ProjectDetailView(ScopedAPIView):
    serializer_class = ProjectDetailSerializer
    required_action = Action.VIEW_PROJECTS

    @extend_schema(
        operation_id="projects_retrieve",
        summary="プロジェクトの詳細（各ステップの記録・履歴・添付・参加職員）",
        responses={200: ProjectDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_detail_body(request, pk))

    @extend_schema(
        operation_id="projects_update",
        summary="現在のステップの項目を更新",
        description="現在のステップの担当者（ステップ1・4は管理職、2・3はリーダー）だけが、そのステップの項目を変更できます。",
        request=ProjectUpdateInput,
        responses={200: ProjectDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        project = _project_for_action(request, pk)
        data = ProjectUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "leader" in fields:
            fields["leader"] = _obj(Employee, fields["leader"], "leader", "この職員はいません")
        if "verified_by" in fields:
            fields["verified_by"] = _obj(Employee, fields["verified_by"], "verified_by", "この職員はいません")
        if "group" in fields:
            fields["group"] = _obj(PracticeGroup, fields["group"], "group", "このグループはありません")
        _run(lambda: services.project_update(project=project, by=request.user, **fields))
        return Response(_detail_body(request, pk))


def _action_view(name: str, summary: str, input_serializer, call):
    class View(ScopedAPIView):
        serializer_class = ProjectDetailSerializer
        required_action = Action.VIEW_PROJECTS

        @extend_schema(
            operation_id=f"projects_{name}",
            summary=summary,
            request=input_serializer,
            responses={200: ProjectDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
            tags=TAGS,
        )
        def post(self, request, pk: int):
            project = _project_for_action(request, pk)
            d = {}
            if input_serializer is not None:
                data = input_serializer(data=request.data)
                data.is_valid(raise_exception=True)
                d = data.validated_data
            _run(lambda: call(project=project, by=request.user, **d))
            return Response(_detail_body(request, pk))

    View.__name__ = View.__qualname__ = f"Project{name.title().replace('_', '')}View"
    return View


ProjectCompleteView = _action_view(
    "complete", "現在のステップを完了（ステップ4の完了で効果検証済み）", None, services.project_step_complete
)
ProjectSendBackView = _action_view(
    "send_back", "前のステップへ差戻し（理由は記録に残ります）", SendBackInput, services.project_send_back
)
ProjectCancelView = _action_view("cancel", "プロジェクトの中止（管理職）", CancelInput, services.project_cancel)


class ProjectAttachmentsView(ScopedAPIView):
    serializer_class = AttachmentSerializer
    required_action = Action.VIEW_PROJECTS
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="projects_attachments_create",
        summary="添付ファイルの登録（業務フロー図など）",
        description="pdf, pptx, xlsx, docx, vsdx, png, jpg, zip（20MBまで）。管理職とリーダーが登録できます。",
        request={"multipart/form-data": AttachmentInput},
        responses={201: AttachmentSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        project = _project_for_action(request, pk)
        data = AttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        a = _run(
            lambda: services.project_attachment_add(project=project, by=request.user, file=d["file"], title=d["title"])
        )
        return Response(_attachment(request, a), status=status.HTTP_201_CREATED)

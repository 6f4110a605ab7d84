"""API views: practice groups, deliverables and the 成果発表 evaluation."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dxtalent.core.api import Conflict
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import (
    ErrorSerializer,
)
from dxtalent.org.models import OrgUnit

from .. import selectors_groups as sel
from .. import services
from ..errors import WorkflowError
from ..models import Cohort, CohortMember, Deliverable, PracticeGroup
from .serializers import (
    DeliverableInput,
    DeliverableSerializer,
    EvaluationInput,
    GroupEvaluationSerializer,
    GroupProposalSerializer,
    GroupsSaveInput,
    MoveInput,
    PracticeGroupDetailSerializer,
    PracticeGroupSerializer,
    ThemeInput,
    _person,
    _ref,
)

TAGS = ["DX推進リーダー（グループ・認定・役割）"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="現在の状態ではできない操作（理由を detail に）")}


# ---------------------------------------------------------------- helpers


def _group_row(row: sel.GroupRow) -> dict:
    g = row.group
    return {
        "id": g.pk,
        "cohort": g.cohort_id,
        "number": g.number,
        "size": len(row.members),
        "size_ok": row.size_ok,
        "theme": g.theme,
        "theme_description": g.theme_description,
        "theme_unit": _ref(g.theme_unit.pk, g.theme_unit.code, str(g.theme_unit)) if g.theme_unit_id else None,
        "members": [
            {"id": m.member.pk, "employee": _person(m.member.employee), "top": m.top, "bu": m.bu} for m in row.shown
        ],
        "hidden_members": row.hidden_count,
        "mix": row.mix,
        "evaluated": getattr(g, "evaluation", None) is not None,
        "deliverables": row.deliverables,
    }


def _deliverable_row(request, d: Deliverable) -> dict:
    return {
        "id": d.pk,
        "step_code": d.step_code,
        "member": d.member_id,
        "title": d.title,
        "file": request.build_absolute_uri(reverse("leaders:deliverable_file", args=[d.pk])) if d.file else None,
        "url": d.url,
        "submitted_at": d.submitted_at,
    }


def _visible_group(request, pk: int) -> PracticeGroup:
    group = get_object_or_404(PracticeGroup.objects.select_related("cohort"), pk=pk)
    if not sel.may_view_group(request.user, group):
        raise exceptions.NotFound("このグループは見つかりません。")
    return group


def _group_detail_body(request, group: PracticeGroup) -> dict:
    page = sel.cohort_groups(cohort=group.cohort, user=request.user)
    row = next(r for r in page.groups if r.group.pk == group.pk)
    detail = sel.group_detail(group=group, user=request.user)
    row.members = detail.members  # the same rows, with a trainee's own group mates visible to them
    body = _group_row(row)
    body["deliverables_list"] = [_deliverable_row(request, d) for s in detail.steps for d in s.items]
    body["deliverables_list"] += [_deliverable_row(request, d) for d in detail.other]
    e = detail.evaluation
    body["evaluation"] = {"presented_on": e.presented_on, "score": e.score, "comment": e.comment} if e else None
    return body


def _conflict(exc: WorkflowError):
    raise Conflict(str(exc))


def _groups_response(view, cohort):
    page = sel.cohort_groups(cohort=cohort, user=view.request.user)
    rows = view.paginate_queryset(page.groups)
    return view.get_paginated_response(PracticeGroupSerializer([_group_row(r) for r in rows], many=True).data)


# ---------------------------------------------------------------- groups


class CohortGroupsView(ScopedAPIView):
    serializer_class = PracticeGroupSerializer
    required_action = Action.VIEW_PROGRAMME

    @extend_schema(
        operation_id="leader_groups_list",
        summary="期の実践演習グループ一覧",
        description="グループごとに人数・範囲内か・局区/部の混ざり具合・テーマ・評価の有無を返します。研修生は閲覧できる人だけ。",
        responses={200: PracticeGroupSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, cohort_pk: int):
        return _groups_response(self, get_object_or_404(Cohort, pk=cohort_pk))

    @extend_schema(
        operation_id="leader_groups_save",
        summary="期のグループ構成を保存",
        description=(
            "groups[i] がグループ i+1 の研修生ID。辞退者を除く全研修生がちょうど1回ずつ含まれている必要があります。"
            "人数がポリシーパックの範囲外のグループは allow_out_of_bounds=true のときだけ保存します。"
            "成果発表の評価が済んだグループの構成を変えると 409 です。"
        ),
        request=GroupsSaveInput,
        responses={200: PracticeGroupSerializer(many=True), **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, cohort_pk: int):
        if not access.may(request.user, Action.MANAGE_PROGRAMME):
            raise PermissionDenied()
        cohort = get_object_or_404(Cohort, pk=cohort_pk)
        data = GroupsSaveInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.groups_save(cohort=cohort, by=request.user, **data.validated_data)
        except WorkflowError as exc:
            _conflict(exc)
        return _groups_response(self, cohort)


class CohortGroupsProposeView(ScopedAPIView):
    serializer_class = GroupProposalSerializer
    required_action = Action.MANAGE_PROGRAMME

    @extend_schema(
        operation_id="leader_groups_propose",
        summary="グループ案の作成（保存しない）",
        description=(
            "局区と部ができるだけ混ざる案を返します。範囲内に分けられない人数のときは feasible=false と説明を返します。"
        ),
        request=None,
        responses={200: GroupProposalSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def post(self, request, cohort_pk: int):
        proposal = services.groups_propose(cohort=get_object_or_404(Cohort, pk=cohort_pk))
        plan = proposal.plan
        body = {
            "groups": proposal.groups,
            "sizes": list(plan.sizes),
            "feasible": plan.feasible,
            "message": proposal.message,
            "min_size": plan.min_size,
            "max_size": plan.max_size,
        }
        return Response(GroupProposalSerializer(body).data)


class GroupDetailView(ScopedAPIView):
    serializer_class = PracticeGroupDetailSerializer

    @extend_schema(
        operation_id="leader_groups_retrieve",
        summary="グループの詳細（成果物・評価つき）",
        description="事務局などプログラムを閲覧できる人と、そのグループの研修生が閲覧できます。",
        responses={200: PracticeGroupDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(PracticeGroupDetailSerializer(_group_detail_body(request, _visible_group(request, pk))).data)


class GroupThemeView(ScopedAPIView):
    serializer_class = PracticeGroupSerializer

    @extend_schema(
        operation_id="leader_groups_theme",
        summary="グループのテーマ（業務課題と所属）を設定",
        request=ThemeInput,
        responses={200: PracticeGroupDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        group = _visible_group(request, pk)
        if not sel.may_contribute(request.user, group):
            raise PermissionDenied()
        data = ThemeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = OrgUnit.objects.filter(pk=d["unit"]).first() if d.get("unit") else None
        if d.get("unit") and unit is None:
            raise exceptions.ValidationError({"unit": ["この組織は見つかりません"]})
        services.group_set_theme(
            group=group, theme=d["theme"], description=d["description"], unit=unit, by=request.user
        )
        return Response(PracticeGroupDetailSerializer(_group_detail_body(request, group)).data)


class GroupMoveView(ScopedAPIView):
    serializer_class = PracticeGroupSerializer
    required_action = Action.MANAGE_PROGRAMME

    @extend_schema(
        operation_id="leader_groups_move_member",
        summary="研修生をこのグループへ移動",
        description="移動の結果、人数が範囲外になるときは allow_out_of_bounds=true が必要です（なければ 400）。",
        request=MoveInput,
        responses={200: PracticeGroupSerializer(many=True), **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        group = _visible_group(request, pk)
        data = MoveInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = CohortMember.objects.filter(pk=data.validated_data["member"], cohort_id=group.cohort_id).first()
        if member is None:
            raise exceptions.ValidationError({"member": ["この期の研修生ではありません"]})
        try:
            services.group_move_member(
                member=member,
                group=group,
                by=request.user,
                allow_out_of_bounds=data.validated_data["allow_out_of_bounds"],
            )
        except WorkflowError as exc:
            _conflict(exc)
        return _groups_response(self, group.cohort)


class DeliverablesView(ScopedAPIView):
    serializer_class = DeliverableSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="leader_deliverables_list",
        summary="グループの成果物一覧",
        responses={200: DeliverableSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        group = _visible_group(request, pk)
        rows = Deliverable.objects.filter(group=group).order_by("submitted_at", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            DeliverableSerializer([_deliverable_row(request, d) for d in page], many=True).data
        )

    @extend_schema(
        operation_id="leader_deliverables_create",
        summary="成果物の登録（ファイルは multipart、リンクは JSON でも可）",
        description=(
            "step_code はポリシーパックの演習の回（planning / prototype / joint_build）と成果発表の presentation。"
            "prototype は作成者（member）が必要です。ファイルは pdf, pptx, xlsx, docx, png, jpg, zip（20MBまで）、"
            "リンクは http(s) の URL。事務局とグループの研修生が登録できます。"
        ),
        request={"multipart/form-data": DeliverableInput, "application/json": DeliverableInput},
        responses={201: DeliverableSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        group = _visible_group(request, pk)
        if not sel.may_contribute(request.user, group):
            raise PermissionDenied()
        data = DeliverableInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        member = None
        if d.get("member"):
            member = CohortMember.objects.filter(pk=d["member"], cohort_id=group.cohort_id).first()
            if member is None:
                raise exceptions.ValidationError({"member": ["この期の研修生ではありません"]})
        deliverable = services.deliverable_add(
            group=group,
            step_code=d["step_code"],
            member=member,
            title=d["title"],
            file=d.get("file"),
            url=d.get("url", ""),
            by=request.user,
        )
        return Response(
            DeliverableSerializer(_deliverable_row(request, deliverable)).data, status=status.HTTP_201_CREATED
        )


class EvaluationView(ScopedAPIView):
    serializer_class = GroupEvaluationSerializer
    required_action = Action.MANAGE_PROGRAMME

    @extend_schema(
        operation_id="leader_groups_evaluate",
        summary="成果発表の評価を登録（やり直しは上書き、履歴は残る）",
        request=EvaluationInput,
        responses={200: GroupEvaluationSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        group = _visible_group(request, pk)
        data = EvaluationInput(data=request.data)
        data.is_valid(raise_exception=True)
        e = services.group_evaluate(group=group, by=request.user, **data.validated_data)
        return Response(
            GroupEvaluationSerializer({"presented_on": e.presented_on, "score": e.score, "comment": e.comment}).data
        )

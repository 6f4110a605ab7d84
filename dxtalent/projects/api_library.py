"""API of the case library under /api/v1/cases/: search, one case, publish / edit / withdraw, adopt (横展開).

Same selectors, services and access rules as the pages; errors {"detail", "errors"}; illegal moves 409.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from dxtalent.core.api import Conflict
from dxtalent.leaders.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer
from dxtalent.org.models import OrgUnit

from . import services
from .models import Project
from .selectors import cases as sel

TAGS = ["事例集（優良事例・横展開）"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="現在の状態ではできない操作（理由を detail に）")}
HOURS = {"max_digits": 9, "decimal_places": 2, "coerce_to_string": True}


# ---------------------------------------------------------------- serializers


class CaseQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="スペース区切りでAND")
    work_category = serializers.CharField(required=False, allow_blank=True, max_length=30)
    tool_kind = serializers.CharField(required=False, allow_blank=True, max_length=30)
    sort = serializers.ChoiceField(choices=sel.SORTS, required=False, default="relevance")
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=sel.PER_PAGE)


class CaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    summary = serializers.CharField()
    work_category = serializers.CharField()
    tool_kind = serializers.CharField()
    unit = serializers.CharField(allow_null=True, help_text="show_unit のときだけ")
    leader = serializers.CharField(allow_null=True, help_text="show_leader のときだけ")
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    adopted_units = serializers.IntegerField(help_text="この事例から始めた（中止以外の）プロジェクトの課の数")
    adopted_saving = serializers.DecimalField(help_text="横展開先の効果検証済みの削減時間（時間/月）", **HOURS)
    score = serializers.IntegerField(help_text="関連度（検索語がないときは0）")
    title_html = serializers.CharField(help_text="HTMLエスケープ済み、一致箇所を<mark>で囲む")
    snippet_html = serializers.CharField()


class AdoptionSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    unit = serializers.CharField()
    status = serializers.CharField()
    saving_hours = serializers.DecimalField(allow_null=True, **HOURS)


class CaseDetailSerializer(CaseSerializer):
    problem = serializers.CharField()
    as_is = serializers.CharField()
    to_be = serializers.CharField()
    solution = serializers.CharField()
    operating_rule = serializers.CharField()
    effects = serializers.CharField()
    show_unit = serializers.BooleanField()
    show_leader = serializers.BooleanField()
    project = serializers.IntegerField(allow_null=True, help_text="元のプロジェクト（事務局のみ）")
    adoptions = AdoptionSerializer(many=True, help_text="閲覧できる横展開先だけ")
    other_adoptions = serializers.IntegerField(help_text="閲覧範囲外の横展開先の件数")


class CasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = CaseSerializer(many=True)


class CaseInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True)
    problem = serializers.CharField(required=False, allow_blank=True)
    as_is = serializers.CharField(required=False, allow_blank=True)
    to_be = serializers.CharField(required=False, allow_blank=True)
    solution = serializers.CharField(required=False, allow_blank=True)
    operating_rule = serializers.CharField(required=False, allow_blank=True)
    effects = serializers.CharField(required=False, allow_blank=True)
    work_category = serializers.CharField(required=False, max_length=30)
    tool_kind = serializers.CharField(required=False, max_length=30)
    show_unit = serializers.BooleanField(required=False)
    show_leader = serializers.BooleanField(required=False)


class PublishInput(CaseInput):
    project = serializers.IntegerField(min_value=1, help_text="効果確認済み（完了）のプロジェクトのID")


class AdoptInput(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, help_text="横展開する課（担当範囲内）のID")
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class AdoptOutput(serializers.Serializer):
    project = serializers.IntegerField(help_text="登録したプロジェクトのID")


# ---------------------------------------------------------------- rows


def _row(card: sel.CaseCard) -> dict:
    c = card.case
    return {
        "id": c.pk,
        "title": c.title,
        "summary": c.summary,
        "work_category": c.work_category,
        "tool_kind": c.tool_kind,
        "unit": card.unit_label or None,
        "leader": card.leader_name or None,
        "status": c.status,
        "published_at": c.published_at,
        "adopted_units": c.adopted_units,
        "adopted_saving": c.adopted_saving,
        "score": card.hit.score,
        "title_html": str(card.hit.title_html),
        "snippet_html": str(card.hit.snippet_html),
    }


def _detail_body(request, pk: int) -> dict:
    detail = sel.case_detail(user=request.user, pk=pk)
    c = detail.case
    body = _row(detail.card)
    body.update({name: getattr(c, name) for name in ("show_unit", "show_leader", *services.CASE_TEXT_FIELDS)})
    manage = access.may(request.user, Action.MANAGE_LIBRARY)
    body["project"] = c.project_id if manage else None
    body["adoptions"] = [
        {"project": a.project_id, "unit": a.unit_label, "status": a.status, "saving_hours": a.saving_hours}
        for a in detail.adoptions
    ]
    body["other_adoptions"] = detail.other_adoptions
    return CaseDetailSerializer(body).data


def _require(user, action: Action, message: str) -> None:
    if not access.may(user, action):
        raise PermissionDenied(message)


# ---------------------------------------------------------------- views


class CaseListView(ScopedAPIView):
    serializer_class = CaseSerializer
    required_action = Action.VIEW_LIBRARY

    @extend_schema(
        operation_id="cases_search",
        summary="事例の検索・一覧",
        description=(
            "公開中の事例を検索します。q はスペース（全角可）区切りで、すべてを含む事例（AND）。"
            "2文字の語も検索できます。"
            "sort: relevance（関連度）/ newest（新着）/ adopted（横展開数）。所属・リーダー名は公開設定の事例だけ。"
        ),
        parameters=[CaseQuery],
        responses={200: CasePageSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        d = self.query(CaseQuery)
        result = sel.library_search(
            user=request.user,
            q=d.get("q", ""),
            work_category=d.get("work_category", ""),
            tool_kind=d.get("tool_kind", ""),
            sort=d["sort"],
            page=d["page"],
            per_page=d["page_size"],
        )
        page, url = result.page, request.build_absolute_uri()
        previous = None
        if page.has_previous():
            number = page.previous_page_number()
            previous = replace_query_param(url, "page", number) if number > 1 else remove_query_param(url, "page")
        body = {
            "count": result.total,
            "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
            "previous": previous,
            "results": [_row(c) for c in result.cards] if page.number == d["page"] else [],
        }
        return Response(CasePageSerializer(body).data)

    @extend_schema(
        operation_id="cases_publish",
        summary="プロジェクトを事例として公開（事務局）",
        description="完了（効果確認済み）のプロジェクトだけ。省略した本文はプロジェクトから写します。未完了・公開済みは409。",
        request=PublishInput,
        responses={201: CaseDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        _require(request.user, Action.MANAGE_LIBRARY, "事例を公開できるのは事務局だけです。")
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        project = get_object_or_404(Project, pk=fields.pop("project"))
        try:
            case = services.case_publish(project=project, by=request.user, **fields)
        except WorkflowError as exc:
            raise Conflict(str(exc)) from None
        return Response(_detail_body(request, case.pk), status=status.HTTP_201_CREATED)


class CaseDetailView(ScopedAPIView):
    serializer_class = CaseDetailSerializer
    required_action = Action.VIEW_LIBRARY

    @extend_schema(
        operation_id="cases_detail",
        summary="事例の詳細と横展開の状況",
        responses={200: CaseDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_detail_body(request, pk))

    @extend_schema(
        operation_id="cases_update",
        summary="事例の編集（事務局）",
        request=CaseInput,
        responses={200: CaseDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        _require(request.user, Action.MANAGE_LIBRARY, "事例を編集できるのは事務局だけです。")
        case = sel.case_for(request.user, pk, manage=True)
        data = CaseInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.case_update(case=case, by=request.user, **data.validated_data)
        return Response(_detail_body(request, pk))


class CaseWithdrawView(ScopedAPIView):
    serializer_class = CaseDetailSerializer
    required_action = Action.MANAGE_LIBRARY

    @extend_schema(
        operation_id="cases_withdraw",
        summary="事例の公開停止（事務局）",
        request=None,
        responses={200: CaseDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        case = sel.case_for(request.user, pk, manage=True)
        try:
            services.case_withdraw(case=case, by=request.user)
        except WorkflowError as exc:
            raise Conflict(str(exc)) from None
        return Response(_detail_body(request, pk))


class CaseAdoptView(ScopedAPIView):
    serializer_class = AdoptOutput
    required_action = Action.START_PROJECT

    @extend_schema(
        operation_id="cases_adopt",
        summary="この事例で始める（横展開）",
        description="担当範囲の課に、この事例にリンクした業務改善プロジェクト（ステップ1）を登録し、そのIDを返します。",
        request=AdoptInput,
        responses={201: AdoptOutput, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        case = sel.case_for(request.user, pk)
        data = AdoptInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = OrgUnit.objects.filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": ["課が見つかりません。"]})
        try:
            project = services.case_adopt(
                case=case, by=request.user, unit=unit, title=data.validated_data.get("title") or None
            )
        except WorkflowError as exc:
            raise Conflict(str(exc)) from None
        return Response({"project": project.pk}, status=status.HTTP_201_CREATED)

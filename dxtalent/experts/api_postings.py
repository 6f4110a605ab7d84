"""API of ジョブチャレンジ postings: list, create, detail, update, close (applications: api_postings_applications.py).

The same services and selectors as the pages: applicants see only their own applications (others' are 404), hr and
the secretariat all of them, managers their staff's (scope=staff: no motivation, and nothing unless the pack says
managers are told). 400 with field errors for bad input, 403 without the action, 409 for illegal moves.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from dxtalent.core.api import run_service as _run
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer
from dxtalent.org.models import OrgUnit

from . import services
from .api_postings_serializers import PostingInput, PostingQuery, PostingSerializer
from .selectors import postings as sel

TAGS = ["ジョブチャレンジ"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="現在の状態ではできない操作（理由を detail に）")}


def _posting(row: sel.PostingRow) -> dict:
    p = row.posting
    body = {
        "id": p.pk,
        "kind": p.kind,
        "kind_name": row.kind_name,
        "title": p.title,
        "description": p.description,
        "requirements": p.requirements,
        "unit": {"id": p.unit_id, "code": p.unit.code, "name": row.unit_label} if p.unit_id else None,
        "slots": p.slots,
        "opens_on": p.opens_on,
        "deadline": p.deadline,
        "starts_on": p.starts_on,
        "status": p.status,
        "phase": row.phase,
        "days_left": row.days_left,
        "applied": row.applied,
    }
    if row.counts:
        body["counts"] = row.counts
    return body


def _posting_body(request, pk) -> dict:
    qs = sel.filtered_postings(user=request.user, filters=sel.PostingFilter(tab="all")).filter(pk=pk)
    rows = sel.posting_rows(qs)
    if not rows:
        raise exceptions.NotFound("見つかりません。")
    return PostingSerializer(_posting(rows[0])).data


def _unit(pk):
    if pk is None:
        return None
    unit = OrgUnit.objects.filter(pk=pk).first()
    if unit is None:
        raise exceptions.ValidationError({"unit": ["この組織はありません"]})
    return unit


class PostingListView(ScopedAPIView):
    serializer_class = PostingSerializer
    required_action = Action.VIEW_POSTINGS

    @extend_schema(
        operation_id="postings_list",
        summary="ジョブチャレンジの募集一覧",
        description="tab=open（受付中・既定）/ upcoming / closed / all。"
        "人事部門・事務局には状態ごとの応募数も返します。",
        parameters=[PostingQuery],
        responses={200: PostingSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(PostingQuery)
        filters = sel.PostingFilter(
            tab=q.get("tab") or "open",
            kind=q.get("kind") or "",
            q=(q.get("q") or "").strip(),
            sort=q.get("sort") or "deadline",
        )
        page = self.paginate_queryset(sel.filtered_postings(user=request.user, filters=filters))
        return self.paginated([_posting(r) for r in sel.posting_rows(page)])

    @extend_schema(
        operation_id="postings_create",
        summary="募集の登録（事務局・人事部門）",
        request=PostingInput,
        responses={201: PostingSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        if not access.may(request.user, Action.MANAGE_POSTINGS):
            raise PermissionDenied("ジョブチャレンジの募集を登録できるのは事務局と人事部門だけです。")
        data = PostingInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        d["unit"] = _unit(d.get("unit"))
        posting = services.posting_create(by=request.user, **d)
        return Response(_posting_body(request, posting.pk), status=status.HTTP_201_CREATED)


class PostingDetailView(ScopedAPIView):
    serializer_class = PostingSerializer
    required_action = Action.VIEW_POSTINGS

    @extend_schema(
        operation_id="postings_retrieve",
        summary="募集の詳細",
        responses={200: PostingSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_posting_body(request, pk))

    @extend_schema(
        operation_id="postings_update",
        summary="募集の変更（事務局・人事部門。募集終了後は不可）",
        request=PostingInput(partial=True),
        responses={200: PostingSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        posting = sel.get_posting(request.user, pk)
        if not access.may(request.user, Action.MANAGE_POSTINGS):
            raise PermissionDenied("ジョブチャレンジの募集を変更できるのは事務局と人事部門だけです。")
        data = PostingInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        d = {k: v for k, v in data.validated_data.items() if k in request.data}
        if "unit" in d:
            d["unit"] = _unit(d["unit"])
        _run(lambda: services.posting_update(posting=posting, by=request.user, **d))
        return Response(_posting_body(request, pk))


class PostingCloseView(ScopedAPIView):
    serializer_class = PostingSerializer
    required_action = Action.MANAGE_POSTINGS

    @extend_schema(
        operation_id="postings_close",
        summary="募集終了にする",
        request=None,
        responses={200: PostingSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        posting = sel.get_posting(request.user, pk)
        _run(lambda: services.posting_close(posting=posting, by=request.user))
        return Response(_posting_body(request, pk))

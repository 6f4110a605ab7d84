"""/api/v1/consultations/: the support desk (相談窓口) over the same services and selectors as the pages.

VIEW_CONSULTATIONS to read (rows scoped like the pages: one's own, one's units', all for the desk); a consultation
the caller may not see answers 404. OPEN_CONSULTATION to open one; the requester and the desk post messages and
files; the desk (HANDLE_CONSULTATIONS) assigns, moves the status and links a case. Bad input 400 with field errors,
a status move the table does not allow 409.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dxtalent.core.api import Conflict
from dxtalent.leaders.errors import WorkflowError
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer
from dxtalent.org.models import Employee

from .. import services
from ..models import Attachment, Case, ConsultationMessage, Project
from ..selectors import consultations as sel
from .serializers import (
    ConsultationAssignInput,
    ConsultationAttachmentInput,
    ConsultationAttachmentSerializer,
    ConsultationCaseInput,
    ConsultationDetailSerializer,
    ConsultationInput,
    ConsultationMessageInput,
    ConsultationMessageSerializer,
    ConsultationQuery,
    ConsultationSerializer,
    ConsultationStatusInput,
)

TAGS = ["相談窓口（案件相談・伴走支援）"]
CONFLICT = {409: OpenApiResponse(ErrorSerializer, description="現在の状態ではできない操作（理由を detail に）")}


# ---------------------------------------------------------------- rows


def _person(e: Employee | None) -> dict | None:
    return {"id": e.pk, "name": e.name} if e is not None else None


def _row(request, r: sel.ConsultationRow) -> dict:
    c = r.consultation
    return {
        "id": c.pk,
        "title": c.title,
        "kind": c.kind,
        "kind_label": r.kind_label,
        "status": c.status,
        "status_label": c.get_status_display(),
        "requester": _person(c.requester),
        "unit": c.unit_id,
        "unit_label": r.unit_label,
        "top": r.top,
        "handler": _person(c.handler) if c.handler_id else None,
        "project": {"id": c.project.pk, "title": c.project.title} if c.project_id else None,
        "case": {"id": c.case.pk, "title": c.case.title} if c.case_id else None,
        "opened_at": c.opened_at,
        "closed_at": c.closed_at,
        "days_open": r.days_open,
        "age_bucket": r.age_bucket,
        "resolution_days": r.resolution_days,
        "message_count": r.messages,
        "last_message_at": r.last_message_at,
        "url": request.build_absolute_uri(reverse("desk:detail", args=[c.pk])),
    }


def _message(m: ConsultationMessage, requester_user_id) -> dict:
    employee = getattr(m.author, "employee", None)
    return {
        "id": m.pk,
        "author": {"id": m.author_id, "name": sel.author_name(m.author)} if employee is None else _person(employee),
        "from_requester": m.author_id == requester_user_id,
        "body": m.body,
        "posted_at": m.posted_at,
    }


def _attachment(request, a: Attachment) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "size": a.size,
        "uploaded_at": a.uploaded_at,
        "file": request.build_absolute_uri(reverse("desk:attachment", args=[a.pk])),
    }


def _detail_body(request, consultation) -> dict:
    detail = sel.consultation_detail(consultation)
    body = _row(request, detail.row)
    body["description"] = consultation.description
    body["next_statuses"] = list(services.CONSULTATION_TRANSITIONS[consultation.status])
    body["attachments"] = [_attachment(request, a) for a in detail.attachments]
    return body


def _visible(request, pk: int):
    consultation = sel.consultation_for(request.user, pk)
    if consultation is None:
        raise exceptions.NotFound("この相談は見つかりません。")
    return consultation


@contextmanager
def _conflicts():
    """WorkflowError → 409 with its message."""
    try:
        yield
    except WorkflowError as exc:
        raise Conflict(str(exc)) from exc


def _get_or_400(model, pk, field: str, label: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise exceptions.ValidationError({field: [f"この{label}は見つかりません。"]})
    return obj


# ---------------------------------------------------------------- views


class ConsultationsView(ScopedAPIView):
    serializer_class = ConsultationSerializer
    required_action = Action.VIEW_CONSULTATIONS

    @extend_schema(
        operation_id="consultations_list",
        summary="相談の一覧",
        description=(
            "相談窓口（事務局）はすべて、管理職・局区担当は担当範囲の所属の相談、リーダーは自分の相談を返します。"
            "status=open で未完了（受付・対応中）、handler=none で未割当。"
        ),
        parameters=[ConsultationQuery],
        responses={200: ConsultationSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(ConsultationQuery)
        filters = sel.DeskFilter(
            status=q.get("status", ""),
            kind=q.get("kind", ""),
            handler=q.get("handler", ""),
            top=q.get("top"),
            sort=q.get("sort") or "-opened",
        )
        page = self.paginate_queryset(sel.desk_queryset(request.user, filters))
        rows = sel.consultation_rows(page, sel.kind_labels())
        return self.get_paginated_response(ConsultationSerializer([_row(request, r) for r in rows], many=True).data)

    @extend_schema(
        operation_id="consultations_create",
        summary="相談の登録",
        description=(
            "DX推進リーダーと局区担当が登録できます。kind はポリシーパックの相談種別コード、project は閲覧できる"
            "プロジェクトのID（任意）。所属は相談者の現在の課です。添付は /attachments/ に追加します。"
        ),
        request=ConsultationInput,
        responses={201: ConsultationDetailSerializer, **ERRORS},
        tags=TAGS,
    )
    def post(self, request):
        data = ConsultationInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        project = _get_or_400(Project, d.get("project"), "project", "プロジェクト")
        c = services.consultation_open(
            by=request.user, title=d["title"], kind=d["kind"], description=d["description"], project=project
        )
        return Response(_detail_body(request, _visible(request, c.pk)), status=status.HTTP_201_CREATED)


class ConsultationDetailView(ScopedAPIView):
    serializer_class = ConsultationDetailSerializer
    required_action = None  # row scoping alone: a consultation the caller may not see is a 404

    @extend_schema(
        operation_id="consultations_retrieve",
        summary="相談の詳細",
        responses={200: ConsultationDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_detail_body(request, _visible(request, pk)))


class ConsultationMessagesView(ScopedAPIView):
    serializer_class = ConsultationMessageSerializer
    required_action = None  # row scoping alone: a consultation the caller may not see is a 404

    @extend_schema(
        operation_id="consultation_messages_list",
        summary="相談のやりとり（古い順）",
        responses={200: ConsultationMessageSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        c = _visible(request, pk)
        qs = ConsultationMessage.objects.filter(consultation=c).select_related("author__employee")
        page = self.paginate_queryset(qs)
        user_id = c.requester.user_id
        return self.get_paginated_response(
            ConsultationMessageSerializer([_message(m, user_id) for m in page], many=True).data
        )

    @extend_schema(
        operation_id="consultation_messages_create",
        summary="返信する（相談者または相談窓口）",
        description="完了（解決・対象外）した相談には返信できません（409）。",
        request=ConsultationMessageInput,
        responses={201: ConsultationMessageSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        c = _visible(request, pk)
        data = ConsultationMessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        with _conflicts():
            m = services.consultation_reply(consultation=c, by=request.user, body=data.validated_data["body"])
        return Response(
            ConsultationMessageSerializer(_message(m, c.requester.user_id)).data, status=status.HTTP_201_CREATED
        )


class ConsultationAttachmentsView(ScopedAPIView):
    serializer_class = ConsultationAttachmentSerializer
    required_action = None  # row scoping alone: a consultation the caller may not see is a 404
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="consultation_attachments_list",
        summary="相談の添付ファイル",
        responses={200: ConsultationAttachmentSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        c = _visible(request, pk)
        page = self.paginate_queryset(Attachment.objects.filter(consultation=c))
        return self.get_paginated_response(
            ConsultationAttachmentSerializer([_attachment(request, a) for a in page], many=True).data
        )

    @extend_schema(
        operation_id="consultation_attachments_create",
        summary="ファイルを添付する（multipart）",
        description="pdf, pptx, xlsx, docx, vsdx, png, jpg, zip（20MBまで）。相談者と相談窓口が追加できます。",
        request={"multipart/form-data": ConsultationAttachmentInput},
        responses={201: ConsultationAttachmentSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        c = _visible(request, pk)
        data = ConsultationAttachmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        with _conflicts():
            a = services.consultation_attachment_add(
                consultation=c, by=request.user, file=d["file"], title=d.get("title", "")
            )
        return Response(ConsultationAttachmentSerializer(_attachment(request, a)).data, status=status.HTTP_201_CREATED)


class _DeskAction(ScopedAPIView):
    serializer_class = ConsultationDetailSerializer
    required_action = None  # row scoping alone: a consultation the caller may not see is a 404
    input_class: type[serializers.Serializer]

    def post(self, request, pk: int):
        c = _visible(request, pk)
        if not sel.is_desk(request.user):
            raise PermissionDenied("この操作は相談窓口（事務局）だけが行えます。")
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        with _conflicts():
            self.act(c, data.validated_data)
        return Response(_detail_body(request, _visible(request, pk)))


def _desk_schema(operation_id: str, summary: str, request, description: str = ""):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        request=request,
        responses={200: ConsultationDetailSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )


class ConsultationAssignView(_DeskAction):
    input_class = ConsultationAssignInput

    @_desk_schema(
        "consultations_assign", "担当者の割当（相談窓口）", ConsultationAssignInput, "handler=null で未割当に戻します。"
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, c, d):
        handler = _get_or_400(Employee, d.get("handler"), "handler", "職員")
        services.consultation_assign(consultation=c, by=self.request.user, handler=handler)


class ConsultationStatusView(_DeskAction):
    input_class = ConsultationStatusInput

    @_desk_schema(
        "consultations_status",
        "状態の変更（相談窓口）",
        ConsultationStatusInput,
        "受付→対応中・対象外、対応中→解決・対象外、解決→対応中（再開）。それ以外は 409。",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, c, d):
        services.consultation_set_status(consultation=c, by=self.request.user, status=d["status"])


class ConsultationLinkCaseView(_DeskAction):
    input_class = ConsultationCaseInput

    @_desk_schema(
        "consultations_link_case", "参考になる事例の紹介（相談窓口）", ConsultationCaseInput, "公開中の事例だけ。"
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, c, d):
        case = _get_or_400(Case, d.get("case"), "case", "事例")
        services.consultation_link_case(consultation=c, by=self.request.user, case=case)

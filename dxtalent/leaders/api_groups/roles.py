"""API views: certification (認定) and leader roles."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.models import Employee

from .. import selectors_groups as sel
from .. import services
from ..errors import WorkflowError
from ..models import Cohort
from .groups import CONFLICT, TAGS, _conflict
from .serializers import (
    CertificationCandidateSerializer,
    CertificationSerializer,
    CertifyInput,
    LeaderRoleQuery,
    LeaderRoleSerializer,
    RoleChangeInput,
    RoleEndInput,
    _person,
)

# ---------------------------------------------------------------- certification


class CertificationView(ScopedAPIView):
    serializer_class = CertificationCandidateSerializer
    required_action = Action.VIEW_PROGRAMME

    @extend_schema(
        operation_id="leader_certification_candidates",
        summary="認定の候補（修了要件の充足と、満たしていない理由）",
        responses={200: CertificationCandidateSerializer(many=True), **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, cohort_pk: int):
        cohort = get_object_or_404(Cohort, pk=cohort_pk)
        rows = self.paginate_queryset(sel.certification_candidates(cohort, request.user))
        body = [
            {
                "member": c.member.pk,
                "employee": _person(c.member.employee),
                "status": c.member.status,
                "eligible": c.eligible,
                "certified": c.certified,
                "reasons": c.reasons,
                "phases": [
                    {"code": p.code, "name": p.name, "required": p.required, "attended": p.attended, "done": p.done}
                    for p in c.phases
                ],
                "group": c.group.pk if c.group else None,
                "evaluated": c.evaluated,
            }
            for c in rows
        ]
        return self.get_paginated_response(CertificationCandidateSerializer(body, many=True).data)

    @extend_schema(
        operation_id="leader_certification_certify",
        summary="認定する",
        description=(
            "選んだ全員が修了要件を満たしているときだけ認定します（一人でも満たしていなければ誰も認定せず 409、"
            "detail に氏名と理由）。認定日から既定の役割類型の DX推進リーダーとなり、"
            "ログインに leader ロールが付きます。"
        ),
        request=CertifyInput,
        responses={201: CertificationSerializer(many=True), **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, cohort_pk: int):
        if not access.may(request.user, Action.MANAGE_PROGRAMME):
            raise PermissionDenied()
        cohort = get_object_or_404(Cohort, pk=cohort_pk)
        data = CertifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            made = services.cohort_certify(cohort=cohort, by=request.user, **data.validated_data)
        except WorkflowError as exc:
            _conflict(exc)
        body = [
            {"id": c.pk, "member": c.member_id, "employee": _person(c.member.employee), "certified_on": c.certified_on}
            for c in made
        ]
        return Response(CertificationSerializer(body, many=True).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- leader roles


def _role_row(r: sel.LeaderRow) -> dict:
    return {
        "id": r.role.pk,
        "employee": _person(r.employee),
        "role_type": r.role.role_type,
        "role_type_name": r.role_type_name,
        "valid_from": r.role.valid_from,
        "valid_to": r.role.valid_to,
        "cohort": r.cohort.number if r.cohort else None,
        "certified_on": r.role.certification.certified_on,
        "top": r.top,
        "bu": r.bu,
        "unit_label": r.unit_label,
        "in_practice_year": r.in_practice_year,
    }


class LeaderRolesView(ScopedAPIView):
    serializer_class = LeaderRoleSerializer
    required_action = Action.VIEW_PROGRAMME

    @extend_schema(
        operation_id="leader_roles_list",
        summary="DX推進リーダーの役割（基準日時点で有効なもの）",
        description="as_of（省略時は今日）に有効な役割を、その日の所属（局区・部）とともに返します。閲覧できる人だけ。",
        parameters=[LeaderRoleQuery],
        responses={200: LeaderRoleSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(LeaderRoleQuery)
        rows = sel.leader_list(
            user=request.user,
            day=q.get("as_of") or timezone.localdate(),
            top=q.get("top"),
            role_type=q.get("role_type") or "",
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LeaderRoleSerializer([_role_row(r) for r in page], many=True).data)


def _visible_employee(request, pk: int) -> Employee:
    employee = Employee.objects.filter(pk=pk).first()
    if employee is None or not access.may_view_employee(request.user, employee):
        raise exceptions.NotFound("この職員は見つかりません。")
    return employee


class _RoleActionView(ScopedAPIView):
    serializer_class = LeaderRoleSerializer
    required_action = Action.MANAGE_LEADER_ROLES

    def _answer(self, request, employee: Employee, day):
        rows = [r for r in sel.leader_list(user=request.user, day=day) if r.employee.pk == employee.pk]
        return Response(LeaderRoleSerializer([_role_row(r) for r in rows], many=True).data)


class LeaderRoleChangeView(_RoleActionView):
    @extend_schema(
        operation_id="leader_roles_change",
        summary="役割類型の変更（変更日の前日で今の役割を終え、新しい役割を始める）",
        request=RoleChangeInput,
        responses={200: LeaderRoleSerializer(many=True), **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = RoleChangeInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        employee = _visible_employee(request, d["employee"])
        try:
            services.leader_role_change(
                employee=employee, role_type=d["role_type"], on=d["on"], note=d["note"], by=request.user
            )
        except WorkflowError as exc:
            _conflict(exc)
        return self._answer(request, employee, d["on"])


class LeaderRoleEndView(_RoleActionView):
    @extend_schema(
        operation_id="leader_roles_end",
        summary="リーダーの役割の終了（on の前日が最終日）",
        request=RoleEndInput,
        responses={204: None, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = RoleEndInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        employee = _visible_employee(request, d["employee"])
        try:
            services.leader_role_end(employee=employee, on=d["on"], reason=d["reason"], by=request.user)
        except WorkflowError as exc:
            _conflict(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

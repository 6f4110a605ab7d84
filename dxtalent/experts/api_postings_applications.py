"""API of ジョブチャレンジ applications: list (scoped), apply, detail, advance (hr), withdraw (the applicant).

Applicants see only their own (others' are 404), hr and the secretariat all of them, managers their staff's
(scope=staff: no motivation, and nothing unless the pack says managers are told). Postings: api_postings.py.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from . import services
from .api_postings import CONFLICT, TAGS, _run
from .api_postings_serializers import AdvanceInput, ApplicationQuery, ApplicationSerializer, ApplyInput
from .models import Posting
from .selectors import postings as sel


def _placements(app, stages: dict, roles: dict) -> list[dict]:
    out = []
    if app.placed_assignment_id:
        a = app.placed_assignment
        out.append(
            {"kind": "assignment", "id": a.pk, "label": org_snapshot().label_of(a.unit_id), "valid_from": a.valid_from}
        )
    if app.placed_leader_role_id:
        r = app.placed_leader_role
        label = roles.get(r.role_type, r.role_type)
        out.append({"kind": "leader_role", "id": r.pk, "label": label, "valid_from": r.valid_from})
    if app.placed_stage_period_id:
        sp = app.placed_stage_period
        label = stages.get(sp.stage_code, sp.stage_code)
        out.append({"kind": "stage", "id": sp.pk, "label": label, "valid_from": sp.valid_from})
    return out


def _names():
    try:
        pack = current_pack()
    except NoPolicyPack:
        return {}, {}
    return {s.code: s.name for s in pack.ladder}, {r.code: r.name for r in pack.role_types}


def _application(row: sel.ApplicationRow, *, full: bool, names=None) -> dict:
    a = row.application
    body = {
        "id": a.pk,
        "posting": {"id": a.posting_id, "code": a.posting.kind, "name": a.posting.title},
        "employee": {"id": a.employee_id, "code": a.employee.number, "name": a.employee.name},
        "unit_label": row.unit_label,
        "status": a.status,
        "status_label": a.get_status_display(),
        "applied_at": a.applied_at,
        "decided_on": a.decided_on,
    }
    if full:
        stages, roles = names or _names()
        body.update(
            motivation=a.motivation, decision_reason=a.decision_reason, placements=_placements(a, stages, roles)
        )
    return body


def _application_body(request, app) -> dict:
    row = sel.application_rows([app])[0]
    body = _application(row, full=True)
    if access.may(request.user, Action.VIEW_APPLICATIONS):
        m = row.manager
        body["manager"] = {"id": m.pk, "code": m.number, "name": m.name} if m else None
    return ApplicationSerializer(body).data


class ApplicationListView(ScopedAPIView):
    serializer_class = ApplicationSerializer
    required_action = Action.VIEW_POSTINGS

    @extend_schema(
        operation_id="applications_list",
        summary="応募の一覧（自分の応募／すべて／所属の職員）",
        description="scope=mine: 自分の応募。all: すべて（人事部門・事務局）。staff: 所属の職員の応募（管理職。"
        "パックで所属長に知らせる設定のときだけ。志望動機は含みません）。",
        parameters=[ApplicationQuery],
        responses={200: ApplicationSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(ApplicationQuery)
        user = request.user
        scope = q.get("scope") or ("all" if access.may(user, Action.VIEW_APPLICATIONS) else "mine")
        if scope == "all":
            if not access.may(user, Action.VIEW_APPLICATIONS):
                raise PermissionDenied("すべての応募を見られるのは人事部門と事務局だけです。")
            qs = sel.visible_applications(user)
        elif scope == "staff":
            if not access.may(user, Action.VIEW_STAFF_APPLICATIONS):
                raise PermissionDenied("所属の職員の応募を見られるのは管理職だけです。")
            qs = sel.staff_applications(user)
        else:
            me = access.employee_of(user)
            qs = sel.visible_applications(user).filter(employee_id=me.pk if me else None)
        if q.get("posting"):
            qs = qs.filter(posting_id=q["posting"])
        if q.get("status"):
            qs = qs.filter(status=q["status"])
        qs = qs.select_related("posting", "employee", "manager").order_by("-applied_at", "-pk")
        if scope != "staff":
            qs = qs.select_related("placed_assignment", "placed_leader_role", "placed_stage_period")
        page = self.paginate_queryset(qs)
        names = _names()
        rows = [_application(r, full=scope != "staff", names=names) for r in sel.application_rows(page)]
        return self.paginated(rows)

    @extend_schema(
        operation_id="applications_create",
        summary="応募する（本人）",
        description="締切後・受付前・募集終了は 409。二重応募、志望動機なし、リーダー向けの募集に認定なしは 400。",
        request=ApplyInput,
        responses={201: ApplicationSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = ApplyInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        posting = Posting.objects.filter(pk=d["posting"]).first()
        if posting is None:
            raise exceptions.ValidationError({"posting": ["この募集はありません"]})
        app = _run(lambda: services.application_submit(posting=posting, by=request.user, motivation=d["motivation"]))
        return Response(_application_body(request, sel.get_application(request.user, app.pk)), status=201)


class ApplicationDetailView(ScopedAPIView):
    serializer_class = ApplicationSerializer
    required_action = Action.VIEW_POSTINGS

    @extend_schema(
        operation_id="applications_retrieve",
        summary="応募の詳細（本人・人事部門・事務局のみ。それ以外は 404）",
        responses={200: ApplicationSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(_application_body(request, sel.get_application(request.user, pk)))


class ApplicationAdvanceView(ScopedAPIView):
    serializer_class = ApplicationSerializer
    required_action = Action.SCREEN_APPLICATIONS

    @extend_schema(
        operation_id="applications_advance",
        summary="選考を進める（人事部門）: 書類選考 → 面談 → 決定 / 不採用",
        description="決定すると、募集の種類に応じて異動・育成段階・リーダーの役割が着任日付で登録されます。",
        request=AdvanceInput,
        responses={200: ApplicationSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        app = sel.get_application(request.user, pk)
        data = AdvanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        _run(lambda: services.application_advance(application=app, by=request.user, **d))
        return Response(_application_body(request, sel.get_application(request.user, pk)))


class ApplicationWithdrawView(ScopedAPIView):
    serializer_class = ApplicationSerializer
    required_action = Action.VIEW_POSTINGS

    @extend_schema(
        operation_id="applications_withdraw",
        summary="応募の取下げ（本人、決定前のみ）",
        request=None,
        responses={200: ApplicationSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        app = sel.get_application(request.user, pk)
        _run(lambda: services.application_withdraw(application=app, by=request.user, at=timezone.now()))
        return Response(_application_body(request, sel.get_application(request.user, pk)))

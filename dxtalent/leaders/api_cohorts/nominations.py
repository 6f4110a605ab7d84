"""API of nominations: list (scoped), nominate, edit, withdraw, decide."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import RefSerializer, id_field
from dxtalent.org.models import Employee
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import pack_of

from .. import selectors_cohorts as sel
from .. import services
from ..coverage import coverage
from ..models import Nomination, NominationWindow
from ._common import CONFLICT, TAGS, S, _call, _pk_field, _ref

# ---------------------------------------------------------------- nominations


class NominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    window = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    employee = RefSerializer(help_text="候補者（code は職員番号）")
    unit = RefSerializer(allow_null=True, help_text="推薦した局区")
    current_unit = serializers.CharField(help_text="候補者の今日の所属")
    bu_leaders = serializers.IntegerField(help_text="候補者の部にいる現役リーダーの数（今日時点）")
    requirements = serializers.DictField(child=serializers.BooleanField(), help_text="要件コード → 確認済みか")
    recommendation = serializers.CharField()
    status = serializers.ChoiceField(choices=S.choices)
    status_label = serializers.CharField()
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class NominationQuerySerializer(serializers.Serializer):
    window = id_field("推薦受付")
    fiscal_year = serializers.IntegerField(required=False, min_value=2000, max_value=2200)
    status = serializers.ChoiceField(
        choices=S.choices, required=False, error_messages={"invalid_choice": "状態の指定が正しくありません。"}
    )


class NominationInputSerializer(serializers.Serializer):
    window = _pk_field("推薦受付")
    employee = _pk_field("候補者（職員）")
    requirements = serializers.DictField(child=serializers.BooleanField(), help_text="要件コード → true（すべて必要）")
    recommendation = serializers.CharField(allow_blank=True, help_text="推薦理由（必須）")


class NominationPatchSerializer(serializers.Serializer):
    requirements = serializers.DictField(child=serializers.BooleanField(), required=False)
    recommendation = serializers.CharField(allow_blank=True, required=False)


class NominationDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[S.SELECTED, S.RESERVE, S.DECLINED],
        error_messages={"invalid_choice": "selected / reserve / declined のいずれかを指定してください。"},
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="補欠・見送りのときは必須")


def _nomination_rows(nominations, day) -> list[dict]:
    """Nominations (of any windows) labelled with today's 所属 and 部 coverage: fixed queries whatever the rows."""
    snap = org_snapshot(day)
    cov = coverage(day)
    labelled = {}
    by_window: dict[int, list] = {}
    for n in nominations:
        by_window.setdefault(n.window_id, []).append(n)
    for items in by_window.values():
        for row in sel.nomination_rows(items, pack_of(items[0].window.pack), day, cov):
            labelled[row.nomination.pk] = row
    out = []
    for n in nominations:
        row = labelled[n.pk]
        top = snap.nodes.get(n.unit_id)
        out.append(
            {
                "id": n.pk,
                "window": n.window_id,
                "fiscal_year": n.window.fiscal_year,
                "employee": _ref(n.employee.pk, n.employee.number, n.employee.name),
                "unit": _ref(top.unit_id, top.code, top.name) if top else None,
                "current_unit": row.unit_label,
                "bu_leaders": row.bu_leaders,
                "requirements": n.requirements,
                "recommendation": n.recommendation,
                "status": n.status,
                "status_label": n.get_status_display(),
                "decision_reason": n.decision_reason,
                "decided_at": n.decided_at,
                "created_at": n.created_at,
                "updated_at": n.updated_at,
            }
        )
    return out


def _nominations_qs(user):
    day = timezone.localdate()
    return (
        sel.nominations_visible_to(user)
        .select_related("employee", "window__pack")
        .prefetch_related(sel.current_assignments_prefetch(day))
    )


def _visible_nomination(user, pk: int) -> Nomination:
    nomination = _nominations_qs(user).filter(pk=pk).first()
    if nomination is None:
        raise exceptions.NotFound("推薦が見つかりません。")
    return nomination


def _one(user, pk: int) -> dict:
    return _nomination_rows([_visible_nomination(user, pk)], timezone.localdate())[0]


class NominationListView(ScopedAPIView):
    serializer_class = NominationSerializer

    def get_permissions(self):
        self.required_action = Action.NOMINATE if self.request.method == "POST" else Action.VIEW_NOMINATIONS
        return super().get_permissions()

    @extend_schema(
        operation_id="leader_nominations_list",
        summary="推薦の一覧",
        description="局区担当は担当局区の推薦だけ、職員部・事務局はすべて。ほかのロールは 403 です。",
        parameters=[NominationQuerySerializer],
        responses={200: NominationSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(NominationQuerySerializer)
        qs = _nominations_qs(request.user)
        if q.get("window"):
            qs = qs.filter(window_id=q["window"])
        if q.get("fiscal_year"):
            qs = qs.filter(window__fiscal_year=q["fiscal_year"])
        if q.get("status"):
            qs = qs.filter(status=q["status"])
        page = self.paginate_queryset(qs.order_by("-window__fiscal_year", "unit_id", "employee__kana_key", "pk"))
        return self.paginated(_nomination_rows(list(page), timezone.localdate()))

    @extend_schema(
        operation_id="leader_nominations_create",
        summary="推薦する（局区担当）",
        description=(
            "担当局区に現在所属する職員だけを、受付期間中に推薦できます。要件はすべて true、推薦理由は必須です。"
            "担当外・既にリーダー・同じ年度に推薦済み・退職・推薦枠超過は 400、受付期間外は 409 です。"
        ),
        request=NominationInputSerializer,
        responses={201: NominationSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = NominationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        window = NominationWindow.objects.filter(pk=d["window"]).first()
        if window is None:
            raise exceptions.ValidationError({"window": ["推薦受付が見つかりません。"]})
        employee = Employee.objects.filter(pk=d["employee"]).first()
        if employee is None or not access.may_view_employee(request.user, employee):
            raise exceptions.ValidationError({"employee": ["この職員は担当の局区にいないか、存在しません。"]})
        nomination = _call(
            services.nomination_submit,
            window=window,
            employee=employee,
            by=request.user,
            requirements=d["requirements"],
            recommendation=d["recommendation"],
        )
        return Response(NominationSerializer(_one(request.user, nomination.pk)).data, status=status.HTTP_201_CREATED)


class NominationDetailView(ScopedAPIView):
    serializer_class = NominationSerializer

    def get_permissions(self):
        self.required_action = Action.NOMINATE if self.request.method == "PATCH" else Action.VIEW_NOMINATIONS
        return super().get_permissions()

    @extend_schema(
        operation_id="leader_nominations_retrieve",
        summary="推薦の詳細",
        responses={200: NominationSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(NominationSerializer(_one(request.user, pk)).data)

    @extend_schema(
        operation_id="leader_nominations_update",
        summary="推薦の変更（局区担当、締切まで）",
        description="未決定の推薦だけ、締切日まで変更できます（それ以外は 409）。",
        request=NominationPatchSerializer,
        responses={200: NominationSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        nomination = _visible_nomination(request.user, pk)
        data = NominationPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.nomination_update, nomination=nomination, by=request.user, **data.validated_data)
        return Response(NominationSerializer(_one(request.user, pk)).data)


class NominationWithdrawView(ScopedAPIView):
    serializer_class = NominationSerializer
    required_action = Action.NOMINATE

    @extend_schema(
        operation_id="leader_nominations_withdraw",
        summary="推薦の取下げ（局区担当、締切まで）",
        request=None,
        responses={200: NominationSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        nomination = _visible_nomination(request.user, pk)
        _call(services.nomination_withdraw, nomination=nomination, by=request.user)
        return Response(NominationSerializer(_one(request.user, pk)).data)


class NominationDecideView(ScopedAPIView):
    serializer_class = NominationSerializer
    required_action = Action.MANAGE_PROGRAMME

    @extend_schema(
        operation_id="leader_nominations_decide",
        summary="選定・補欠・見送り（事務局）",
        description=(
            "推薦中 → 選定／補欠／見送り、補欠 → 選定／見送り、選定 → 補欠／見送り（期の編成前のみ）。"
            "それ以外の変更は 409。補欠・見送りは理由が必須（400）。"
        ),
        request=NominationDecisionSerializer,
        responses={200: NominationSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request, pk: int):
        nomination = _visible_nomination(request.user, pk)
        data = NominationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.nomination_decide, nomination=nomination, by=request.user, **data.validated_data)
        return Response(NominationSerializer(_one(request.user, pk)).data)

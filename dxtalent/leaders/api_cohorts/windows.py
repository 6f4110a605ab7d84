"""API of nomination windows and their quotas."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView
from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer
from dxtalent.policy.selectors import pack_of

from .. import selectors_cohorts as sel
from .. import services
from ..models import NominationWindow
from ._common import CONFLICT, TAGS, _call, _pk_field, _ref

# ---------------------------------------------------------------- windows


class NominationWindowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField(help_text="研修年度（西暦の年度）")
    fiscal_year_label = serializers.CharField(help_text="例: 令和9年度")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField(help_text="締切日（この日まで推薦・変更できる）")
    state = serializers.ChoiceField(choices=list(sel.WINDOW_STATE_LABELS), help_text="upcoming / open / closed")
    state_label = serializers.CharField()
    note = serializers.CharField()
    pack = RefSerializer(help_text="推薦の要件・計画人数の出典のポリシーパック")
    planned_cohort_number = serializers.IntegerField(allow_null=True)
    target_size = serializers.IntegerField(help_text="期の計画人数（ポリシーパック）")
    requirements = serializers.ListField(child=serializers.DictField(), help_text="推薦の要件 [{code, label}]")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="閲覧できる推薦の状態別件数")


class NominationWindowInputSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(
        min_value=2000,
        max_value=2200,
        error_messages={
            "required": "研修年度を指定してください。",
            "invalid": "研修年度は西暦の年度（整数）で指定してください。",
        },
    )
    opens_on = FlexibleDateField(error_messages={"required": "受付開始日を指定してください。"})
    closes_on = FlexibleDateField(error_messages={"required": "締切日を指定してください。"})
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NominationWindowPatchSerializer(serializers.Serializer):
    opens_on = FlexibleDateField(required=False)
    closes_on = FlexibleDateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


def _window_row(w: NominationWindow, counts: dict | None = None) -> dict:
    pack = pack_of(w.pack)
    number, target = sel.cohort_plan(pack, w.fiscal_year)
    state = sel.window_state(w)
    return {
        "id": w.pk,
        "fiscal_year": w.fiscal_year,
        "fiscal_year_label": format_fiscal_year(w.fiscal_year),
        "opens_on": w.opens_on,
        "closes_on": w.closes_on,
        "state": state,
        "state_label": sel.WINDOW_STATE_LABELS[state],
        "note": w.note,
        "pack": _ref(w.pack_id, w.pack.code, f"{w.pack.name} ver.{w.pack.version}"),
        "planned_cohort_number": number,
        "target_size": target,
        "requirements": [{"code": c, "label": label} for c, label in pack.nomination_requirements],
        "counts": counts if counts is not None else getattr(w, "counts", {}),
    }


def _visible_window(pk: int) -> NominationWindow:
    window = NominationWindow.objects.select_related("pack").filter(pk=pk).first()
    if window is None:
        raise exceptions.NotFound("推薦受付が見つかりません。")
    return window


class WindowListView(ScopedAPIView):
    serializer_class = NominationWindowSerializer

    def get_permissions(self):
        self.required_action = Action.MANAGE_PROGRAMME if self.request.method == "POST" else Action.VIEW_NOMINATIONS
        return super().get_permissions()

    @extend_schema(
        operation_id="leader_windows_list",
        summary="推薦受付の一覧",
        description="年度の新しい順。counts は閲覧できる推薦（局区担当は担当局区の推薦）の状態別件数です。",
        responses={200: NominationWindowSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        page = self.paginate_queryset(sel.windows_with_counts(request.user))
        return self.paginated([_window_row(w) for w in page])

    @extend_schema(
        operation_id="leader_windows_create",
        summary="推薦受付の作成（事務局）",
        description="研修年度の初日に有効なポリシーパックで作成します。同じ年度の推薦受付は1つだけです。",
        request=NominationWindowInputSerializer,
        responses={201: NominationWindowSerializer, **ERRORS, **CONFLICT},
        tags=TAGS,
    )
    def post(self, request):
        data = NominationWindowInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        window = _call(services.nomination_window_open, by=request.user, **data.validated_data)
        window = _visible_window(window.pk)
        return Response(NominationWindowSerializer(_window_row(window, {})).data, status=status.HTTP_201_CREATED)


class WindowDetailView(ScopedAPIView):
    serializer_class = NominationWindowSerializer

    def get_permissions(self):
        self.required_action = Action.MANAGE_PROGRAMME if self.request.method == "PATCH" else Action.VIEW_NOMINATIONS
        return super().get_permissions()

    @extend_schema(
        operation_id="leader_windows_retrieve",
        summary="推薦受付の詳細",
        responses={200: NominationWindowSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        window = _visible_window(pk)
        w = next(x for x in sel.windows_with_counts(request.user) if x.pk == window.pk)
        return Response(NominationWindowSerializer(_window_row(w)).data)

    @extend_schema(
        operation_id="leader_windows_update",
        summary="推薦受付の期間・お知らせの変更（事務局）",
        description="締切の延長など。期の編成後は変更できません（409）。",
        request=NominationWindowPatchSerializer,
        responses={200: NominationWindowSerializer, **ERRORS, **NOT_FOUND, **CONFLICT},
        tags=TAGS,
    )
    def patch(self, request, pk: int):
        window = _visible_window(pk)
        data = NominationWindowPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.nomination_window_update, window=window, by=request.user, **data.validated_data)
        w = next(x for x in sel.windows_with_counts(request.user) if x.pk == window.pk)
        return Response(NominationWindowSerializer(_window_row(w)).data)


# ---------------------------------------------------------------- quotas


class NominationQuotaRowSerializer(serializers.Serializer):
    unit = RefSerializer(help_text="局区")
    quota = serializers.IntegerField(allow_null=True, help_text="推薦枠（null: 未設定 = 上限なし）")
    suggested = serializers.IntegerField(allow_null=True, help_text="提案枠（事務局のみ。ほかは null）")
    bu_total = serializers.IntegerField(help_text="部の数")
    bu_uncovered = serializers.IntegerField(help_text="リーダーのいない部の数（今日時点）")
    nominated = serializers.IntegerField(help_text="推薦数（取下げを除く）")
    selected = serializers.IntegerField()
    over = serializers.BooleanField(help_text="推薦数が推薦枠を超えている")


class NominationQuotaTableSerializer(serializers.Serializer):
    window = serializers.IntegerField()
    size = serializers.IntegerField(help_text="提案が配分する計画人数")
    basis = serializers.CharField(
        help_text="提案の基準（uncovered: リーダーのいない部の数 / bu: 部の数 / equal: 均等）"
    )
    rows = NominationQuotaRowSerializer(many=True)


class NominationQuotaEntrySerializer(serializers.Serializer):
    unit = _pk_field("局区")
    quota = serializers.IntegerField(
        min_value=0,
        max_value=999,
        error_messages={
            "invalid": "推薦枠は0以上の整数で指定してください。",
            "min_value": "推薦枠は0以上の整数で指定してください。",
        },
    )


class NominationQuotaInputSerializer(serializers.Serializer):
    quotas = NominationQuotaEntrySerializer(
        many=True, help_text="[{unit, quota}]。指定しない局区の推薦枠は変わりません。"
    )


def _quota_payload(window, user) -> dict:
    table = sel.quota_table(window)
    manager = access.may(user, Action.MANAGE_PROGRAMME)
    units = sel.liaison_units(user)
    rows = [r for r in table.rows if access.scope(user).all or r.unit.unit_id in units]
    return {
        "window": window.pk,
        "size": table.size,
        "basis": table.basis,
        "rows": [
            {
                "unit": _ref(r.unit.unit_id, r.unit.code, r.unit.name),
                "quota": r.quota,
                "suggested": r.suggested if manager else None,
                "bu_total": r.bu_total,
                "bu_uncovered": r.bu_uncovered,
                "nominated": r.nominated,
                "selected": r.selected,
                "over": r.over,
            }
            for r in rows
        ],
    }


class QuotaView(ScopedAPIView):
    serializer_class = NominationQuotaTableSerializer

    def get_permissions(self):
        self.required_action = Action.MANAGE_PROGRAMME if self.request.method == "PUT" else Action.VIEW_NOMINATIONS
        return super().get_permissions()

    @extend_schema(
        operation_id="leader_quotas_retrieve",
        summary="局区ごとの推薦枠（と事務局向けの提案枠）",
        description="局区担当には担当局区の行だけを返します。提案枠は計画人数をリーダーのいない部の数に比例して配分したものです。",
        responses={200: NominationQuotaTableSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        return Response(NominationQuotaTableSerializer(_quota_payload(_visible_window(pk), request.user)).data)

    @extend_schema(
        operation_id="leader_quotas_set",
        summary="推薦枠の設定（事務局）",
        request=NominationQuotaInputSerializer,
        responses={200: NominationQuotaTableSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def put(self, request, pk: int):
        window = _visible_window(pk)
        data = NominationQuotaInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quotas = {row["unit"]: row["quota"] for row in data.validated_data["quotas"]}
        _call(services.nomination_quotas_set, window=window, quotas=quotas, by=request.user)
        return Response(NominationQuotaTableSerializer(_quota_payload(window, request.user)).data)

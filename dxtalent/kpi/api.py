"""/api/v1/kpi/programme/: the programme dashboard's numbers as JSON (same selector as the page)."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from dxtalent.core.api import Conflict
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, ScopedAPIView
from dxtalent.org.api_serializers import ErrorSerializer, FlexibleDateField
from dxtalent.policy.selectors import NoPolicyPack

from . import selectors

# ---------------------------------------------------------------- input


class ProgrammeQuerySerializer(serializers.Serializer):
    as_of = FlexibleDateField(
        required=False,
        allow_null=True,
        help_text="基準日（省略時は今日）。2026-04-01, 2026/4/1, R8.4.1, 令和8年4月1日 のいずれの形式も可",
    )


# ---------------------------------------------------------------- output


class PackRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()


class YearSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(help_text="年度（西暦。2026 = 令和8年度）")
    label = serializers.CharField(help_text="令和8年度")
    year_end = serializers.DateField()
    certified = serializers.IntegerField(
        allow_null=True, help_text="年度内の認定者数（基準日まで。未到来の年度は null）"
    )
    cumulative = serializers.IntegerField(allow_null=True, help_text="累計認定者数")
    target = serializers.IntegerField(allow_null=True, help_text="ポリシーパックの累計目標")
    gap = serializers.IntegerField(allow_null=True, help_text="目標までの不足人数")
    status = serializers.ChoiceField(choices=list(selectors.STATUS_LABELS))
    status_label = serializers.CharField()


class KpiMilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    target = serializers.IntegerField()
    leaders = serializers.IntegerField(help_text="checked_on 時点の累計認定者数")
    gap = serializers.IntegerField()
    checked_on = serializers.DateField(help_text="判定した日（基準日、期限を過ぎていれば期限の年度末）")
    min_leaders_per_bu = serializers.IntegerField(allow_null=True)
    bu_total = serializers.IntegerField(allow_null=True)
    bu_short = serializers.IntegerField(allow_null=True, help_text="条件を満たさない部の数")
    status = serializers.ChoiceField(choices=list(selectors.STATUS_LABELS))
    status_label = serializers.CharField()
    gap_text = serializers.CharField()


class FunnelSerializer(serializers.Serializer):
    cohort = serializers.IntegerField(allow_null=True, help_text="期（第N期）")
    label = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.CharField()
    formed = serializers.BooleanField(help_text="期が編成済みか")
    target_size = serializers.IntegerField(allow_null=True)
    size_gap = serializers.IntegerField(allow_null=True)
    size_note = serializers.CharField()
    nominated = serializers.IntegerField(help_text="推薦（取下げを除く）")
    selected = serializers.IntegerField()
    completed = serializers.IntegerField(help_text="修了または認定")
    certified = serializers.IntegerField()
    withdrawn = serializers.IntegerField()


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class CoverageUnitSerializer(UnitRefSerializer):
    kind = serializers.CharField()
    bu_total = serializers.IntegerField()
    bu_covered = serializers.IntegerField()
    leaders = serializers.IntegerField()
    uncovered = UnitRefSerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    bu_total = serializers.IntegerField()
    bu_covered = serializers.IntegerField()
    bu_uncovered = serializers.IntegerField()
    ratio = serializers.FloatField()
    ratio_text = serializers.CharField()
    active_leaders = serializers.IntegerField()
    leaders_outside_bu = serializers.IntegerField()
    by_unit = CoverageUnitSerializer(many=True)


class ProgrammeKpiSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.CharField()
    pack = PackRefSerializer()
    certified_total = serializers.IntegerField()
    current_target = serializers.IntegerField(allow_null=True)
    current_gap = serializers.IntegerField(allow_null=True)
    years = YearSerializer(many=True)
    milestones = KpiMilestoneSerializer(many=True)
    funnel = FunnelSerializer(many=True)
    coverage = CoverageSerializer()


class ProgrammeKpiView(ScopedAPIView):
    serializer_class = ProgrammeKpiSerializer
    required_action = Action.VIEW_DASHBOARD
    pagination_class = None

    @extend_schema(
        operation_id="kpi_programme",
        summary="DX推進リーダー育成の進捗（基準日時点）",
        description=(
            "ダッシュボードと同じ数値: 年度ごとの累計認定者数とポリシーパックの累計目標、到達目標（例: 令和10年度"
            "までに105名、令和13年度までに210名かつ各部1名以上）の達成状況、期ごとの推薦→選定→修了→認定、"
            "基準日時点でリーダーのいる部の数・いない部（局区別）・局区ごとのリーダー数。"
            "集計値のみで個人情報を含まないため、ログインしていれば誰でも閲覧できます。"
        ),
        parameters=[ProgrammeQuerySerializer],
        responses={
            200: ProgrammeKpiSerializer,
            **ERRORS,
            409: OpenApiResponse(ErrorSerializer, description="ポリシーパックが読み込まれていない"),
        },
        tags=["KPI"],
    )
    def get(self, request):
        q = self.query(ProgrammeQuerySerializer)
        try:
            data = selectors.programme_kpis(q.get("as_of") or timezone.localdate())
        except NoPolicyPack as exc:
            raise Conflict(str(exc)) from None
        return Response(self.get_serializer(data).data)

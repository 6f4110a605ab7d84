"""API: hire routes (the pack's pros/cons with the measured numbers) and the reference data (the 20 designated
cities survey with its findings). Aggregates only: every role with VIEW_DASHBOARD. Same selectors as the pages."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from dxtalent.core.api import Conflict
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, ScopedAPIView
from dxtalent.org.api_serializers import as_of_field
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .selectors import routes as route_sel
from .selectors import survey as survey_sel

TAGS = ["採用区分・育成経路"]


class RoutesQuery(serializers.Serializer):
    as_of = as_of_field()
    target = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text="年数を数える段階のコード（省略時はパックの第3段階）"
    )


class StageRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class RouteSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="採用経路コード（空文字は未登録）")
    name = serializers.CharField()
    pattern = serializers.CharField(allow_blank=True, help_text="方針のパターン名")
    pros = serializers.ListField(child=serializers.CharField(), help_text="方針のメリット")
    cons = serializers.ListField(child=serializers.CharField(), help_text="方針のデメリット")
    summary = serializers.CharField(allow_blank=True)
    entrants = serializers.IntegerField(help_text="基準日までに育成段階に入った人数")
    by_stage = serializers.DictField(child=serializers.IntegerField(), help_text="段階コード → 現在の人数")
    current = serializers.IntegerField(help_text="基準日に育成中の人数")
    reached = serializers.IntegerField(help_text="目標の段階に到達した人数")
    median_years = serializers.FloatField(allow_null=True, help_text="目標の段階までの年数（中央値）")
    mean_years = serializers.FloatField(allow_null=True, help_text="目標の段階までの年数（平均）")
    leavers = serializers.IntegerField(help_text="離脱者（開いている段階がない、または退職・転出）")
    leaver_rate = serializers.FloatField(allow_null=True, help_text="離脱者 ÷ 育成段階に入った人数")


class RouteComparisonSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    target_stage = StageRefSerializer(allow_null=True)
    stages = StageRefSerializer(many=True)
    routes = RouteSerializer(many=True)


def _stage(s) -> dict | None:
    return {"code": s.code, "name": s.name, "order": s.order} if s else None


def _pack(day=None):
    try:
        return current_pack(day)
    except NoPolicyPack as exc:
        raise Conflict(str(exc)) from None


class HireRoutesView(ScopedAPIView):
    serializer_class = RouteComparisonSerializer
    required_action = Action.VIEW_DASHBOARD

    @extend_schema(
        operation_id="hire_routes",
        summary="採用区分・育成経路の比較（方針のメリット・デメリットと実績）",
        description="経路ごとの現在の段階別人数、目標の段階までの年数（中央値・平均）、離脱者数と離脱率。個人名は含みません。",
        parameters=[RoutesQuery],
        responses={200: RouteComparisonSerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        q = self.query(RoutesQuery)
        day = q.get("as_of") or timezone.localdate()
        c = route_sel.route_comparison(_pack(day), day=day, target_code=q.get("target") or None)
        body = {
            "as_of": day,
            "target_stage": _stage(c.target),
            "stages": [_stage(s) for s in c.stages],
            "routes": [
                {
                    "code": r.code,
                    "name": r.name,
                    "pattern": r.pattern,
                    "pros": list(r.pros),
                    "cons": list(r.cons),
                    "summary": r.summary,
                    "entrants": r.entrants,
                    "by_stage": {s.code: r.by_stage.get(s.code, 0) for s in c.stages},
                    "current": r.current,
                    "reached": r.reached,
                    "median_years": r.median_years,
                    "mean_years": r.mean_years,
                    "leavers": r.leavers,
                    "leaver_rate": r.leaver_rate,
                }
                for r in c.routes
            ],
        }
        return Response(RouteComparisonSerializer(body).data)


class CityRowSerializer(serializers.Serializer):
    city = serializers.CharField()
    has_track = serializers.BooleanField(help_text="デジタル分野の専門採用枠の有無")
    hire_category = serializers.CharField(allow_null=True, help_text="採用区分")
    placement = serializers.CharField(allow_null=True, help_text="配属先（想定含む）")


class CountSerializer(serializers.Serializer):
    category = serializers.CharField(required=False)
    placement = serializers.CharField(required=False)
    count = serializers.IntegerField()
    share = serializers.CharField(help_text="割合（例: 79%）")


class CategorySplitSerializer(serializers.Serializer):
    category = serializers.CharField()
    count = serializers.IntegerField()
    by_placement = CountSerializer(many=True)


class FindingsSerializer(serializers.Serializer):
    cities = serializers.IntegerField()
    with_track = serializers.IntegerField()
    without_track = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="専門枠のある都市の割合（%、四捨五入）")
    by_category = CountSerializer(many=True)
    by_placement = CountSerializer(many=True)
    placement_by_category = CategorySplitSerializer(many=True)


class CitySurveySerializer(serializers.Serializer):
    title = serializers.CharField()
    source = serializers.CharField()
    rows = CityRowSerializer(many=True)
    findings = FindingsSerializer()


class CitySurveyView(ScopedAPIView):
    serializer_class = CitySurveySerializer
    required_action = Action.VIEW_DASHBOARD

    @extend_schema(
        operation_id="reference_city_survey",
        summary="参考データ: 政令指定都市のデジタル分野の専門採用枠（都市別と集計）",
        description="集計（専門枠のある都市の数と割合、採用区分、配属先）はパックの都市別データから計算します。",
        responses={200: CitySurveySerializer, **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        s = survey_sel.city_survey(_pack())
        d = s.as_dict()
        body = {
            "title": s.title,
            "source": s.source,
            "rows": [
                {"city": r.city, "has_track": r.has_track, "hire_category": r.hire_category, "placement": r.placement}
                for _n, r in s.rows
            ],
            "findings": {k: v for k, v in d.items() if k not in ("title", "source")},
        }
        return Response(CitySurveySerializer(body).data)

"""/api/v1/project-rollups/ and /api/v1/practice-leaders/: the same selectors as the pages, as JSON.

The roll-ups are aggregates (VIEW_DASHBOARD, everyone); the practice-year list names people (VIEW_PROGRAMME, rows
scoped with `access.employees_visible_to`).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from dxtalent.core.wareki import fiscal_year, fiscal_year_from_wareki
from dxtalent.org.access import Action
from dxtalent.org.api import ERRORS, ScopedAPIView
from dxtalent.org.api_serializers import FlexibleDateField

from .selectors.practice import PracticeStatus, practice_leaders
from .selectors.rollups import RollupFilter, pack_or_none, project_rollups

# ---------------------------------------------------------------- input


class FiscalYearParam(serializers.CharField):
    def to_internal_value(self, data):
        text = super().to_internal_value(data).strip()
        if text in ("", "all"):
            return None
        try:
            year = int(text) if text.isdigit() else fiscal_year_from_wareki(text)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        if not 1989 <= year <= 2100:
            raise serializers.ValidationError("年度は 2026 や 令和8年度 の形式で指定してください。")
        return year


class RollupQuerySerializer(serializers.Serializer):
    fiscal_year = FiscalYearParam(
        required=False, allow_blank=True, help_text="年度（2026 / 令和8年度 / R8）。省略または all で全年度"
    )
    as_of = FlexibleDateField(required=False, allow_null=True, help_text="組織（課→部→局区）の基準日。省略時は今日")


class PracticeQuerySerializer(serializers.Serializer):
    fiscal_year = FiscalYearParam(required=False, allow_blank=True, help_text="実践年度。省略時は今年度")


# ---------------------------------------------------------------- output

DEC = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": False}


class SavingSerializer(serializers.Serializer):
    verified_hours = serializers.DecimalField(help_text="実績: Σ(改善前−改善後) 時間/月（負もそのまま）", **DEC)
    verified_projects = serializers.IntegerField()
    planned_hours = serializers.DecimalField(help_text="見込み: 進行中の Σ(改善前−改善後の見込み)", **DEC)
    planned_projects = serializers.IntegerField()


class TopSavingSerializer(SavingSerializer):
    unit_id = serializers.IntegerField(allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()


class BuSavingSerializer(TopSavingSerializer):
    top_id = serializers.IntegerField(allow_null=True)
    top_name = serializers.CharField()


class CohortSavingSerializer(SavingSerializer):
    cohort = serializers.IntegerField(allow_null=True, help_text="期（第N期）。null はリーダーの期の記録なし")
    label = serializers.CharField()
    fiscal_year = serializers.IntegerField(allow_null=True)


class YearSavingSerializer(SavingSerializer):
    fiscal_year = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()


class StepCountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="step1…step4, done, cancelled")
    step = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    status = serializers.CharField()
    projects = serializers.IntegerField()


class StepDaysSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    label = serializers.CharField()
    completed = serializers.IntegerField()
    average_days = serializers.FloatField(allow_null=True)


class ConsultationKindSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    consultations = serializers.IntegerField()
    open = serializers.IntegerField()
    resolved = serializers.IntegerField()
    out_of_scope = serializers.IntegerField()
    average_resolution_days = serializers.FloatField(allow_null=True)


class AdoptedCaseSerializer(serializers.Serializer):
    case_id = serializers.IntegerField()
    title = serializers.CharField()
    work_category = serializers.CharField()
    work_category_label = serializers.CharField()
    tool_kind = serializers.CharField()
    tool_kind_label = serializers.CharField()
    adopting_units = serializers.IntegerField()
    adoptions = serializers.IntegerField()
    adoptions_verified = serializers.IntegerField()
    adopted_verified_hours = serializers.DecimalField(**DEC)
    case_verified_hours = serializers.DecimalField(allow_null=True, **DEC)


class RollupsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    fiscal_year = serializers.IntegerField(allow_null=True)
    fiscal_year_label = serializers.CharField()
    total = SavingSerializer()
    by_top = TopSavingSerializer(many=True)
    by_bu = BuSavingSerializer(many=True)
    by_cohort = CohortSavingSerializer(many=True)
    by_year = YearSavingSerializer(many=True)
    by_step = StepCountSerializer(many=True)
    step_days = StepDaysSerializer(many=True)
    consultations = ConsultationKindSerializer(many=True)
    most_adopted = AdoptedCaseSerializer(many=True)


class PracticeLeaderSerializer(serializers.Serializer):
    employee_id = serializers.IntegerField(source="employee.pk")
    number = serializers.CharField(source="employee.number")
    name = serializers.CharField(source="employee.name")
    name_kana = serializers.CharField(source="employee.name_kana")
    top = serializers.CharField()
    bu = serializers.CharField()
    unit = serializers.CharField(source="unit_label")
    cohort = serializers.IntegerField(source="cohort.number")
    certified_on = serializers.DateField(source="certification.certified_on")
    status = serializers.ChoiceField(choices=PracticeStatus.choices)
    status_label = serializers.CharField()
    cancelled = serializers.BooleanField(help_text="実践のプロジェクトが中止された（状況は未着手）")
    project_id = serializers.IntegerField(source="project.pk", allow_null=True, default=None)
    project_title = serializers.CharField(source="project.title", allow_null=True, default=None)
    project_step = serializers.IntegerField(source="project.step", allow_null=True, default=None)
    step_name = serializers.CharField()
    verified_hours = serializers.DecimalField(allow_null=True, **DEC)


class PracticeCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    label = serializers.CharField()
    leaders = serializers.IntegerField()


class PracticeSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.CharField()
    total = serializers.IntegerField()
    verified_hours = serializers.DecimalField(**DEC)
    counts = PracticeCountSerializer(many=True)
    leaders = PracticeLeaderSerializer(many=True, source="rows")


class ProjectRollupsView(ScopedAPIView):
    serializer_class = RollupsSerializer
    required_action = Action.VIEW_DASHBOARD
    pagination_class = None

    @extend_schema(
        operation_id="project_rollups",
        summary="業務改善の効果（削減時間の集計）",
        description=(
            "ダッシュボードと同じ集計: 1か月あたりの削減時間（実績=効果検証済み、見込み=進行中の計画値）を局区・部"
            "（基準日の組織）・期・年度別に、ステップ別の件数、ステップの平均所要日数、種類別の相談と解決までの"
            "平均日数、横展開の多い事例。集計値のみで個人情報を含みません。"
        ),
        parameters=[RollupQuerySerializer],
        responses={200: RollupsSerializer, **ERRORS},
        tags=["業務改善"],
    )
    def get(self, request):
        q = self.query(RollupQuerySerializer)
        filters = RollupFilter(fiscal_year=q.get("fiscal_year"), as_of=q.get("as_of") or timezone.localdate())
        return Response(self.get_serializer(project_rollups(filters, pack_or_none())).data)


class PracticeLeadersView(ScopedAPIView):
    serializer_class = PracticeSerializer
    required_action = Action.VIEW_PROGRAMME
    pagination_class = None

    @extend_schema(
        operation_id="practice_leaders",
        summary="実践年度のDX推進リーダーとプロジェクトの状況",
        description=(
            "認定の翌年度（実践年度）のリーダーごとに、実践のプロジェクトの状況（未着手・開始・導入・効果検証済み）"
            "と削減時間。閲覧できる職員のみ。"
        ),
        parameters=[PracticeQuerySerializer],
        responses={200: PracticeSerializer, **ERRORS},
        tags=["業務改善"],
    )
    def get(self, request):
        q = self.query(PracticeQuerySerializer)
        today = timezone.localdate()
        data = practice_leaders(user=request.user, year=q.get("fiscal_year") or fiscal_year(today), pack=pack_or_none())
        return Response(self.get_serializer(data).data)

"""/api/v1/policy-packs/: the loaded policy pack versions (read-only), for any logged-in user.

The detail carries the structured content other systems need (talent types, cohort plan and targets,
the curriculum with its computed totals, the leader role types), read through `pack.Pack`, so the API and
the pages show the same numbers.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from dxtalent.org.api import ERRORS, NOT_FOUND, ScopedAPIView

from .models import PolicyPack
from .pack import Pack
from .selectors import pack_of

# ---------------------------------------------------------------- output


class PolicyPackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="パックコード（例: sapporo）")
    version = serializers.CharField(help_text="版")
    name = serializers.CharField()
    municipality = serializers.CharField()
    effective_from = serializers.DateField(help_text="適用開始日")
    loaded_at = serializers.DateTimeField()


class TalentTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    description = serializers.CharField()


class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class PlannedCohortSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="第N期")
    training_year = serializers.IntegerField(help_text="研修年度（西暦）")
    size = serializers.IntegerField(help_text="計画人数")


class TargetSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    leaders = serializers.IntegerField(help_text="年度末までの累計目標")


class MilestoneSerializer(serializers.Serializer):
    code = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    leaders = serializers.IntegerField()
    label = serializers.CharField()
    min_leaders_per_bu = serializers.IntegerField(allow_null=True)


class RoleTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    placement = serializers.CharField()
    description = serializers.CharField()


class LeadersSerializer(serializers.Serializer):
    nomination_requirements = RequirementSerializer(many=True)
    cohort_size = serializers.IntegerField()
    practice_years = serializers.IntegerField()
    planned_cohorts = PlannedCohortSerializer(many=True)
    cumulative_targets = TargetSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    role_types = RoleTypeSerializer(many=True)
    default_role_type = serializers.CharField()


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    deliverable = serializers.CharField()
    per_member = serializers.BooleanField()


class PhaseSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    content = serializers.CharField()
    delivery = serializers.CharField()
    required = serializers.BooleanField()
    sessions = serializers.IntegerField()
    hours_per_session = serializers.DecimalField(max_digits=6, decimal_places=2)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="回数 × 1回の時間")
    in_person = serializers.BooleanField()
    months = serializers.ListField(child=serializers.IntegerField())
    due_month = serializers.IntegerField(allow_null=True)
    due_before_phase = serializers.CharField(allow_null=True)
    group_work = serializers.BooleanField()
    steps = StepSerializer(many=True)


class CurriculumSerializer(serializers.Serializer):
    name = serializers.CharField()
    total_hours = serializers.DecimalField(
        max_digits=6, decimal_places=2, help_text="必須フェーズの時間の合計（パックの値から計算）"
    )
    in_person_days = serializers.IntegerField(help_text="必須フェーズの対面の回数の合計（パックの値から計算）")
    group_min_size = serializers.IntegerField()
    group_max_size = serializers.IntegerField()
    completion_rule = serializers.DictField()
    phases = PhaseSerializer(many=True)


class PolicyPackDetailSerializer(PolicyPackSerializer):
    talent_types = TalentTypeSerializer(many=True)
    leaders = LeadersSerializer()
    curriculum = CurriculumSerializer()


def _detail(row: PolicyPack, pack: Pack) -> dict:
    low, high = pack.group_size_bounds
    return {
        **_summary(row),
        "talent_types": [t.__dict__ for t in pack.talent_types],
        "leaders": {
            "nomination_requirements": [{"code": c, "label": label} for c, label in pack.nomination_requirements],
            "cohort_size": pack.cohort_size,
            "practice_years": pack.practice_years,
            "planned_cohorts": [
                {"number": n, "training_year": fy, "size": size} for n, fy, size in pack.planned_cohorts
            ],
            "cumulative_targets": [{"fiscal_year": fy, "leaders": n} for fy, n in pack.cumulative_targets.items()],
            "milestones": [m.__dict__ for m in pack.milestones],
            "role_types": [r.__dict__ for r in pack.role_types],
            "default_role_type": pack.default_role_type,
        },
        "curriculum": {
            "name": pack.curriculum_name,
            "total_hours": pack.curriculum_hours,
            "in_person_days": pack.in_person_days,
            "group_min_size": low,
            "group_max_size": high,
            "completion_rule": pack.completion_rule,
            "phases": [
                {
                    **{k: v for k, v in p.__dict__.items() if k != "steps"},
                    "hours": p.hours,
                    "in_person": p.in_person,
                    "steps": [s.__dict__ for s in p.steps],
                }
                for p in pack.phases
            ],
        },
    }


def _summary(row: PolicyPack) -> dict:
    return {
        "id": row.pk,
        "code": row.code,
        "version": row.version,
        "name": row.name,
        "municipality": row.municipality,
        "effective_from": row.effective_from,
        "loaded_at": row.loaded_at,
    }


TAGS = ["ポリシーパック"]


class PolicyPackListView(ScopedAPIView):
    serializer_class = PolicyPackSerializer

    @extend_schema(
        operation_id="policy_packs_list",
        summary="読み込まれたポリシーパックの版の一覧",
        description="パックコード順、同じコードの中では適用開始日の新しい順。ログインしていれば誰でも閲覧できます。",
        responses={200: PolicyPackSerializer(many=True), **ERRORS},
        tags=TAGS,
    )
    def get(self, request):
        rows = PolicyPack.objects.defer("content").order_by("code", "-effective_from", "-loaded_at")
        page = self.paginate_queryset(rows)
        return self.paginated([_summary(r) for r in page])


class PolicyPackDetailView(ScopedAPIView):
    serializer_class = PolicyPackDetailSerializer

    @extend_schema(
        operation_id="policy_packs_retrieve",
        summary="ポリシーパックの内容",
        description=(
            "人材像、DX推進リーダーの育成計画・累計目標・到達目標・役割類型、研修カリキュラム（フェーズごとの時間と、"
            "パックの値から計算した必須の合計時間・対面日数）。"
        ),
        responses={200: PolicyPackDetailSerializer, **ERRORS, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request, pk: int):
        row = PolicyPack.objects.filter(pk=pk).first()
        if row is None:
            raise exceptions.NotFound("そのポリシーパックはありません。")
        return Response(self.get_serializer(_detail(row, pack_of(row))).data)

"""Explicit input and output serializers of the ladder API."""

from rest_framework import serializers

from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer

from ..models import Half, PromotionStatus
from ..selectors.ladder_people import NO_ROUTE, SORT_LABELS

# ---------------------------------------------------------------- stages (the pack)


class ExpectedLevelSerializer(serializers.Serializer):
    item_code = serializers.CharField()
    item_name = serializers.CharField()
    level = serializers.IntegerField()
    label = serializers.CharField(help_text="尺度のラベル（例: 自立してできる）")


class ExperienceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class LadderStageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()
    description = serializers.CharField()
    min_years_in_previous_stage = serializers.IntegerField(
        help_text="前の段階での最低在籍年数（この段階への昇格に必要）"
    )
    min_years_since_assignment = serializers.IntegerField(help_text="育成開始からの最低年数")
    expected_levels = ExpectedLevelSerializer(many=True)
    experiences = ExperienceSerializer(many=True)


class LadderSerializer(serializers.Serializer):
    framework = serializers.CharField(allow_null=True, help_text="レベルを評価するフレームワークのコード")
    department = serializers.CharField(help_text="昇格を決定する部（その部長が決定者）")
    long_stay_margin_years = serializers.IntegerField()
    stages = LadderStageSerializer(many=True)


# ---------------------------------------------------------------- people in the ladder


class CheckSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    required = serializers.CharField()
    actual = serializers.CharField()
    met = serializers.BooleanField()


class LadderPersonSerializer(serializers.Serializer):
    employee = RefSerializer()
    unit = serializers.CharField(help_text="現在の所属")
    hire_route = serializers.CharField(help_text="採用区分コード（空 = 未登録）")
    hire_route_name = serializers.CharField()
    stage = serializers.CharField()
    stage_name = serializers.CharField()
    stage_since = serializers.DateField()
    entered_on = serializers.DateField(help_text="育成開始日（最初の段階の開始日）")
    years_in_stage = serializers.IntegerField()
    years_since_entry = serializers.IntegerField()
    next_stage = serializers.CharField(allow_null=True)
    ready = serializers.BooleanField()
    long_stay = serializers.BooleanField()
    unmet = serializers.ListField(child=serializers.CharField())
    checks = CheckSerializer(many=True)
    mentor = RefSerializer(allow_null=True, help_text="今年度のOJT指導者")


class LadderQuerySerializer(serializers.Serializer):
    stage = serializers.CharField(required=False, max_length=30, help_text="段階コード")
    ready = serializers.BooleanField(required=False, help_text="昇格基準を満たす人だけ")
    long_stay = serializers.BooleanField(required=False, help_text="長期滞留の人だけ")
    hire_route = serializers.CharField(
        required=False, max_length=30, help_text=f"採用区分コード（{NO_ROUTE} = 未登録）"
    )
    q = serializers.CharField(required=False, max_length=100, allow_blank=True, help_text="氏名・カナ・職員番号")
    sort = serializers.ChoiceField(required=False, choices=list(SORT_LABELS.items()))
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class EnterInput(serializers.Serializer):
    employee = serializers.IntegerField(help_text="職員のID")
    stage_code = serializers.CharField(max_length=30)
    on = FlexibleDateField(help_text="開始日")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    hire_route = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="採用区分・育成経路（パックのコード。空欄は変更しない）"
    )


class StagePeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField()
    stage_name = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    years = serializers.IntegerField(help_text="この段階にいた（いる）満年数")
    span = serializers.CharField(help_text="例: 2年3か月")
    note = serializers.CharField()


# ---------------------------------------------------------------- plans and reviews


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    half = serializers.IntegerField()
    half_label = serializers.CharField()
    reviewer = RefSerializer()
    reviewed_on = serializers.DateField()
    progress = serializers.CharField()
    next_steps = serializers.CharField()
    experiences = serializers.ListField(child=serializers.CharField())


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = RefSerializer()
    fiscal_year = serializers.IntegerField()
    stage = serializers.CharField(help_text="計画時の段階コード")
    mentor = RefSerializer()
    goals = serializers.CharField()
    systems = serializers.CharField()
    projects = serializers.CharField()
    reviews = ReviewSerializer(many=True)


class PlanQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    employee = serializers.IntegerField(required=False, min_value=1)
    mine = serializers.BooleanField(required=False, help_text="自分がOJT指導者の計画だけ")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class PlanInput(serializers.Serializer):
    employee = serializers.IntegerField()
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2100)
    mentor = serializers.IntegerField(help_text="OJT指導者の職員ID")
    goals = serializers.CharField(allow_blank=True)
    systems = serializers.CharField(required=False, allow_blank=True, default="")
    projects = serializers.CharField(required=False, allow_blank=True, default="")


class PlanUpdateInput(serializers.Serializer):
    mentor = serializers.IntegerField(required=False)
    goals = serializers.CharField(required=False, allow_blank=True)
    systems = serializers.CharField(required=False, allow_blank=True)
    projects = serializers.CharField(required=False, allow_blank=True)


class ReviewInput(serializers.Serializer):
    half = serializers.ChoiceField(choices=Half.choices)
    reviewed_on = FlexibleDateField(required=False, allow_null=True)
    progress = serializers.CharField(allow_blank=True)
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    experiences = serializers.ListField(child=serializers.CharField(max_length=30), required=False, default=list)


# ---------------------------------------------------------------- promotions


class PromotionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = RefSerializer()
    from_stage = serializers.CharField()
    from_stage_name = serializers.CharField()
    to_stage = serializers.CharField()
    to_stage_name = serializers.CharField()
    proposed_by = RefSerializer()
    proposed_on = serializers.DateField()
    reasons = serializers.CharField()
    readiness = serializers.JSONField(help_text="推薦時点の基準の充足状況")
    status = serializers.CharField()
    status_label = serializers.CharField()
    decided_by = RefSerializer(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    decision_reasons = serializers.CharField()
    effective_on = serializers.DateField(allow_null=True)


class PromotionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(required=False, choices=PromotionStatus.choices)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class ProposeInput(serializers.Serializer):
    employee = serializers.IntegerField()
    reasons = serializers.CharField(allow_blank=True)


class DecideInput(serializers.Serializer):
    approve = serializers.BooleanField()
    reasons = serializers.CharField(allow_blank=True)
    effective_on = FlexibleDateField(required=False, allow_null=True, help_text="昇格日（承認時、省略時は今日）")

"""Explicit input and output serializers of the competency API."""

from rest_framework import serializers

from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer

from ..models import CampaignKind, EvidenceKind, Rater

# ---------------------------------------------------------------- frameworks


class ScaleLevelSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    description = serializers.CharField()


class AnchorSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField(help_text="この項目がこのレベルにあるときの目安")


class ItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField(help_text="mindset | skill")
    name = serializers.CharField()
    descriptors = serializers.ListField(child=serializers.CharField())
    anchors = AnchorSerializer(many=True)


class FrameworkSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()
    talent_type = serializers.CharField()
    items = serializers.IntegerField(help_text="項目数")


class FrameworkDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.CharField()
    name = serializers.CharField()
    talent_type = serializers.CharField()
    role = serializers.CharField()
    scale = ScaleLevelSerializer(many=True)
    items = ItemSerializer(many=True)
    expected_levels = serializers.DictField(child=serializers.IntegerField(), help_text="項目コード → 期待レベル")


# ---------------------------------------------------------------- campaigns


class RunRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    fiscal_year = serializers.IntegerField()


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    fiscal_year_label = serializers.CharField()
    framework_code = serializers.CharField()
    framework_version = serializers.CharField()
    framework_name = serializers.CharField()
    run = RunRefSerializer(allow_null=True)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    people = serializers.IntegerField()
    self_submitted = serializers.IntegerField()
    evaluator_submitted = serializers.IntegerField()


class CampaignDetailSerializer(CampaignSerializer):
    pack_version = serializers.CharField()
    framework = FrameworkDetailSerializer(help_text="作成時点のフレームワークの写し（この回の評価はこれで検証）")


class CampaignQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(required=False, min_value=2000, max_value=2200)
    kind = serializers.ChoiceField(required=False, choices=CampaignKind.choices)
    status = serializers.ChoiceField(required=False, choices=[("open", "評価受付中"), ("closed", "締切")])
    framework = serializers.CharField(required=False, max_length=30)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class CampaignCreateInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CampaignKind.choices)
    fiscal_year = serializers.IntegerField(min_value=2000, max_value=2200)
    framework_code = serializers.CharField(max_length=30)
    opens_on = FlexibleDateField()
    closes_on = FlexibleDateField()
    run = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="研修実施回のID")


class PersonInput(serializers.Serializer):
    employee = serializers.CharField(max_length=20, help_text="対象者の職員番号")
    evaluator = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="評価者の職員番号（省略時は所属長）"
    )


class PeopleInput(serializers.Serializer):
    people = PersonInput(many=True, required=False)
    from_run = serializers.BooleanField(required=False, default=False, help_text="対象の研修（期）の受講者を全員追加")


class PeopleResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    without_evaluator = serializers.IntegerField()


# ---------------------------------------------------------------- assessments


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = RefSerializer()
    employee = RefSerializer(help_text="code は職員番号")
    evaluator = RefSerializer(allow_null=True)
    self_submitted_at = serializers.DateTimeField(allow_null=True)
    evaluator_submitted_at = serializers.DateTimeField(allow_null=True)


class AssessmentQuerySerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False, min_value=1)
    role = serializers.ChoiceField(
        required=False,
        choices=[("own", "自分が対象者"), ("evaluating", "自分が評価者")],
        help_text="省略時は閲覧できるすべて",
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class ItemResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    self_level = serializers.IntegerField(allow_null=True)
    evaluator_level = serializers.IntegerField(allow_null=True)
    expected = serializers.IntegerField(allow_null=True)
    gap = serializers.IntegerField(allow_null=True, help_text="評価者（未提出なら本人）のレベル − 期待レベル")
    self_comment = serializers.CharField()
    evaluator_comment = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    rater = serializers.CharField()
    item_code = serializers.CharField()
    label = serializers.CharField()
    url = serializers.CharField()
    attendance = serializers.IntegerField(allow_null=True)
    ref_id = serializers.IntegerField(allow_null=True)
    added_at = serializers.DateTimeField()


class AssessmentDetailSerializer(AssessmentSerializer):
    framework_code = serializers.CharField()
    framework_version = serializers.CharField()
    expected_label = serializers.CharField()
    self_comment = serializers.CharField()
    evaluator_comment = serializers.CharField()
    my_raters = serializers.ListField(child=serializers.CharField(), help_text="自分が入力できる区分")
    items = ItemResultSerializer(many=True)
    evidence = EvidenceSerializer(many=True)


class RateInput(serializers.Serializer):
    rater = serializers.ChoiceField(choices=Rater.choices)
    levels = serializers.DictField(child=serializers.IntegerField(), help_text="項目コード → レベル")
    comments = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=True, help_text="false なら下書き保存")


class EvidenceInput(serializers.Serializer):
    rater = serializers.ChoiceField(choices=Rater.choices, required=False, help_text="省略時は自分の区分")
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    label = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    attendance = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    ref_id = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    url = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    item_code = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")

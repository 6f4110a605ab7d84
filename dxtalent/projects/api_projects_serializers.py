"""Explicit input and output serializers of the improvement-project API (/api/v1/projects/)."""

from rest_framework import serializers

from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer

from .models import ProjectStatus
from .selectors.projects import SORT_LABELS

HOURS = {"max_digits": 9, "decimal_places": 2, "required": False, "allow_null": True, "coerce_to_string": False}


class ProjectQuerySerializer(serializers.Serializer):
    step = serializers.IntegerField(required=False, min_value=1, max_value=4, help_text="現在のステップ（進行中のみ）")
    status = serializers.ChoiceField(required=False, choices=ProjectStatus.choices)
    top = serializers.IntegerField(required=False, min_value=1, help_text="局区のID")
    bu = serializers.IntegerField(required=False, min_value=1, help_text="部のID")
    work_category = serializers.CharField(required=False, max_length=30, help_text="業務分類コード")
    q = serializers.CharField(
        required=False, max_length=100, allow_blank=True, help_text="件名の検索語（空白区切りでAND）"
    )
    sort = serializers.ChoiceField(required=False, choices=list(SORT_LABELS.items()))
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class ProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = RefSerializer()
    top = serializers.CharField(help_text="局区（今日時点）")
    bu = serializers.CharField(help_text="部（今日時点）")
    step = serializers.IntegerField()
    step_name = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    work_category = serializers.CharField()
    leader = RefSerializer(allow_null=True)
    manager = RefSerializer()
    planned_saving_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    saving_hours = serializers.DecimalField(
        max_digits=9, decimal_places=2, allow_null=True, help_text="改善前−改善後（時間/月）。増加はマイナス"
    )
    created_at = serializers.DateTimeField()


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    from_step = serializers.IntegerField(allow_null=True)
    to_step = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    days_in_step = serializers.IntegerField(allow_null=True)
    actor = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    step = serializers.IntegerField(allow_null=True)
    size = serializers.IntegerField()
    url = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class ParticipantSerializer(serializers.Serializer):
    employee = RefSerializer()
    contribution = serializers.CharField()


class AbilitiesSerializer(serializers.Serializer):
    can_edit = serializers.BooleanField()
    can_complete = serializers.BooleanField()
    can_send_back = serializers.BooleanField()
    can_cancel = serializers.BooleanField()
    can_attach = serializers.BooleanField()


class ProjectDetailSerializer(ProjectSerializer):
    problem = serializers.CharField()
    group = serializers.IntegerField(allow_null=True)
    cohort = serializers.IntegerField(allow_null=True)
    practice_certification = serializers.IntegerField(allow_null=True)
    source_case = serializers.IntegerField(allow_null=True)
    as_is = serializers.CharField()
    to_be = serializers.CharField()
    feedback = serializers.CharField()
    analysis_hours_planned = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    analysis_hours_actual = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    baseline_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    planned_after_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    tool_kind = serializers.CharField()
    tool_name = serializers.CharField()
    trial = serializers.CharField()
    support_received = serializers.CharField()
    trial_hours_planned = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    trial_hours_actual = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    operating_rule = serializers.CharField()
    after_hours = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    qualitative_effects = serializers.CharField()
    verified_by = RefSerializer(allow_null=True)
    verified_on = serializers.DateField(allow_null=True)
    verified_fiscal_year = serializers.IntegerField(allow_null=True)
    step_entered_at = serializers.DateTimeField()
    editable_fields = serializers.ListField(child=serializers.CharField(), help_text="現在のステップで変更できる項目")
    events = EventSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    participants = ParticipantSerializer(many=True)
    abilities = AbilitiesSerializer()


class ProjectCreateInput(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1, help_text="課のID")
    title = serializers.CharField(max_length=200)
    problem = serializers.CharField(required=False, allow_blank=True, default="")
    leader = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="リーダー（職員ID）")
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="実践演習グループのID")
    work_category = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)


class ProjectUpdateInput(serializers.Serializer):
    """Fields of the current step only (others answer 409). Hours in hours (小数可, ≥ 0)."""

    title = serializers.CharField(required=False, max_length=200)
    problem = serializers.CharField(required=False, allow_blank=True)
    leader = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="職員ID")
    group = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    work_category = serializers.CharField(required=False, allow_blank=True, max_length=30)
    as_is = serializers.CharField(required=False, allow_blank=True)
    to_be = serializers.CharField(required=False, allow_blank=True)
    feedback = serializers.CharField(required=False, allow_blank=True)
    analysis_hours_planned = serializers.DecimalField(**HOURS)
    analysis_hours_actual = serializers.DecimalField(**HOURS)
    baseline_hours = serializers.DecimalField(**HOURS)
    planned_after_hours = serializers.DecimalField(**HOURS)
    tool_kind = serializers.CharField(required=False, allow_blank=True, max_length=30)
    tool_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    trial = serializers.CharField(required=False, allow_blank=True)
    support_received = serializers.CharField(required=False, allow_blank=True)
    trial_hours_planned = serializers.DecimalField(**HOURS)
    trial_hours_actual = serializers.DecimalField(**HOURS)
    operating_rule = serializers.CharField(required=False, allow_blank=True)
    after_hours = serializers.DecimalField(**HOURS)
    qualitative_effects = serializers.CharField(required=False, allow_blank=True)
    verified_by = serializers.IntegerField(required=False, allow_null=True, min_value=1, help_text="職員ID")
    verified_on = FlexibleDateField(required=False, allow_null=True)


class SendBackInput(serializers.Serializer):
    to_step = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(allow_blank=True)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class AttachmentInput(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

"""Explicit input and output serializers of the desk API (/api/v1/consultations/)."""

from rest_framework import serializers

from dxtalent.org.api_serializers import id_field

from ..models import ConsultationStatus
from ..selectors import consultations as sel

# Plain strings rather than enums: the project and case APIs have their own "status" enums (no name clash).
STATUS_HELP = "、".join(f"{c}={label}" for c, label in ConsultationStatus.choices)


# ---------------------------------------------------------------- serializers


class ConsultationPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ConsultationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ConsultationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="ポリシーパックの相談種別コード")
    kind_label = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    status_label = serializers.CharField()
    requester = ConsultationPersonSerializer()
    unit = serializers.IntegerField(help_text="相談者の所属（課）のID（受付時点）")
    unit_label = serializers.CharField()
    top = serializers.CharField(help_text="局区")
    handler = ConsultationPersonSerializer(allow_null=True)
    project = ConsultationRefSerializer(allow_null=True)
    case = ConsultationRefSerializer(allow_null=True)
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    days_open = serializers.IntegerField(allow_null=True, help_text="未完了のとき、受付からの日数")
    age_bucket = serializers.CharField(help_text="経過日数の区分（未完了のとき）")
    resolution_days = serializers.IntegerField(allow_null=True, help_text="完了したとき、受付から完了までの日数")
    message_count = serializers.IntegerField()
    last_message_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="画面のURL")


class ConsultationMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = ConsultationPersonSerializer()
    from_requester = serializers.BooleanField(help_text="相談者の投稿か（false は相談窓口）")
    body = serializers.CharField()
    posted_at = serializers.DateTimeField()


class ConsultationAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    file = serializers.CharField(help_text="ダウンロードURL")


class ConsultationDetailSerializer(ConsultationSerializer):
    description = serializers.CharField()
    next_statuses = serializers.ListField(child=serializers.CharField(), help_text="相談窓口が変更できる状態")
    attachments = ConsultationAttachmentSerializer(many=True)


class ConsultationQuery(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[c for c, _ in sel.STATUS_CHOICES], required=False, help_text=f"open（未完了）または {STATUS_HELP}"
    )
    kind = serializers.CharField(required=False, max_length=30)
    handler = serializers.RegexField(r"^(none|[0-9]{1,18})$", required=False, help_text="担当者のID、または none")
    top = id_field("局区")
    sort = serializers.ChoiceField(choices=list(sel.SORTS), required=False)

    def validate_kind(self, value):
        kinds = sel.kind_labels()
        if kinds and value not in kinds:
            raise serializers.ValidationError(f"相談の種類「{value}」はありません。")
        return value


class ConsultationInput(serializers.Serializer):
    kind = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    project = id_field("関連するプロジェクト")


class ConsultationMessageInput(serializers.Serializer):
    body = serializers.CharField()


class ConsultationAttachmentInput(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ConsultationAssignInput(serializers.Serializer):
    handler = id_field("担当者")


class ConsultationStatusInput(serializers.Serializer):
    status = serializers.CharField(max_length=20, help_text=STATUS_HELP)


class ConsultationCaseInput(serializers.Serializer):
    case = id_field("事例")

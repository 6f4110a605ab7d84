"""Explicit input and output serializers of the ジョブチャレンジ API (/api/v1/postings/, /api/v1/applications/)."""

from rest_framework import serializers

from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer

from .models import ApplicationStatus
from .selectors.postings import SORT_LABELS, TABS

SCOPES = {
    "mine": "自分の応募",
    "all": "すべての応募（人事部門・事務局）",
    "staff": "所属の職員の応募（管理職・志望動機なし）",
}


class PostingQuery(serializers.Serializer):
    tab = serializers.ChoiceField(required=False, choices=list(TABS.items()), help_text="既定: open（受付中）")
    kind = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="募集の種類コード")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="募集名・内容の検索語")
    sort = serializers.ChoiceField(required=False, choices=list(SORT_LABELS.items()))
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class PostingInput(serializers.Serializer):
    kind = serializers.CharField(max_length=30, help_text="パックの募集の種類コード")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    requirements = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="配属先の組織ID（異動なしは null）"
    )
    slots = serializers.IntegerField(required=False, min_value=1, default=1)
    opens_on = FlexibleDateField()
    deadline = FlexibleDateField()
    starts_on = FlexibleDateField()


class PostingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    requirements = serializers.CharField(allow_blank=True)
    unit = RefSerializer(allow_null=True, help_text="配属先（name は今日時点の名称）")
    slots = serializers.IntegerField()
    opens_on = serializers.DateField()
    deadline = serializers.DateField()
    starts_on = serializers.DateField()
    status = serializers.CharField(help_text="open=募集中, closed=募集終了")
    phase = serializers.CharField(help_text="open=受付中, upcoming=受付前, closed=募集終了・締切済み")
    days_left = serializers.IntegerField(allow_null=True, help_text="締切までの日数（受付終了後は null）")
    applied = serializers.BooleanField(help_text="自分が応募済みか")
    counts = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="状態ごとの応募数（人事部門・事務局のみ）"
    )


class ApplyInput(serializers.Serializer):
    posting = serializers.IntegerField(min_value=1, help_text="募集ID")
    motivation = serializers.CharField(required=False, allow_blank=True, default="", help_text="志望動機（必須）")


class ApplicationQuery(serializers.Serializer):
    scope = serializers.ChoiceField(
        required=False,
        choices=list(SCOPES.items()),
        help_text="既定: 人事部門・事務局は all、それ以外は mine",
    )
    posting = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(required=False, choices=ApplicationStatus.choices)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1)


class AdvanceInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, help_text="次の状態")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="選考メモ")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="決定・不採用の理由（必須）")
    on = FlexibleDateField(required=False, allow_null=True, default=None, help_text="日付（省略時は今日）")


class PlacementSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="assignment=異動, leader_role=リーダーの役割, stage=育成段階")
    id = serializers.IntegerField()
    label = serializers.CharField()
    valid_from = serializers.DateField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    posting = RefSerializer(help_text="募集（code は募集の種類コード）")
    employee = RefSerializer(help_text="応募者（code は職員番号）")
    unit_label = serializers.CharField(help_text="応募者の今日の所属")
    status = serializers.CharField()
    status_label = serializers.CharField()
    applied_at = serializers.DateTimeField()
    motivation = serializers.CharField(
        required=False, help_text="志望動機（本人・人事部門・事務局のみ。staff では含みません）"
    )
    manager = RefSerializer(allow_null=True, required=False, help_text="所属長（人事部門・事務局のみ）")
    decided_on = serializers.DateField(allow_null=True)
    decision_reason = serializers.CharField(allow_blank=True, required=False)
    placements = PlacementSerializer(many=True, required=False)

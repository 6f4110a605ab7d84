"""Explicit input and output serializers of the group, certification and leader-role API."""

from rest_framework import serializers

from dxtalent.org.api_serializers import (
    MAX_ID,
    FlexibleDateField,
    RefSerializer,
    as_of_field,
    id_field,
)
from dxtalent.org.models import Employee


def _ref(id_, code, name):
    return {"id": id_, "code": code, "name": name}


def _person(e: Employee) -> dict:
    return _ref(e.pk, e.number, e.name)


# ---------------------------------------------------------------- serializers: output


class PracticeGroupMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="研修生（CohortMember）のID")
    employee = RefSerializer()
    top = serializers.CharField(help_text="局区（今日時点）")
    bu = serializers.CharField(help_text="部（今日時点）")


class GroupMixSerializer(serializers.Serializer):
    size = serializers.IntegerField()
    tops = serializers.IntegerField(help_text="異なる局区の数")
    bus = serializers.IntegerField(help_text="異なる部の数")
    max_same_top = serializers.IntegerField(help_text="同じ局区からの最大人数")
    max_same_bu = serializers.IntegerField()


class PracticeGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = serializers.IntegerField()
    number = serializers.IntegerField()
    size = serializers.IntegerField()
    size_ok = serializers.BooleanField(help_text="ポリシーパックの人数の範囲内か")
    theme = serializers.CharField()
    theme_description = serializers.CharField()
    theme_unit = RefSerializer(allow_null=True)
    members = PracticeGroupMemberSerializer(many=True, help_text="閲覧できる研修生だけ")
    hidden_members = serializers.IntegerField(help_text="担当外で表示しない研修生の人数")
    mix = GroupMixSerializer()
    evaluated = serializers.BooleanField()
    deliverables = serializers.IntegerField()


class DeliverableSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    step_code = serializers.CharField()
    member = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    file = serializers.CharField(allow_null=True, help_text="ダウンロードURL（ファイルがあるとき）")
    url = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class GroupEvaluationSerializer(serializers.Serializer):
    presented_on = serializers.DateField()
    score = serializers.IntegerField()
    comment = serializers.CharField()


class PracticeGroupDetailSerializer(PracticeGroupSerializer):
    deliverables_list = DeliverableSerializer(many=True)
    evaluation = GroupEvaluationSerializer(allow_null=True)


class GroupProposalSerializer(serializers.Serializer):
    groups = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    sizes = serializers.ListField(child=serializers.IntegerField())
    feasible = serializers.BooleanField(help_text="全グループが人数の範囲内か")
    message = serializers.CharField(help_text="範囲内に分けられないときの説明")
    min_size = serializers.IntegerField()
    max_size = serializers.IntegerField()


class CertificationPhaseSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    required = serializers.DecimalField(max_digits=6, decimal_places=2)
    attended = serializers.DecimalField(max_digits=6, decimal_places=2)
    done = serializers.BooleanField()


class CertificationCandidateSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    employee = RefSerializer()
    status = serializers.CharField()
    eligible = serializers.BooleanField(help_text="修了要件を満たしているか")
    certified = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="満たしていない要件（日本語）")
    phases = CertificationPhaseSerializer(many=True)
    group = serializers.IntegerField(allow_null=True)
    evaluated = serializers.BooleanField()


class CertificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField()
    employee = RefSerializer()
    certified_on = serializers.DateField()


class LeaderRoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = RefSerializer()
    role_type = serializers.CharField()
    role_type_name = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    cohort = serializers.IntegerField(allow_null=True, help_text="期（第N期の N）")
    certified_on = serializers.DateField()
    top = serializers.CharField(help_text="局区（as_of 時点の所属）")
    bu = serializers.CharField()
    unit_label = serializers.CharField()
    in_practice_year = serializers.BooleanField(help_text="as_of の年度がこの期の実践年度か")


# ---------------------------------------------------------------- serializers: input


def _id_list(label):
    return serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), help_text=label)


class GroupsSaveInput(serializers.Serializer):
    groups = serializers.ListField(child=_id_list("研修生IDの並び"), help_text="グループ1から順に研修生IDの並び")
    allow_out_of_bounds = serializers.BooleanField(default=False, help_text="人数の範囲外のグループを認める")


class MoveInput(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="移動する研修生のID")
    allow_out_of_bounds = serializers.BooleanField(default=False)


class ThemeInput(serializers.Serializer):
    theme = serializers.CharField(allow_blank=True, max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True, help_text="テーマの所属（組織ID）")


class DeliverableInput(serializers.Serializer):
    step_code = serializers.CharField(max_length=30, help_text="planning / prototype / joint_build / presentation")
    member = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    title = serializers.CharField(allow_blank=True, max_length=200)
    file = serializers.FileField(required=False, allow_null=True, allow_empty_file=True)
    url = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)


class EvaluationInput(serializers.Serializer):
    presented_on = FlexibleDateField()
    score = serializers.IntegerField(error_messages={"invalid": "評価は1〜5の整数で入力してください"})
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class CertifyInput(serializers.Serializer):
    member_ids = _id_list("認定する研修生のID")
    certified_on = FlexibleDateField()
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)


class LeaderRoleQuery(serializers.Serializer):
    as_of = as_of_field()
    top = id_field("局区")
    role_type = serializers.CharField(required=False, allow_blank=True, max_length=30)


class RoleChangeInput(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    role_type = serializers.CharField(max_length=30)
    on = FlexibleDateField(help_text="新しい役割の開始日")
    note = serializers.CharField(allow_blank=True, required=False, default="")


class RoleEndInput(serializers.Serializer):
    employee = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    on = FlexibleDateField(help_text="この日からリーダーでなくなる（前日が最終日）")
    reason = serializers.CharField(allow_blank=True)

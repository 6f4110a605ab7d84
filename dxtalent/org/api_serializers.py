"""Input (query) and output serializers of the org API. Every error message is Japanese and names its field."""

import datetime as dt

from rest_framework import serializers

from dxtalent.core.text import normalize
from dxtalent.core.wareki import parse_date

from .models import OrgKind
from .selectors import SORTS

MAX_ID = 2**63 - 1  # BigAutoField; larger numbers would overflow the database driver


# ---------------------------------------------------------------- input


class FlexibleDateField(serializers.DateField):
    """A date written as 2026-04-01, 2026/4/1, R8.4.1, 令和8年4月1日 (full-width digits too)."""

    def to_internal_value(self, value):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


def id_field(label: str) -> serializers.IntegerField:
    message = f"{label}は1以上の整数（ID）で指定してください。"
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text=f"{label}のID",
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_value": message,
            "max_string_length": message,
        },
    )


def as_of_field() -> FlexibleDateField:
    return FlexibleDateField(
        required=False,
        allow_null=True,
        help_text="基準日（省略時は今日）。2026-04-01, 2026/4/1, R8.4.1, 令和8年4月1日 のいずれの形式も可",
    )


class OrgUnitQuerySerializer(serializers.Serializer):
    as_of = as_of_field()
    kind = serializers.ChoiceField(
        choices=OrgKind.choices,
        required=False,
        allow_blank=True,
        help_text="種別で絞り込み: " + ", ".join(f"{k}={v}" for k, v in OrgKind.choices),
        error_messages={"invalid_choice": "種別は " + ", ".join(OrgKind.values) + " のいずれかで指定してください。"},
    )
    parent = id_field("上位組織")


class OrgUnitDetailQuerySerializer(serializers.Serializer):
    as_of = as_of_field()


ORDERINGS = {
    "kana": "カナ順",
    "-kana": "カナ逆順",
    "number": "職員番号順",
    "-number": "職員番号逆順",
    "hire": "採用日順",
    "-hire": "採用日逆順",
}
assert set(ORDERINGS) == set(SORTS), "every sort of selectors.employee_list needs a label here"
ORDERING_MESSAGE = "並び順は " + ", ".join(ORDERINGS) + " のいずれかで指定してください。"


class EmployeeQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="氏名・カナ・職員番号の一部（全角・ひらがなも可）",
        error_messages={"max_length": "検索語は100文字以内で指定してください。"},
    )
    unit = id_field("所属（局区・部・課・係）")
    job_type = id_field("職種")
    position = id_field("職位")
    include_retired = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=False,
        help_text="true で退職・転出者も含める",
        error_messages={"invalid": "include_retired は true または false で指定してください。"},
    )
    ordering = serializers.ChoiceField(
        choices=list(ORDERINGS.items()),
        required=False,
        allow_blank=True,
        default="kana",
        help_text="並び順（先頭に - で逆順）",
        error_messages={"invalid_choice": ORDERING_MESSAGE},
    )


class AssignmentQuerySerializer(serializers.Serializer):
    employee = id_field("職員")
    as_of = FlexibleDateField(
        required=False,
        allow_null=True,
        help_text="この日に有効だった所属だけを返す。2026-04-01, 2026/4/1, R8.4.1 などの形式",
    )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        max_length=150,
        help_text="職員番号（ログイン画面と同じ。全角数字も可）",
        error_messages={"required": "職員番号を入力してください。", "blank": "職員番号を入力してください。"},
    )
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        style={"input_type": "password"},
        error_messages={"required": "パスワードを入力してください。", "blank": "パスワードを入力してください。"},
    )

    def validate_username(self, value: str) -> str:
        return normalize(value)  # as the login page does (dxtalent.core.forms.StaffLoginForm)


# ---------------------------------------------------------------- output


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API (dxtalent.core.api.exception_handler)."""

    detail = serializers.CharField(help_text="エラーの説明")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="入力誤りのときの項目ごとのメッセージ（それ以外は空）",
    )


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class UnitPathSerializer(serializers.Serializer):
    """The names of the 局区, 部, 課 and 係 a unit belongs to (null where the chain does not reach)."""

    top = serializers.CharField(allow_null=True, help_text="局・区")
    bu = serializers.CharField(allow_null=True, help_text="部")
    ka = serializers.CharField(allow_null=True, help_text="課")
    kakari = serializers.CharField(allow_null=True, help_text="係")


class OrgUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrgKind.choices)
    kind_label = serializers.CharField()
    level = serializers.IntegerField(help_text="階層（1=局区, 2=部, 3=課, 4=係）")
    name = serializers.CharField(help_text="基準日時点の名称")
    parent = RefSerializer(allow_null=True, help_text="基準日時点の上位組織")
    path = serializers.CharField(help_text="基準日時点の局区から当該組織までの名称")
    valid_from = serializers.DateField(help_text="組織の設置日")
    valid_to = serializers.DateField(allow_null=True, help_text="組織の最終日（null=存続中）")
    name_valid_from = serializers.DateField(help_text="この名称・上位組織の開始日")
    name_valid_to = serializers.DateField(allow_null=True, help_text="この名称・上位組織の終了日")
    headcount = serializers.IntegerField(help_text="基準日の在籍者数（下位組織を含む）")
    own_headcount = serializers.IntegerField(help_text="基準日の在籍者数（この組織のみ）")


class OrgUnitDetailSerializer(OrgUnitSerializer):
    as_of = serializers.DateField()
    children = RefSerializer(many=True, help_text="基準日時点の直下の組織")


class CurrentAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = RefSerializer()
    path = UnitPathSerializer()
    path_label = serializers.CharField(help_text="局区 部 課 係 の名称を空白でつないだもの")
    position = RefSerializer()
    valid_from = serializers.DateField()


class EmployeeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="職員番号")
    name = serializers.CharField(help_text="氏名")
    name_kana = serializers.CharField(help_text="氏名カナ")
    job_type = RefSerializer(help_text="職種・採用区分")
    hire_date = serializers.DateField(help_text="採用年月日")
    email = serializers.CharField(allow_blank=True)
    status = serializers.CharField(help_text="active=在職, retired=退職・転出")
    status_label = serializers.CharField()
    left_on = serializers.DateField(allow_null=True, help_text="退職・転出日")
    hire_route = serializers.CharField(
        read_only=True,
        allow_blank=True,
        help_text="採用区分・育成経路（ポリシーパックの採用経路コード。空文字は未登録）",
    )
    current_assignment = CurrentAssignmentSerializer(allow_null=True, help_text="今日時点の所属（なければ null）")


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    employee = RefSerializer(help_text="職員（code は職員番号）")
    unit = RefSerializer(help_text="所属（name はラベル日付時点の名称）")
    path = UnitPathSerializer()
    path_label = serializers.CharField()
    label_date = serializers.DateField(help_text="所属名称を求めた日（as_of 指定時はその日、なければ所属の開始日）")
    position = RefSerializer()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    source = serializers.CharField(allow_blank=True, help_text="登録元")


class EmployeeDetailSerializer(EmployeeSerializer):
    assignments = AssignmentSerializer(many=True, help_text="所属の履歴（新しい順）")


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Authorization: Token <token> ヘッダーで送る")

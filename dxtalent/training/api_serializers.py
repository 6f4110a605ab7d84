"""Input and output serializers of the training API. Messages are Japanese and name their field."""

from rest_framework import serializers

from dxtalent.org.api_serializers import FlexibleDateField, RefSerializer, id_field

from .models import AttendanceStatus, CourseRun, Delivery, EnrollmentStatus

MAX_HOURS = {"max_digits": 5, "decimal_places": 2}


def _choice_message(label: str, choices) -> str:
    return (
        f"{label}は " + ", ".join(f"{value}（{name}）" for value, name in choices) + " のいずれかで指定してください。"
    )


def _hours_field(label: str, **kw) -> serializers.DecimalField:
    message = f"{label}は0以上の数（小数第2位まで）で指定してください。"
    return serializers.DecimalField(
        **MAX_HOURS,
        min_value=0,
        error_messages={
            "invalid": message,
            "min_value": message,
            "max_digits": message,
            "max_decimal_places": message,
            "max_whole_digits": message,
            "required": f"{label}を指定してください。",
        },
        **kw,
    )


# ---------------------------------------------------------------- input


class CourseQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="講座名・講座コード・実施主体の一部"
    )
    delivery = serializers.ChoiceField(
        choices=Delivery.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _choice_message("形式", Delivery.choices)},
    )
    talent_type = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text="対象の人材像コード")
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="true: 募集対象だけ")


class CourseInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30, error_messages={"required": "講座コードを指定してください。"})
    title = serializers.CharField(max_length=200, error_messages={"required": "講座名を指定してください。"})
    delivery = serializers.ChoiceField(
        choices=Delivery.choices, error_messages={"invalid_choice": _choice_message("形式", Delivery.choices)}
    )
    talent_type = serializers.CharField(max_length=20, help_text="対象の人材像コード（ポリシーパック）")
    hours = _hours_field("標準時間")
    provider = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    vendor_code = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class RunQuerySerializer(serializers.Serializer):
    course = id_field("講座")
    fiscal_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2200, help_text="年度（西暦: 令和8年度 = 2026）"
    )
    program = serializers.ChoiceField(choices=CourseRun.Program.choices, required=False, allow_blank=True)


class RunInputSerializer(serializers.Serializer):
    course = serializers.IntegerField(min_value=1, help_text="講座のID（作成時のみ）")
    fiscal_year = serializers.IntegerField(min_value=1900, max_value=2200, help_text="年度（西暦、作成時のみ）")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    program = serializers.ChoiceField(
        choices=CourseRun.Program.choices, required=False, default=CourseRun.Program.GENERAL
    )
    capacity = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="null = 定員なし"
    )
    approval_required = serializers.BooleanField(required=False, default=True)
    apply_from = FlexibleDateField(required=False, allow_null=True, default=None)
    apply_until = FlexibleDateField(required=False, allow_null=True, default=None)


class SessionQuerySerializer(serializers.Serializer):
    run = id_field("開講")


class SessionInputSerializer(serializers.Serializer):
    run = serializers.IntegerField(min_value=1, help_text="開講のID（作成時のみ）")
    date = FlexibleDateField()
    hours = _hours_field("時間")
    number = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    phase_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    end_time = serializers.TimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    makeup_for = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="補講のときの対象回（研修日ID）"
    )


class EnrollmentQuerySerializer(serializers.Serializer):
    run = id_field("開講")
    employee = id_field("職員")
    status = serializers.ChoiceField(
        choices=EnrollmentStatus.choices,
        required=False,
        allow_blank=True,
        error_messages={"invalid_choice": _choice_message("状態", EnrollmentStatus.choices)},
    )
    fiscal_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2200)


class EnrollmentInputSerializer(serializers.Serializer):
    run = serializers.IntegerField(min_value=1, error_messages={"required": "申し込む開講（run）を指定してください。"})
    employee = serializers.IntegerField(
        min_value=1,
        required=False,
        allow_null=True,
        default=None,
        help_text="省略時は自分。他の職員は事務局・職員部のみ",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class EnrollmentActionSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1000, help_text="コメント（不承認の理由など）"
    )


class AttendanceEntrySerializer(serializers.Serializer):
    enrollment = serializers.IntegerField(min_value=1)
    status = serializers.ChoiceField(
        choices=AttendanceStatus.choices,
        error_messages={"invalid_choice": _choice_message("出欠", AttendanceStatus.choices)},
    )
    hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="遅刻・早退のときの出席時間（0より大きく、その回の時間未満）",
        error_messages={"invalid": "時間は数（小数第2位まで）で指定してください。"},
    )


class AttendanceSheetInputSerializer(serializers.Serializer):
    entries = AttendanceEntrySerializer(
        many=True, allow_empty=False, error_messages={"empty": "記録する受講者（entries）を1人以上指定してください。"}
    )


class LedgerQuerySerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1900, max_value=2200, help_text="省略時は今年度"
    )


# ---------------------------------------------------------------- output


class CourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    delivery = serializers.CharField()
    delivery_label = serializers.CharField()
    provider = serializers.CharField(allow_blank=True)
    talent_type = serializers.CharField()
    hours = serializers.DecimalField(**MAX_HOURS)
    description = serializers.CharField(allow_blank=True)
    vendor_code = serializers.CharField(allow_blank=True)
    is_active = serializers.BooleanField()


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    course = RefSerializer(help_text="講座（code は講座コード、name は講座名）")
    fiscal_year = serializers.IntegerField()
    title = serializers.CharField()
    program = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    approval_required = serializers.BooleanField()
    apply_from = serializers.DateField(allow_null=True)
    apply_until = serializers.DateField(allow_null=True)
    seats_taken = serializers.IntegerField(help_text="申込・承認・受講中・修了の人数")
    seats_left = serializers.IntegerField(allow_null=True, help_text="残席（null = 定員なし）")
    waiting = serializers.IntegerField(help_text="キャンセル待ちの人数")
    session_count = serializers.IntegerField()
    first_date = serializers.DateField(allow_null=True)
    last_date = serializers.DateField(allow_null=True)
    accepting = serializers.BooleanField(help_text="今日、申込を受け付けているか")
    closed_reason = serializers.CharField(allow_blank=True)


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run = serializers.IntegerField()
    number = serializers.IntegerField()
    date = serializers.DateField()
    start_time = serializers.TimeField(allow_null=True)
    end_time = serializers.TimeField(allow_null=True)
    place = serializers.CharField(allow_blank=True)
    capacity = serializers.IntegerField(allow_null=True)
    hours = serializers.DecimalField(max_digits=4, decimal_places=2)
    phase_code = serializers.CharField(allow_blank=True)
    is_makeup = serializers.BooleanField()
    makeup_for = serializers.IntegerField(allow_null=True)


class RunRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    course = RefSerializer()


class EnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run = RunRefSerializer()
    employee = RefSerializer(help_text="職員（code は職員番号）")
    status = serializers.CharField()
    status_label = serializers.CharField()
    waitlist_position = serializers.IntegerField(allow_null=True)
    applied_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    allowed_actions = serializers.ListField(child=serializers.CharField(), help_text="今の状態からできる操作")


class AttendanceSerializer(serializers.Serializer):
    enrollment = serializers.IntegerField()
    employee = RefSerializer()
    enrollment_status = serializers.CharField()
    status = serializers.CharField(allow_null=True, help_text="present / absent / partial（null = 未記録）")
    status_label = serializers.CharField(allow_blank=True)
    hours = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    recorded_at = serializers.DateTimeField(allow_null=True)


class AttendanceSheetSerializer(serializers.Serializer):
    session = SessionSerializer()
    rows = AttendanceSerializer(many=True)


class LedgerRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="run（研修）/ elearning")
    id = serializers.IntegerField(help_text="開講ID または 講座ID")
    title = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    phases = serializers.DictField(child=serializers.DecimalField(max_digits=7, decimal_places=2))


class LedgerSerializer(serializers.Serializer):
    employee = RefSerializer()
    fiscal_year = serializers.IntegerField()
    rows = LedgerRowSerializer(many=True)
    phases = serializers.DictField(child=serializers.DecimalField(max_digits=7, decimal_places=2))
    attended = serializers.DecimalField(max_digits=7, decimal_places=2)
    elearning = serializers.DecimalField(max_digits=7, decimal_places=2)
    total = serializers.DecimalField(max_digits=7, decimal_places=2)


def _name_components() -> None:
    """Prefix every component of this module with "Training" in the OpenAPI schema (other apps have their own
    Session, Course … serializers; identical component names would overwrite each other)."""
    from drf_spectacular.utils import extend_schema_serializer

    for name, obj in list(globals().items()):
        if isinstance(obj, type) and issubclass(obj, serializers.Serializer) and obj.__module__ == __name__:
            extend_schema_serializer(component_name="Training" + name.removesuffix("Serializer"))(obj)


_name_components()

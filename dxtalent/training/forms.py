"""Forms of the training pages. They only parse and check types; every write goes through services, whose
ValidationErrors are put back on the form (`add_service_errors`) so the page re-shows them inline."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dxtalent.core.text import normalize
from dxtalent.core.wareki import fiscal_year, format_fiscal_year
from dxtalent.org.forms import FlexibleDateField

from .models import CourseRun, Delivery
from .selectors import CatalogFilter

REQUIRED = {"required": "入力してください。"}


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors on their fields, the rest at the top."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def year_choices(span: int = 2) -> list[tuple[int, str]]:
    now = fiscal_year(timezone.localdate())
    return [(y, format_fiscal_year(y)) for y in range(now + 1, now - span - 1, -1)]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label="キーワード", required=False, max_length=100)
    delivery = forms.ChoiceField(label="形式", required=False, choices=[("", "すべて"), *Delivery.choices])
    talent_type = forms.CharField(label="対象の人材像", required=False, max_length=20)
    provider = forms.CharField(label="実施主体", required=False, max_length=100)
    include_closed = forms.BooleanField(label="受付期間外の開講も表示", required=False)

    def to_filter(self) -> CatalogFilter:
        if not self.is_valid():
            return CatalogFilter()
        d = self.cleaned_data
        return CatalogFilter(
            q=normalize(d.get("q")),
            delivery=d.get("delivery") or "",
            talent_type=d.get("talent_type") or "",
            provider=d.get("provider") or "",
            include_closed=bool(d.get("include_closed")),
        )


class CourseForm(forms.Form):
    code = forms.CharField(label="講座コード", max_length=30, error_messages=REQUIRED)
    title = forms.CharField(label="講座名", max_length=200, error_messages=REQUIRED)
    delivery = forms.ChoiceField(label="形式", choices=Delivery.choices, error_messages=REQUIRED)
    provider = forms.CharField(label="実施主体", max_length=100, required=False, help_text="例: 職員研修所、北大連携")
    talent_type = forms.ChoiceField(label="対象の人材像", choices=(), error_messages=REQUIRED)
    hours = forms.CharField(label="標準時間（時間）", max_length=10, error_messages=REQUIRED, help_text="例: 6、1.5")
    description = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    vendor_code = forms.CharField(
        label="eラーニング事業者の講座コード", max_length=50, required=False, help_text="修了実績の取込で照合します"
    )
    is_active = forms.BooleanField(label="募集対象（研修メニューに表示する）", required=False, initial=True)

    def __init__(self, *args, talent_types: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list((talent_types or {}).items())
        initial = self.initial.get("talent_type")
        if initial and initial not in dict(choices):
            choices.append((initial, initial))
        self.fields["talent_type"].choices = choices


class RunForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, choices=(), error_messages=REQUIRED)
    title = forms.CharField(label="開講名", max_length=200, required=False, help_text="空欄なら「講座名（年度）」")
    program = forms.ChoiceField(label="区分", choices=CourseRun.Program.choices, initial=CourseRun.Program.GENERAL)
    capacity = forms.IntegerField(
        label="定員",
        required=False,
        min_value=1,
        help_text="空欄は定員なし。定員を超えた申込はキャンセル待ちになります",
        error_messages={"invalid": "定員は整数で入力してください。", "min_value": "定員は1以上にしてください。"},
    )
    approval_required = forms.BooleanField(label="所属長の承認が必要", required=False, initial=True)
    apply_from = FlexibleDateField(label="申込開始日", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    apply_until = FlexibleDateField(label="申込締切日", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = year_choices()
        initial = self.initial.get("fiscal_year")
        if initial and initial not in dict(choices):
            choices.append((initial, format_fiscal_year(initial)))
        self.fields["fiscal_year"].choices = choices
        if "fiscal_year" not in self.initial:
            self.initial["fiscal_year"] = fiscal_year(timezone.localdate())


class SessionForm(forms.Form):
    number = forms.IntegerField(
        label="回",
        required=False,
        min_value=1,
        help_text="空欄なら次の回",
        error_messages={"invalid": "回は整数で入力してください。"},
    )
    date = FlexibleDateField(label="日付", widget=forms.DateInput(attrs={"type": "date"}), error_messages=REQUIRED)
    start_time = forms.TimeField(label="開始時刻", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="終了時刻", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="会場", max_length=200, required=False)
    capacity = forms.IntegerField(label="定員", required=False, min_value=1)
    hours = forms.CharField(label="時間（時間）", max_length=10, error_messages=REQUIRED, help_text="例: 4、2.5")
    phase_code = forms.ChoiceField(label="フェーズ", required=False, choices=())

    def __init__(self, *args, phases: dict[str, str] | None = None, makeup=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase_code"].choices = [("", "（なし）"), *(phases or {}).items()]
        if makeup:
            del self.fields["number"]
            del self.fields["phase_code"]


class EnrollForm(forms.Form):
    number = forms.CharField(label="職員番号", max_length=20, error_messages=REQUIRED)

    def clean_number(self):
        return normalize(self.cleaned_data["number"])


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "承認"), ("reject", "不承認")])
    note = forms.CharField(label="コメント", required=False, max_length=500)


class UnitExportForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    unit = forms.IntegerField(label="所属（局区・部・課）", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = year_choices(span=5)
        self.fields["fiscal_year"].initial = fiscal_year(timezone.localdate())

"""Forms of the nomination, selection and cohort pages. They parse input only; the services decide."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from dxtalent.core.text import normalize
from dxtalent.core.wareki import fiscal_year, format_fiscal_year
from dxtalent.org.forms import FlexibleDateField

from .models import NominationStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def apply_errors(form: forms.Form, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: each field's messages next to that field."""
    mapping = mapping or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, messages in exc.message_dict.items():
        name = mapping.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


class WindowForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="研修年度", coerce=int)
    opens_on = FlexibleDateField(
        label="受付開始日", widget=DATE, error_messages={"required": "受付開始日を入力してください。"}
    )
    closes_on = FlexibleDateField(
        label="締切日",
        widget=DATE,
        help_text="締切日の終わりまで推薦・変更できます。",
        error_messages={"required": "締切日を入力してください。"},
    )
    note = forms.CharField(
        label="お知らせ", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="局区担当に表示されます。"
    )

    def __init__(self, *args, today: dt.date, taken: set[int] = frozenset(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        this = fiscal_year(today)
        years = [y for y in range(this, this + 3) if y not in taken]
        self.fields["fiscal_year"].choices = [(y, format_fiscal_year(y)) for y in years]
        if editing:
            del self.fields["fiscal_year"]

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "締切日は受付開始日以降の日付にしてください。")
        return data


class QuotaForm(forms.Form):
    """One number per 局区 (blank = no quota set)."""

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        for unit in self.units:
            self.fields[f"unit_{unit.unit_id}"] = forms.IntegerField(
                label=unit.name,
                required=False,
                min_value=0,
                max_value=999,
                error_messages={
                    "invalid": f"{unit.name}の推薦枠は0以上の整数で入力してください。",
                    "min_value": f"{unit.name}の推薦枠は0以上の整数で入力してください。",
                    "max_value": f"{unit.name}の推薦枠が大きすぎます。",
                },
                widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            )

    def quotas(self) -> dict[int, int]:
        return {
            u.unit_id: self.cleaned_data[f"unit_{u.unit_id}"]
            for u in self.units
            if self.cleaned_data.get(f"unit_{u.unit_id}") is not None
        }

    def rows(self):
        return [(u, self[f"unit_{u.unit_id}"]) for u in self.units]


class NominationForm(forms.Form):
    number = forms.CharField(
        label="職員番号",
        max_length=20,
        required=False,
        help_text="推薦する職員の職員番号。分からないときは、下の検索で探して「この職員を選ぶ」を押してください。",
    )
    recommendation = forms.CharField(
        label="推薦理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="要件を満たすと判断した具体的な理由（取組の実績、周囲との関わりなど）を書いてください。",
    )

    def __init__(self, *args, requirements, visible_employees=None, units_label: str = "", editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        self.visible_employees = visible_employees
        self.units_label = units_label
        for code, label in self.requirements:
            self.fields[f"req_{code}"] = forms.BooleanField(label=label, required=False)
        if editing:
            del self.fields["number"]

    def clean_number(self):
        number = normalize(self.cleaned_data.get("number") or "")
        if not number:
            raise ValidationError("推薦する職員の職員番号を入力してください。")
        employee = self.visible_employees.filter(number=number).first()
        if employee is None:
            raise ValidationError(
                f"職員番号 {number} の職員は、担当の局区（{self.units_label}）にいません。番号を確かめてください。"
            )
        self.employee = employee
        return number

    def requirement_values(self) -> dict[str, bool]:
        return {code: bool(self.cleaned_data.get(f"req_{code}")) for code, _label in self.requirements}

    def requirement_fields(self):
        return [self[f"req_{code}"] for code, _label in self.requirements]


DECISION_CHOICES = [
    (NominationStatus.SELECTED, "選定"),
    (NominationStatus.RESERVE, "補欠"),
    (NominationStatus.DECLINED, "見送り"),
]


class DecisionForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(
        label="対象",
        coerce=int,
        error_messages={"required": "対象の推薦を1件以上選んでください。"},
    )
    decision = forms.ChoiceField(
        label="決定",
        choices=DECISION_CHOICES,
        error_messages={"required": "選定・補欠・見送りのいずれかを選んでください。"},
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="補欠・見送りのときは必須です。",
    )

    def __init__(self, *args, nomination_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, str(i)) for i in nomination_ids]


class CohortFormForm(forms.Form):
    schedule = forms.BooleanField(
        label="カリキュラムの標準日程で研修日も作成する",
        required=False,
        initial=True,
        help_text="後から日程画面で変更できます。",
    )
    place = forms.CharField(label="会場", required=False, max_length=200)


class ScheduleForm(forms.Form):
    place = forms.CharField(label="会場", required=False, max_length=200)
    start_time = forms.TimeField(label="開始時刻", required=False, widget=TIME)
    end_time = forms.TimeField(label="終了時刻", required=False, widget=TIME)

    def __init__(self, *args, phases, **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = list(phases)
        for phase in self.phases:
            for i in range(phase.sessions):
                self.fields[f"{phase.code}_{i + 1}"] = FlexibleDateField(
                    label=f"{phase.name} {i + 1}回目",
                    required=False,
                    widget=DATE,
                )

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", "終了時刻は開始時刻より後にしてください。")
        return data

    def dates(self) -> dict[str, list[dt.date]]:
        """Dates per phase; a phase left wholly blank is not scheduled (partly blank is an error in the service)."""
        out = {}
        for phase in self.phases:
            days = [self.cleaned_data.get(f"{phase.code}_{i + 1}") for i in range(phase.sessions)]
            if any(days):
                out[phase.code] = [d for d in days if d]
        return out

    def grouped(self):
        return [(p, [self[f"{p.code}_{i + 1}"] for i in range(p.sessions)]) for p in self.phases]

"""Forms of the ③ ladder pages. They parse input only; the services check the rules and their ValidationErrors
go back onto the fields (`apply_errors`). Choices (stages, experiences, hire routes) come from the pack."""

from django import forms

from dxtalent.core.forms import apply_errors
from dxtalent.core.text import normalize
from dxtalent.org.forms import FlexibleDateField
from dxtalent.org.models import Employee

from .models import Half
from .selectors.ladder_people import NO_ROUTE, SORT_LABELS

__all__ = [
    "DecideForm",
    "EnterForm",
    "LadderFilterForm",
    "LeaveForm",
    "PlanForm",
    "ProposeForm",
    "ReviewForm",
    "apply_errors",
    "employee_by_number",
    "stage_choices",
]

DATE = forms.DateInput(attrs={"type": "date"})
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _required(label: str) -> dict:
    return {"required": f"{label}を入力してください。"}


def stage_choices(pack) -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in pack.ladder] if pack else []


def employee_by_number(number: str) -> Employee | None:
    return Employee.objects.filter(number=normalize(number or "")).first()


class LadderFilterForm(forms.Form):
    q = forms.CharField(label="氏名・職員番号", required=False, max_length=100)
    stage = forms.ChoiceField(label="段階", required=False)
    hire_route = forms.ChoiceField(label="採用区分", required=False)
    ready = forms.BooleanField(label="昇格基準を満たす人だけ", required=False)
    long_stay = forms.BooleanField(label="長期滞留の人だけ", required=False)
    sort = forms.ChoiceField(label="並び順", required=False, choices=list(SORT_LABELS.items()))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, pack=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "すべて"), *stage_choices(pack)]
        routes = [(r.code, r.name) for r in pack.hire_routes] if pack else []
        self.fields["hire_route"].choices = [("", "すべて"), *routes, (NO_ROUTE, "未登録")]


class EnterForm(forms.Form):
    number = forms.CharField(label="職員番号", max_length=20)
    stage_code = forms.ChoiceField(label="段階")
    on = FlexibleDateField(label="開始日", widget=DATE, help_text="2026-04-01、R8.4.1、令和8年4月1日 の形式も使えます")
    hire_route = forms.ChoiceField(
        label="採用区分・育成経路", required=False, help_text="空欄のときは、登録済みの区分のままにします"
    )
    note = forms.CharField(label="備考", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pack=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage_code"].choices = stage_choices(pack)
        routes = [(r.code, r.name) for r in pack.hire_routes] if pack else []
        self.fields["hire_route"].choices = [("", "（変更しない）"), *routes]

    def clean_number(self):
        employee = employee_by_number(self.cleaned_data["number"])
        if employee is None:
            raise forms.ValidationError("この職員番号の職員はいません。")
        self.employee = employee
        return employee.number


class LeaveForm(forms.Form):
    on = FlexibleDateField(label="終了日", widget=DATE)
    note = forms.CharField(label="理由（異動・退職など）", required=False, max_length=200)


class PlanForm(forms.Form):
    mentor = forms.CharField(label="OJT指導者の職員番号", max_length=20)
    goals = forms.CharField(label="目標", widget=TEXTAREA, error_messages=_required("目標"))
    systems = forms.CharField(label="担当システム", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    projects = forms.CharField(label="担当プロジェクト", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_mentor(self):
        mentor = employee_by_number(self.cleaned_data["mentor"])
        if mentor is None:
            raise forms.ValidationError("この職員番号の職員はいません。")
        self.mentor = mentor
        return mentor.number


class ReviewForm(forms.Form):
    reviewed_on = FlexibleDateField(label="振り返り日", widget=DATE, error_messages=_required("振り返り日"))
    progress = forms.CharField(label="取組と成果", widget=TEXTAREA, error_messages=_required("取組と成果"))
    next_steps = forms.CharField(label="次の半期の課題", required=False, widget=TEXTAREA)
    experiences = forms.MultipleChoiceField(
        label="この半期に経験したこと", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, pack=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        for s in pack.ladder if pack else ():
            for code, label in s.experiences:
                choices.append((code, f"{label}（{s.name}の基準）"))
        self.fields["experiences"].choices = choices


class ProposeForm(forms.Form):
    reasons = forms.CharField(label="推薦理由", widget=TEXTAREA, error_messages=_required("推薦理由"))


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="決定",
        choices=[("1", "昇格を承認する"), ("0", "見送る")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label="決定の理由", widget=TEXTAREA, error_messages=_required("決定の理由"))
    effective_on = FlexibleDateField(
        label="昇格日", required=False, widget=DATE, help_text="承認する場合。空欄なら今日から次の段階になります"
    )


HALF_LABELS = dict(Half.choices)

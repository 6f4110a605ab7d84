import datetime as dt

from django import forms

from dxtalent.core.wareki import parse_date

from .selectors import SORTS, EmployeeFilter


class FlexibleDateField(forms.DateField):
    """Accepts 2026-04-01, 2026/4/1, R8.4.1, 令和8年4月1日 and Excel serials."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class AsOfForm(forms.Form):
    as_of = FlexibleDateField(label="基準日", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def day(self, default: dt.date) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return default


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label="氏名・カナ・職員番号", required=False, max_length=100)
    top = forms.IntegerField(label="局区", required=False)
    bu = forms.IntegerField(label="部", required=False)
    ka = forms.IntegerField(label="課", required=False)
    job_type = forms.IntegerField(label="職種", required=False)
    position = forms.IntegerField(label="職位", required=False)
    include_retired = forms.BooleanField(label="退職・転出者を含む", required=False)
    sort = forms.ChoiceField(label="並び順", required=False, choices=[(k, k) for k in SORTS])

    def to_filter(self) -> EmployeeFilter:
        if not self.is_valid():
            return EmployeeFilter()
        d = self.cleaned_data
        return EmployeeFilter(
            q=d.get("q") or "",
            unit=d.get("ka") or d.get("bu") or d.get("top"),
            job_type=d.get("job_type"),
            position=d.get("position"),
            include_retired=bool(d.get("include_retired")),
            sort=d.get("sort") or "kana",
        )

"""Forms of the group, certification and leader-role pages. They parse input only; the services validate the
rules and their ValidationErrors are put back on the form's fields (`dxtalent.core.forms.apply_errors`)."""

from django import forms

from dxtalent.org.forms import FlexibleDateField

DATE = forms.DateInput(attrs={"type": "date"})


class GroupsSaveForm(forms.Form):
    """One select per member (member_<id> → group number) plus the override checkbox."""

    allow_out_of_bounds = forms.BooleanField(label="人数の範囲外を認める", required=False)

    def __init__(self, *args, member_ids: list[int], max_groups: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_ids = member_ids
        choices = [(str(n), f"グループ{n}") for n in range(1, max_groups + 1)]
        for pk in member_ids:
            self.fields[f"member_{pk}"] = forms.TypedChoiceField(label="グループ", choices=choices, coerce=int)

    def groups(self) -> list[list[int]]:
        """Member ids per group, numbered in order of the numbers chosen (gaps closed)."""
        by_number: dict[int, list[int]] = {}
        for pk in self.member_ids:
            by_number.setdefault(self.cleaned_data[f"member_{pk}"], []).append(pk)
        return [by_number[n] for n in sorted(by_number)]


class MoveForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    group = forms.IntegerField(label="移動先")
    allow_out_of_bounds = forms.BooleanField(label="人数の範囲外でも移動する", required=False)


class ThemeForm(forms.Form):
    theme = forms.CharField(label="テーマ（業務課題）", max_length=200, required=False)
    description = forms.CharField(label="課題の内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    unit = forms.TypedChoiceField(label="テーマの所属", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "選んでください"), *unit_choices]


class DeliverableForm(forms.Form):
    step_code = forms.ChoiceField(label="演習の回")
    member = forms.TypedChoiceField(label="作成者", required=False, coerce=int, empty_value=None)
    title = forms.CharField(label="成果物名", max_length=200, required=False)
    file = forms.FileField(label="ファイル", required=False)
    url = forms.CharField(label="リンク（URL）", max_length=500, required=False)

    def __init__(self, *args, steps=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_code"].choices = [(s.code, s.name) for s in steps]
        self.fields["member"].choices = [("", "（グループ全体）"), *members]


class EvaluationForm(forms.Form):
    presented_on = FlexibleDateField(label="発表日", widget=DATE)
    score = forms.CharField(label="評価（1〜5）", max_length=5)
    comment = forms.CharField(label="講評", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CertifyForm(forms.Form):
    member_ids = forms.TypedMultipleChoiceField(label="認定する研修生", coerce=int)
    certified_on = FlexibleDateField(label="認定日", widget=DATE)
    note = forms.CharField(label="備考", required=False, max_length=500)

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_ids"].choices = member_choices
        self.fields["member_ids"].error_messages["required"] = "認定する研修生を選んでください"


class LeaderFilterForm(forms.Form):
    as_of = FlexibleDateField(label="基準日", required=False, widget=DATE)
    top = forms.IntegerField(label="局区", required=False)
    role_type = forms.CharField(label="役割類型", required=False, max_length=30)


class RoleChangeForm(forms.Form):
    role_type = forms.ChoiceField(label="新しい役割類型")
    on = FlexibleDateField(label="変更日（新しい役割の開始日）", widget=DATE)
    note = forms.CharField(label="備考（配置先など）", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, role_types=(), **kwargs):
        kwargs.setdefault("auto_id", "change_%s")
        super().__init__(*args, **kwargs)
        self.fields["role_type"].choices = list(role_types)


class RoleEndForm(forms.Form):
    on = FlexibleDateField(label="終了日（この日からリーダーでなくなる）", widget=DATE)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "end_%s")
        super().__init__(*args, **kwargs)

"""Forms of the case library: the search box and filters, the case (publish / edit) and adopting a case."""

from django import forms

from .selectors.cases import SORTS

TEXTAREA = {"rows": 4}


def _choices(pairs, blank="すべて"):
    return [("", blank), *pairs]


class SearchForm(forms.Form):
    q = forms.CharField(label="キーワード", required=False, max_length=200)
    work_category = forms.ChoiceField(label="業務分類", required=False)
    tool_kind = forms.ChoiceField(label="ツール", required=False)
    sort = forms.ChoiceField(label="並び順", required=False, choices=SORTS)

    def __init__(self, *args, work_categories=(), tool_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_category"].choices = _choices(work_categories)
        self.fields["tool_kind"].choices = _choices(tool_kinds)

    def values(self) -> dict:
        """Cleaned filters; an invalid field (e.g. an unknown category) is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "work_category": data.get("work_category") or "",
            "tool_kind": data.get("tool_kind") or "",
            "sort": data.get("sort") or "relevance",
        }


class CaseForm(forms.Form):
    title = forms.CharField(label="事例名", max_length=200)
    summary = forms.CharField(
        label="概要", widget=forms.Textarea(attrs=TEXTAREA), help_text="一覧と検索結果に表示されます"
    )
    problem = forms.CharField(label="問題点", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    as_is = forms.CharField(label="現状（As-Is）", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    to_be = forms.CharField(label="改善案（To-Be）", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    solution = forms.CharField(label="解決策・ツール", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    operating_rule = forms.CharField(label="運用ルール", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    effects = forms.CharField(label="効果", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    work_category = forms.ChoiceField(label="業務分類")
    tool_kind = forms.ChoiceField(label="ツールの種類")
    show_unit = forms.BooleanField(label="所属名（課）を公開する", required=False)
    show_leader = forms.BooleanField(
        label="DX推進リーダーの氏名を公開する",
        required=False,
        help_text="個人名です。本人の了解を得てから公開してください",
    )

    def __init__(self, *args, work_categories=(), tool_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_category"].choices = _choices(work_categories, "選んでください")
        self.fields["tool_kind"].choices = _choices(tool_kinds, "選んでください")


class AdoptForm(forms.Form):
    unit = forms.TypedChoiceField(label="横展開する課", coerce=int)
    title = forms.CharField(label="件名", required=False, max_length=200, help_text="空欄なら事例名をそのまま使います")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _choices(units, "選んでください")


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label="この事例の公開を停止します", required=True)

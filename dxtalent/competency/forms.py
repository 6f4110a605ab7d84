"""Forms of the competency pages. They parse input only; the services check the rules (levels on the campaign's
frozen scale, who may rate, open campaigns …) and their ValidationErrors go back onto the fields."""

import re

from django import forms
from django.utils import timezone

from dxtalent.core.forms import apply_errors
from dxtalent.core.wareki import fiscal_year, format_fiscal_year
from dxtalent.core.widgets import FastSelect
from dxtalent.org.forms import FlexibleDateField
from dxtalent.training.models import CourseRun

from .models import CampaignKind, CampaignStatus, EvidenceKind
from .selectors.campaigns import SORT_LABELS, framework_choices

__all__ = [
    "AddPeopleForm",
    "CampaignFilterForm",
    "CampaignForm",
    "CohortForm",
    "EvidenceForm",
    "GapForm",
    "RatingForm",
    "apply_errors",
    "parse_numbers",
    "year_choices",
]

DATE = forms.DateInput(attrs={"type": "date"})
BLANK = [("", "すべて")]


def year_choices(span: int = 10) -> list[tuple[int, str]]:
    this = fiscal_year(timezone.localdate())
    return [(y, format_fiscal_year(y)) for y in range(this + 1, this - span, -1)]


def run_choices() -> list[tuple[str, str]]:
    runs = CourseRun.objects.select_related("course").order_by("-fiscal_year", "title")[:500]
    return [("", "（なし）")] + [(str(r.pk), f"{format_fiscal_year(r.fiscal_year)} {r.title}") for r in runs]


def parse_numbers(text: str) -> list[str]:
    """職員番号 typed one per line, or separated by commas/spaces (full-width digits too)."""
    from dxtalent.core.text import normalize

    return [n for n in re.split(r"[\s,、，]+", normalize(text or "")) if n]


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label="名称", required=False, max_length=100)
    fiscal_year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="種類", required=False, choices=BLANK + list(CampaignKind.choices))
    status = forms.ChoiceField(label="状態", required=False, choices=BLANK + list(CampaignStatus.choices))
    framework = forms.ChoiceField(label="フレームワーク", required=False)
    sort = forms.ChoiceField(label="並び順", required=False, choices=list(SORT_LABELS.items()))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = BLANK + year_choices()
        self.fields["framework"].choices = BLANK + framework_choices()


class CampaignForm(forms.Form):
    name = forms.CharField(label="評価の名称", max_length=200, help_text="例: 第1期 研修前評価、令和8年度 年次評価")
    framework_code = forms.ChoiceField(label="フレームワーク", help_text="作成時点の項目・尺度がこの回に写されます")
    kind = forms.ChoiceField(label="種類", choices=CampaignKind.choices)
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)
    opens_on = FlexibleDateField(label="開始日", widget=DATE)
    closes_on = FlexibleDateField(label="締切日", widget=DATE)
    run = forms.TypedChoiceField(
        label="対象の研修（期）", required=False, coerce=int, empty_value=None, widget=FastSelect,
        help_text="研修前・研修後の評価では必須。受講者をまとめて追加できます",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_code"].choices = framework_choices()
        self.fields["fiscal_year"].choices = year_choices()
        self.fields["fiscal_year"].initial = fiscal_year(timezone.localdate())
        self.fields["run"].choices = run_choices()


class AddPeopleForm(forms.Form):
    numbers = forms.CharField(
        label="対象者の職員番号", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="1行に1人（カンマ・空白区切りも可）。評価者を空欄にすると、各人の所属長（現在の課の課長）になります",
    )  # fmt: skip
    evaluator = forms.CharField(label="評価者の職員番号（任意）", required=False, max_length=20)


class RatingForm(forms.Form):
    """One radio group per item of the frozen framework (level label + the item's anchor for that level)."""

    comment = forms.CharField(label="全体コメント", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, framework, rater: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework, self.rater = framework, rater
        self.items = []
        from .frozen import items_in_order

        for item in items_in_order(framework):
            choices = [(str(a.level), f"{a.level} {a.label}：{a.text}") for a in item.anchors]
            self.fields[f"level_{item.code}"] = forms.ChoiceField(
                label=item.name, required=False, choices=choices, widget=forms.RadioSelect
            )
            self.fields[f"comment_{item.code}"] = forms.CharField(
                label=f"{item.name}のコメント", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.items.append(item)

    def item_fields(self):
        return [(i, self[f"level_{i.code}"], self[f"comment_{i.code}"]) for i in self.items]

    def levels(self) -> dict[str, int]:
        d = self.cleaned_data
        return {i.code: int(d[f"level_{i.code}"]) for i in self.items if d.get(f"level_{i.code}")}

    def comments(self) -> dict[str, str]:
        d = self.cleaned_data
        return {i.code: d.get(f"comment_{i.code}", "") for i in self.items if d.get(f"comment_{i.code}")}

    def apply_service_errors(self, exc) -> None:
        """Per-item messages of the service next to their radio group; others at the top."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, errors in exc.error_dict.items():
            for e in errors:
                item = (e.params or {}).get("item") if key in ("levels", "comments") else None
                prefix = "level_" if key == "levels" else "comment_"
                name = f"{prefix}{item}" if item and f"{prefix}{item}" in self.fields else None
                if name is None and key in self.fields:
                    name = key
                self.add_error(name, e.messages)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="根拠の種類", choices=EvidenceKind.choices, widget=forms.RadioSelect)
    attendance = forms.TypedChoiceField(label="受講した研修日", required=False, coerce=int, empty_value=None)
    ref_id = forms.TypedChoiceField(label="業務改善の取組", required=False, coerce=int, empty_value=None)
    label = forms.CharField(label="内容", required=False, max_length=300, help_text="その他の場合は必須")
    url = forms.CharField(label="リンク（任意）", required=False, max_length=500)
    item_code = forms.ChoiceField(label="関連する項目（任意）", required=False)

    def __init__(self, *args, attendances, projects, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].choices = [("", "選んでください"), *list(attendances)]
        self.fields["ref_id"].choices = [("", "選んでください"), *list(projects)]
        self.fields["item_code"].choices = [("", "（特定しない）")] + [(i.code, i.name) for i in items]


class CohortForm(forms.Form):
    run = forms.TypedChoiceField(label="研修（期）", required=False, coerce=int, empty_value=None)
    pre = forms.TypedChoiceField(label="研修前の評価", required=False, coerce=int, empty_value=None)
    post = forms.TypedChoiceField(label="研修後の評価", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = [("", "選んでください")] + [
            (r["run"].pk, f"{format_fiscal_year(r['run'].fiscal_year)} {r['run'].title}") for r in runs
        ]
        pres = [(c.pk, c.name) for r in runs for c in r["pre"]]
        posts = [(c.pk, c.name) for r in runs for c in r["post"]]
        self.fields["pre"].choices = [("", "研修（期）から選ぶ"), *pres]
        self.fields["post"].choices = [("", "研修（期）から選ぶ"), *posts]


class GapForm(forms.Form):
    campaign = forms.TypedChoiceField(label="評価の回", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(
        label="局区・部で絞り込み", required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args, campaigns, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "選んでください")] + [
            (c.pk, f"{c.name}（{format_fiscal_year(c.fiscal_year)}）") for c in campaigns
        ]
        self.fields["unit"].choices = [("", "全体"), *list(units)]

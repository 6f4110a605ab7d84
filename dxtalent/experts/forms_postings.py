"""Forms of the ジョブチャレンジ pages. They parse input only; the services check the rules (kinds from the pack,
dates in order, deadlines, one application per person …) and their ValidationErrors go back onto the fields."""

from django import forms

from dxtalent.core.forms import apply_errors
from dxtalent.core.widgets import FastSelect
from dxtalent.org.forms import FlexibleDateField
from dxtalent.org.models import OrgKind
from dxtalent.org.selectors import org_snapshot

from .models import ApplicationStatus
from .selectors.postings import SORT_LABELS, TABS, kind_names
from .services.applications import NEXT_STATUSES

__all__ = ["AdvanceForm", "ApplyForm", "PostingFilterForm", "PostingForm", "apply_errors", "unit_choices"]

DATE = forms.DateInput(attrs={"type": "date"})
PLACEABLE_KINDS = (OrgKind.KYOKU, OrgKind.KU, OrgKind.BU, OrgKind.KA, OrgKind.KAKARI)


def unit_choices() -> list[tuple[int, str]]:
    """Every unit of today's tree as "局区 部 課", in tree order (one query, cached snapshot)."""
    snap = org_snapshot()
    return [(n.unit_id, snap.label_of(n.unit_id)) for n in snap.flat() if n.kind in PLACEABLE_KINDS]


class PostingFilterForm(forms.Form):
    tab = forms.ChoiceField(label="状態", required=False, choices=list(TABS.items()))
    kind = forms.ChoiceField(label="募集の種類", required=False)
    q = forms.CharField(label="募集名・内容", required=False, max_length=100)
    sort = forms.ChoiceField(label="並び順", required=False, choices=list(SORT_LABELS.items()))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "すべて"), *kind_names().items()]


class PostingForm(forms.Form):
    kind = forms.ChoiceField(label="募集の種類")
    title = forms.CharField(label="募集名", max_length=200)
    description = forms.CharField(label="募集内容", widget=forms.Textarea(attrs={"rows": 6}))
    requirements = forms.CharField(label="応募資格", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    unit = forms.TypedChoiceField(
        label="配属先",
        required=False,
        coerce=int,
        empty_value=None,
        widget=FastSelect,
        help_text="決定した人の異動先。異動を伴わない募集（リーダーの役割の変更など）は空欄にします。",
    )
    slots = forms.IntegerField(label="募集人数", min_value=1, initial=1)
    opens_on = FlexibleDateField(label="募集開始日", widget=DATE)
    deadline = FlexibleDateField(label="締切日", widget=DATE, help_text="この日まで応募できます。")
    starts_on = FlexibleDateField(
        label="着任日", widget=DATE, help_text="決定した人の異動・役割はこの日から始まります。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "選んでください"), *kind_names().items()]
        self.fields["unit"].choices = [("", "異動なし"), *unit_choices()]


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label="志望動機",
        required=False,  # the service says what is missing, so the page and the API give the same message
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="応募の理由、これまでの経験、取り組みたいことを書いてください。",
    )


class AdvanceForm(forms.Form):
    status = forms.ChoiceField(label="次の状態")
    note = forms.CharField(label="選考メモ", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="決定・不採用の理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="決定・不採用のときは必須です。",
    )
    on = FlexibleDateField(label="日付", required=False, widget=DATE, help_text="空欄なら今日。")

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ApplicationStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in NEXT_STATUSES.get(current, ())]

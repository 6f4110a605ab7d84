"""Forms of the support desk pages. They parse input only; the services validate the rules and their
ValidationErrors are put back on the form's fields (`dxtalent.core.forms.apply_errors`)."""

from django import forms

from dxtalent.core.forms import apply_errors
from dxtalent.core.widgets import FastSelect

from .models import ConsultationStatus
from .selectors.consultations import OPEN, SORT_LABELS, STATUS_CHOICES, UNASSIGNED, DeskFilter


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (`upload_problems`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ConsultationForm(forms.Form):
    kind = forms.ChoiceField(label="相談の種類")
    title = forms.CharField(label="件名", max_length=200)
    project = forms.TypedChoiceField(
        label="関連するプロジェクト", required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    description = forms.CharField(
        label="相談内容", widget=forms.Textarea(attrs={"rows": 8}), help_text="困っていること、試したこと、希望する支援"
    )
    files = MultipleFileField(label="添付ファイル", required=False)

    def __init__(self, *args, kinds=(), projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "選んでください"), *kinds]
        self.fields["project"].choices = [("", "（なし）"), *projects]


class ReplyForm(forms.Form):
    body = forms.CharField(label="返信", widget=forms.Textarea(attrs={"rows": 5}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label="ファイル")
    title = forms.CharField(label="名称（省略時はファイル名）", max_length=200, required=False)


class AssignForm(forms.Form):
    handler = forms.TypedChoiceField(label="担当者", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = [("", "（未割当）"), *((e.pk, e.name) for e in handlers)]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="状態", choices=ConsultationStatus.choices)


class CaseLinkForm(forms.Form):
    case = forms.TypedChoiceField(
        label="参考になる事例", required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "（紹介しない）"), *cases]


class DeskFilterForm(forms.Form):
    status = forms.ChoiceField(label="状態", required=False)
    kind = forms.ChoiceField(label="相談の種類", required=False)
    handler = forms.ChoiceField(label="担当者", required=False)
    top = forms.TypedChoiceField(label="局区", required=False, coerce=int, empty_value=None, widget=FastSelect)
    sort = forms.ChoiceField(label="並べ替え", required=False, choices=list(SORT_LABELS.items()))

    def __init__(self, *args, kinds=(), handlers=(), tops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "すべて"), *STATUS_CHOICES]
        self.fields["kind"].choices = [("", "すべて"), *kinds]
        self.fields["handler"].choices = [
            ("", "すべて"),
            (UNASSIGNED, "未割当"),
            *((str(e.pk), e.name) for e in handlers),
        ]
        self.fields["top"].choices = [("", "すべて"), *((n.unit_id, n.name) for n in tops)]

    def filters(self) -> DeskFilter:
        d = self.cleaned_data if self.is_valid() else {}
        return DeskFilter(
            status=d.get("status") or "",
            kind=d.get("kind") or "",
            handler=d.get("handler") or "",
            top=d.get("top"),
            sort=d.get("sort") or "-opened",
        )


__all__ = [
    "OPEN",
    "AssignForm",
    "AttachmentForm",
    "CaseLinkForm",
    "ConsultationForm",
    "DeskFilterForm",
    "ReplyForm",
    "StatusForm",
    "apply_errors",
]

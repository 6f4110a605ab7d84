"""Forms of the project pages. They parse input only; the services validate the rules (hours ≥ 0, the leader is a
certified leader or a trainee, required fields per step …) and their ValidationErrors go back onto the fields."""

from django import forms

from dxtalent.core.forms import apply_errors
from dxtalent.core.uploads import UPLOAD_HINT
from dxtalent.core.widgets import FastSelect
from dxtalent.leaders.models import Certification, CohortMember, MemberStatus, PracticeGroup
from dxtalent.org.forms import FlexibleDateField
from dxtalent.org.models import Employee

from .models import Project, ProjectStatus
from .selectors.projects import SORT_LABELS, tool_kinds, work_categories
from .services.projects import HOURS_FIELDS, STEP_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})
TEXTAREA = forms.Textarea(attrs={"rows": 4})
HOURS = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
TEXT_AREAS = {"problem", "as_is", "to_be", "feedback", "trial", "support_received", "operating_rule"}
TEXT_AREAS |= {"qualitative_effects"}

__all__ = [
    "AttachmentForm",
    "CancelForm",
    "ParticipantsForm",
    "ProjectCreateForm",
    "ProjectFilterForm",
    "SendBackForm",
    "StepForm",
    "apply_errors",
    "group_choices",
    "leader_choices",
]


def leader_choices() -> list[tuple[int, str]]:
    """Certified leaders and trainees still in training (one query each)."""
    certified = set(Certification.objects.values_list("member__employee_id", flat=True))
    rows = (
        CohortMember.objects.filter(status__in=(MemberStatus.TRAINING, MemberStatus.COMPLETED, MemberStatus.CERTIFIED))
        .select_related("employee", "cohort")
        .order_by("employee__kana_key", "-cohort__number")
    )
    seen: dict[int, str] = {}
    for m in rows:
        if m.employee_id in seen:
            continue
        if m.status == MemberStatus.CERTIFIED and m.employee_id not in certified:
            continue
        kind = "認定" if m.employee_id in certified else "研修中"
        seen[m.employee_id] = f"{m.employee.name}（{m.cohort}・{kind}）"
    return list(seen.items())


def group_choices() -> list[tuple[int, str]]:
    groups = PracticeGroup.objects.select_related("cohort").order_by("-cohort__number", "number")
    return [(g.pk, f"{g} {g.theme}".strip()) for g in groups]


def _label(name: str) -> str:
    return str(Project._meta.get_field(name).verbose_name)


def _field(name: str, *, leaders=(), groups=()) -> forms.Field:
    if name in HOURS_FIELDS:
        return forms.CharField(label=_label(name), required=False, widget=HOURS, help_text="時間（小数可）")
    if name == "leader":
        return forms.TypedChoiceField(
            label=_label(name), required=False, coerce=int, empty_value=None, choices=[("", "未定"), *leaders]
        )
    if name == "group":
        return forms.TypedChoiceField(
            label=_label(name), required=False, coerce=int, empty_value=None, choices=[("", "なし"), *groups]
        )
    if name == "work_category":
        return forms.ChoiceField(
            label=_label(name), required=False, choices=[("", "選んでください"), *work_categories()]
        )
    if name == "tool_kind":
        return forms.ChoiceField(label=_label(name), required=False, choices=[("", "選んでください"), *tool_kinds()])
    if name == "verified_by":
        return forms.CharField(label="効果を確認した人（職員番号）", required=False, max_length=20)
    if name == "verified_on":
        return FlexibleDateField(label=_label(name), required=False, widget=DATE)
    widget = TEXTAREA if name in TEXT_AREAS else None
    return forms.CharField(label=_label(name), required=False, widget=widget, max_length=None if widget else 200)


def resolve_employee(form: forms.Form, name: str, number: str):
    """Employee by 職員番号 (None when blank); adds a field error and returns False when unknown."""
    number = (number or "").strip()
    if not number:
        return None
    employee = Employee.objects.filter(number=number).first()
    if employee is None:
        form.add_error(name, f"職員番号「{number}」の職員はいません")
        return False
    return employee


class ProjectCreateForm(forms.Form):
    unit = forms.TypedChoiceField(label="課", coerce=int)
    title = forms.CharField(label="件名", max_length=200)
    problem = forms.CharField(label="問題点", required=False, widget=TEXTAREA, help_text="現状の問題点を平易な言葉で")

    def __init__(self, *args, units=(), leaders=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = list(units)
        self.fields["leader"] = _field("leader", leaders=leaders)
        self.fields["group"] = _field("group", groups=groups)
        self.fields["work_category"] = _field("work_category")


class StepForm(forms.Form):
    """The current step's fields (from services.STEP_FIELDS)."""

    def __init__(self, *args, step: int, leaders=(), groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        for name in STEP_FIELDS[step]:
            self.fields[name] = _field(name, leaders=leaders, groups=groups)

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        out = {}
        for name in STEP_FIELDS[project.step]:
            if name == "verified_by":
                out[name] = project.verified_by.number if project.verified_by_id else ""
            elif name in ("leader", "group"):
                out[name] = getattr(project, f"{name}_id")
            else:
                value = getattr(project, name)
                out[name] = "" if value is None else value
        return out


class SendBackForm(forms.Form):
    to_step = forms.TypedChoiceField(label="差戻し先", coerce=int)
    reason = forms.CharField(label="差戻しの理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, current: int, names: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_step"].choices = [(n, f"ステップ{n} {names[n]}") for n in range(1, current)]


class CancelForm(forms.Form):
    reason = forms.CharField(label="中止の理由", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AttachmentForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200, required=False, help_text="例: As-Is 業務フロー図")
    file = forms.FileField(label="ファイル", required=False, help_text=UPLOAD_HINT)


class ParticipantsForm(forms.Form):
    lines = forms.CharField(
        label="参加職員",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="1行に1人: 職員番号 と 関わり方（空白区切り）。例: 100123 入力テスト",
    )

    def parsed(self) -> list[tuple[str, str]]:
        out = []
        for line in (self.cleaned_data.get("lines") or "").splitlines():
            parts = line.replace("\u3000", " ").strip().split(None, 1)
            if parts:
                out.append((parts[0], parts[1] if len(parts) > 1 else ""))
        return out


class ProjectFilterForm(forms.Form):
    step = forms.TypedChoiceField(label="ステップ", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状態", required=False, choices=[("", "すべて"), *ProjectStatus.choices])
    top = forms.TypedChoiceField(label="局区", required=False, coerce=int, empty_value=None, widget=FastSelect)
    bu = forms.TypedChoiceField(label="部", required=False, coerce=int, empty_value=None, widget=FastSelect)
    work_category = forms.ChoiceField(label="業務分類", required=False)
    q = forms.CharField(label="件名", required=False, max_length=100)
    sort = forms.ChoiceField(label="並び順", required=False, choices=list(SORT_LABELS.items()))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", "すべて"), *((s.number, f"{s.number}. {s.name}") for s in choices["steps"])]
        self.fields["top"].choices = [("", "すべて"), *((n.unit_id, n.name) for n in choices["tops"])]
        self.fields["bu"].choices = [("", "すべて"), *choices["bus"]]
        self.fields["work_category"].choices = [("", "すべて"), *choices["work_categories"]]

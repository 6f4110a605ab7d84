"""The case library (優良事例・横展開): publish a finished project as a case, edit, withdraw, and adopt it.

Only the secretariat (MANAGE_LIBRARY) publishes, edits and withdraws. Publishing copies the project's texts
(problem, As-Is, To-Be, the tool and trial, the operating rule, the effects with the verified saving) unless the
secretariat gives its own; the case shows the unit / leader name only when `show_unit` / `show_leader`.
Every write re-indexes the case for search (`dxtalent.projects.search.index_cases`).
A manager adopts a case (横展開) by starting a project in a 課 of their scope that links back to it.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.leaders.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import Case, CaseStatus, Project, ProjectStatus
from ..search import index_cases

__all__ = ["CASE_TEXT_FIELDS", "case_adopt", "case_defaults", "case_publish", "case_update", "case_withdraw"]

CASE_TEXT_FIELDS = ("problem", "as_is", "to_be", "solution", "operating_rule", "effects")
_TAG_FIELDS = ("work_category", "tool_kind")
_EDITABLE = ("title", "summary", *CASE_TEXT_FIELDS, *_TAG_FIELDS, "show_unit", "show_leader")


def _stamp(obj, by) -> None:
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by


def _require_manage(by) -> None:
    if not access.may(by, Action.MANAGE_LIBRARY):
        raise PermissionDenied("事例の公開・編集・公開停止は事務局だけが行えます。")


def _hours(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _saving_line(project: Project) -> str:
    saving = project.saving_hours
    if saving is None:
        return ""
    before, after = _hours(project.baseline_hours), _hours(project.after_hours)
    if saving < 0:
        return f"月{_hours(-saving)}時間の増加（改善前 {before}時間/月 → 改善後 {after}時間/月、効果検証済み）"
    return f"月{_hours(saving)}時間の削減（改善前 {before}時間/月 → 改善後 {after}時間/月、効果検証済み）"


def _tool_name(code: str) -> str:
    try:
        return dict(current_pack().tool_kinds).get(code, code)
    except NoPolicyPack:
        return code


def case_defaults(project: Project) -> dict:
    """The texts and tags a case of `project` starts from (the publish form shows them for editing)."""
    tool = "、".join(x for x in (_tool_name(project.tool_kind) if project.tool_kind else "", project.tool_name) if x)
    solution = "\n".join(x for x in (f"ツール: {tool}" if tool else "", project.trial) if x)
    effects = "\n".join(x for x in (_saving_line(project), project.qualitative_effects) if x)
    return {
        "title": project.title,
        "summary": project.to_be or project.problem,
        "problem": project.problem,
        "as_is": project.as_is,
        "to_be": project.to_be,
        "solution": solution,
        "operating_rule": project.operating_rule,
        "effects": effects,
        "work_category": project.work_category,
        "tool_kind": project.tool_kind,
    }


def _check_fields(case: Case) -> None:
    """Model validation plus: a summary, and tags from the pack's lists (when a pack is loaded)."""
    errors: dict[str, list[str]] = {}
    for name in ("title", "summary"):
        setattr(case, name, (getattr(case, name) or "").strip())
    if not case.title:
        errors["title"] = ["事例名を入力してください"]
    if not case.summary:
        errors["summary"] = ["概要を入力してください"]
    try:
        pack = current_pack()
    except NoPolicyPack:
        pack = None
    lists = {"work_category": pack.work_categories, "tool_kind": pack.tool_kinds} if pack else {}
    labels = {"work_category": "業務分類", "tool_kind": "ツールの種類"}
    for name in _TAG_FIELDS:
        value = getattr(case, name)
        if not value:
            errors[name] = [f"{labels[name]}を選んでください"]
        elif name in lists and value not in dict(lists[name]):
            errors[name] = [f"{labels[name]}「{value}」はポリシーパックにありません"]
    try:
        case.full_clean(exclude=[*errors, "project"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _index(case: Case) -> None:
    index_cases([case.pk])
    case.refresh_from_db(fields=["search_text"])


def _apply(case: Case, fields: dict) -> None:
    unknown = sorted(set(fields) - set(_EDITABLE))
    if unknown:
        raise TypeError(f"unknown case fields: {unknown}")
    for name, value in fields.items():
        if name in ("show_unit", "show_leader"):
            value = bool(value)
        elif value is None:
            continue
        setattr(case, name, value)


@transaction.atomic
def case_publish(
    *,
    project: Project,
    by,
    title: str | None = None,
    summary: str | None = None,
    show_unit: bool = True,
    show_leader: bool = False,
    at: dt.datetime | None = None,
    **text,
) -> Case:
    """Publish a finished (DONE) project as a case. Texts not given are copied from the project.

    A project whose case was withdrawn is published again on the same case row.
    """
    _require_manage(by)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.DONE:
        raise WorkflowError("事例として公開できるのは、運用ルールが承認され効果を確認したプロジェクトだけです。")
    case = Case.objects.filter(project=project).first()
    if case is not None and case.status == CaseStatus.PUBLISHED:
        raise WorkflowError("このプロジェクトはすでに事例として公開されています。")
    fields = {**case_defaults(project), **{k: v for k, v in text.items() if v is not None}}
    fields.update(show_unit=show_unit, show_leader=show_leader)
    if title is not None:
        fields["title"] = title
    if summary is not None:
        fields["summary"] = summary
    if case is None:
        case = Case(project=project, published_by=by)
    _apply(case, fields)
    case.status = CaseStatus.PUBLISHED
    case.published_at = at or timezone.now()
    case.published_by = by
    _check_fields(case)
    _stamp(case, by)
    case.save()
    _index(case)
    return case


@transaction.atomic
def case_update(*, case: Case, by, **fields) -> Case:
    """Edit a case's texts, tags or shown personal details (published or withdrawn)."""
    _require_manage(by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _apply(case, fields)
    _check_fields(case)
    _stamp(case, by)
    case.save()
    _index(case)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, by) -> Case:
    """Stop publishing a case: it disappears from search and lists (projects started from it keep the link)."""
    _require_manage(by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.WITHDRAWN:
        raise WorkflowError("この事例はすでに公開を停止しています。")
    case.status = CaseStatus.WITHDRAWN
    _stamp(case, by)
    case.save(update_fields=["status", "updated_at"])
    return case


@transaction.atomic
def case_adopt(*, case: Case, by, unit, title: str | None = None, at: dt.datetime | None = None) -> Project:
    """Start a project "from this case" (横展開) in `unit`, a 課 in the manager's scope; it links back."""
    from .projects import project_create

    if not access.may(by, Action.START_PROJECT):
        raise PermissionDenied("事例から業務改善を始められるのは管理職だけです。")
    case = Case.objects.select_related("project").get(pk=case.pk)
    if case.status != CaseStatus.PUBLISHED:
        raise WorkflowError("公開を停止した事例からは横展開できません。")
    if unit is None:
        raise ValidationError({"unit": ["課を選んでください"]})
    if unit.pk == case.project.unit_id:
        raise ValidationError({"unit": ["この事例が生まれた課です。横展開は別の課で始めてください"]})
    problem = case.problem or case.summary
    return project_create(
        by=by,
        unit=unit,
        title=(title or "").strip() or case.title,
        problem=f"{problem}\n（横展開元の事例: {case.title}）",
        work_category=case.work_category,
        source_case=case,
        at=at,
    )

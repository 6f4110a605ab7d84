"""The improvement-project workflow (業務改善): create, edit the current step, complete, send back, cancel.

Four steps come from the policy pack (`improvement_steps`: name and owner role). Owners: a "manager" step belongs
to the project's manager or any user holding the manager role whose scope covers the project's 課; a "leader"
step belongs to the project's leader. Steps are completed only in order; sending back keeps the reason in a
ProjectEvent (simple-history keeps every field change). Illegal moves raise WorkflowError; bad input raises
ValidationError with Japanese messages per field; nothing is half-saved.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.uploads import upload_problems
from dxtalent.core.wareki import fiscal_year, parse_date
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import Certification, CohortMember, GroupMembership, MemberStatus, PracticeGroup
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee, OrgKind, OrgUnit
from dxtalent.org.selectors import unit_subtree_ids
from dxtalent.policy.selectors import current_pack

from ..models import (
    FIRST_STEP,
    LAST_STEP,
    Attachment,
    Project,
    ProjectEvent,
    ProjectEventKind,
    ProjectParticipant,
    ProjectStatus,
)

# Fields each step may edit (by the step's fixed number; the pack names the steps and their owners).
STEP_FIELDS: dict[int, tuple[str, ...]] = {
    1: ("title", "problem", "leader", "group", "work_category"),
    2: (
        "as_is",
        "to_be",
        "feedback",
        "analysis_hours_planned",
        "analysis_hours_actual",
        "baseline_hours",
        "planned_after_hours",
    ),
    3: ("tool_kind", "tool_name", "trial", "support_received", "trial_hours_planned", "trial_hours_actual"),
    4: ("operating_rule", "baseline_hours", "after_hours", "qualitative_effects", "verified_by", "verified_on"),
}
# What must be recorded before a step can be completed.
STEP_REQUIRED: dict[int, tuple[str, ...]] = {
    1: ("problem", "leader"),
    2: ("as_is", "to_be", "analysis_hours_actual"),
    3: ("tool_kind", "trial", "trial_hours_actual"),
    4: ("operating_rule", "baseline_hours", "after_hours", "verified_by", "verified_on"),
}
HOURS_FIELDS = (
    "analysis_hours_planned",
    "analysis_hours_actual",
    "baseline_hours",
    "planned_after_hours",
    "trial_hours_planned",
    "trial_hours_actual",
    "after_hours",
)
TEXT_FIELDS = (
    "title",
    "problem",
    "as_is",
    "to_be",
    "feedback",
    "tool_name",
    "trial",
    "support_received",
    "operating_rule",
    "qualitative_effects",
    "work_category",
    "tool_kind",
)
ALIVE_MEMBER = (MemberStatus.TRAINING, MemberStatus.COMPLETED)


def label(field: str) -> str:
    return str(Project._meta.get_field(field).verbose_name)


def stamp(obj, by, at: dt.datetime | None = None) -> None:
    """Record `by` (and a back-dated `at`) as the author/time of the object's next history row."""
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by
    if at is not None:
        obj._history_date = at


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


# ---------------------------------------------------------------- who owns what


def manager_units(user) -> set[int]:
    """The units (subtrees) the user holds the manager role for."""
    if Role.MANAGER not in access.roles(user):
        return set()
    roots = access.role_units(user, Role.MANAGER)
    return unit_subtree_ids(roots) if roots else set()


def is_manager_of(user, project: Project) -> bool:
    me = access.employee_of(user)
    if me is not None and project.manager_id == me.pk:
        return True
    return project.unit_id in manager_units(user)


def is_leader_of(user, project: Project) -> bool:
    me = access.employee_of(user)
    return me is not None and project.leader_id is not None and project.leader_id == me.pk


def step_owner(step: int) -> str:
    """ "manager" or "leader" (from the policy pack)."""
    return current_pack().improvement_step(step).owner


def owns_step(user, project: Project, step: int | None = None) -> bool:
    owner = step_owner(step or project.step)
    if owner == "leader":
        return is_leader_of(user, project)
    return is_manager_of(user, project)


def _step_label(step: int) -> str:
    s = current_pack().improvement_step(step)
    return f"ステップ{step}「{s.name}」"


def _owner_label(step: int) -> str:
    return "DX推進リーダー" if step_owner(step) == "leader" else "管理職"


def _require_active(project: Project) -> None:
    if project.status != ProjectStatus.ACTIVE:
        raise WorkflowError(f"このプロジェクトは「{project.get_status_display()}」のため操作できません。")


def _require_owner(user, project: Project) -> None:
    if not owns_step(user, project):
        raise WorkflowError(
            f"{_step_label(project.step)}を操作できるのは、このプロジェクトの{_owner_label(project.step)}だけです。"
        )


def require_step_owner(*, project: Project, by) -> None:
    """WorkflowError (with who may) unless `by` may act on the project's current step now."""
    _require_active(project)
    _require_owner(by, project)


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


# ---------------------------------------------------------------- value checks


def _as_hours(value, field: str, errors: dict) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors[field] = [f"{label(field)}は数値で入力してください"]
        return None
    try:
        hours = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = [f"{label(field)}は数値で入力してください"]
        return None
    if not hours.is_finite():
        errors[field] = [f"{label(field)}は数値で入力してください"]
        return None
    if hours < 0:
        errors[field] = [f"{label(field)}に負の値は入力できません（0以上の時間を入力してください）"]
        return None
    if hours >= Decimal("100000"):
        errors[field] = [f"{label(field)}が大きすぎます"]
        return None
    return hours.quantize(Decimal("0.01"))


def _check_leader(leader: Employee, errors: dict):
    """The leader's cohort membership (certified leader or trainee), or None with a message in `errors`."""
    members = list(
        CohortMember.objects.filter(employee=leader)
        .select_related("cohort", "certification")
        .order_by("-cohort__number")
    )
    certified = [m for m in members if hasattr(m, "certification")]
    alive = [m for m in members if m.status in ALIVE_MEMBER]
    chosen = (certified or alive or [None])[0]
    if chosen is None:
        errors["leader"] = [
            f"{leader.name}さんは認定されたDX推進リーダーでも研修中の研修生でもないため、リーダーに指定できません"
        ]
    return chosen


def _practice_certification(member: CohortMember | None, day: dt.date) -> Certification | None:
    """The leader's certification when `day` falls in its practice year (認定翌年度) and it has no project yet."""
    if member is None:
        return None
    cert = getattr(member, "certification", None)
    if cert is None or fiscal_year(day) != member.cohort.practice_year:
        return None
    if Project.objects.filter(practice_certification=cert).exists():
        return None
    return cert


def _apply_leader(project: Project, leader, group, errors: dict, day: dt.date, practice=None) -> None:
    project.leader = leader
    project.group = group
    if leader is None:
        if group is not None:
            errors["group"] = ["グループを指定するときはリーダーも指定してください"]
        project.cohort = None
        return
    member = _check_leader(leader, errors)
    project.cohort = member.cohort if member else None
    if group is not None:
        if not isinstance(group, PracticeGroup):
            errors["group"] = ["実践演習グループを選んでください"]
        elif not GroupMembership.objects.filter(group=group, member__employee=leader).exists():
            errors["group"] = [f"{leader.name}さんはこのグループ（{group}）の構成員ではありません"]
    if practice is not None:
        if member is None or practice.member_id != member.pk:
            errors["practice"] = ["実践年度の取組は、このリーダー本人の認定にだけ結び付けられます"]
        elif Project.objects.filter(practice_certification=practice).exclude(pk=project.pk).exists():
            errors["practice"] = ["この認定にはすでに実践年度の取組が登録されています"]
        else:
            project.practice_certification = practice
    else:
        current = project.practice_certification
        if current is None or member is None or current.member_id != member.pk:
            project.practice_certification = _practice_certification(member, day)


def _set_fields(project: Project, fields: dict, errors: dict, day: dt.date) -> None:
    pack = current_pack()
    for name, value in fields.items():
        if name in HOURS_FIELDS:
            hours = _as_hours(value, name, errors)
            if name not in errors:
                setattr(project, name, hours)
        elif name == "work_category":
            code = (value or "").strip()
            if code and code not in dict(pack.work_categories):
                errors[name] = [f"業務分類「{code}」はありません"]
            project.work_category = code
        elif name == "tool_kind":
            code = (value or "").strip()
            if code and code not in dict(pack.tool_kinds):
                errors[name] = [f"ツールの種類「{code}」はありません"]
            project.tool_kind = code
        elif name in TEXT_FIELDS:
            setattr(project, name, (value or "").strip())
        elif name == "verified_by":
            if value is not None and not isinstance(value, Employee):
                errors[name] = ["効果を確認した人を職員から選んでください"]
            else:
                project.verified_by = value
        elif name == "verified_on":
            if value in (None, ""):
                project.verified_on = None
                continue
            try:
                day_value = parse_date(value)
            except ValueError as exc:
                errors[name] = [str(exc)]
                continue
            if day_value > timezone.localdate():
                errors[name] = ["効果確認日に未来の日付は入力できません"]
            project.verified_on = day_value
    if "title" in fields and not project.title:
        errors["title"] = ["件名を入力してください"]


def _missing(project: Project, step: int) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field in STEP_REQUIRED[step]:
        value = getattr(project, field if field not in ("leader", "verified_by") else f"{field}_id")
        if value is None or value == "":
            errors[field] = [f"{label(field)}を入力してください（{_step_label(step)}の完了に必要です）"]
    return errors


def _event(project, kind, by, at, *, from_step=None, to_step=None, reason="", days=None) -> ProjectEvent:
    event = ProjectEvent(
        project=project,
        kind=kind,
        from_step=from_step,
        to_step=to_step,
        reason=reason,
        days_in_step=days,
        actor=by if getattr(by, "is_authenticated", False) else None,
        at=at,
    )
    event.full_clean()
    event.save()
    return event


def _save(project: Project, by, at) -> None:
    try:
        project.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    stamp(project, by, at)
    project.save()


# ---------------------------------------------------------------- the services


@transaction.atomic
def project_create(
    *,
    by,
    unit: OrgUnit,
    title: str,
    problem: str = "",
    manager: Employee | None = None,
    leader: Employee | None = None,
    group: PracticeGroup | None = None,
    work_category: str = "",
    source_case=None,
    practice: Certification | None = None,
    at: dt.datetime | None = None,
) -> Project:
    """Step 1 (問題点の共有) opened by a manager for a 課 within their scope. Logs a CREATED event."""
    if not access.may(by, Action.START_PROJECT):
        raise PermissionDenied("業務改善プロジェクトを登録できるのは管理職だけです。")
    errors: dict[str, list[str]] = {}
    if unit is None:
        errors["unit"] = ["課を選んでください"]
    elif unit.kind != OrgKind.KA:
        errors["unit"] = ["プロジェクトは課を単位に登録してください"]
    elif unit.pk not in manager_units(by):
        raise PermissionDenied("担当外の課のプロジェクトは登録できません。")
    manager = manager or access.employee_of(by)
    if manager is None:
        errors["manager"] = ["管理職（職員）を指定してください"]
    now = _now(at)
    project = Project(unit=unit, manager=manager, created_at=now, step_entered_at=now, source_case=source_case)
    _set_fields(project, {"title": title, "problem": problem, "work_category": work_category}, errors, now.date())
    _apply_leader(project, leader, group, errors, timezone.localdate(now), practice)
    if errors:
        raise ValidationError(errors)
    _save(project, by, now)
    _event(project, ProjectEventKind.CREATED, by, now, to_step=FIRST_STEP)
    return project


@transaction.atomic
def project_update(*, project: Project, by, at: dt.datetime | None = None, **fields) -> Project:
    """Edit the fields of the current step (its owner only)."""
    project = _locked(project)
    _require_active(project)
    _require_owner(by, project)
    allowed = STEP_FIELDS[project.step]
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        names = "、".join(label(f) if f in {x.name for x in Project._meta.fields} else f for f in unknown)
        raise WorkflowError(f"{names}は{_step_label(project.step)}では変更できません。")
    now = _now(at)
    errors: dict[str, list[str]] = {}
    leader_fields = {k: fields.pop(k) for k in ("leader", "group") if k in fields}
    _set_fields(project, fields, errors, now.date())
    if leader_fields:
        leader = leader_fields.get("leader", project.leader)
        group = leader_fields.get("group", project.group if leader == project.leader else None)
        _apply_leader(project, leader, group, errors, timezone.localdate(now))
    if errors:
        raise ValidationError(errors)
    _save(project, by, now)
    return project


@transaction.atomic
def project_step_complete(*, project: Project, by, at: dt.datetime | None = None) -> Project:
    """Complete the current step (its owner only); step 4 → DONE with the verified saving."""
    project = _locked(project)
    _require_active(project)
    _require_owner(by, project)
    errors = _missing(project, project.step)
    if errors:
        raise ValidationError(errors)
    now = _now(at)
    step = project.step
    days = max((now - project.step_entered_at).days, 0)
    if step == LAST_STEP:
        project.status = ProjectStatus.DONE
        project.verified_fiscal_year = fiscal_year(project.verified_on)
        to_step = None
    else:
        project.step = to_step = step + 1
    project.step_entered_at = now
    _save(project, by, now)
    _event(project, ProjectEventKind.COMPLETED, by, now, from_step=step, to_step=to_step, days=days)
    return project


@transaction.atomic
def project_send_back(*, project: Project, by, to_step: int, reason: str, at: dt.datetime | None = None) -> Project:
    """Return the project to an earlier step (the current step's owner), keeping the reason."""
    project = _locked(project)
    _require_active(project)
    _require_owner(by, project)
    reason = (reason or "").strip()
    try:
        to_step = int(to_step)
    except (TypeError, ValueError):
        raise ValidationError({"to_step": ["差戻し先のステップを選んでください"]}) from None
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["差戻しの理由を入力してください"]
    if errors:
        raise ValidationError(errors)
    if not FIRST_STEP <= to_step < project.step:
        raise WorkflowError(f"{_step_label(project.step)}から差し戻せるのは、それより前のステップだけです。")
    now = _now(at)
    step = project.step
    days = max((now - project.step_entered_at).days, 0)
    project.step = to_step
    project.step_entered_at = now
    _save(project, by, now)
    _event(project, ProjectEventKind.SENT_BACK, by, now, from_step=step, to_step=to_step, reason=reason, days=days)
    return project


@transaction.atomic
def project_cancel(*, project: Project, by, reason: str, at: dt.datetime | None = None) -> Project:
    """Stop the project (its manager side only); nothing is deleted."""
    project = _locked(project)
    _require_active(project)
    if not is_manager_of(by, project):
        raise WorkflowError("プロジェクトを中止できるのは、このプロジェクトの管理職だけです。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["中止の理由を入力してください"]})
    now = _now(at)
    project.status = ProjectStatus.CANCELLED
    _save(project, by, now)
    _event(project, ProjectEventKind.CANCELLED, by, now, from_step=project.step, reason=reason)
    return project


def may_manage_people(user, project: Project) -> bool:
    """Participants and attachments: the manager side or the leader, while the project is not cancelled."""
    if project.status == ProjectStatus.CANCELLED:
        return False
    return is_manager_of(user, project) or is_leader_of(user, project)


@transaction.atomic
def project_participants_set(*, project: Project, by, participants: list[tuple[Employee, str]]) -> None:
    """Replace the participants (所属職員) with `participants` [(employee, contribution)]."""
    if not may_manage_people(by, project):
        raise WorkflowError("参加職員を変更できるのは、このプロジェクトの管理職とリーダーだけです。")
    errors: dict[str, list[str]] = {}
    wanted: dict[int, tuple[Employee, str]] = {}
    for employee, contribution in participants:
        if not isinstance(employee, Employee):
            errors["participants"] = ["参加職員を職員から選んでください"]
            continue
        if employee.pk in wanted:
            errors["participants"] = [f"{employee.name}さんが重複しています"]
        wanted[employee.pk] = (employee, (contribution or "").strip()[:200])
    if errors:
        raise ValidationError(errors)
    existing = {p.employee_id: p for p in ProjectParticipant.objects.filter(project=project)}
    for pk, row in existing.items():
        if pk not in wanted:
            stamp(row, by)
            row.delete()
    for pk, (employee, contribution) in wanted.items():
        row = existing.get(pk) or ProjectParticipant(project=project, employee=employee)
        if row.pk and row.contribution == contribution:
            continue
        row.contribution = contribution
        row.full_clean()
        stamp(row, by)
        row.save()


@transaction.atomic
def project_attachment_add(*, project: Project, by, file, title: str = "") -> Attachment:
    """A file on the project at its current step (e.g. an As-Is/To-Be flow diagram)."""
    if not may_manage_people(by, project):
        raise WorkflowError("添付ファイルを登録できるのは、このプロジェクトの管理職とリーダーだけです。")
    if not file:
        raise ValidationError({"file": ["ファイルを選んでください"]})
    problems = upload_problems(file)
    if problems:
        raise ValidationError({"file": problems})
    title = (title or "").strip() or (file.name or "").rsplit("/", 1)[-1]
    attachment = Attachment(project=project, step=project.step, title=title[:200], size=file.size, uploaded_by=by)
    attachment.file = file
    attachment.full_clean()
    attachment.save()
    return attachment


__all__ = [
    "HOURS_FIELDS",
    "STEP_FIELDS",
    "STEP_REQUIRED",
    "is_leader_of",
    "is_manager_of",
    "may_manage_people",
    "owns_step",
    "project_attachment_add",
    "project_cancel",
    "project_create",
    "project_participants_set",
    "project_send_back",
    "project_step_complete",
    "project_update",
    "require_step_owner",
]

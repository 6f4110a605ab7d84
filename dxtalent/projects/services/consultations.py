"""The support desk (相談窓口: 案件相談・伴走支援): open a consultation, assign a handler, reply, set the status,
point to a library case, attach files.

Who may do what:
- a leader or liaison (OPEN_CONSULTATION) opens one; its `unit` is the requester's current 課, so their manager and
  their 局区's liaison see it too (`selectors.consultations.visible_consultations`);
- the requester and the desk (HANDLE_CONSULTATIONS, the secretariat) write in its thread and add files; the
  requester's manager and liaison read it;
- only the desk assigns the handler, moves the status and links a case.

The status moves only along `TRANSITIONS` (受付 → 対応中 → 解決 / 対象外; the desk may reopen a solved one);
anything else is a `WorkflowError` (pages show it, the API answers 409). Closing stamps `closed_at`, reopening
clears it.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.uploads import upload_problems
from dxtalent.leaders.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee, RoleGrant, valid_on
from dxtalent.org.selectors import current_assignment
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import (
    CLOSED_CONSULTATION,
    Attachment,
    Case,
    CaseStatus,
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    Project,
)
from ..selectors.consultations import may_take_part, may_view_consultation

__all__ = [
    "CONSULTATION_TRANSITIONS",
    "consultation_assign",
    "consultation_attachment_add",
    "consultation_link_case",
    "consultation_open",
    "consultation_reply",
    "consultation_set_status",
]

S = ConsultationStatus
# from → the statuses the desk may move it to
CONSULTATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.RECEIVED: (S.IN_PROGRESS, S.OUT_OF_SCOPE),
    S.IN_PROGRESS: (S.RESOLVED, S.OUT_OF_SCOPE),
    S.RESOLVED: (S.IN_PROGRESS,),  # reopened by the desk
    S.OUT_OF_SCOPE: (),
}


def _stamp(obj, by) -> None:
    """Record `by` as the author in the object's history (API token users are not seen by the middleware)."""
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by


def _desk(by, message: str = "相談窓口（事務局）の担当者だけが行える操作です。") -> None:
    if not access.may(by, Action.HANDLE_CONSULTATIONS):
        raise PermissionDenied(message)


def _visible(by, consultation: Consultation) -> None:
    if not may_view_consultation(by, consultation):
        raise PermissionDenied("この相談を見る権限がありません。")


def _participant(by, consultation: Consultation) -> None:
    _visible(by, consultation)
    if not may_take_part(by, consultation):
        raise PermissionDenied("この相談に書き込めるのは相談者と相談窓口（事務局）だけです。")


def _still_open(consultation: Consultation, what: str) -> None:
    if not consultation.is_open:
        raise WorkflowError(
            f"「{consultation.get_status_display()}」の相談には{what}できません。"
            "続けて相談する場合は、窓口に再開を依頼するか、新しい相談を登録してください。"
        )


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _sync(target: Consultation, source: Consultation) -> None:
    """Copy the saved state back onto the caller's object (they keep using it after the call)."""
    for field in ("status", "handler_id", "case_id", "closed_at", "updated_at"):
        setattr(target, field, getattr(source, field))


def _kind_codes() -> dict[str, str]:
    try:
        return dict(current_pack().consultation_kinds)
    except NoPolicyPack as exc:
        raise ValidationError({"kind": [str(exc)]}) from exc


def _project_visible(by, project: Project) -> bool:
    qs = Project.objects.filter(pk=project.pk)
    return access.rows_visible_to(
        by, qs, unit_path="unit_id", people_paths=("leader_id", "manager_id", "participations__employee_id")
    ).exists()


@transaction.atomic
def consultation_open(
    *, by, title: str, kind: str, description: str, project: Project | None = None, at: dt.datetime | None = None
) -> Consultation:
    """A leader or liaison asks the digital bureau for support. `unit` = the requester's current 課."""
    if not access.may(by, Action.OPEN_CONSULTATION):
        raise PermissionDenied("相談を登録できるのはDX推進リーダーと局区担当です。")
    requester = access.employee_of(by)
    if requester is None:
        raise PermissionDenied("職員として登録されていないユーザーは相談を登録できません。")
    at = at or timezone.now()
    assignment = current_assignment(requester, timezone.localdate(at))
    errors: dict[str, list[str]] = {}
    if assignment is None:
        errors["__all__"] = ["現在の所属がないため相談を登録できません。"]
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        errors["title"] = ["件名を入力してください。"]
    if not description:
        errors["description"] = ["相談内容を入力してください。"]
    kinds = _kind_codes()
    if kind not in kinds:
        errors["kind"] = [f"相談の種類「{kind}」はありません。{'、'.join(kinds.values())}から選んでください。"]
    if project is not None and not _project_visible(by, project):
        errors["project"] = ["このプロジェクトは見つからないか、閲覧する権限がありません。"]
    if errors:
        raise ValidationError(errors)
    consultation = Consultation(
        title=title,
        kind=kind,
        description=description,
        project=project,
        requester=requester,
        unit_id=assignment.unit_id,
        opened_at=at,
    )
    consultation.full_clean()
    _stamp(consultation, by)
    consultation.save()
    return consultation


def _is_desk_member(employee: Employee, day: dt.date) -> bool:
    if employee.user_id is None:
        return False
    return RoleGrant.objects.filter(valid_on(day), user_id=employee.user_id, role=Role.SECRETARIAT).exists()


@transaction.atomic
def consultation_assign(*, consultation: Consultation, by, handler: Employee | None) -> Consultation:
    """The desk names who handles it (an employee holding the secretariat role); None clears it."""
    _desk(by)
    row = _locked(consultation)
    _still_open(row, "担当者を割り当て")
    if handler is not None and not _is_desk_member(handler, timezone.localdate()):
        raise ValidationError({"handler": [f"{handler.name}さんは相談窓口（事務局）の職員ではありません。"]})
    row.handler = handler
    row.full_clean()
    _stamp(row, by)
    row.save(update_fields=["handler", "updated_at"])
    _sync(consultation, row)
    return row


@transaction.atomic
def consultation_reply(*, consultation: Consultation, by, body: str, at: dt.datetime | None = None):
    """A message in the thread, by the requester or the desk."""
    _participant(by, consultation)
    row = _locked(consultation)
    _still_open(row, "返信")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": ["本文を入力してください。"]})
    at = at or timezone.now()
    if at < row.opened_at:
        raise ValidationError({"posted_at": ["受付日時より前には投稿できません。"]})
    message = ConsultationMessage(consultation=row, author=by, body=body, posted_at=at)
    message.full_clean()
    message.save()
    row.save(update_fields=["updated_at"])
    return message


@transaction.atomic
def consultation_set_status(
    *, consultation: Consultation, by, status: str, at: dt.datetime | None = None
) -> Consultation:
    """The desk moves the status along CONSULTATION_TRANSITIONS; closing stamps closed_at, reopening clears it."""
    _desk(by)
    if status not in S.values:
        raise ValidationError({"status": [f"状態「{status}」はありません。"]})
    row = _locked(consultation)
    allowed = CONSULTATION_TRANSITIONS[row.status]
    if status not in allowed:
        target = S(status).label
        if status == row.status:
            raise WorkflowError(f"この相談はすでに「{target}」です。")
        options = "、".join(f"「{S(s).label}」" for s in allowed) or "なし（変更できません）"
        raise WorkflowError(
            f"「{row.get_status_display()}」の相談を「{target}」にはできません。変更できる状態: {options}"
        )
    at = at or timezone.now()
    if status in CLOSED_CONSULTATION:
        if at < row.opened_at:
            raise ValidationError({"closed_at": ["完了日時が受付日時より前です。"]})
        row.closed_at = at
    else:
        row.closed_at = None
    row.status = status
    row.full_clean()
    _stamp(row, by)
    row.save(update_fields=["status", "closed_at", "updated_at"])
    _sync(consultation, row)
    return row


@transaction.atomic
def consultation_link_case(*, consultation: Consultation, by, case: Case | None) -> Consultation:
    """The desk points to a published library case that may help (None removes the link)."""
    _desk(by)
    row = _locked(consultation)
    if case is not None and case.status != CaseStatus.PUBLISHED:
        raise ValidationError({"case": ["公開中の事例だけを紹介できます。"]})
    row.case = case
    row.full_clean()
    _stamp(row, by)
    row.save(update_fields=["case", "updated_at"])
    _sync(consultation, row)
    return row


@transaction.atomic
def consultation_attachment_add(*, consultation: Consultation, by, file, title: str = "") -> Attachment:
    """A file on the consultation (checked by `upload_problems`), by the requester or the desk."""
    _participant(by, consultation)
    if not consultation.is_open:
        _still_open(consultation, "ファイルを追加")
    if file is None:
        raise ValidationError({"file": ["ファイルを選んでください。"]})
    problems = upload_problems(file)
    if problems:
        raise ValidationError({"file": problems})
    name = (file.name or "").rsplit("/", 1)[-1]
    attachment = Attachment(
        consultation=consultation,
        title=(title or "").strip() or name[:200],
        file=file,
        size=file.size,
        uploaded_by=by,
    )
    attachment.full_clean()
    attachment.save()
    return attachment

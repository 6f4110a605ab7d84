"""ジョブチャレンジ applications: apply (oneself), withdraw (before a decision), screen (hr).

Screening: 応募 → 書類選考 → 面談 → 決定, or 不採用 from any open status. A decision (決定) places the person without
retyping, from the posting's `starts_on`, according to the pack's posting kind:
- a kind with `ladder_stage` (the ③ programme): a transfer to the posting's unit (if set and different), entry into
  the ladder at that stage, and the person's hire route set to the job-challenge route if it was blank;
- a kind with `leader_role_type` (DX推進枠 …): the leader's role type changes from that day (and a transfer to the
  posting's unit if one is set and different).
The rows created are kept on the application (placed_assignment / placed_leader_role / placed_stage_period).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.errors import WorkflowError
from dxtalent.core.wareki import format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Assignment, valid_on
from dxtalent.org.services import employee_transfer
from dxtalent.policy.selectors import current_pack

from ..models import Application, ApplicationStatus, Posting, PostingStatus
from ..selectors.postings_people import is_current_leader, ka_head, open_stage

__all__ = ["NEXT_STATUSES", "application_advance", "application_submit", "application_withdraw"]

# The hire route code a ③ entry through ジョブチャレンジ records (the contract's code; only if the pack has it).
JOB_CHALLENGE_ROUTE = "job_challenge"
S = ApplicationStatus
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    S.APPLIED: (S.DOCUMENTS, S.REJECTED),
    S.DOCUMENTS: (S.INTERVIEW, S.REJECTED),
    S.INTERVIEW: (S.ADOPTED, S.REJECTED),
    S.ADOPTED: (),
    S.REJECTED: (),
    S.WITHDRAWN: (),
}
DECISIONS = (S.ADOPTED, S.REJECTED)
OPEN_STATUSES = (S.APPLIED, S.DOCUMENTS, S.INTERVIEW)


def _day(at) -> dt.date:
    return timezone.localdate(at) if at else timezone.localdate()


@transaction.atomic
def application_submit(*, posting: Posting, by, motivation, at=None) -> Application:
    """`by`'s Employee applies to `posting` with their motivation (志望動機)."""
    if not access.may(by, Action.VIEW_POSTINGS):
        raise PermissionDenied("ジョブチャレンジに応募する権限がありません。")
    me = access.employee_of(by)
    if me is None:
        raise PermissionDenied("職員として登録されていないため応募できません。")
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    day = _day(at)
    if posting.status == PostingStatus.CLOSED:
        raise WorkflowError(f"「{posting.title}」は募集終了のため応募できません。")
    if day < posting.opens_on:
        raise WorkflowError(
            f"「{posting.title}」の募集は{format_wareki(posting.opens_on)}からです。まだ応募できません。"
        )
    if day > posting.deadline:
        raise WorkflowError(
            f"「{posting.title}」の締切（{format_wareki(posting.deadline)}）を過ぎているため応募できません。"
        )
    if Application.objects.filter(posting=posting, employee=me).exists():
        raise ValidationError({"posting": [f"「{posting.title}」には既に応募しています（応募は1回だけです）。"]})
    errors = {}
    motivation = (motivation or "").strip()
    if not motivation:
        errors["motivation"] = ["志望動機を入力してください"]
    pack = current_pack(day)
    kind = next((k for k in pack.posting_kinds if k.code == posting.kind), None)
    if kind is not None and kind.leader_role_type and not is_current_leader(me, day):
        errors["posting"] = [
            f"「{kind.name}」の募集には、認定されたDX推進リーダーだけが応募できます（{me.name}さんは認定されていません）。"
        ]
    if kind is not None and kind.ladder_stage and open_stage(me) is not None:
        errors["posting"] = ["既に高度デジタル人材の育成段階にいるため、この募集には応募できません。"]
    if errors:
        raise ValidationError(errors)
    app = Application(
        posting=posting,
        employee=me,
        motivation=motivation,
        applied_at=at or timezone.now(),
        manager=ka_head(me, day) if pack.notify_manager_on_apply else None,
    )
    app.full_clean()
    app.save()
    return app


@transaction.atomic
def application_withdraw(*, application: Application, by, at=None) -> Application:
    """The applicant withdraws (取下げ) before a decision."""
    app = Application.objects.select_for_update().select_related("employee").get(pk=application.pk)
    me = access.employee_of(by)
    if me is None or me.pk != app.employee_id:
        raise PermissionDenied("応募を取り下げられるのは応募した本人だけです。")
    if app.status not in OPEN_STATUSES:
        raise WorkflowError(f"「{app.get_status_display()}」の応募は取り下げられません（決定前の応募だけです）。")
    app.status = S.WITHDRAWN
    app.decided_on = _day(at)
    app.full_clean()
    app.save(update_fields=["status", "decided_on", "updated_at"])
    return app


def _append(old: str, line: str) -> str:
    return "\n".join(x for x in (old, line) if x)


@transaction.atomic
def application_advance(*, application: Application, by, status, note="", reason="", on=None, at=None) -> Application:
    """hr moves an application one step (or rejects it). 決定 places the person (see the module docstring)."""
    if not access.may(by, Action.SCREEN_APPLICATIONS):
        raise PermissionDenied("応募の選考ができるのは人事部門だけです。")
    app = Application.objects.select_for_update().select_related("posting", "employee").get(pk=application.pk)
    labels = dict(S.choices)
    if status not in labels:
        raise ValidationError({"status": [f"状態「{status}」はありません。選べるのは: {'、'.join(labels.values())}"]})
    allowed = NEXT_STATUSES.get(app.status, ())
    if status not in allowed:
        nexts = "、".join(labels[s] for s in allowed) or "なし（選考は終わっています）"
        raise WorkflowError(
            f"「{labels[app.status]}」から「{labels[status]}」には進められません。次に選べるのは: {nexts}"
        )
    reason = (reason or "").strip()
    if status in DECISIONS and not reason:
        raise ValidationError({"reason": [f"「{labels[status]}」の理由を入力してください"]})
    day = on or _day(at)
    note = (note or "").strip()
    if note:
        app.screening_note = _append(app.screening_note, f"{format_wareki(day)} {labels[status]}: {note}")
    app.status = status
    if status in DECISIONS:
        app.decided_on = day
        app.decision_reason = reason
    if status == S.ADOPTED:
        _place(app, by=by)
    app.full_clean()
    app.save()
    return app


def _place(app: Application, *, by) -> None:
    posting, person = app.posting, app.employee
    on = posting.starts_on
    pack = current_pack(on)
    kind = next((k for k in pack.posting_kinds if k.code == posting.kind), None)
    if kind is None:
        raise WorkflowError(f"募集の種類「{posting.kind}」がポリシーパックにないため、配置できません。")
    taken = Application.objects.filter(posting=posting, status=S.ADOPTED).exclude(pk=app.pk).count()
    if taken >= posting.slots:
        raise WorkflowError(f"募集人数（{posting.slots}名）まで決定済みです。")
    if posting.unit_id:
        current = Assignment.objects.filter(valid_on(on), employee=person).select_related("position").first()
        if current is None:
            current = Assignment.objects.filter(employee=person, valid_to__isnull=True).first()
        if current is None:
            raise WorkflowError(f"{person.name}さんには所属がないため、配属先への異動を登録できません。")
        if current.unit_id != posting.unit_id:
            try:
                app.placed_assignment = employee_transfer(
                    employee=person, unit=posting.unit, position=current.position, on=on, source="ジョブチャレンジ"
                )
            except ValueError as exc:
                raise WorkflowError(f"異動を登録できません: {exc}") from None
    if kind.ladder_stage:
        from .ladder import ladder_enter

        try:
            app.placed_stage_period = ladder_enter(
                employee=person, stage_code=kind.ladder_stage, on=on, by=by, note=f"ジョブチャレンジ「{posting.title}」"
            )
        except ValidationError as exc:
            raise WorkflowError("育成段階に登録できません: " + " ".join(exc.messages)) from None
        if not person.hire_route and any(r.code == JOB_CHALLENGE_ROUTE for r in pack.hire_routes):
            person.hire_route = JOB_CHALLENGE_ROUTE
            person.save(update_fields=["hire_route"])
    if kind.leader_role_type:
        from dxtalent.leaders.services.roles import leader_role_change

        try:
            app.placed_leader_role = leader_role_change(
                employee=person,
                role_type=kind.leader_role_type,
                on=on,
                note=f"ジョブチャレンジ「{posting.title}」",
                by=by,
            )
        except ValidationError as exc:
            raise WorkflowError("リーダーの役割を変更できません: " + " ".join(exc.messages)) from None

"""ジョブチャレンジ openings (庁内公募): post, edit and close. MANAGE_POSTINGS (secretariat, hr).

The kinds that may be posted and what a decision places (a ③ ladder stage or a leader role type) are the pack's
`experts.job_challenge.posting_kinds`; nothing here names a kind.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.errors import WorkflowError
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgUnit
from dxtalent.policy.selectors import current_pack

from ..models import Posting, PostingStatus

__all__ = ["EDITABLE_FIELDS", "posting_close", "posting_create", "posting_update"]

EDITABLE_FIELDS = ("kind", "title", "description", "requirements", "unit", "slots", "opens_on", "deadline", "starts_on")


def _require_manage(by) -> None:
    if not access.may(by, Action.MANAGE_POSTINGS):
        raise PermissionDenied("ジョブチャレンジの募集を登録・変更できるのは事務局と人事部門だけです。")


def _check(posting: Posting, day: dt.date) -> None:
    """Every rule of a posting's fields, as one ValidationError naming each field (nothing saved)."""
    errors: dict[str, list[str]] = {}
    kinds = {k.code: k.name for k in current_pack(day).posting_kinds}
    if posting.kind not in kinds:
        allowed = "、".join(kinds.values()) or "（ポリシーパックに募集の種類がありません）"
        errors["kind"] = [f"募集の種類「{posting.kind}」はありません。選べるのは: {allowed}"]
    for name, label in (("title", "募集名"), ("description", "募集内容")):
        if not (getattr(posting, name) or "").strip():
            errors[name] = [f"{label}を入力してください"]
    dates = {n: getattr(posting, n) for n in ("opens_on", "deadline", "starts_on")}
    labels = {"opens_on": "募集開始日", "deadline": "締切日", "starts_on": "着任日"}
    for name, value in dates.items():
        if not isinstance(value, dt.date):
            errors[name] = [f"{labels[name]}を入力してください"]
    if not errors.keys() & dates.keys():
        if posting.deadline < posting.opens_on:
            errors["deadline"] = [
                f"締切日（{posting.deadline:%Y-%m-%d}）は募集開始日（{posting.opens_on:%Y-%m-%d}）以降にしてください"
            ]
        if posting.starts_on <= posting.deadline:
            errors["starts_on"] = [
                f"着任日（{posting.starts_on:%Y-%m-%d}）は締切日（{posting.deadline:%Y-%m-%d}）より後にしてください"
            ]
    if not isinstance(posting.slots, int) or posting.slots < 1:
        errors["slots"] = ["募集人数は1以上の整数で入力してください"]
    if posting.unit_id is not None:
        unit = OrgUnit.objects.filter(pk=posting.unit_id).first()
        if unit is None or not unit.is_valid_on(posting.starts_on if "starts_on" not in errors else day):
            errors["unit"] = ["配属先の組織は着任日に存在しません。現在の組織から選んでください"]
    if errors:
        raise ValidationError(errors)


def _clean_text(fields: dict) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


@transaction.atomic
def posting_create(
    *, by, kind, title, description, opens_on, deadline, starts_on, unit=None, slots=1, requirements="", at=None
) -> Posting:
    """A new opening, open from `opens_on` to `deadline` (inclusive); a decision places people from `starts_on`."""
    _require_manage(by)
    fields = _clean_text(dict(kind=kind, title=title, description=description, requirements=requirements or ""))
    posting = Posting(
        **fields, unit=unit, slots=slots, opens_on=opens_on, deadline=deadline, starts_on=starts_on, posted_by=by
    )
    day = timezone.localdate(at) if at else timezone.localdate()
    _check(posting, day)
    posting.full_clean()
    posting.save()
    if at is not None:
        Posting.objects.filter(pk=posting.pk).update(created_at=at)
        posting.created_at = at
    return posting


@transaction.atomic
def posting_update(*, posting: Posting, by, **fields) -> Posting:
    """Change some of EDITABLE_FIELDS. A closed posting cannot be edited; the kind is fixed once people applied."""
    _require_manage(by)
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: ["この項目は変更できません"] for name in sorted(unknown)})
    if posting.status == PostingStatus.CLOSED:
        raise WorkflowError("募集終了した募集は変更できません。")
    if "kind" in fields and fields["kind"] != posting.kind and posting.applications.exists():
        raise WorkflowError("応募がある募集の種類は変更できません（決定時の配置が変わるため）。")
    for name, value in _clean_text(fields).items():
        setattr(posting, name, value)
    _check(posting, timezone.localdate())
    posting.full_clean()
    posting.save()
    return posting


@transaction.atomic
def posting_close(*, posting: Posting, by, at=None) -> Posting:
    """End the opening (募集終了): no more applications; screening of the ones received goes on."""
    _require_manage(by)
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    if posting.status == PostingStatus.CLOSED:
        raise WorkflowError("この募集は既に募集終了です。")
    posting.status = PostingStatus.CLOSED
    posting.full_clean()
    posting.save(update_fields=["status"])
    return posting

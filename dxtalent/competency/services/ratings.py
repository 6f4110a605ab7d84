"""Ratings (本人評価・評価者評価) and evidence (根拠) of one assessment.

Who: the rater "self" must be the person, "evaluator" must be the assessment's evaluator (anyone else →
PermissionDenied, even hr). Levels and items are checked against the campaign's FROZEN framework. A rater's
ratings are replaced as a whole, in one transaction; nothing is saved when anything is wrong.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dxtalent.core.errors import WorkflowError
from dxtalent.org import access
from dxtalent.training.models import Attendance, AttendanceStatus

from ..frozen import framework_of, items_in_order, levels_text
from ..models import Assessment, Evidence, EvidenceKind, Rater, Rating
from .common import day_of, now, require_open, stamp

__all__ = ["assessment_rate", "evidence_add", "rater_of"]

RATER_LABELS = dict(Rater.choices)


def rater_of(user, assessment: Assessment) -> list[str]:
    """The rater roles `user` holds on this assessment ("self", "evaluator"; usually one, none for others)."""
    me = access.employee_of(user)
    if me is None:
        return []
    out = []
    if assessment.employee_id == me.pk:
        out.append(Rater.SELF)
    if assessment.evaluator_id == me.pk:
        out.append(Rater.EVALUATOR)
    return out


def _require_rater(user, assessment: Assessment, rater: str) -> None:
    if rater not in RATER_LABELS:
        raise ValidationError({"rater": ["評価者区分は self（本人）または evaluator（評価者）で指定してください。"]})
    if rater not in rater_of(user, assessment):
        who = "対象者本人" if rater == Rater.SELF else "この評価の評価者"
        raise PermissionDenied(f"{RATER_LABELS[rater]}評価を入力できるのは{who}だけです。")


def _submitted_field(rater: str) -> str:
    return "self_submitted_at" if rater == Rater.SELF else "evaluator_submitted_at"


def _comment_field(rater: str) -> str:
    return "self_comment" if rater == Rater.SELF else "evaluator_comment"


def _check_levels(framework, levels: dict, comments: dict, submit: bool) -> dict[int | str, int]:
    """Validate levels/comments against the frozen framework; returns {item_code: level}."""
    allowed = framework.levels
    names = {i.code: i.name for i in framework.items}
    level_errors: list[ValidationError] = []
    clean: dict = {}
    for code, raw in levels.items():
        if code not in names:
            level_errors.append(
                ValidationError(
                    f"項目「{code}」はこの評価のフレームワーク（{framework.name} {framework.version}版）にありません。",
                    code="unknown_item",
                    params={"item": code},
                )
            )
            continue
        if raw in (None, ""):
            continue
        try:
            level = int(raw)
        except (TypeError, ValueError):
            level = None
        if level is None or isinstance(raw, bool) or level not in allowed or str(raw).strip() != str(level):
            level_errors.append(
                ValidationError(
                    f"「{names[code]}」のレベル {raw} は尺度にありません（{levels_text(framework)} のいずれか）。",
                    code="off_scale",
                    params={"item": code},
                )
            )
            continue
        clean[code] = level
    if submit and not level_errors:
        for item in items_in_order(framework):
            if item.code not in clean:
                level_errors.append(
                    ValidationError(
                        f"「{item.name}」のレベルを選んでください（提出にはすべての項目が必要です）。",
                        code="missing",
                        params={"item": item.code},
                    )
                )
    errors: dict = {}
    if level_errors:
        errors["levels"] = level_errors
    comment_errors = []
    for code, text in (comments or {}).items():
        if code not in names:
            comment_errors.append(
                ValidationError(f"項目「{code}」はこの評価のフレームワークにありません。", params={"item": code})
            )
        elif (text or "").strip() and code not in clean:
            comment_errors.append(
                ValidationError(
                    f"「{names[code]}」のコメントを残すには、レベルも選んでください。", params={"item": code}
                )
            )
    if comment_errors:
        errors["comments"] = comment_errors
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def assessment_rate(
    *,
    assessment: Assessment,
    by,
    rater: str,
    levels: dict[str, int],
    comments: dict[str, str] | None = None,
    comment: str = "",
    submit: bool = True,
    at: dt.datetime | None = None,
) -> Assessment:
    assessment = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
    _require_rater(by, assessment, rater)
    campaign = assessment.campaign
    require_open(campaign, day_of(at))
    submitted_field = _submitted_field(rater)
    if not submit and getattr(assessment, submitted_field) is not None:
        raise WorkflowError(
            f"{RATER_LABELS[rater]}評価は提出済みです。修正する場合は、すべての項目を入力して提出し直してください。"
        )
    clean = _check_levels(framework_of(campaign), dict(levels or {}), dict(comments or {}), submit)
    comments = {k: (v or "").strip() for k, v in (comments or {}).items()}

    current = {r.item_code: r for r in Rating.objects.filter(assessment=assessment, rater=rater)}
    for code, rating in current.items():
        if code not in clean:
            stamp(rating, by, at)
            rating.delete()
    for code, level in clean.items():
        rating = current.get(code) or Rating(assessment=assessment, rater=rater, item_code=code)
        text = comments.get(code, "")
        if rating.pk is not None and rating.level == level and rating.comment == text:
            continue
        rating.level, rating.comment = level, text
        rating.full_clean(validate_unique=False)
        stamp(rating, by, at)
        rating.save()

    setattr(assessment, _comment_field(rater), (comment or "").strip())
    if submit:
        setattr(assessment, submitted_field, now(at))
    stamp(assessment, by, at)
    assessment.save(update_fields=[_comment_field(rater), submitted_field])
    return assessment


@transaction.atomic
def evidence_add(
    *,
    assessment: Assessment,
    by,
    rater: str,
    kind: str,
    label: str = "",
    attendance: Attendance | None = None,
    ref_id: int | None = None,
    url: str = "",
    item_code: str = "",
) -> Evidence:
    """Link a piece of evidence: an attended session (the person's Attendance, present or partial), a project step
    (`ref_id` + `label` from hooks.project_evidence_choices) or anything else (label + optional URL)."""
    assessment = Assessment.objects.select_related("campaign").get(pk=assessment.pk)
    _require_rater(by, assessment, rater)
    require_open(assessment.campaign, day_of(None))
    framework = framework_of(assessment.campaign)
    label, url = (label or "").strip(), (url or "").strip()
    errors: dict[str, list[str]] = {}
    if item_code and item_code not in {i.code for i in framework.items}:
        errors["item_code"] = [f"項目「{item_code}」はこの評価のフレームワークにありません。"]
    if kind == EvidenceKind.SESSION:
        if attendance is None:
            errors["attendance"] = ["受講した研修日を選んでください。"]
        else:
            attendance = Attendance.objects.select_related("enrollment", "session__run").get(pk=attendance.pk)
            if attendance.enrollment.employee_id != assessment.employee_id:
                errors["attendance"] = ["対象者本人の出席記録だけを根拠にできます。"]
            elif attendance.status not in (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL):
                errors["attendance"] = ["欠席した研修日は根拠にできません。"]
            else:
                s = attendance.session
                label = label or f"{s.run.title} 第{s.number}回（{s.date:%Y-%m-%d}）"
    elif kind == EvidenceKind.PROJECT:
        from .. import hooks

        choices = dict(hooks.project_evidence_choices(assessment.employee))
        if ref_id is None or ref_id not in choices:
            errors["ref_id"] = ["対象者が関わる業務改善の取組から選んでください。"]
        else:
            label = label or choices[ref_id]
    elif kind == EvidenceKind.OTHER:
        if not label:
            errors["label"] = ["根拠の内容を入力してください。"]
        if url and not url.startswith(("https://", "http://", "/")):
            errors["url"] = ["リンクは https:// などで始まるURLで入力してください。"]
    else:
        errors["kind"] = ["根拠の種類は session（研修）、project（業務改善）、other（その他）のいずれかです。"]
    if errors:
        raise ValidationError(errors)
    evidence = Evidence(
        assessment=assessment,
        rater=rater,
        kind=kind,
        item_code=item_code or "",
        attendance=attendance if kind == EvidenceKind.SESSION else None,
        ref_id=ref_id if kind == EvidenceKind.PROJECT else None,
        label=label[:300],
        url=url if kind == EvidenceKind.OTHER else "",
    )
    evidence.full_clean()
    evidence.save()
    return evidence

"""スキル実践演習 groups: proposal, membership, theme, deliverables and the 成果発表 evaluation.

Group sizes come from the cohort's pack (`group_size_bounds`). Sizes outside the bounds are allowed only with an
explicit `allow_out_of_bounds=True` (the page's 「人数の範囲外を認める」 checkbox); pages always show such groups with a
warning. Membership of a group whose 成果発表 has been evaluated is frozen (the evaluation is its members' record).
"""

import datetime as dt
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from dxtalent.core.uploads import upload_problems
from dxtalent.org.models import OrgUnit
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import pack_by_id

from .. import grouping
from ..errors import WorkflowError
from ..models import (
    Cohort,
    CohortMember,
    Deliverable,
    GroupEvaluation,
    GroupMembership,
    MemberStatus,
    PracticeGroup,
)
from ..selectors_groups import PRESENTATION_STEP, active_members, deliverable_steps, member_units

MIN_SCORE, MAX_SCORE = 1, 5


@dataclass(frozen=True)
class GroupProposal:
    groups: list[list[int]]  # CohortMember ids per group, group 1 first
    plan: grouping.SizePlan
    message: str  # "" when the sizes are within bounds; else "N人では5〜6名のグループに分けられません…"


def stamp(obj, by) -> None:
    """Record `by` as the author in the object's history (the API's token users are not seen by the middleware)."""
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by


def _bounds(cohort: Cohort) -> tuple[int, int]:
    return pack_by_id(cohort.pack_id).group_size_bounds


def _size_problems(sizes: dict[int, int], lo: int, hi: int) -> list[str]:
    return [
        f"グループ{number}は{size}名です（{lo}〜{hi}名の範囲外）"
        for number, size in sorted(sizes.items())
        if not lo <= size <= hi
    ]


def groups_propose(*, cohort: Cohort, day: dt.date | None = None) -> GroupProposal:
    """A proposal for the cohort's active members, mixing 局区 and 部 as of `day` (today). Nothing is saved."""
    lo, hi = _bounds(cohort)
    members = active_members(cohort)
    units = member_units(members, day or timezone.localdate())
    rows = [(m.pk, *units.get(m.pk, (None, None))) for m in members]
    groups = grouping.propose_groups(rows, lo, hi)
    plan = grouping.group_sizes(len(rows), lo, hi)
    return GroupProposal(groups=groups, plan=plan, message=grouping.size_message(plan))


def _frozen_groups(cohort: Cohort) -> dict[int, set[int]]:
    """Evaluated groups of the cohort → their member ids (these memberships may not change)."""
    groups = PracticeGroup.objects.filter(cohort=cohort, evaluation__isnull=False).prefetch_related("memberships")
    return {g.number: {m.member_id for m in g.memberships.all()} for g in groups}


@transaction.atomic
def groups_save(
    *, cohort: Cohort, groups: list[list[int]], by, allow_out_of_bounds: bool = False
) -> list[PracticeGroup]:
    """Set the cohort's groups: groups[i] holds the CohortMember ids of group i+1.

    Every active member exactly once, no one else; group rows are kept by number (their theme and deliverables
    stay); surplus groups are removed only when they hold no deliverables and no evaluation.
    """
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    lo, hi = _bounds(cohort)
    active = {m.pk: m for m in active_members(cohort)}
    errors: list[str] = []
    seen: dict[int, int] = {}
    for number, ids in enumerate(groups, start=1):
        if not ids:
            errors.append(f"グループ{number}に研修生がいません")
        for member_id in ids:
            if member_id in seen:
                errors.append(f"研修生（ID {member_id}）がグループ{seen[member_id]}とグループ{number}の両方にいます")
            elif member_id not in active:
                errors.append(f"ID {member_id} はこの期の研修生（辞退者を除く）ではありません")
            seen.setdefault(member_id, number)
    missing = [m for pk, m in active.items() if pk not in seen]
    if missing:
        names = "、".join(m.employee.name for m in missing[:10]) + ("ほか" if len(missing) > 10 else "")
        errors.append(f"グループに入っていない研修生がいます: {names}")
    sizes = {number: len(ids) for number, ids in enumerate(groups, start=1)}
    if not allow_out_of_bounds:
        problems = _size_problems(sizes, lo, hi)
        if problems:
            errors.append("、".join(problems) + "。範囲外のまま保存するには「人数の範囲外を認める」を選んでください")
    if errors:
        raise ValidationError({"groups": errors})

    frozen = _frozen_groups(cohort)
    for number, members in frozen.items():
        if number > len(groups) or set(groups[number - 1]) != members:
            raise WorkflowError(f"グループ{number}は成果発表の評価が済んでいるため、構成を変更できません。")

    existing = {g.number: g for g in PracticeGroup.objects.filter(cohort=cohort)}
    surplus = [g for number, g in existing.items() if number > len(groups)]
    for g in surplus:
        if Deliverable.objects.filter(group=g).exists():
            raise WorkflowError(f"グループ{g.number}には成果物が登録されているため、グループ数を減らせません。")
    saved: list[PracticeGroup] = []
    for number in range(1, len(groups) + 1):
        group = existing.get(number)
        if group is None:
            group = PracticeGroup(cohort=cohort, number=number)
            group.full_clean()
            stamp(group, by)
            group.save()
        saved.append(group)

    memberships = {gm.member_id: gm for gm in GroupMembership.objects.filter(group__cohort=cohort)}
    for group, ids in zip(saved, groups, strict=True):
        for member_id in ids:
            gm = memberships.pop(member_id, None)
            if gm is None:
                gm = GroupMembership(group=group, member_id=member_id)
                gm.full_clean()
                stamp(gm, by)
                gm.save()
            elif gm.group_id != group.pk:
                gm.group = group
                stamp(gm, by)
                gm.save(update_fields=["group"])
    for gm in memberships.values():  # withdrawn members leave their group
        stamp(gm, by)
        gm.delete()
    for g in surplus:
        stamp(g, by)
        g.delete()
    return saved


@transaction.atomic
def group_move_member(
    *, member: CohortMember, group: PracticeGroup, by, allow_out_of_bounds: bool = False
) -> GroupMembership:
    """Move one trainee into `group` (of the same cohort)."""
    if member.cohort_id != group.cohort_id:
        raise ValidationError({"group": ["この研修生とは別の期のグループです"]})
    if member.status == MemberStatus.WITHDRAWN:
        raise ValidationError({"member": ["辞退した研修生はグループに入れられません"]})
    current = GroupMembership.objects.select_for_update().filter(member=member).select_related("group").first()
    if current is not None and current.group_id == group.pk:
        return current
    frozen = _frozen_groups(group.cohort)
    for g in (current.group if current else None, group):
        if g is not None and g.number in frozen:
            raise WorkflowError(f"グループ{g.number}は成果発表の評価が済んでいるため、構成を変更できません。")
    if not allow_out_of_bounds:
        lo, hi = _bounds(group.cohort)
        counts = {g.number: g.memberships.count() for g in ([current.group] if current else []) + [group]}
        counts[group.number] += 1
        if current:
            counts[current.group.number] -= 1
        problems = _size_problems(counts, lo, hi)
        if problems:
            raise ValidationError(
                {
                    "group": [
                        "、".join(problems)
                        + "になります。範囲外でも移動するには「人数の範囲外を認める」を選んでください"
                    ]
                }
            )
    if current is None:
        current = GroupMembership(group=group, member=member)
        current.full_clean()
        stamp(current, by)
        current.save()
    else:
        current.group = group
        stamp(current, by)
        current.save(update_fields=["group"])
    return current


@transaction.atomic
def group_set_theme(
    *, group: PracticeGroup, theme: str, description: str = "", unit: OrgUnit | None, by
) -> PracticeGroup:
    """The group's real business problem (テーマ) and the 所属 it belongs to (a unit existing today)."""
    errors: dict[str, list[str]] = {}
    theme = (theme or "").strip()
    if not theme:
        errors["theme"] = ["テーマ（業務課題）を入力してください"]
    if unit is None:
        errors["unit"] = ["テーマの所属を選んでください"]
    elif unit.pk not in org_snapshot().nodes:
        errors["unit"] = ["この所属は今日時点で存在しません"]
    if errors:
        raise ValidationError(errors)
    group.theme = theme
    group.theme_description = (description or "").strip()
    group.theme_unit = unit
    group.full_clean()
    stamp(group, by)
    group.save(update_fields=["theme", "theme_description", "theme_unit"])
    return group


@transaction.atomic
def deliverable_add(
    *,
    group: PracticeGroup,
    step_code: str,
    member: CohortMember | None = None,
    title: str,
    file=None,
    url: str = "",
    by,
) -> Deliverable:
    """A deliverable of a practice step (or the 成果発表 slides, step "presentation"): a file, a link, or both."""
    steps = {s.code: s for s in deliverable_steps(pack_by_id(group.cohort.pack_id))}
    errors: dict[str, list[str]] = {}
    step = steps.get(step_code)
    if step is None:
        names = "、".join(f"{s.name}（{s.code}）" for s in steps.values())
        errors["step_code"] = [f"演習の回「{step_code}」はありません。選べるのは: {names}"]
    title = (title or "").strip()
    if not title:
        errors["title"] = ["成果物名を入力してください"]
    if member is not None and not GroupMembership.objects.filter(group=group, member=member).exists():
        errors["member"] = [f"{member.employee.name}さんはこのグループの構成員ではありません"]
    elif step is not None and step.per_member and member is None:
        errors["member"] = [f"「{step.name}」は各自の成果物です。作成者を選んでください"]
    url = (url or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = ["リンクは http:// または https:// で始まるURLを入力してください"]
    if file:
        problems = upload_problems(file)
        if problems:
            errors["file"] = problems
    if not file and not url and "url" not in errors:
        errors["file"] = ["ファイルかリンクのどちらかを登録してください"]
    if errors:
        raise ValidationError(errors)
    deliverable = Deliverable(group=group, step_code=step_code, member=member, title=title, url=url, submitted_by=by)
    if file:
        deliverable.file = file
    deliverable.full_clean()
    stamp(deliverable, by)
    deliverable.save()
    return deliverable


def _as_score(score) -> int | None:
    """1〜5 as an int; accepts "３" (全角) from forms; rejects bools, fractions and text."""
    if isinstance(score, bool):
        return None
    if isinstance(score, int):
        return score
    text = unicodedata.normalize("NFKC", str(score if score is not None else "")).strip()
    return int(text) if text.isascii() and text.isdigit() else None


@transaction.atomic
def group_evaluate(*, group: PracticeGroup, presented_on: dt.date, score, comment: str = "", by) -> GroupEvaluation:
    """Record (or correct) the group's 成果発表 evaluation."""
    errors: dict[str, list[str]] = {}
    value = _as_score(score)
    if value is None or not MIN_SCORE <= value <= MAX_SCORE:
        errors["score"] = [f"評価は{MIN_SCORE}〜{MAX_SCORE}の整数で入力してください"]
    if not isinstance(presented_on, dt.date):
        errors["presented_on"] = ["発表日を入力してください"]
    elif presented_on > timezone.localdate():
        errors["presented_on"] = ["発表日に未来の日付は入力できません"]
    if not group.memberships.exists():
        errors.setdefault("group", []).append("構成員のいないグループは評価できません")
    if errors:
        raise ValidationError(errors)
    evaluation = GroupEvaluation.objects.filter(group=group).first() or GroupEvaluation(group=group)
    evaluation.presented_on = presented_on
    evaluation.score = value
    evaluation.comment = (comment or "").strip()
    evaluation.evaluated_by = by
    evaluation.full_clean()
    stamp(evaluation, by)
    evaluation.save()
    return evaluation


__all__ = [
    "PRESENTATION_STEP",
    "GroupProposal",
    "deliverable_add",
    "group_evaluate",
    "group_move_member",
    "group_set_theme",
    "groups_propose",
    "groups_save",
]

"""Nomination windows (推薦受付), quotas per 局区 (推薦枠), nominations (推薦) and the secretariat's decisions (選定).

Rules, in the order a nomination is checked (every message is Japanese and names what to do):
- the window must be open today (opens_on ≤ today ≤ closes_on; the deadline day is included);
- the candidate's current 所属 must lie inside one of the liaison's 局区 (access.role_units + subtree);
- retired people, current DX推進リーダー (a Certification or an active LeaderRole) and trainees of a cohort still in
  training cannot be nominated; a person is nominated at most once a year (by anyone);
- every requirement of the pack must be ticked and the recommendation written;
- a 局区 cannot nominate more people than its quota (quota set by the secretariat; withdrawn nominations free
  their place). Over quota is REFUSED, not warned: the quota is the secretariat's instruction to the 局区, and a
  liaison who needs more asks the secretariat to raise it. A 局区 without a quota row has no limit.

Decisions follow one transition table (NOMINATION_TRANSITIONS). Bad input raises ValidationError (400), an illegal step
raises WorkflowError (409).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year_bounds, format_fiscal_year, format_wareki
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import TOP_KINDS, Assignment, Employee, EmploymentStatus, valid_on
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack, pack_of

from ..errors import WorkflowError
from ..models import (
    Certification,
    Cohort,
    CohortMember,
    LeaderRole,
    MemberStatus,
    Nomination,
    NominationQuota,
    NominationStatus,
    NominationWindow,
)
from ..selectors_cohorts import window_state

__all__ = [
    "NOMINATION_TRANSITIONS",
    "nomination_decide",
    "nomination_quotas_set",
    "nomination_submit",
    "nomination_update",
    "nomination_window_open",
    "nomination_window_update",
    "nomination_withdraw",
    "nominations_decide",
]

S = NominationStatus

# The one transition table of the nomination workflow. SELECTED → RESERVE/DECLINED only before the cohort is
# formed (checked in nomination_decide); WITHDRAWN → SUBMITTED is a liaison nominating the same person again.
NOMINATION_TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.SELECTED, S.RESERVE, S.DECLINED, S.WITHDRAWN},
    S.RESERVE: {S.SELECTED, S.DECLINED},
    S.SELECTED: {S.RESERVE, S.DECLINED},
    S.DECLINED: set(),
    S.WITHDRAWN: {S.SUBMITTED},
}
DECISIONS = (S.SELECTED, S.RESERVE, S.DECLINED)
REASON_REQUIRED = (S.RESERVE, S.DECLINED)


def _today() -> dt.date:
    return timezone.localdate()


def _require(user, action: Action) -> None:
    if not access.may(user, action):
        raise PermissionDenied("この操作を行う権限がありません。")


def _unit_name(unit_id: int) -> str:
    node = org_snapshot().nodes.get(unit_id)
    return node.name if node else "（廃止された組織）"


# ---------------------------------------------------------------- windows and quotas


def _check_window_dates(fiscal_year: int, opens_on: dt.date, closes_on: dt.date) -> None:
    errors = {}
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "締切日は受付開始日以降の日付にしてください。"
    start, _end = fiscal_year_bounds(fiscal_year)
    if closes_on and closes_on >= start.replace(year=start.year + 1):
        errors["closes_on"] = f"締切日は{format_fiscal_year(fiscal_year)}の研修が終わる前の日付にしてください。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def nomination_window_open(
    *, fiscal_year: int, opens_on: dt.date, closes_on: dt.date, by, note: str = ""
) -> NominationWindow:
    """Open the nomination period for the cohort that trains in `fiscal_year`, under the pack in force then."""
    _require(by, Action.MANAGE_PROGRAMME)
    if NominationWindow.objects.filter(fiscal_year=fiscal_year).exists():
        raise ValidationError({"fiscal_year": f"{format_fiscal_year(fiscal_year)}の推薦受付は既にあります。"})
    _check_window_dates(fiscal_year, opens_on, closes_on)
    try:
        pack = current_pack(fiscal_year_bounds(fiscal_year)[0])
    except NoPolicyPack as exc:
        raise WorkflowError(str(exc)) from None
    window = NominationWindow(
        fiscal_year=fiscal_year, pack_id=pack.pk, opens_on=opens_on, closes_on=closes_on, note=note.strip()
    )
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def nomination_window_update(
    *, window: NominationWindow, by, opens_on: dt.date | None = None, closes_on: dt.date | None = None, note=None
) -> NominationWindow:
    """Change the dates (e.g. extend the deadline) or the notice; not after the cohort is formed."""
    _require(by, Action.MANAGE_PROGRAMME)
    window = NominationWindow.objects.select_for_update().get(pk=window.pk)
    if Cohort.objects.filter(fiscal_year=window.fiscal_year).exists():
        raise WorkflowError("期を編成した後は、推薦受付の期間を変更できません。")
    window.opens_on = opens_on or window.opens_on
    window.closes_on = closes_on or window.closes_on
    if note is not None:
        window.note = note.strip()
    _check_window_dates(window.fiscal_year, window.opens_on, window.closes_on)
    window.full_clean()
    window.save()
    return window


@transaction.atomic
def nomination_quotas_set(*, window: NominationWindow, quotas: dict[int, int], by) -> list[NominationQuota]:
    """Set the quota of each 局区 named in `quotas` ({unit id: people}); 局区 not named keep their quota."""
    _require(by, Action.MANAGE_PROGRAMME)
    tops = {n.unit_id for n in org_snapshot().units_of_kind(*TOP_KINDS)}
    errors = []
    for unit_id, n in quotas.items():
        if unit_id not in tops:
            errors.append(f"組織 {unit_id} は現在の局区ではありません。")
        elif not isinstance(n, int) or isinstance(n, bool) or n < 0:
            errors.append(f"{_unit_name(unit_id)}の推薦枠は0以上の整数で入力してください。")
    if errors:
        raise ValidationError({"quotas": errors})
    existing = {q.unit_id: q for q in NominationQuota.objects.select_for_update().filter(window=window)}
    saved = []
    for unit_id, n in quotas.items():
        row = existing.get(unit_id) or NominationQuota(window=window, unit_id=unit_id)
        if row.pk and row.quota == n:
            saved.append(row)
            continue
        row.quota = n
        row.full_clean()
        row.save()
        saved.append(row)
    return saved


# ---------------------------------------------------------------- nominations


def _liaison_root_for(user, unit_id: int | None) -> int | None:
    """The liaison's 局区 (a root unit of their grants) whose subtree holds `unit_id`, if any."""
    if unit_id is None:
        return None
    snap = org_snapshot()
    for root in sorted(access.role_units(user, Role.LIAISON)):
        if unit_id in snap.subtree_ids([root]):
            return root
    return None


def _check_open(window: NominationWindow, verb: str = "推薦") -> None:
    state = window_state(window)
    if state == "upcoming":
        raise WorkflowError(
            f"{format_fiscal_year(window.fiscal_year)}の推薦受付はまだ始まっていません"
            f"（受付開始: {format_wareki(window.opens_on)}）。"
        )
    if state == "closed":
        raise WorkflowError(
            f"{format_fiscal_year(window.fiscal_year)}の推薦の締切（{format_wareki(window.closes_on)}）を過ぎているため、"
            f"{verb}できません。事務局に相談してください。"
        )


def _check_requirements(window: NominationWindow, requirements: dict | None, recommendation: str) -> dict:
    pack = pack_of(window.pack)
    codes = dict(pack.nomination_requirements)
    given = {str(k): v for k, v in (requirements or {}).items()}
    errors = {}
    unknown = sorted(set(given) - set(codes))
    missing = [label for code, label in codes.items() if given.get(code) is not True]
    if unknown:
        errors["requirements"] = [f"要件コード「{c}」はこの年度の要件にありません。" for c in unknown]
    elif missing:
        errors["requirements"] = ["推薦の要件をすべて満たす職員だけを推薦できます。未確認の要件: " + "、".join(missing)]
    if not (recommendation or "").strip():
        errors["recommendation"] = ["推薦理由を入力してください。"]
    if errors:
        raise ValidationError(errors)
    return {code: True for code in codes}


def _check_candidate(window: NominationWindow, employee: Employee, day: dt.date) -> None:
    name = employee.name
    if employee.status == EmploymentStatus.RETIRED or (employee.left_on and employee.left_on <= day):
        raise ValidationError({"employee": f"{name}さんは退職・転出しているため推薦できません。"})
    cert = Certification.objects.filter(member__employee=employee).select_related("member__cohort").first()
    if cert is not None:
        when = format_wareki(cert.certified_on)
        raise ValidationError({"employee": f"{name}さんは既にDX推進リーダーです（{cert.member.cohort}、{when}認定）。"})
    if LeaderRole.objects.filter(valid_on(day), employee=employee).exists():
        raise ValidationError({"employee": f"{name}さんは既にDX推進リーダーとして活動中です。"})
    training = (
        CohortMember.objects.filter(employee=employee, status__in=[MemberStatus.TRAINING, MemberStatus.COMPLETED])
        .select_related("cohort")
        .first()
    )
    if training is not None:
        raise ValidationError({"employee": f"{name}さんは{training.cohort}の研修生です。"})
    other = (
        Nomination.objects.filter(window=window, employee=employee).exclude(status=S.WITHDRAWN).only("unit_id").first()
    )
    if other is not None:
        raise ValidationError(
            {
                "employee": f"{name}さんは{format_fiscal_year(window.fiscal_year)}に既に推薦されています"
                f"（推薦した局区: {_unit_name(other.unit_id)}）。同じ年度に推薦できるのは1回です。"
            }
        )


def _check_quota(window: NominationWindow, unit_id: int) -> None:
    quota = NominationQuota.objects.filter(window=window, unit_id=unit_id).values_list("quota", flat=True).first()
    if quota is None:
        return
    used = Nomination.objects.filter(window=window, unit_id=unit_id).exclude(status=S.WITHDRAWN).count()
    if used >= quota:
        raise ValidationError(
            {
                "employee": f"{_unit_name(unit_id)}の推薦枠（{quota}名）に達しています（推薦済み {used}名）。"
                "追加で推薦する場合は、事務局に推薦枠の変更を依頼するか、推薦を取り下げてください。"
            }
        )


@transaction.atomic
def nomination_submit(
    *,
    window: NominationWindow,
    employee: Employee,
    by,
    requirements: dict[str, bool],
    recommendation: str,
) -> Nomination:
    """A liaison nominates a person of their own 局区 (see the module docstring for every rule)."""
    _require(by, Action.NOMINATE)
    window = NominationWindow.objects.select_for_update().select_related("pack").get(pk=window.pk)
    _check_open(window)
    day = _today()
    current = Assignment.objects.filter(valid_on(day), employee=employee).values_list("unit_id", flat=True).first()
    root = _liaison_root_for(by, current)
    if root is None:
        units = "、".join(_unit_name(u) for u in sorted(access.role_units(by, Role.LIAISON))) or "（担当なし）"
        raise ValidationError(
            {"employee": f"{employee.name}さんは担当の局区（{units}）の職員ではないため推薦できません。"}
        )
    _check_candidate(window, employee, day)
    checked = _check_requirements(window, requirements, recommendation)
    _check_quota(window, root)
    nomination = Nomination.objects.filter(window=window, employee=employee, status=S.WITHDRAWN).first()
    if nomination is None:
        nomination = Nomination(window=window, employee=employee)
    else:
        _transition(nomination, S.SUBMITTED)
    nomination.unit_id = root
    nomination.nominated_by = by
    nomination.requirements = checked
    nomination.recommendation = recommendation.strip()
    nomination.status = S.SUBMITTED
    nomination.decision_reason = ""
    nomination.decided_by = None
    nomination.decided_at = None
    nomination.full_clean()
    nomination.save()
    return nomination


def _check_liaison_of(user, nomination: Nomination) -> None:
    if not access.may(user, Action.NOMINATE) or nomination.unit_id not in access.role_units(user, Role.LIAISON):
        raise PermissionDenied("担当の局区の推薦だけを変更できます。")


@transaction.atomic
def nomination_update(
    *, nomination: Nomination, by, requirements: dict[str, bool] | None = None, recommendation: str | None = None
) -> Nomination:
    """The liaison edits their nomination until the deadline, while it is not decided yet."""
    nomination = Nomination.objects.select_for_update().select_related("window__pack").get(pk=nomination.pk)
    _check_liaison_of(by, nomination)
    _check_open(nomination.window, "変更")
    if nomination.status != S.SUBMITTED:
        raise WorkflowError(f"この推薦は「{nomination.get_status_display()}」のため変更できません。")
    checked = _check_requirements(
        nomination.window,
        nomination.requirements if requirements is None else requirements,
        nomination.recommendation if recommendation is None else recommendation,
    )
    nomination.requirements = checked
    if recommendation is not None:
        nomination.recommendation = recommendation.strip()
    nomination.full_clean()
    nomination.save()
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by) -> Nomination:
    """The liaison withdraws a nomination that is not decided yet, until the deadline (取下げ)."""
    nomination = Nomination.objects.select_for_update().select_related("window").get(pk=nomination.pk)
    _check_liaison_of(by, nomination)
    _check_open(nomination.window, "取り下げ")
    _transition(nomination, S.WITHDRAWN)
    nomination.status = S.WITHDRAWN
    nomination.save()
    return nomination


def _transition(nomination: Nomination, to: str) -> None:
    current = nomination.status
    if to == current:
        raise WorkflowError(f"{nomination.employee.name}さんの推薦は既に「{S(to).label}」です。")
    if to not in NOMINATION_TRANSITIONS.get(current, set()):
        raise WorkflowError(
            f"{nomination.employee.name}さんの推薦は「{S(current).label}」のため、「{S(to).label}」にできません。"
        )


def _decide_one(nomination: Nomination, decision: str, reason: str, by, now) -> None:
    _transition(nomination, decision)
    if S.SELECTED in (nomination.status, decision):
        cohort = Cohort.objects.filter(fiscal_year=nomination.window.fiscal_year).first()
        if cohort is not None and nomination.status == S.SELECTED:
            raise WorkflowError(
                f"{cohort}は編成済みのため、{nomination.employee.name}さんの選定を変更できません"
                "（研修を辞退する場合は期の研修生の状態で扱います）。"
            )
        if cohort is not None:
            raise WorkflowError(
                f"{cohort}は編成済みです。{nomination.employee.name}さんは期の画面の「研修生に追加」から追加してください。"
            )
    nomination.status = decision
    nomination.decision_reason = reason
    nomination.decided_by = by
    nomination.decided_at = now
    nomination.full_clean()
    nomination.save()


def _clean_decision(decision: str, reason: str | None) -> tuple[str, str]:
    if decision not in DECISIONS:
        raise ValidationError({"decision": "選定・補欠・見送りのいずれかを選んでください。"})
    reason = (reason or "").strip()
    if decision in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": f"「{S(decision).label}」とする理由を入力してください。"})
    return decision, reason


@transaction.atomic
def nomination_decide(*, nomination: Nomination, decision: str, reason: str = "", by) -> Nomination:
    """The secretariat's decision: 選定 / 補欠 / 見送り (reason required for 補欠 and 見送り)."""
    _require(by, Action.MANAGE_PROGRAMME)
    decision, reason = _clean_decision(decision, reason)
    nomination = Nomination.objects.select_for_update().select_related("window", "employee").get(pk=nomination.pk)
    _decide_one(nomination, decision, reason, by, timezone.now())
    return nomination


@transaction.atomic
def nominations_decide(*, nominations, decision: str, reason: str = "", by) -> list[Nomination]:
    """Bulk decision, all or nothing: if any nomination cannot take it, nothing changes and every problem is named."""
    _require(by, Action.MANAGE_PROGRAMME)
    decision, reason = _clean_decision(decision, reason)
    ids = [n.pk for n in nominations]
    if not ids:
        raise ValidationError({"nominations": "対象の推薦を選んでください。"})
    rows = list(
        Nomination.objects.select_for_update().select_related("window", "employee").filter(pk__in=ids).order_by("pk")
    )
    now, problems = timezone.now(), []
    for nomination in rows:
        try:
            with transaction.atomic():
                _decide_one(nomination, decision, reason, by, now)
        except WorkflowError as exc:
            problems.append(exc.message)
    if problems:
        raise WorkflowError("次の推薦は変更できないため、どれも変更しませんでした。" + " ".join(problems))
    return rows

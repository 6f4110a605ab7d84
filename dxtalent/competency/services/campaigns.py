"""Campaigns (評価の回): create one on a frozen copy of a pack framework, add people and evaluators, close it.

MANAGE_CAMPAIGNS only (hr, secretariat). The framework is deep-copied from the pack when the campaign is
created; later packs never change it (see competency.models and competency.frozen).
"""

import copy
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee
from dxtalent.policy.models import PolicyPack
from dxtalent.policy.selectors import current_pack, pack_of
from dxtalent.training.models import CourseRun

from ..models import Assessment, Campaign, CampaignKind, CampaignStatus
from .common import now, require_not_closed, stamp

__all__ = ["campaign_add_people", "campaign_close", "campaign_create"]


def _require_manage(by) -> None:
    if not access.may(by, Action.MANAGE_CAMPAIGNS):
        raise PermissionDenied("評価の回を管理する権限がありません（人事・事務局のみ）。")


@transaction.atomic
def campaign_create(
    *,
    by,
    name: str,
    kind: str,
    fiscal_year: int,
    framework_code: str,
    opens_on: dt.date,
    closes_on: dt.date,
    run: CourseRun | None = None,
    pack: PolicyPack | None = None,
    at: dt.datetime | None = None,
) -> Campaign:
    _require_manage(by)
    if pack is None:
        pack = PolicyPack.objects.get(pk=current_pack().pk)
    typed = pack_of(pack)
    errors: dict[str, list[str]] = {}
    codes = [f.code for f in typed.frameworks]
    if framework_code not in codes:
        allowed = "、".join(f"{f.code}（{f.name}）" for f in typed.frameworks) or "なし"
        errors["framework_code"] = [
            f"フレームワーク「{framework_code}」はポリシーパック {pack.version} 版にありません"
            f"（選べるもの: {allowed}）。"
        ]
    if kind in (CampaignKind.PRE, CampaignKind.POST) and run is None:
        errors["run"] = ["研修前・研修後の評価では、対象の研修（期）を選んでください。"]
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = ["締切日は開始日以降の日付にしてください。"]
    if errors:
        raise ValidationError(errors)
    raw = copy.deepcopy(typed.framework_raw(framework_code))
    campaign = Campaign(
        name=(name or "").strip(),
        kind=kind,
        fiscal_year=fiscal_year,
        pack=pack,
        framework_code=framework_code,
        framework_version=str(raw.get("version", "")),
        framework=raw,
        run=run,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    campaign.full_clean()
    stamp(campaign, by, at)
    campaign.save()
    if at is not None:
        Campaign.objects.filter(pk=campaign.pk).update(created_at=at)
        campaign.created_at = at
    return campaign


@transaction.atomic
def campaign_add_people(*, campaign: Campaign, by, people: list[tuple[Employee, Employee | None]]) -> list[Assessment]:
    """Add (person, evaluator) pairs; a person already in the campaign gets the evaluator updated if one is given."""
    _require_manage(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_not_closed(campaign)
    pairs: dict[int, tuple[Employee, Employee | None]] = {}
    errors = []
    for person, evaluator in people:
        if evaluator is not None and evaluator.pk == person.pk:
            errors.append(f"{person.name}（{person.number}）: 本人を評価者にすることはできません。")
            continue
        pairs[person.pk] = (person, evaluator)
    if errors:
        raise ValidationError({"people": errors})
    existing = {a.employee_id: a for a in Assessment.objects.filter(campaign=campaign, employee_id__in=list(pairs))}
    out = []
    for person_id, (person, evaluator) in pairs.items():
        a = existing.get(person_id)
        if a is None:
            a = Assessment(campaign=campaign, employee=person, evaluator=evaluator)
        elif evaluator is not None and a.evaluator_id != evaluator.pk:
            a.evaluator = evaluator
        else:
            out.append(a)
            continue
        a.full_clean(validate_unique=False, validate_constraints=False)
        stamp(a, by)
        a.save()
        out.append(a)
    return out


@transaction.atomic
def campaign_close(*, campaign: Campaign, by, at: dt.datetime | None = None) -> Campaign:
    _require_manage(by)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_not_closed(campaign)
    campaign.status = CampaignStatus.CLOSED
    stamp(campaign, by, now(at) if at else None)
    campaign.save(update_fields=["status"])
    return campaign

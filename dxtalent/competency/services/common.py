"""Helpers shared by the competency services (history stamps, the open-campaign check)."""

import datetime as dt

from django.utils import timezone

from dxtalent.core.errors import WorkflowError
from dxtalent.core.wareki import format_wareki

from ..models import Campaign, CampaignStatus


def stamp(obj, by, at: dt.datetime | None = None) -> None:
    """Record `by` (and a back-dated `at`) as the author/time of the object's next history row."""
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by
    if at is not None:
        obj._history_date = at


def now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def day_of(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(at) if at is not None else timezone.localdate()


def require_not_closed(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.CLOSED:
        raise WorkflowError(f"「{campaign.name}」は締め切られているため、変更できません。")


def require_open(campaign: Campaign, day: dt.date) -> None:
    """The campaign takes ratings: not closed and `day` within opens_on..closes_on."""
    require_not_closed(campaign)
    if day < campaign.opens_on:
        raise WorkflowError(
            f"「{campaign.name}」の受付は{format_wareki(campaign.opens_on)}からです（まだ入力できません）。"
        )
    if day > campaign.closes_on:
        raise WorkflowError(f"「{campaign.name}」の締切（{format_wareki(campaign.closes_on)}）を過ぎています。")

"""Shared bits of the ladder pages: the pack (pages still render without one), today, breadcrumbs."""

from django.urls import reverse
from django.utils import timezone

from ..selectors.ladder_access import pack_or_none

NO_PACK = (
    "ポリシーパックが読み込まれていないため、育成段階を表示できません"
    "（manage.py load_policy_pack を実行してください）。"
)


def pack_and_day():
    day = timezone.localdate()
    return pack_or_none(day), day


def crumbs(*items) -> list[tuple[str, str | None]]:
    return [("高度デジタル人材の育成", reverse("experts:home")), *items]


def person_crumbs(employee, *items) -> list[tuple[str, str | None]]:
    return crumbs(
        ("育成対象の職員", reverse("experts:people")),
        (employee.name, reverse("experts:person", args=[employee.pk])),
        *items,
    )

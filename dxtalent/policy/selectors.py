import datetime as dt

from django.utils import timezone

from .models import PolicyPack
from .pack import Pack

_CACHE: dict[tuple[int, str], Pack] = {}


class NoPolicyPack(Exception):
    """No policy pack is loaded yet (run `manage.py load_policy_pack policy_packs/sapporo-r8`)."""


def pack_of(row: PolicyPack) -> Pack:
    key = (row.pk, row.checksum)
    if key not in _CACHE:
        _CACHE[key] = Pack(row.content, pk=row.pk)
    return _CACHE[key]


def current_pack(day: dt.date | None = None) -> Pack:
    """The pack in force on `day`: the latest effective_from ≤ day (else the earliest loaded one)."""
    day = day or timezone.localdate()
    row = (
        PolicyPack.objects.filter(effective_from__lte=day).order_by("-effective_from", "-loaded_at").first()
        or PolicyPack.objects.order_by("effective_from", "loaded_at").first()
    )
    if row is None:
        raise NoPolicyPack("ポリシーパックが読み込まれていません（manage.py load_policy_pack を実行してください）")
    return pack_of(row)


def pack_by_id(pk: int) -> Pack:
    return pack_of(PolicyPack.objects.get(pk=pk))

"""Helpers shared by the training services: who may act, and the policy pack's codes."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError

from dxtalent.core.text import normalize
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.policy import selectors as policy


def check_may(by, action: Action, message: str = "この操作を行う権限がありません。") -> None:
    """`by=None` is the system (demo loader, imports, commands): always allowed."""
    if by is not None and not access.may(by, action):
        raise PermissionDenied(message)


def is_self(by, employee) -> bool:
    me = access.employee_of(by) if by is not None else None
    return me is not None and me.pk == employee.pk


def pack_or_none(day: dt.date | None = None):
    try:
        return policy.current_pack(day)
    except policy.NoPolicyPack:
        return None


def talent_type_codes(day: dt.date | None = None) -> set[str] | None:
    pack = pack_or_none(day)
    return {t.code for t in pack.talent_types} if pack else None


def phase_codes(day: dt.date | None = None) -> set[str] | None:
    pack = pack_or_none(day)
    return {p.code for p in pack.phases} if pack else None


def parse_hours(value, *, field: str = "hours", label: str = "時間") -> Decimal:
    """Hours as a Decimal with at most 2 decimal places; accepts 全角 digits. Raises ValidationError."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = normalize(value)
        if text == "":
            raise ValidationError({field: f"{label}を入力してください。"})
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError({field: f"{label}は数値で入力してください（例: 2、1.5）。"}) from None
    if not number.is_finite():
        raise ValidationError({field: f"{label}は数値で入力してください（例: 2、1.5）。"})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({field: f"{label}は小数第2位までで入力してください。"})
    return number.quantize(Decimal("0.01"))

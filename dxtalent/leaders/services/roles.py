"""Leader roles and placements (役割類型), effective-dated like assignments: a change end-dates the current row the
day before and starts a new one; nothing is deleted.

The 部 a leader covers is not stored: it follows their assignment (`dxtalent.leaders.coverage`), so a transferred
leader needs nothing here — they stay a leader and cover their new 部 from the transfer day.

Dates: `on` is the first day of the new state, as in `employee_transfer` — `leader_role_change(on=4/1)` makes the
new role type valid from 4/1 (the old one ends 3/31); `leader_role_end(on=4/1)` makes 3/31 the last day as leader.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from dxtalent.core.roles import Role
from dxtalent.org.models import Employee, RoleGrant
from dxtalent.policy.selectors import current_pack

from ..errors import WorkflowError
from ..models import LeaderRole
from .groups import stamp


def _role_on(employee: Employee, on: dt.date) -> LeaderRole:
    role = (
        LeaderRole.objects.select_for_update()
        .filter(employee=employee, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .first()
    )
    if role is None:
        raise WorkflowError(f"{employee.name}さんは{on:%Y-%m-%d}時点でDX推進リーダーではありません。")
    if LeaderRole.objects.filter(employee=employee, valid_from__gt=on).exists():
        raise WorkflowError(
            f"{employee.name}さんには{on:%Y-%m-%d}より後に始まる役割が登録されているため変更できません。"
        )
    return role


@transaction.atomic
def leader_role_change(*, employee: Employee, role_type: str, on: dt.date, note: str = "", by=None) -> LeaderRole:
    """From `on`, the leader holds `role_type` (a code of the pack in force on `on`)."""
    if not isinstance(on, dt.date):
        raise ValidationError({"on": ["変更日を入力してください"]})
    types = {r.code: r.name for r in current_pack(on).role_types}
    if role_type not in types:
        raise ValidationError(
            {"role_type": [f"役割類型「{role_type}」はありません。選べるのは: {'、'.join(types.values())}"]}
        )
    current = _role_on(employee, on)
    if current.role_type == role_type:
        raise ValidationError({"role_type": [f"既に{types[role_type]}です"]})
    note = (note or "").strip()
    if current.valid_from == on:  # a correction on the day the row began: same span, new type
        current.role_type = role_type
        current.note = note or current.note
        current.full_clean()
        stamp(current, by)
        current.save(update_fields=["role_type", "note"])
        return current
    ends = current.valid_to
    current.valid_to = on - dt.timedelta(days=1)
    stamp(current, by)
    current.save(update_fields=["valid_to"])
    role = LeaderRole(
        employee=employee,
        certification_id=current.certification_id,
        role_type=role_type,
        valid_from=on,
        valid_to=ends,
        note=note,
    )
    role.full_clean()
    stamp(role, by)
    role.save()
    return role


@transaction.atomic
def leader_role_end(*, employee: Employee, on: dt.date, reason: str, by=None) -> LeaderRole:
    """The leader stops being one from `on` (their role and their `leader` login role end the day before)."""
    errors = {}
    if not isinstance(on, dt.date):
        errors["on"] = ["終了日を入力してください"]
    if not (reason or "").strip():
        errors["reason"] = ["終了の理由を入力してください"]
    if errors:
        raise ValidationError(errors)
    role = _role_on(employee, on)
    last = on - dt.timedelta(days=1)
    if role.valid_from > last:
        raise WorkflowError(f"この役割は{role.valid_from:%Y-%m-%d}に始まったため、{on:%Y-%m-%d}からは終了できません。")
    role.valid_to = last
    role.note = "\n".join(x for x in (role.note, f"終了: {reason.strip()}") if x)
    role.full_clean()
    stamp(role, by)
    role.save(update_fields=["valid_to", "note"])
    if employee.user_id:
        grants = RoleGrant.objects.filter(user_id=employee.user_id, role=Role.LEADER, valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=last)
        )
        for grant in grants:
            grant.valid_to = last
            stamp(grant, by)
            grant.save(update_fields=["valid_to"])
    return role


__all__ = ["leader_role_change", "leader_role_end"]

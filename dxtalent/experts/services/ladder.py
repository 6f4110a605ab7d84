"""Entering and leaving the ③ OJT ladder (a StagePeriod opens, a StagePeriod closes).

MANAGE_OJT for people in one's scope (hr and the secretariat: everyone; a manager: their 課). Stage codes are the
pack's. A person has at most one open period; a new entry starts after their last period ended.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dxtalent.core.errors import WorkflowError
from dxtalent.core.wareki import format_wareki
from dxtalent.org.models import Employee, EmploymentStatus
from dxtalent.policy.pack import Pack
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import Promotion, PromotionStatus, StagePeriod
from ..selectors.ladder import stage_of
from ..selectors.ladder_access import may_manage_ojt_for

__all__ = ["ladder_enter", "ladder_leave"]


def pack_for(day: dt.date | None = None) -> Pack:
    try:
        return current_pack(day)
    except NoPolicyPack as exc:
        raise WorkflowError(str(exc)) from None


def day_of(on: dt.date | None, at: dt.datetime | None) -> dt.date:
    if on is not None:
        return on
    return timezone.localdate(at) if at is not None else timezone.localdate()


def require_manage(by, employee: Employee, what: str) -> None:
    if not may_manage_ojt_for(by, employee):
        raise PermissionDenied(
            f"{employee.name}さんの{what}を行う権限がありません（人事・事務局、または所属の課長のみ）。"
        )


def open_period(employee: Employee, *, lock: bool = False) -> StagePeriod | None:
    qs = StagePeriod.objects.filter(employee=employee, valid_to__isnull=True)
    return (qs.select_for_update() if lock else qs).first()


@transaction.atomic
def ladder_enter(
    *, employee: Employee, stage_code: str, on: dt.date, by, note: str = "", hire_route: str = ""
) -> StagePeriod:
    """Put `employee` into the ladder at `stage_code` from `on` (a new open StagePeriod). A `hire_route` (the pack's
    code) is recorded on the employee (採用区分・育成経路); blank keeps what they have."""
    require_manage(by, employee, "育成段階の登録")
    pack = pack_for(on)
    stage = stage_of(pack, stage_code or "")
    if stage is None:
        names = "、".join(f"{s.name}（{s.code}）" for s in pack.ladder)
        raise ValidationError(
            {"stage_code": [f"段階「{stage_code}」はポリシーパックにありません（選べる段階: {names}）。"]}
        )
    if on is None:
        raise ValidationError({"on": ["開始日を入力してください。"]})
    routes = {r.code: r.name for r in pack.hire_routes}
    if hire_route and hire_route not in routes:
        names = "、".join(f"{name}（{code}）" for code, name in routes.items())
        message = f"採用区分「{hire_route}」はポリシーパックにありません（選べる区分: {names}）。"
        raise ValidationError({"hire_route": [message]})
    if employee.status != EmploymentStatus.ACTIVE:
        raise ValidationError({"employee": [f"{employee.name}さんは在職していないため、育成段階に登録できません。"]})
    current = open_period(employee, lock=True)
    if current is not None:
        current_stage = stage_of(pack, current.stage_code)
        raise WorkflowError(
            f"{employee.name}さんはすでに育成段階「{current_stage.name if current_stage else current.stage_code}」に"
            f"登録されています（{format_wareki(current.valid_from)}から）。"
        )
    last = StagePeriod.objects.filter(employee=employee).order_by("-valid_from").first()
    if last is not None and last.valid_to is not None and on <= last.valid_to:
        raise ValidationError(
            {"on": [f"開始日は前回の育成期間の終了日（{format_wareki(last.valid_to)}）より後の日付にしてください。"]}
        )
    period = StagePeriod(employee=employee, stage_code=stage.code, valid_from=on, note=note or "")
    period.full_clean()
    period.save()
    if hire_route and employee.hire_route != hire_route:
        employee.hire_route = hire_route
        employee.save(update_fields=["hire_route"])
    return period


@transaction.atomic
def ladder_leave(*, employee: Employee, on: dt.date, by, note: str = "") -> StagePeriod:
    """Take `employee` out of the ladder: the open StagePeriod ends on `on` (異動・退職)."""
    require_manage(by, employee, "育成段階の終了")
    period = open_period(employee, lock=True)
    if period is None:
        raise WorkflowError(f"{employee.name}さんは育成段階に登録されていません。")
    if on is None or on < period.valid_from:
        raise ValidationError(
            {"on": [f"終了日は現在の段階の開始日（{format_wareki(period.valid_from)}）以降の日付にしてください。"]}
        )
    if Promotion.objects.filter(employee=employee, status=PromotionStatus.PROPOSED).exists():
        raise WorkflowError(f"{employee.name}さんには決定待ちの昇格があります。先に決定（見送り）してください。")
    period.valid_to = on
    if note:
        period.note = f"{period.note}\n{note}".strip()
    period.full_clean()
    period.save()
    return period

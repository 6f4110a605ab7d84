"""認定: at the end of the 年度 the secretariat certifies the members who meet the pack's completion rule.

Policy decisions (see docs/user-guide/certification.md):
- All or nothing: if any selected member does not meet the rule, nothing is certified and the message lists each
  refused person with the reason ("スキル習得: 8.0/12時間", "成果発表の評価なし" …).
- A certified member becomes a DX推進リーダー on the certification day: their first LeaderRole (the pack's default
  role type, e.g. 定数内（標準モデル）) and a `leader` RoleGrant for their login start on `certified_on`. The practice
  year (実践) is the cohort's next 年度 (`Cohort.practice_year`); it needs no row of its own. Starting the role on
  the certification day (not on 1 April) means the leaders certified in a 年度 count in that 年度's coverage, as the
  pack's cumulative targets ("35 by the end of R8") do.
- Members not certified are marked 修了 (they meet the rule, not certified yet) or 未修了 each time the cohort is
  certified; 辞退 members are left alone.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds
from dxtalent.org.models import RoleGrant, valid_on
from dxtalent.policy.selectors import pack_by_id

from ..errors import WorkflowError
from ..models import Certification, Cohort, LeaderRole, MemberStatus
from ..selectors_groups import certification_candidates
from .groups import stamp


@transaction.atomic
def cohort_certify(
    *, cohort: Cohort, member_ids: list[int], certified_on: dt.date, by, note: str = ""
) -> list[Certification]:
    """Certify the given members of `cohort` on `certified_on`; refuses (WorkflowError) if any is not eligible."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    ids = list(dict.fromkeys(int(i) for i in member_ids))
    if not ids:
        raise ValidationError({"member_ids": ["認定する研修生を選んでください"]})
    if not isinstance(certified_on, dt.date):
        raise ValidationError({"certified_on": ["認定日を入力してください"]})
    start, _end = fiscal_year_bounds(cohort.fiscal_year)
    if certified_on < start or fiscal_year(certified_on) > cohort.practice_year:
        raise ValidationError(
            {"certified_on": [f"認定日は{cohort}の研修年度の開始日以降、実践年度の末日までの日付にしてください"]}
        )
    candidates = {c.member.pk: c for c in certification_candidates(cohort)}
    unknown = [i for i in ids if i not in candidates]
    if unknown:
        raise ValidationError({"member_ids": [f"{cohort}の研修生ではありません（ID {', '.join(map(str, unknown))}）"]})
    refused = []
    for i in ids:
        c = candidates[i]
        name = c.member.employee.name
        if c.certified:
            refused.append(f"{name}: 認定済み")
        elif not c.eligible:
            refused.append(f"{name}: {'、'.join(c.reasons)}")
    employee_ids = [candidates[i].member.employee_id for i in ids]
    already = set(
        LeaderRole.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=certified_on))
        .filter(employee_id__in=employee_ids)
        .values_list("employee_id", flat=True)
    )
    for i in ids:
        c = candidates[i]
        if c.member.employee_id in already and not c.certified:
            refused.append(f"{c.member.employee.name}: 既にDX推進リーダーの役割があります")
    if refused:
        raise WorkflowError("認定要件を満たしていないため認定できません。" + " / ".join(refused))

    pack = pack_by_id(cohort.pack_id)
    role_type = pack.default_role_type
    made = []
    for i in ids:
        member = candidates[i].member
        cert = Certification(member=member, certified_on=certified_on, certified_by=by, note=(note or "").strip())
        cert.full_clean()
        stamp(cert, by)
        cert.save()
        role = LeaderRole(employee=member.employee, certification=cert, role_type=role_type, valid_from=certified_on)
        role.full_clean()
        stamp(role, by)
        role.save()
        member.status = MemberStatus.CERTIFIED
        stamp(member, by)
        member.save(update_fields=["status"])
        user_id = member.employee.user_id
        if user_id and not RoleGrant.objects.filter(valid_on(certified_on), user_id=user_id, role=Role.LEADER).exists():
            grant = RoleGrant(user_id=user_id, role=Role.LEADER, valid_from=certified_on)
            grant.full_clean()
            stamp(grant, by)
            grant.save()
        made.append(cert)
    for c in candidates.values():  # everyone else: 修了 / 未修了 (辞退 and 認定 stay)
        if c.member.pk in ids or c.member.status in (MemberStatus.CERTIFIED, MemberStatus.WITHDRAWN):
            continue
        status = MemberStatus.COMPLETED if c.eligible else MemberStatus.NOT_COMPLETED
        if c.member.status != status:
            c.member.status = status
            stamp(c.member, by)
            c.member.save(update_fields=["status"])
    return made


__all__ = ["cohort_certify"]

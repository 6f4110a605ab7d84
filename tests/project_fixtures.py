"""Shared builders for the projects / desk / library / roll-up tests: the pack and certified leaders.

Cohorts and certifications are written straight to the models here (the leader programme's own tests cover how
they come about); projects, consultations and cases are always made through their services.
"""

import datetime as dt

from django.conf import settings

from dxtalent.core.roles import Role
from dxtalent.leaders.models import Certification, Cohort, CohortMember, MemberStatus
from dxtalent.org.models import RoleGrant
from dxtalent.policy.models import PolicyPack

SAPPORO = settings.BASE_DIR / "policy_packs" / "sapporo-r8"


def load_pack() -> PolicyPack:
    from dxtalent.policy.services import policy_pack_load

    return policy_pack_load(directory=SAPPORO).pack


def cohort(number: int = 1, fiscal_year: int | None = None) -> Cohort:
    """第N期 trained in fiscal year 2025+N unless told otherwise (第1期 = 令和8年度)."""
    pack = PolicyPack.objects.order_by("-pk").first() or load_pack()
    return Cohort.objects.get_or_create(
        number=number,
        defaults={"fiscal_year": fiscal_year or 2025 + number, "pack": pack, "target_size": 35},
    )[0]


def certify(employee, *, cohort_obj: Cohort | None = None, certified_on: dt.date | None = None, by=None):
    """Make `employee` a certified leader of `cohort_obj` (第1期 by default), with a leader role grant."""
    from dxtalent.core.models import User

    cohort_obj = cohort_obj or cohort(1)
    certified_on = certified_on or dt.date(cohort_obj.fiscal_year + 1, 3, 20)
    member = CohortMember.objects.create(cohort=cohort_obj, employee=employee, status=MemberStatus.CERTIFIED)
    by = by or User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("cert-admin", "x")
    cert = Certification.objects.create(member=member, certified_on=certified_on, certified_by=by)
    if employee.user_id and not RoleGrant.objects.filter(user_id=employee.user_id, role=Role.LEADER).exists():
        RoleGrant.objects.create(user_id=employee.user_id, role=Role.LEADER, valid_from=certified_on)
    return cert

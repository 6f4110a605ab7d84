"""Programme data written straight into the models, for KPI tests that need known numbers quickly.

(The six-year simulation in test_six_year_simulation.py writes through the services instead.)
"""

import datetime as dt
import itertools
import shutil
from collections.abc import Callable
from pathlib import Path

import yaml
from django.conf import settings

from dxtalent.core.roles import Role
from dxtalent.leaders.models import (
    Certification,
    Cohort,
    CohortMember,
    LeaderRole,
    MemberStatus,
    Nomination,
    NominationStatus,
    NominationWindow,
)
from dxtalent.org.models import OrgKind
from dxtalent.policy.models import PolicyPack
from dxtalent.policy.services import policy_pack_load
from tests import factories as f

SAPPORO = Path(settings.BASE_DIR) / "policy_packs" / "sapporo-r8"
_names = itertools.count(1)


def load_sapporo() -> PolicyPack:
    return policy_pack_load(directory=SAPPORO).pack


def changed_pack(tmp_path: Path, change: Callable[[dict], None], *, version: str = "9.9") -> Path:
    """A copy of Sapporo's pack with `change(leaders_section)` applied and a new version number."""
    target = tmp_path / f"pack-{version}"
    shutil.copytree(SAPPORO, target)
    path = target / "leaders.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["leaders"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    main = target / "pack.yaml"
    main.write_text(main.read_text(encoding="utf-8").replace('version: "1.0"', f'version: "{version}"'), "utf-8")
    return target


def org(spec: dict[tuple[str, str, str], list[str]]) -> dict[str, dict]:
    """{(code, name, kind): [部 names]} → {"tops": {code: unit}, "bu": {name: 部}, "ka": {name: 課 under that 部}}.

    Each 部 gets one 課, where people are placed.
    """
    out = {"tops": {}, "bu": {}, "ka": {}}
    for (code, name, kind), bus in spec.items():
        top = f.unit(name, kind, code=code)
        out["tops"][code] = top
        for i, bu_name in enumerate(bus, start=1):
            bu = f.unit(bu_name, OrgKind.BU, top, code=f"{code}-{i}")
            out["bu"][bu_name] = bu
            out["ka"][bu_name] = f.unit(f"{bu_name}第一課", OrgKind.KA, bu, code=f"{code}-{i}-1")
    return out


def person(unit, since=f.START):
    n = next(_names)
    return f.employee(unit, name=f"職員 {n:03d}", kana=f"ショクイン {n:03d}", since=since)


class Programme:
    """Writes windows, nominations, cohorts, members, certifications and leader roles directly."""

    def __init__(self, pack: PolicyPack):
        self.pack = pack
        self.secretariat = f.login(None, Role.SECRETARIAT)
        self.windows: dict[int, NominationWindow] = {}
        self.cohorts: dict[int, Cohort] = {}

    def window(self, fiscal_year: int) -> NominationWindow:
        if fiscal_year not in self.windows:
            self.windows[fiscal_year] = NominationWindow.objects.create(
                fiscal_year=fiscal_year,
                pack=self.pack,
                opens_on=dt.date(fiscal_year, 4, 1),
                closes_on=dt.date(fiscal_year, 4, 30),
            )
        return self.windows[fiscal_year]

    def nominate(self, fiscal_year: int, employee, unit, status=NominationStatus.SUBMITTED) -> Nomination:
        return Nomination.objects.create(
            window=self.window(fiscal_year),
            employee=employee,
            unit=unit,
            nominated_by=self.secretariat,
            recommendation="業務改善に熱心",
            status=status,
        )

    def cohort(self, number: int, fiscal_year: int, target_size: int = 35) -> Cohort:
        if fiscal_year not in self.cohorts:
            self.cohorts[fiscal_year] = Cohort.objects.create(
                number=number, fiscal_year=fiscal_year, pack=self.pack, target_size=target_size
            )
        return self.cohorts[fiscal_year]

    def member(self, cohort: Cohort, employee, *, nomination=None, status=MemberStatus.TRAINING) -> CohortMember:
        return CohortMember.objects.create(cohort=cohort, employee=employee, nomination=nomination, status=status)

    def certify(self, member: CohortMember, on: dt.date, *, role_from=None, role_to=None) -> Certification:
        member.status = MemberStatus.CERTIFIED
        member.save(update_fields=["status"])
        cert = Certification.objects.create(member=member, certified_on=on, certified_by=self.secretariat)
        LeaderRole.objects.create(
            employee=member.employee,
            certification=cert,
            role_type="teisu",
            valid_from=role_from or on,  # as the certification service does: a leader from the day certified
            valid_to=role_to,
        )
        return cert

    def selected_member(self, fiscal_year: int, number: int, unit, top) -> CohortMember:
        """A person nominated by their 局区, selected, and a member of that year's cohort."""
        employee = person(unit)
        nomination = self.nominate(fiscal_year, employee, top, NominationStatus.SELECTED)
        return self.member(self.cohort(number, fiscal_year), employee, nomination=nomination)

    def certified_cohort(self, number: int, fiscal_year: int, size: int, units: list) -> list[CohortMember]:
        """`size` selected members, all certified on 20 March of the year; placed round-robin over `units`."""
        members = []
        for i in range(size):
            ka, top = units[i % len(units)]
            m = self.selected_member(fiscal_year, number, ka, top)
            self.certify(m, dt.date(fiscal_year + 1, 3, 20))
            members.append(m)
        return members

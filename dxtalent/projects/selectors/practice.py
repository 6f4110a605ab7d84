"""The practice year (実践, the fiscal year after certification): has each certified leader's project started?

Rows are people, so they are scoped with `access.employees_visible_to` on the leader. A fixed number of queries
(the certifications with their practice project, the leaders' current posts, the org snapshot) whatever the rows.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices
from django.utils import timezone

from dxtalent.core.wareki import fiscal_year, format_fiscal_year
from dxtalent.leaders.models import Certification
from dxtalent.org import access
from dxtalent.org.models import Assignment, valid_on
from dxtalent.org.selectors import org_snapshot

from ..models import LAST_STEP, Project, ProjectStatus
from .rollups import CURRENT, pack_or_none

__all__ = ["PracticeRow", "PracticeStatus", "practice_leaders", "practice_status_of"]


class PracticeStatus(TextChoices):
    NOT_STARTED = "not_started", "未着手"
    STARTED = "started", "開始"
    INTRODUCED = "introduced", "導入"  # step 3 (the trial) completed: the new way is being made the rule
    VERIFIED = "verified", "効果検証済み"


def practice_status_of(project: Project | None) -> PracticeStatus:
    if project is None or project.status == ProjectStatus.CANCELLED:
        return PracticeStatus.NOT_STARTED
    if project.status == ProjectStatus.DONE:
        return PracticeStatus.VERIFIED
    if project.step >= LAST_STEP:
        return PracticeStatus.INTRODUCED
    return PracticeStatus.STARTED


@dataclass
class PracticeRow:
    certification: Certification
    top: str
    bu: str
    unit_label: str
    project: Project | None
    status: PracticeStatus
    step_name: str

    @property
    def employee(self):
        return self.certification.member.employee

    @property
    def cohort(self):
        return self.certification.member.cohort

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def cancelled(self) -> bool:
        return self.project is not None and self.project.status == ProjectStatus.CANCELLED

    @property
    def verified_hours(self) -> Decimal | None:
        if self.project is None or self.project.status != ProjectStatus.DONE:
            return None
        return self.project.saving_hours


def practice_leaders(*, user, year: int | None = None, day: dt.date | None = None, pack=CURRENT) -> dict:
    """Certified leaders whose practice year is `year` (default: the current fiscal year), visible to `user`.

    `pack` names the steps (default: the pack in force; None: plain "ステップN")."""
    pack = pack_or_none() if pack is CURRENT else pack
    day = day or timezone.localdate()
    year = year or fiscal_year(day)
    qs = (
        Certification.objects.filter(member__cohort__fiscal_year=year - 1)
        .select_related("member__employee", "member__cohort", "practice_project")
        .order_by("member__employee__kana_key", "member__employee__number")
    )
    certs = list(access.employees_visible_to(user, qs, path="member__employee"))
    employee_ids = [c.member.employee_id for c in certs]
    posts = dict(
        Assignment.objects.filter(valid_on(day), employee_id__in=employee_ids)
        .order_by("employee_id", "-valid_from")
        .values_list("employee_id", "unit_id")
    )
    snap = org_snapshot(day)
    names = {s.number: s.name for s in pack.improvement_steps} if pack is not None else {}
    rows = []
    for cert in certs:
        unit_id = posts.get(cert.member.employee_id)
        path = snap.path_of(unit_id) if unit_id else {}
        project = getattr(cert, "practice_project", None)
        status = practice_status_of(project)
        step_name = ""
        if project is not None and project.status == ProjectStatus.ACTIVE:
            step_name = names.get(project.step, f"ステップ{project.step}")
        rows.append(
            PracticeRow(
                certification=cert,
                top=path["top"].name if "top" in path else "",
                bu=path["bu"].name if "bu" in path else "",
                unit_label=snap.label_of(unit_id) if unit_id else "",
                project=project,
                status=status,
                step_name=step_name,
            )
        )
    counts = {s.value: 0 for s in PracticeStatus}
    for r in rows:
        counts[r.status.value] += 1
    verified = [r.verified_hours for r in rows if r.verified_hours is not None]
    return {
        "fiscal_year": year,
        "fiscal_year_label": format_fiscal_year(year),
        "as_of": day,
        "rows": rows,
        "counts": [{"status": s.value, "label": s.label, "leaders": counts[s.value]} for s in PracticeStatus],
        "total": len(rows),
        "verified_hours": sum(verified, Decimal("0.00")),
    }

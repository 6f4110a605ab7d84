"""A cohort of the leader programme built straight from the models (training run, sessions per phase from the
pack, enrollments, attendance, e-learning completions), so these tests do not depend on the nomination flow.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds
from dxtalent.leaders.models import Cohort, CohortMember
from dxtalent.org.models import OrgKind
from dxtalent.policy.selectors import pack_of
from dxtalent.training.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseRun,
    Delivery,
    ELearningCompletion,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from tests import factories as f

SAPPORO = settings.BASE_DIR / "policy_packs" / "sapporo-r8"


@pytest.fixture
def sapporo(db):
    from dxtalent.policy.services import policy_pack_load

    return policy_pack_load(directory=SAPPORO).pack


@pytest.fixture
def wide_city(city):
    """The small city plus more 部/課 so groups can mix: 東区・北区・総務局 with two more 部 each."""
    units = dict(city)
    for top in ("higashi", "kita", "somu"):
        for i in (2, 3):
            bu = f.unit(f"第{i}部", OrgKind.BU, city[top])
            units[f"{top}_bu{i}"] = bu
            units[f"{top}_bu{i}_ka"] = f.unit(f"第{i}課", OrgKind.KA, bu)
    return units


class CohortBuilder:
    """Builds 第N期 for the current fiscal year with the pack's curriculum as sessions of one run."""

    def __init__(self, pack_row, units):
        self.pack_row = pack_row
        self.pack = pack_of(pack_row)
        self.units = units
        self.number = 0

    def ka_units(self):
        return [u for k, u in sorted(self.units.items()) if u.kind == OrgKind.KA]

    def __call__(self, n: int, *, full: bool = True, fy: int | None = None, spread=None) -> Cohort:
        self.number += 1
        fy = fy or fiscal_year(timezone.localdate()) - (self.number - 1)
        start, _end = fiscal_year_bounds(fy)
        course = Course.objects.create(
            code=f"LEAD{self.number}",
            title="DX推進リーダー育成研修",
            delivery=Delivery.HANDSON,
            talent_type="leader",
            hours=self.pack.curriculum_hours,
        )
        pre = Course.objects.create(
            code=f"PRE{self.number}", title="事前学習", delivery=Delivery.ELEARNING, talent_type="leader", hours=3
        )
        run = CourseRun.objects.create(
            course=course, fiscal_year=fy, title=f"第{self.number}期", program=CourseRun.Program.LEADER_COHORT
        )
        day = start + dt.timedelta(days=90)
        sessions = []
        number = 0
        for phase in self.pack.required_phases:
            if phase.delivery == "elearning":
                continue
            for _ in range(phase.sessions):
                number += 1
                day += dt.timedelta(days=7)
                sessions.append(
                    Session.objects.create(
                        run=run, phase_code=phase.code, number=number, date=day, hours=phase.hours_per_session
                    )
                )
        cohort = Cohort.objects.create(
            number=self.number,
            fiscal_year=fy,
            pack=self.pack_row,
            target_size=self.pack.cohort_size,
            run=run,
            prelearning_course=pre,
        )
        cohort.sessions = sessions
        units = spread or self.ka_units()
        for i in range(n):
            e = f.employee(
                units[i % len(units)], name=f"研修 {self.number}-{i:02d}", kana=f"ケンシュウ {self.number}-{i:02d}"
            )
            enrollment = Enrollment.objects.create(run=run, employee=e, status=EnrollmentStatus.IN_PROGRESS)
            CohortMember.objects.create(cohort=cohort, employee=e, enrollment=enrollment)
            if full:
                attend_all(cohort, enrollment)
                ELearningCompletion.objects.create(
                    employee=e, course=pre, completed_on=start + dt.timedelta(days=30), hours=3
                )
        return cohort


def attend_all(cohort, enrollment, *, skip_phase: str | None = None, skip: int = 0):
    """Full attendance, except `skip` sessions of `skip_phase` (absent, 0 h)."""
    skipped = 0
    rows = []
    for s in cohort.sessions:
        absent = s.phase_code == skip_phase and skipped < skip
        skipped += absent
        rows.append(
            Attendance(
                session=s,
                enrollment=enrollment,
                status=AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT,
                hours=Decimal(0) if absent else s.hours,
            )
        )
    Attendance.objects.bulk_create(rows)


@pytest.fixture
def make_cohort(sapporo, wide_city):
    return CohortBuilder(sapporo, wide_city)

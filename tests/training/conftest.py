"""Fixtures of the training tests: the Sapporo pack, a course with a run this 年度, staff to enroll."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.training import services
from dxtalent.training.models import CourseRun, Delivery
from tests import factories as f

TODAY = timezone.localdate()
FY = fiscal_year(TODAY)


@pytest.fixture
def pack(db):
    from dxtalent.policy.services import policy_pack_load

    return policy_pack_load(directory=settings.BASE_DIR / "policy_packs/sapporo-r8").pack


@pytest.fixture
def course(pack):
    return services.course_create(
        code="G-101",
        title="Excel業務効率化",
        delivery=Delivery.CLASSROOM,
        talent_type="general",
        hours=Decimal("6"),
        provider="職員研修所",
        description="関数とピボットテーブル",
    )


@pytest.fixture
def elearning_course(pack):
    return services.course_create(
        code="E-201",
        title="DX基礎（eラーニング）",
        delivery=Delivery.ELEARNING,
        talent_type="general",
        hours=Decimal("3"),
        provider="eラーニング事業者",
        vendor_code="VND-0001",
    )


def make_run(course, **kw):
    kw.setdefault("fiscal_year", FY)
    return services.run_create(course=course, **kw)


@pytest.fixture
def run(course):
    """A run of this 年度 with 2 seats that needs the manager's approval."""
    return make_run(course, capacity=2, approval_required=True)


def past_day(days: int = 1) -> dt.date:
    """A day in this 年度 before today (today itself when today is 1 April)."""
    day = TODAY - dt.timedelta(days=days)
    return max(day, dt.date(FY, 4, 1))


def future_day(days: int = 7) -> dt.date:
    """A day in this 年度 from today on (today itself on 31 March)."""
    return min(TODAY + dt.timedelta(days=days), dt.date(FY + 1, 3, 31))


@pytest.fixture
def session(run):
    return services.session_create(run=run, date=past_day(), hours=Decimal("3"), place="研修室A")


@pytest.fixture
def staff(people):
    """Plain staff of 東区 戸籍住民課 (the manager's 課) to enroll, with logins."""

    def make(n: int, unit=None, prefix="受講"):
        unit = unit or people["units"]["higashi_koseki"]
        out = []
        for i in range(n):
            e = f.employee(unit, name=f"{prefix} {i:02d}", kana=f"ジュコウ {i:02d}")
            out.append(e)
        return out

    return make


@pytest.fixture
def users(people):
    return people["users"]


@pytest.fixture
def secretariat(users):
    return users[Role.SECRETARIAT]


@pytest.fixture
def manager(users):
    return users[Role.MANAGER]


@pytest.fixture
def employee_user(users):
    return users[Role.EMPLOYEE]


__all__ = ["FY", "TODAY", "CourseRun", "future_day", "make_run", "past_day"]

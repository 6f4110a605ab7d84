"""Fixtures of the nomination / selection / cohort tests: the Sapporo pack, liaisons of two 局区, windows."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.policy.selectors import current_pack
from dxtalent.policy.services import policy_pack_load
from tests import factories as f

REQS_OK = {"ict_interest": True, "communication": True, "improvement_drive": True}


def all_requirements(pack) -> dict:
    return {code: True for code, _label in pack.nomination_requirements}


@pytest.fixture
def pack(db):
    policy_pack_load(directory=settings.BASE_DIR / "policy_packs/sapporo-r8")
    return current_pack()


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def sec(people):
    return people["users"][Role.SECRETARIAT]


@pytest.fixture
def liaison(people):
    """Liaison of 東区 (people fixture)."""
    return people["users"][Role.LIAISON]


@pytest.fixture
def kita_liaison(people):
    city = people["units"]
    return f.login(
        f.employee(city["kita_koseki"], name="北区 担当", kana="キタク タントウ"), Role.LIAISON, scope_unit=city["kita"]
    )


def open_window(sec, fiscal_year, today, *, opens=-10, closes=10):
    from dxtalent.leaders.services import nomination_window_open

    return nomination_window_open(
        fiscal_year=fiscal_year,
        opens_on=today + dt.timedelta(days=opens),
        closes_on=today + dt.timedelta(days=closes),
        by=sec,
    )


@pytest.fixture
def next_fy(today):
    from dxtalent.core.wareki import fiscal_year

    return fiscal_year(today) + 1


@pytest.fixture
def window(pack, sec, today, next_fy):
    """The nomination window for next year's cohort, open today."""
    return open_window(sec, next_fy, today)


def staff(unit, n, prefix="職員", kana="ショクイン"):
    return [f.employee(unit, name=f"{prefix} {i}", kana=f"{kana} {chr(0x30A2 + i * 2)}") for i in range(n)]

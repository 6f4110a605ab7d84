import datetime as dt

import pytest
from django.utils import timezone

from dxtalent.competency import services
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from tests import factories as f
from tests.project_fixtures import load_pack


@pytest.fixture
def pack(db):
    return load_pack()


@pytest.fixture
def hr(people):
    return people["users"][Role.HR]


@pytest.fixture
def mentor(people):
    """A plain employee of 東区 戸籍住民課 with a login: the evaluator in most tests (not the 課長)."""
    user = f.login(f.employee(people["units"]["higashi_koseki"], name="指導 役", kana="シドウ ヤク"))
    return user


def make_campaign(by, *, framework="leader", kind="annual", run=None, name=None, opens=-5, closes=5, **kw):
    today = timezone.localdate()
    return services.campaign_create(
        by=by,
        name=name or f"評価 {framework} {kind}",
        kind=kind,
        fiscal_year=kw.pop("fiscal_year", fiscal_year(today)),
        framework_code=framework,
        opens_on=today + dt.timedelta(days=opens),
        closes_on=today + dt.timedelta(days=closes),
        run=run,
        **kw,
    )


def all_items(campaign, level=3, **overrides) -> dict[str, int]:
    levels = {i["code"]: level for i in campaign.framework["items"]}
    levels.update(overrides)
    return levels


@pytest.fixture
def campaign(pack, hr):
    return make_campaign(hr)


@pytest.fixture
def assessment(campaign, hr, people, mentor):
    """東 花子 (the EMPLOYEE login) evaluated by 指導 役 (mentor)."""
    (a,) = services.campaign_add_people(campaign=campaign, by=hr, people=[(people["higashi_staff"], mentor.employee)])
    return a


def make_run(title="DX推進リーダー育成研修 第1期"):
    from decimal import Decimal

    from dxtalent.training.models import Course, CourseRun

    course, _ = Course.objects.get_or_create(
        code="L-001",
        defaults={
            "title": "DX推進リーダー育成研修",
            "delivery": "classroom",
            "talent_type": "leader",
            "hours": Decimal("30"),
        },
    )
    return CourseRun.objects.create(course=course, fiscal_year=fiscal_year(timezone.localdate()), title=title)

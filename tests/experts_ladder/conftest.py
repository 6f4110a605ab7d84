import pytest

from dxtalent.core.roles import Role
from tests.experts_ladder import builders as b
from tests.project_fixtures import load_pack


@pytest.fixture
def pack_row(db):
    return load_pack()


@pytest.fixture
def pack(pack_row):
    from dxtalent.policy.selectors import pack_of

    return pack_of(pack_row)


@pytest.fixture
def dept(city, pack_row):
    return b.department(city)


@pytest.fixture
def hr(people):
    return people["users"][Role.HR]


@pytest.fixture
def ladder(people, dept, hr):
    """Four people in the ladder today: three in システム管理課 (A mentored this 年度), and 東 花子 in 東区."""
    import datetime as dt

    from django.utils import timezone

    from dxtalent.core.wareki import fiscal_year
    from dxtalent.experts import services

    today = timezone.localdate()
    a = b.staff(dept["ka"], name="育成 一郎", kana="イクセイ イチロウ", hire_route="digital_course")
    bb = b.staff(dept["ka"], name="育成 二郎", kana="イクセイ ジロウ", hire_route="general")
    c = b.staff(dept["ka"], name="育成 三郎", kana="イクセイ サブロウ")
    services.ladder_enter(employee=a, stage_code="minarai", on=today - dt.timedelta(days=400), by=hr)
    five_years_ago = today.replace(year=today.year - 5, day=min(today.day, 28))
    services.ladder_enter(employee=bb, stage_code="shugyo", on=five_years_ago, by=hr)
    services.ladder_enter(employee=c, stage_code="jukuren", on=today - dt.timedelta(days=30), by=hr)
    higashi = people["higashi_staff"]
    services.ladder_enter(employee=higashi, stage_code="minarai", on=today - dt.timedelta(days=10), by=hr)
    plan = services.ojt_plan_save(
        employee=a, fiscal_year=fiscal_year(today), mentor=dept["mentor"], goals="運用を覚える", by=hr
    )
    return {"a": a, "b": bb, "c": c, "higashi": higashi, "plan": plan, "today": today, **dept}

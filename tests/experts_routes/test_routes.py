"""Hire route comparison against hand-computed values (StagePeriods built directly), page, export and API, with a
fixed number of queries however many people are in the ladder."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dxtalent.core.roles import Role
from dxtalent.experts.models import StagePeriod
from dxtalent.org.models import Employee
from tests import factories as f

D = dt.date
DAY = D(2026, 3, 31)  # the comparison's as_of


def _person(unit, route, periods, left_on=None):
    e = f.employee(unit)
    Employee.objects.filter(pk=e.pk).update(hire_route=route, left_on=left_on)
    for stage, start, end in periods:
        StagePeriod.objects.create(employee=e, stage_code=stage, valid_from=start, valid_to=end)
    return e


@pytest.fixture
def ladder(people):
    unit = people["units"]["somu_jinjika"]
    # 一般事務: A reached 一人前 after exactly 4 years (2015-04-01 → 2019-04-01); B is at 修行中; C left (closed).
    _person(
        unit,
        "general",
        [
            ("minarai", D(2015, 4, 1), D(2017, 3, 31)),
            ("shugyo", D(2017, 4, 1), D(2019, 3, 31)),
            ("ichininmae", D(2019, 4, 1), None),
        ],
    )
    _person(unit, "general", [("minarai", D(2016, 4, 1), D(2018, 3, 31)), ("shugyo", D(2018, 4, 1), None)])
    _person(unit, "general", [("minarai", D(2017, 4, 1), D(2018, 3, 31))])
    # デジタルコース: D reached 一人前 in 2 years and is now 熟練者; F in 4 years; E left the city (left_on).
    _person(
        unit,
        "digital_course",
        [
            ("minarai", D(2020, 4, 1), D(2021, 3, 31)),
            ("shugyo", D(2021, 4, 1), D(2022, 3, 31)),
            ("ichininmae", D(2022, 4, 1), D(2025, 3, 31)),
            ("jukuren", D(2025, 4, 1), None),
        ],
    )
    _person(unit, "digital_course", [("minarai", D(2021, 4, 1), None)], left_on=D(2022, 3, 31))
    _person(
        unit,
        "digital_course",
        [
            ("minarai", D(2019, 4, 1), D(2020, 3, 31)),
            ("shugyo", D(2020, 4, 1), D(2023, 3, 31)),
            ("ichininmae", D(2023, 4, 1), None),
        ],
    )
    # Unknown route; and someone who starts after the day (not counted).
    _person(unit, "", [("minarai", D(2025, 4, 1), None)])
    _person(unit, "general", [("minarai", D(2026, 4, 1), None)])


YEAR = 365.2425
FOUR, TWO = round(1461 / YEAR, 2), round(730 / YEAR, 2)  # 4.0, 2.0
DIGITAL_MEDIAN = round((730 + 1461) / 2 / YEAR, 2)  # 3.0


@pytest.mark.django_db
def test_api_matches_hand_computed_values(people, pack, ladder):
    api = APIClient()
    api.force_authenticate(people["users"][Role.EMPLOYEE])
    body = api.get("/api/v1/hire-routes/", {"as_of": "2026-03-31"}).json()
    assert body["target_stage"]["code"] == "ichininmae"  # the pack's third stage by default
    routes = {r["code"]: r for r in body["routes"]}
    g, d, unknown = routes["general"], routes["digital_course"], routes[""]
    assert (g["entrants"], g["current"], g["leavers"], g["reached"]) == (3, 2, 1, 1)
    assert g["by_stage"] == {"minarai": 0, "shugyo": 1, "ichininmae": 1, "jukuren": 0}
    assert g["median_years"] == FOUR == g["mean_years"] and g["leaver_rate"] == pytest.approx(1 / 3)
    assert (d["entrants"], d["current"], d["leavers"], d["reached"]) == (3, 2, 1, 2)
    assert d["by_stage"] == {"minarai": 0, "shugyo": 0, "ichininmae": 1, "jukuren": 1}
    assert d["median_years"] == DIGITAL_MEDIAN == d["mean_years"] == round((TWO + FOUR) / 2, 2)
    assert (unknown["name"], unknown["entrants"], unknown["by_stage"]["minarai"]) == ("不明（未登録）", 1, 1)
    assert routes["electrical"]["entrants"] == 0 and routes["electrical"]["pros"]  # the policy's row, no data
    assert routes["digital_course"]["summary"].startswith("キャリアパスへの理解")
    # Another target stage: years to 修行中 (A 2, B 2, D 1, F 1 years; C never got there).
    body = api.get("/api/v1/hire-routes/", {"as_of": "2026-03-31", "target": "shugyo"}).json()
    routes = {r["code"]: r for r in body["routes"]}
    assert routes["general"]["reached"] == 2 and routes["general"]["median_years"] == round(731 / YEAR, 2)
    assert routes["digital_course"]["reached"] == 2


@pytest.mark.django_db
def test_page_and_export(client, people, pack, ladder):
    client.force_login(people["users"][Role.LEADER])
    page = client.get("/hiring/", {"as_of": "2026-03-31"}).content.decode()
    assert "一般事務（デジタルコース）" in page and "現行パターン1：一般事務職採用者からの育成" in page
    assert "専門知識習得に時間を要する。" in page  # the policy's cons, from the pack
    assert f"{FOUR:.1f}年" in page and f"{DIGITAL_MEDIAN:.1f}年" in page and "33.3%" in page
    r = client.get("/hiring/export.xlsx", {"as_of": "2026-03-31"})
    book = load_workbook(io.BytesIO(r.content))
    rows = {row[0]: row for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows["一般事務"][1] == 3 and rows["合計"][1] == 7
    assert book.worksheets[1].cell(row=2, column=1).value == "一般事務"


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_queries_do_not_grow(client, people, pack, n, django_assert_max_num_queries):
    unit = people["units"]["somu_jinjika"]
    for i in range(n):
        _person(
            unit,
            "general" if i % 2 else "digital_course",
            [("minarai", D(2020, 4, 1), D(2021, 3, 31)), ("shugyo", D(2021, 4, 1), None)],
        )
    client.force_login(people["users"][Role.EMPLOYEE])
    client.get("/hiring/")
    with django_assert_max_num_queries(10):
        assert client.get("/hiring/").status_code == 200
    api = APIClient()
    api.force_authenticate(people["users"][Role.EMPLOYEE])
    with django_assert_max_num_queries(10):
        assert api.get("/api/v1/hire-routes/").status_code == 200

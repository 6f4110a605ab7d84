import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxtalent.core import wareki as w


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2027, 3, 31), 2026),
        (dt.date(2027, 1, 5), 2026),
    ],
)
def test_fiscal_year_turns_on_april_first(day, fy):
    assert w.fiscal_year(day) == fy


def test_fiscal_year_labels():
    assert w.format_fiscal_year(2026) == "令和8年度"
    assert w.format_fiscal_year(2019) == "令和元年度"
    assert w.format_fiscal_year(2018) == "平成30年度"
    assert w.fiscal_year_from_wareki("令和8年度") == 2026
    assert w.fiscal_year_from_wareki("R13") == 2031
    assert w.fiscal_year_from_wareki("令和元年度") == 2019


def test_reiwa_gannen_and_heisei_31():
    assert w.format_wareki(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert w.format_wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert w.parse_date("H31.4.30") == dt.date(2019, 4, 30)
    assert w.parse_date("R1.5.1") == dt.date(2019, 5, 1)
    assert w.parse_date("令和元年5月1日") == dt.date(2019, 5, 1)
    with pytest.raises(ValueError, match="令和の始まり"):
        w.parse_date("R1.4.30")
    with pytest.raises(ValueError, match="期間外"):
        w.parse_date("H31.5.1")


@pytest.mark.parametrize(
    "text",
    [
        "2026-04-01",
        "2026/4/1",
        "R8.4.1",
        "令和8年4月1日",
        "２０２６／４／１",
        "46113",
        "Ｒ８．４．１",
        "2026年4月1日",
    ],
)
def test_parse_date_accepts_what_people_type(text):
    assert w.parse_date(text) == dt.date(2026, 4, 1)


@pytest.mark.parametrize("text", ["2026-02-30", "令和8年13月1日", "あした", "", "R8.2.30"])
def test_parse_date_rejects_with_japanese_message(text):
    with pytest.raises(ValueError) as err:
        w.parse_date(text)
    assert any("\u3040" <= ch <= "\u9fff" for ch in str(err.value))


@given(st.dates(min_value=dt.date(1926, 12, 25), max_value=dt.date(2100, 12, 31)))
def test_wareki_round_trip(day):
    assert w.parse_date(w.format_wareki(day)) == day
    assert w.parse_date(day.isoformat()) == day
    fy = w.fiscal_year(day)
    start, end = w.fiscal_year_bounds(fy)
    assert start <= day <= end
    assert w.fiscal_year_from_wareki(w.format_fiscal_year(fy)) == fy

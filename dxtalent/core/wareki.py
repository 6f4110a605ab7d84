"""Fiscal years (年度, 1 April – 31 March) and Japanese era dates (和暦).

Dates are stored as ISO `date`s; these helpers only convert for display and input.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    start: dt.date


# Newest first. 令和 began 2019-05-01 (平成31年4月30日 was the last day of 平成).
ERAS = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1868, 1, 25)),
)
_ERA_BY_KEY = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS} | {e.name[0]: e for e in ERAS}


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (西暦) a date falls in: 2026-04-01 → 2026, 2027-03-31 → 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def era_of(day: dt.date) -> Era:
    for era in ERAS:
        if day >= era.start:
            return era
    raise ValueError(f"{day} は明治より前の日付です")


def era_year(day: dt.date) -> tuple[Era, int]:
    era = era_of(day)
    return era, day.year - era.start.year + 1


def _year_label(n: int) -> str:
    return "元" if n == 1 else str(n)


def format_wareki(day: dt.date | None) -> str:
    """2019-05-01 → 令和元年5月1日."""
    if day is None:
        return ""
    era, n = era_year(day)
    return f"{era.name}{_year_label(n)}年{day.month}月{day.day}日"


def format_fiscal_year(year: int) -> str:
    """2026 → 令和8年度; 2019 → 令和元年度; 2018 → 平成30年度.

    A fiscal year is named after the era in force on its first day (1 April); FY2019 began in 平成31
    but is customarily called 令和元年度, so the era in force on 1 May is used.
    """
    anchor = dt.date(year, 5, 1)
    era, n = era_year(anchor)
    return f"{era.name}{_year_label(n)}年度"


def fiscal_year_from_wareki(label: str) -> int:
    """令和8年度 / R8 / 令和8 → 2026."""
    text = unicodedata.normalize("NFKC", label).strip().removesuffix("年度").removesuffix("年")
    m = re.fullmatch(r"(令和|平成|昭和|大正|明治|[RHSTM])(元|\d{1,2})", text)
    if not m:
        raise ValueError(f"年度「{label}」を読み取れません")
    era = _ERA_BY_KEY[m.group(1)]
    n = 1 if m.group(2) == "元" else int(m.group(2))
    return era.start.year + n - 1


_WAREKI_RE = re.compile(
    r"(明治|大正|昭和|平成|令和|[MTSHR])\.?\s*(元|\d{1,2})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?"
)
_ISO_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, leap-year bug included


def parse_date(value) -> dt.date:
    """Parse what people type in Japanese spreadsheets into a date.

    Accepts `date`/`datetime`, 2026-04-01, 2026/4/1, 2026年4月1日, R8.4.1, 令和8年4月1日, 令和元年5月1日,
    full-width digits, and Excel serial numbers (e.g. 46113). Raises ValueError with a Japanese message.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        raise ValueError("日付が空です")
    if re.fullmatch(r"\d{4,5}(\.\d+)?", text):
        return _from_serial(float(text))
    if m := _WAREKI_RE.fullmatch(text):
        era = _ERA_BY_KEY[m.group(1)]
        n = 1 if m.group(2) == "元" else int(m.group(2))
        day = _make_date(era.start.year + n - 1, int(m.group(3)), int(m.group(4)), text)
        if day < era.start:
            raise ValueError(f"「{text}」は{era.name}の始まり（{format_wareki(era.start)}）より前です")
        nxt = next((e for e in reversed(ERAS) if e.start > era.start), None)
        if nxt and day >= nxt.start:
            raise ValueError(f"「{text}」は{era.name}の期間外です（{nxt.name}に改元済み）")
        return day
    if m := _ISO_RE.fullmatch(text):
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    raise ValueError(f"「{text}」を日付として読み取れません（例: 2026-04-01, 2026/4/1, R8.4.1, 令和8年4月1日）")


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"「{text}」は存在しない日付です") from None


def _from_serial(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise ValueError(f"「{serial}」はExcelの日付シリアル値として範囲外です")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))

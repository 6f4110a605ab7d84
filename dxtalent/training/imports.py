"""Import of e-learning completions from the vendor's file (CSV or XLSX): all or nothing.

Columns: 職員番号, 氏名 (must match the employee: a guard against shifted rows), 講座コード (the course's
vendor_code, else its code), 修了日 (2026-04-01, R8.4.1, 令和8年4月1日, Excel dates), 学習時間 (hours: 1.5, １．５,
1:30, 90分). Every row is validated against data preloaded with a few queries; one bad row and nothing is written.
A completion already recorded (same person, course and 修了日) is unchanged; importing the same file twice changes
nothing. The summary line is `added=N unchanged=N errors=N` (hours corrected on a known completion are counted
as `updated`, shown to people but not in the summary line).
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dxtalent.core.tabular import Column, ImportResult, Row, RowError, TableError, extra_cells_error, read_table
from dxtalent.core.text import normalize
from dxtalent.core.wareki import format_wareki, parse_date
from dxtalent.org.imports.common import change_reason, serialize_imports
from dxtalent.org.models import Employee

from .models import Course, Delivery, ELearningCompletion

COLUMNS = (Column("職員番号"), Column("氏名"), Column("講座コード"), Column("修了日"), Column("学習時間"))
SUMMARY_KEYS = ("added", "unchanged")
LABELS = {"added": "追加（新しい修了記録）", "updated": "学習時間の訂正", "unchanged": "変更なし（登録済み）"}
MAX_HOURS = Decimal("999.99")
_ORDER = {c.name: i for i, c in enumerate(COLUMNS)}
_HMS = re.compile(r"(\d{1,3}):(\d{1,2})(?::(\d{1,2}))?")
_JP = re.compile(r"(?:(\d+(?:\.\d+)?)時間)?(?:(\d+)分)?")


@dataclass
class Line:
    row: int
    employee_id: int
    course_id: int
    completed_on: dt.date
    hours: Decimal


def parse_study_hours(value) -> Decimal:
    """1.5, "１．５", "1:30", "1:30:00", "90分", "1時間30分", an Excel time → Decimal hours (ValueError otherwise)."""
    if isinstance(value, dt.time):
        return Decimal(value.hour) + Decimal(value.minute) / 60 + Decimal(value.second) / 3600
    if isinstance(value, dt.timedelta):
        return Decimal(value.total_seconds()) / 3600
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = normalize(value).replace(" ", "")
    if m := _HMS.fullmatch(text):
        hours, minutes, seconds = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if minutes >= 60 or seconds >= 60:
            raise ValueError
        return Decimal(hours) + Decimal(minutes) / 60 + Decimal(seconds) / 3600
    text = text.removesuffix("h").removesuffix("時間") if not text.endswith("分") else text
    try:
        return Decimal(text)
    except InvalidOperation:
        pass
    if (m := _JP.fullmatch(text)) and (m.group(1) or m.group(2)):
        return Decimal(m.group(1) or 0) + Decimal(m.group(2) or 0) / 60
    raise ValueError


class _Context:
    def __init__(self):
        self.today = timezone.localdate()
        self.employees = {
            normalize(n): (pk, name) for pk, n, name in Employee.objects.values_list("pk", "number", "name")
        }
        courses = list(Course.objects.values_list("pk", "code", "vendor_code", "title", "delivery"))
        self.by_vendor: dict[str, list] = {}
        self.by_code: dict[str, tuple] = {}
        for row in courses:
            if row[2]:
                self.by_vendor.setdefault(normalize(row[2]), []).append(row)
            self.by_code[normalize(row[1])] = row


def _name_key(name: str) -> str:
    return normalize(name).replace(" ", "")


def _validate(row: Row, ctx: _Context, errors: list[RowError]) -> Line | None:
    before = len(errors)
    n = row.number
    if extra := extra_cells_error(row):
        errors.append(extra)
    number, name, code = row.text("職員番号"), row.text("氏名"), row.text("講座コード")
    for column, value in (("職員番号", number), ("氏名", name), ("講座コード", code)):
        if not value:
            errors.append(RowError(n, column, "", "必須項目が空です。"))
    employee_id = None
    if number:
        found = ctx.employees.get(number)
        if found is None:
            errors.append(RowError(n, "職員番号", number, "この職員番号の職員は登録されていません。"))
        else:
            employee_id = found[0]
            if name and _name_key(name) != _name_key(found[1]):
                errors.append(
                    RowError(
                        n, "氏名", name, f"職員番号 {number} の氏名（{found[1]}）と一致しません。行がずれていませんか。"
                    )
                )
    course_id = None
    if code:
        matches = ctx.by_vendor.get(code) or ([ctx.by_code[code]] if code in ctx.by_code else [])
        if not matches:
            errors.append(
                RowError(
                    n,
                    "講座コード",
                    code,
                    "この講座コードの講座は登録されていません（事業者の講座コードまたは講座コード）。",
                )
            )
        elif len(matches) > 1:
            titles = "、".join(m[3] for m in matches)
            errors.append(
                RowError(
                    n,
                    "講座コード",
                    code,
                    f"事業者の講座コードが複数の講座（{titles}）に登録されています。講座を確認してください。",
                )
            )
        elif matches[0][4] != Delivery.ELEARNING:
            errors.append(
                RowError(
                    n,
                    "講座コード",
                    code,
                    f"講座「{matches[0][3]}」はeラーニングの講座ではありません"
                    f"（形式: {Delivery(matches[0][4]).label}）。",
                )
            )
        else:
            course_id = matches[0][0]
    completed_on = None
    raw = row.raw("修了日")
    if raw in (None, ""):
        errors.append(RowError(n, "修了日", "", "必須項目が空です。"))
    else:
        try:
            completed_on = parse_date(raw)
        except ValueError as exc:
            errors.append(RowError(n, "修了日", row.text("修了日"), str(exc)))
        else:
            if completed_on > ctx.today:
                errors.append(
                    RowError(n, "修了日", row.text("修了日"), f"未来の日付です（今日は{format_wareki(ctx.today)}）。")
                )
    hours = None
    raw = row.raw("学習時間")
    if raw in (None, ""):
        errors.append(RowError(n, "学習時間", "", "必須項目が空です。"))
    else:
        try:
            hours = parse_study_hours(raw)
        except ValueError:
            errors.append(
                RowError(
                    n, "学習時間", row.text("学習時間"), "学習時間は時間数で入力してください（例: 1.5、1:30、90分）。"
                )
            )
        else:
            if not Decimal(0) < hours <= MAX_HOURS:
                errors.append(
                    RowError(
                        n, "学習時間", row.text("学習時間"), f"学習時間は0より大きく{MAX_HOURS}以下にしてください。"
                    )
                )
            hours = hours.quantize(Decimal("0.01"))
    if len(errors) > before:
        return None
    return Line(n, employee_id, course_id, completed_on, hours)


@dataclass
class Plan:
    result: ImportResult
    new: list[Line]
    updates: list[tuple[ELearningCompletion, Line]]


def plan_elearning(data: bytes, filename: str) -> Plan:
    """Validate a file against the database; write nothing."""
    plan = Plan(ImportResult(keys=SUMMARY_KEYS, extra={"updated": 0}), [], [])
    result = plan.result
    try:
        table = read_table(data, filename, COLUMNS)
    except TableError as exc:
        result.errors = exc.errors
        return plan
    ctx = _Context()
    errors: list[RowError] = []
    lines: list[Line] = []
    first: dict[tuple, int] = {}
    for row in table.rows:
        line = _validate(row, ctx, errors)
        if line is None:
            continue
        key = (line.employee_id, line.course_id, line.completed_on)
        if key in first:
            errors.append(
                RowError(
                    row.number,
                    "職員番号",
                    row.text("職員番号"),
                    f"同じ職員・講座・修了日の行がファイル内で重複しています（{first[key]}行目と同じ）。",
                )
            )
            continue
        first[key] = row.number
        lines.append(line)
    existing = {}
    course_ids = {line.course_id for line in lines}
    if course_ids:
        for c in ELearningCompletion.objects.filter(course_id__in=course_ids):
            existing[(c.employee_id, c.course_id, c.completed_on)] = c
    for line in lines:
        known = existing.get((line.employee_id, line.course_id, line.completed_on))
        if known is None:
            plan.new.append(line)
            result.add("added")
        elif known.hours != line.hours:
            plan.updates.append((known, line))
            result.extra["updated"] += 1
        else:
            result.add("unchanged")
    result.errors = sorted(errors, key=lambda e: (e.row, _ORDER.get(e.column, 99)))
    return plan


def import_elearning(data: bytes, filename: str, *, dry_run: bool = False, user=None) -> ImportResult:
    """Validate every row; unless `dry_run` or any row is bad, write all completions in one transaction."""
    if dry_run:
        result = plan_elearning(data, filename).result
        result.dry_run = True
        return result
    with transaction.atomic():
        serialize_imports("elearning")
        plan = plan_elearning(data, filename)
        if plan.result.errors:
            return plan.result
        source = change_reason("eラーニング修了の取込", filename)
        history = {"default_user": user, "default_change_reason": source, "default_date": timezone.now()}
        if plan.new:
            rows = [
                ELearningCompletion(
                    employee_id=x.employee_id,
                    course_id=x.course_id,
                    completed_on=x.completed_on,
                    hours=x.hours,
                    source=source,
                )
                for x in plan.new
            ]
            bulk_create_with_history(rows, ELearningCompletion, batch_size=2000, **history)
        if plan.updates:
            for row, x in plan.updates:
                row.hours, row.source = x.hours, source
            bulk_update_with_history(
                [r for r, _ in plan.updates], ELearningCompletion, ["hours", "source"], batch_size=1000, **history
            )
        plan.result.written = bool(plan.new or plan.updates)
    return plan.result

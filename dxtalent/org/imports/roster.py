"""Roster import (職員名簿の取込): a snapshot of who sits where as of a date (usually 4月1日).

New people get an Employee and a first Assignment from the as-of date; people whose 所属 or 職位 changed get a
new dated Assignment (the old one ends the day before); unchanged people are not written at all. With
`retire_missing`, active people absent from the file are marked 退職・転出 (as `services.employee_retire` does).

Validation preloads everything (employees, their current and later assignments, the org tree as of the date,
job types, positions) with a handful of queries, then checks every row in memory. Writing is done in bulk by
`imports.bulk`, which also writes django-simple-history's rows, so the change history shows the import.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dxtalent.core.tabular import (
    Column,
    ImportResult,
    Row,
    RowError,
    TableError,
    cell_text,
    extra_cells_error,
    read_table,
    texts_of,
)
from dxtalent.core.text import normalize
from dxtalent.core.wareki import format_wareki, parse_date

from ..models import Assignment, Employee, EmploymentStatus, ImportBatch, JobType, Position
from ..selectors import OrgSnapshot
from ..services import employee_search_fields
from . import bulk
from .common import UnitResolver, change_reason, serialize_imports

COLUMNS = (
    Column("職員番号"),
    Column("氏名"),
    Column("氏名カナ"),
    Column("局区"),
    Column("部"),
    Column("課"),
    Column("係", required=False),
    Column("職種"),
    Column("職位"),
    Column("採用年月日"),
    Column("メールアドレス"),
)
ROSTER_SUMMARY_KEYS = ("added", "transferred", "unchanged", "retired")
ROSTER_LABELS = {
    "added": "追加（新規の職員）",
    "transferred": "異動（所属・職位の変更）",
    "unchanged": "変更なし",
    "updated": "うち氏名・カナ・職種・メール等の更新",
    "retired": "退職・転出",
}
REQUIRED = ("職員番号", "氏名", "氏名カナ", "局区", "部", "課", "職種", "職位", "採用年月日")
NUMBER_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_\-]*")
KANA_RE = re.compile(r"[\u3041-\u3096\u309b-\u309f\u30a1-\u30ff\u31f0-\u31ff ・ー]+")
MAX_LENGTHS = {"職員番号": 20, "氏名": 100, "氏名カナ": 100, "メールアドレス": 254}
_COLUMN_ORDER = {c.name: i for i, c in enumerate(COLUMNS)}


@dataclass(slots=True)
class Line:
    """A validated row."""

    row: int
    number: str
    name: str
    kana: str
    job_type_id: int
    position_id: int
    unit_id: int
    hire_date: dt.date
    email: str


@dataclass
class RosterPlan:
    as_of: dt.date
    result: ImportResult
    new_people: list[Line] = field(default_factory=list)
    # Existing people and assignments are the named tuples plan_roster loads (values_list(named=True)).
    # (employee, line, assignment to end-date or None) for people who get a new assignment from as_of:
    transfers: list[tuple] = field(default_factory=list)
    corrections: list[tuple] = field(default_factory=list)  # (assignment starting on as_of, line)
    updates: list[tuple] = field(default_factory=list)  # (employee, line): name, kana, 職種, e-mail … changed
    retirements: list[tuple] = field(default_factory=list)  # (employee, their open assignments)


class _Checks:
    """Per-import caches that make row validation cheap: dates and e-mail domains repeat a lot."""

    def __init__(self, as_of: dt.date):
        self.as_of, self.as_of_label = as_of, format_wareki(as_of)
        self.dates: dict = {}
        self.domains: dict[str, bool] = {}

    def date(self, raw) -> tuple[dt.date | None, str]:
        key = (raw.__class__, raw)
        if key not in self.dates:
            try:
                day = parse_date(raw)
            except ValueError as exc:
                self.dates[key] = (None, str(exc))
            else:
                late = day > self.as_of
                self.dates[key] = (None, f"基準日（{self.as_of_label}）より後の日付です。") if late else (day, "")
        return self.dates[key]

    def email_ok(self, value: str) -> bool:
        """Django's EmailValidator, with the domain part checked once per domain."""
        user, at, domain = value.rpartition("@")
        if not at or not user or len(value) > 320 or not _EMAIL_USER.match(user):
            return False
        if domain not in self.domains:
            try:
                _EMAIL(f"a@{domain}")
                self.domains[domain] = True
            except ValidationError:
                self.domains[domain] = False
        return self.domains[domain]


_EMAIL = EmailValidator()
_EMAIL_USER = re.compile(EmailValidator.user_regex.pattern, EmailValidator.user_regex.flags)
_TEXT_COLUMNS = ("職員番号", "氏名", "氏名カナ", "局区", "部", "課", "係", "職種", "職位", "メールアドレス")
_TEXT_SPECS = tuple((c, c in REQUIRED, MAX_LENGTHS.get(c, 0)) for c in _TEXT_COLUMNS)
_PICKED = (*_TEXT_COLUMNS, "採用年月日")
_REQUIRED_AT = [i for i, (_, required, _) in enumerate(_TEXT_SPECS) if required]
_LIMITS = [(i, limit) for i, (_, _, limit) in enumerate(_TEXT_SPECS) if limit]


def _validate_row(row: Row, raws: tuple, ctx: dict, errors: list[RowError]) -> Line | None:
    """Check one row (`raws`: its cells in _PICKED order); append RowErrors; the Line if the row is good."""
    before = len(errors)
    n = row.number
    if row.extra:
        errors.append(extra_cells_error(row))
    texts = texts_of(raws[:-1])
    number, name, kana, top, bu, ka, kakari, job, pos, email = texts
    if not all(texts[i] for i in _REQUIRED_AT) or any(len(texts[i]) > limit for i, limit in _LIMITS):
        for (column, required, limit), value in zip(_TEXT_SPECS, texts, strict=True):
            if not value:
                if required:
                    errors.append(RowError(n, column, "", "必須項目が空です。"))
            elif limit and len(value) > limit:
                errors.append(RowError(n, column, value[:50], f"{limit}文字以内にしてください。"))
    if number and len(number) <= 20 and not NUMBER_RE.fullmatch(number):
        errors.append(RowError(n, "職員番号", number, "職員番号は英数字（とハイフン）で入力してください。"))
    if kana and not KANA_RE.fullmatch(kana):
        errors.append(RowError(n, "氏名カナ", kana, "氏名カナはカタカナで入力してください。"))
    checks: _Checks = ctx["checks"]
    if email and len(email) <= 254 and not checks.email_ok(email):
        errors.append(RowError(n, "メールアドレス", email, "メールアドレスの形式が正しくありません。"))
    unit_id = None
    if top and bu and ka:
        unit_id, problem = ctx["units"].resolve(top, bu, ka, kakari)
        if problem:
            errors.append(RowError(n, *problem))
    job_type_id, position_id = ctx["job_types"].get(job), ctx["positions"].get(pos)
    if job_type_id is None and job:
        errors.append(_unknown(n, "職種", job, ctx["job_types"]))
    if position_id is None and pos:
        errors.append(_unknown(n, "職位", pos, ctx["positions"]))
    raw = raws[-1]
    hire_date = None
    if raw is None or raw == "":
        errors.append(RowError(n, "採用年月日", "", "必須項目が空です。"))
    else:
        hire_date, problem = checks.date(raw)
        if problem:
            errors.append(RowError(n, "採用年月日", cell_text(raw), problem))
    if len(errors) > before:
        return None
    return Line(n, number, name, kana, job_type_id, position_id, unit_id, hire_date, email)


def _unknown(n: int, column: str, value: str, table: dict[str, int]) -> RowError:
    sample = "、".join(list(table)[:8])
    hint = f"（登録済みの{column}: {sample}{' など' if len(table) > 8 else ''}）" if table else ""
    return RowError(n, column, value, f"{column}「{value}」はマスタに登録されていません{hint}。")


def plan_roster(data: bytes, filename: str, *, as_of: dt.date, retire_missing: bool = False) -> RosterPlan:
    """Validate a roster file against the database; write nothing. The plan says what an import would do."""
    plan = RosterPlan(as_of=as_of, result=ImportResult(keys=ROSTER_SUMMARY_KEYS, extra={"updated": 0}))
    result = plan.result
    try:
        table = read_table(data, filename, COLUMNS)
    except TableError as exc:
        result.errors = exc.errors
        return plan
    ctx = {
        "checks": _Checks(as_of),
        "units": UnitResolver(OrgSnapshot(as_of)),
        "job_types": {normalize(name): pk for pk, name in JobType.objects.values_list("pk", "name")},
        "positions": {normalize(name): pk for pk, name in Position.objects.values_list("pk", "name")},
    }
    errors: list[RowError] = []
    lines: list[Line] = []
    first_row: dict[str, int] = {}
    pick = table.picker(_PICKED)
    for row in table.rows:
        raws = pick(row)
        line = _validate_row(row, raws, ctx, errors)
        number = line.number if line is not None else cell_text(raws[0])
        if number in first_row:
            reason = f"職員番号がファイル内で重複しています（{first_row[number]}行目と同じ）。"
            errors.append(RowError(row.number, "職員番号", number, reason))
            continue
        if number:
            first_row[number] = row.number
        if line is not None:
            lines.append(line)
    employees = {normalize(e.number): e for e in Employee.objects.values_list(*_EMPLOYEE_FIELDS, named=True)}
    by_employee: dict[int, list] = defaultdict(list)
    current = Assignment.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=as_of))
    for a in current.values_list("id", "employee_id", "unit_id", "position_id", "valid_from", "valid_to", named=True):
        by_employee[a.employee_id].append(a)
    for line in lines:
        employee = employees.get(line.number)
        if employee is None:
            plan.new_people.append(line)
            result.add("added")
        else:
            _plan_existing(plan, employee, line, by_employee.get(employee.id, []), errors)
    if retire_missing:
        for key, employee in employees.items():
            if employee.status == EmploymentStatus.ACTIVE and key not in first_row and employee.hire_date <= as_of:
                open_rows = [a for a in by_employee.get(employee.id, []) if a.valid_to is None]
                plan.retirements.append((employee, open_rows))
                result.add("retired")
    result.errors = sorted(errors, key=lambda e: (e.row, _COLUMN_ORDER.get(e.column, 99)))
    result.extra["updated"] = len(plan.updates)
    return plan


_EMPLOYEE_FIELDS = ("id", "number", "name", "name_kana", "email", "job_type_id", "hire_date", "status", "left_on")


def _plan_existing(plan: RosterPlan, employee, line: Line, rows: list, errors: list[RowError]) -> None:
    as_of = plan.as_of
    changed = (
        (employee.name, employee.name_kana, employee.email, employee.job_type_id, employee.hire_date)
        != (line.name, line.kana, line.email, line.job_type_id, line.hire_date)
        or employee.status != EmploymentStatus.ACTIVE
        or employee.left_on is not None
    )
    current = next((a for a in rows if a.valid_from <= as_of and (a.valid_to is None or a.valid_to >= as_of)), None)
    later = min((a.valid_from for a in rows if a.valid_from > as_of), default=None)
    same = current is not None and (current.unit_id, current.position_id) == (line.unit_id, line.position_id)
    if not same and later is not None:
        reason = (
            f"基準日より後（{format_wareki(later)}）に始まる所属が登録済みのため、"
            f"{format_wareki(as_of)}付の異動は取り込めません。"
        )
        errors.append(RowError(line.row, "職員番号", line.number, reason))
        return
    if changed:
        plan.updates.append((employee, line))
    if same:
        plan.result.add("unchanged")
    elif current is not None and current.valid_from == as_of:
        plan.corrections.append((current, line))  # same-day correction: the history keeps the old values
        plan.result.add("transferred")
    else:
        plan.transfers.append((employee, line, current))
        plan.result.add("transferred")


def import_roster(
    data: bytes,
    filename: str,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    retire_missing: bool = False,
    user=None,
) -> ImportResult:
    """Validate every row; unless `dry_run` or any row is bad, write all changes in one transaction."""
    as_of = as_of or timezone.localdate()
    if dry_run:
        with bulk.gc_paused():
            result = plan_roster(data, filename, as_of=as_of, retire_missing=retire_missing).result
        result.dry_run = True
        return result
    with bulk.gc_paused(), bulk.large_page_cache(), transaction.atomic():
        serialize_imports(ImportBatch.Kind.ROSTER)
        plan = plan_roster(data, filename, as_of=as_of, retire_missing=retire_missing)
        if plan.result.errors:
            return plan.result
        _write(plan, filename=filename, user=user)
    return plan.result


_NEW_EMPLOYEE = (
    "id",
    "number",
    "name",
    "name_kana",
    "kana_key",
    "search_text",
    "job_type_id",
    "hire_date",
    "email",
    "status",
)
_EMPLOYEE_UPDATE = (
    "name",
    "name_kana",
    "kana_key",
    "search_text",
    "email",
    "job_type_id",
    "hire_date",
    "status",
    "left_on",
)
_NEW_ASSIGNMENT = ("id", "employee_id", "unit_id", "position_id", "valid_from", "valid_to", "source")


def _write(plan: RosterPlan, *, filename: str, user) -> None:
    """All writes of one import, in bulk; every row written gets its history row (see imports.bulk)."""
    as_of, result = plan.as_of, plan.result
    source = change_reason("名簿取込", filename, as_of)
    stamp = bulk.Stamp(user_id=user.pk if user else None, reason=source, when=timezone.now())
    day_before = as_of - dt.timedelta(days=1)
    active = EmploymentStatus.ACTIVE

    ended = [(day_before, a.id) for _, _, a in plan.transfers if a is not None]
    ended += [(max(a.valid_from, day_before), a.id) for _, open_rows in plan.retirements for a in open_rows]
    bulk.update(Assignment, ["valid_to"], ended)
    bulk.history(Assignment, "~", stamp, [pk for _, pk in ended])

    corrected = [(x.unit_id, x.position_id, source, a.id) for a, x in plan.corrections]
    bulk.update(Assignment, ["unit_id", "position_id", "source"], corrected)
    bulk.history(Assignment, "~", stamp, [row[-1] for row in corrected])

    updated = [
        (x.name, x.kana, *_derived(e.number, x), x.email, x.job_type_id, x.hire_date, active, None, e.id)
        for e, x in plan.updates
    ]
    retired = [(EmploymentStatus.RETIRED, as_of, e.id) for e, _ in plan.retirements]
    bulk.update(Employee, _EMPLOYEE_UPDATE, updated)
    bulk.update(Employee, ["status", "left_on"], retired)
    bulk.history(Employee, "~", stamp, [row[-1] for row in updated + retired])

    ids = bulk.reserve_ids(Employee, len(plan.new_people))
    new = [(pk, x.number, x.name, x.kana, *_derived(x.number, x), x.job_type_id, x.hire_date, x.email, active)
           for pk, x in zip(ids, plan.new_people, strict=True)]  # fmt: skip
    bulk.insert(Employee, _NEW_EMPLOYEE, new)
    bulk.history(Employee, "+", stamp, ids)

    assignments = [(pk, x.unit_id, x.position_id, as_of, None) for pk, x in zip(ids, plan.new_people, strict=True)]
    assignments += [(e.id, x.unit_id, x.position_id, as_of, a.valid_to if a else None) for e, x, a in plan.transfers]
    assignment_ids = bulk.reserve_ids(Assignment, len(assignments))
    rows = [(pk, *row, source) for pk, row in zip(assignment_ids, assignments, strict=True)]
    bulk.insert(Assignment, _NEW_ASSIGNMENT, rows)
    bulk.history(Assignment, "+", stamp, assignment_ids)

    if ended or corrected or updated or retired or new:
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.ROSTER, filename=filename[:255], as_of=as_of, user=user, summary=result.as_dict()
        )
        result.batch_id, result.written = batch.pk, True


def _derived(number: str, x: Line) -> tuple[str, str]:
    fields = employee_search_fields(number=number, name=x.name, name_kana=x.kana)
    return fields["kana_key"], fields["search_text"]

"""Org-chart import (組織コード表の取込): units with their code, name, kind, parent and dates.

Columns: 組織コード, 組織名, 種別 (局 / 区 / 部 / 課 / 係), 上位組織コード, 開始日, 終了日 (optional).
Rows may come in any order (parents after children). Per row, exactly one of:
- added: a 組織コード new to the system (created from 開始日; closed too if 終了日 is given);
- changed: a known unit whose 組織名 or 上位組織 differs from its current version: a new version from 開始日
  (must be later than the current version's start), the old version end-dated the day before;
- closed: a known unit that gets an 終了日 (its last day) in this file (services.orgunit_close);
- unchanged: nothing to write.
Parents must exist (in the file or the system) on the child's 開始日 and sit one level up:
局/区 have no parent, 部 sits under 局/区, 課 under 部, 係 under 課.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dxtalent.core.tabular import Column, ImportResult, Row, RowError, TableError, extra_cells_error, read_table
from dxtalent.core.wareki import format_wareki, parse_date

from .. import services
from ..models import KIND_LEVEL, TOP_KINDS, ImportBatch, OrgKind, OrgUnit, OrgUnitVersion
from ..selectors import reset_snapshots
from .common import change_reason, serialize_imports

COLUMNS = (
    Column("組織コード"),
    Column("組織名"),
    Column("種別"),
    Column("上位組織コード"),
    Column("開始日"),
    Column("終了日", required=False),
)
ORG_SUMMARY_KEYS = ("added", "changed", "unchanged", "closed")
ORG_LABELS = {
    "added": "新設",
    "changed": "改称・移動（新しい版）",
    "unchanged": "変更なし",
    "closed": "廃止（終了日の設定）",
}
KINDS = {label: value for value, label in OrgKind.choices} | {value: value for value in OrgKind.values}
CODE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.\-]*")
_COLUMN_ORDER = {c.name: i for i, c in enumerate(COLUMNS)}
_EXPECTED_PARENT = {OrgKind.BU: "局または区", OrgKind.KA: "部", OrgKind.KAKARI: "課"}


@dataclass
class OrgLine:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str
    valid_from: dt.date
    valid_to: dt.date | None
    action: str = "unchanged"


def _date(row: Row, column: str, errors: list[RowError], required: bool) -> dt.date | None:
    raw = row.raw(column)
    if raw in (None, ""):
        if required:
            errors.append(RowError(row.number, column, "", "必須項目が空です。"))
        return None
    try:
        return parse_date(raw)
    except ValueError as exc:
        errors.append(RowError(row.number, column, row.text(column), str(exc)))
        return None


def _parse_row(row: Row, errors: list[RowError]) -> tuple[OrgLine | None, str, str]:
    """The row as an OrgLine (None if any cell is bad), plus its code and kind for others' parent checks."""
    before = len(errors)
    n = row.number
    if extra := extra_cells_error(row):
        errors.append(extra)
    code, name, kind_text, parent_code = (row.text(c) for c in ("組織コード", "組織名", "種別", "上位組織コード"))
    for column, value, limit in (("組織コード", code, 20), ("組織名", name, 100), ("種別", kind_text, 10)):
        if not value:
            errors.append(RowError(n, column, "", "必須項目が空です。"))
        elif len(value) > limit:
            errors.append(RowError(n, column, value[:50], f"{limit}文字以内にしてください。"))
    if code and len(code) <= 20 and not CODE_RE.fullmatch(code):
        errors.append(RowError(n, "組織コード", code, "組織コードは英数字（とハイフン・ピリオド）で入力してください。"))
    kind = KINDS.get(kind_text, "")
    if kind_text and not kind:
        errors.append(RowError(n, "種別", kind_text, "種別は 局・区・部・課・係 のいずれかにしてください。"))
    valid_from = _date(row, "開始日", errors, required=True)
    valid_to = _date(row, "終了日", errors, required=False)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(RowError(n, "終了日", row.text("終了日"), "終了日が開始日より前です。"))
    if len(errors) > before:
        return None, code, kind
    return OrgLine(n, code, name, kind, parent_code, valid_from, valid_to), code, kind


def plan_org(data: bytes, filename: str) -> tuple[list[OrgLine], ImportResult]:
    """Validate an org-chart file against the database; write nothing."""
    result = ImportResult(keys=ORG_SUMMARY_KEYS)
    try:
        table = read_table(data, filename, COLUMNS)
    except TableError as exc:
        result.errors = exc.errors
        return [], result
    errors: list[RowError] = []
    lines: list[OrgLine] = []
    first_row: dict[str, int] = {}
    kinds_in_file: dict[str, str] = {}
    for row in table.rows:
        line, code, kind = _parse_row(row, errors)
        if code in first_row:
            errors.append(
                RowError(
                    row.number,
                    "組織コード",
                    code,
                    f"組織コードがファイル内で重複しています（{first_row[code]}行目と同じ）。",
                )
            )
            continue
        if code:
            first_row[code] = row.number
            kinds_in_file[code] = kind
        if line is not None:
            lines.append(line)
    units = {u.code: u for u in OrgUnit.objects.all()}
    code_of = {u.pk: code for code, u in units.items()}
    latest: dict[int, OrgUnitVersion] = {}
    for version in OrgUnitVersion.objects.order_by("unit_id", "valid_from"):
        latest[version.unit_id] = version
    in_file = {x.code: x for x in lines}
    for line in lines:
        _check_parent(line, in_file, kinds_in_file, units, errors)
        unit = units.get(line.code)
        if unit is None:
            line.action = "added"
        else:
            _plan_existing(line, unit, latest.get(unit.pk), code_of, errors)
    for line in lines:
        result.add(line.action)
    result.errors = sorted(errors, key=lambda e: (e.row, _COLUMN_ORDER.get(e.column, 99)))
    return lines, result


def _check_parent(line: OrgLine, in_file: dict, kinds_in_file: dict, units: dict, errors: list[RowError]) -> None:
    n, label = line.row, OrgKind(line.kind).label
    if line.kind in TOP_KINDS:
        if line.parent_code:
            errors.append(RowError(n, "上位組織コード", line.parent_code, f"{label}には上位組織を指定できません。"))
        return
    if not line.parent_code:
        errors.append(
            RowError(n, "上位組織コード", "", f"{label}には上位組織コード（{_EXPECTED_PARENT[line.kind]}）が必要です。")
        )
        return
    if line.parent_code == line.code:
        errors.append(RowError(n, "上位組織コード", line.parent_code, "自分自身を上位組織にはできません。"))
        return
    parent_line, parent_unit = in_file.get(line.parent_code), units.get(line.parent_code)
    if line.parent_code in kinds_in_file:
        parent_kind = kinds_in_file[line.parent_code]
    elif parent_unit is not None:
        parent_kind = parent_unit.kind
    else:
        errors.append(
            RowError(
                n, "上位組織コード", line.parent_code, "この組織コードの組織はファイルにもシステムにもありません。"
            )
        )
        return
    if not parent_kind:
        return  # the parent's own row already reports its bad 種別
    if KIND_LEVEL[parent_kind] != KIND_LEVEL[line.kind] - 1:
        errors.append(
            RowError(
                n,
                "上位組織コード",
                line.parent_code,
                f"{label}の上位組織は{_EXPECTED_PARENT[line.kind]}でなければなりません"
                f"（「{line.parent_code}」は{OrgKind(parent_kind).label}です）。",
            )
        )
        return
    if parent_line is not None:
        start = parent_line.valid_from
        end = parent_line.valid_to or (parent_unit.valid_to if parent_unit else None)
        if parent_unit is not None:
            start = min(start, parent_unit.valid_from)
    elif parent_unit is not None:
        start, end = parent_unit.valid_from, parent_unit.valid_to
    else:
        return  # parent row is invalid and reported on its own line
    if start > line.valid_from or (end is not None and end < line.valid_from):
        span = f"{format_wareki(start)}〜{format_wareki(end) if end else ''}"
        errors.append(
            RowError(
                n,
                "上位組織コード",
                line.parent_code,
                f"上位組織は開始日（{format_wareki(line.valid_from)}）の時点で存在しません（期間 {span}）。",
            )
        )


def _plan_existing(line: OrgLine, unit: OrgUnit, current, code_of: dict, errors: list[RowError]) -> None:
    n = line.row
    if unit.kind != line.kind:
        errors.append(
            RowError(
                n, "種別", OrgKind(line.kind).label, f"種別は変更できません（登録済み: {unit.get_kind_display()}）。"
            )
        )
        return
    current_parent = code_of.get(current.parent_id, "") if current and current.parent_id else ""
    revised = current is None or (current.name, current_parent) != (line.name, line.parent_code)
    if revised:
        if unit.valid_to is not None:
            errors.append(
                RowError(
                    n,
                    "組織コード",
                    line.code,
                    f"廃止済み（{format_wareki(unit.valid_to)}まで）の組織は変更できません。",
                )
            )
            return
        if current is not None and line.valid_from <= current.valid_from:
            errors.append(
                RowError(
                    n,
                    "開始日",
                    line.valid_from.isoformat(),
                    f"組織名・上位組織を変えるときは、開始日を現在の版の開始日（{format_wareki(current.valid_from)}）"
                    "より後にしてください。",
                )
            )
            return
        line.action = "changed"
    if line.valid_to is not None:
        if unit.valid_to is None:
            first_day = line.valid_from if revised else (current.valid_from if current else unit.valid_from)
            if line.valid_to < first_day:
                errors.append(
                    RowError(
                        n,
                        "終了日",
                        line.valid_to.isoformat(),
                        f"終了日は現在の版の開始日（{format_wareki(first_day)}）以降にしてください。",
                    )
                )
                return
            line.action = "closed"
        elif unit.valid_to != line.valid_to:
            errors.append(
                RowError(
                    n,
                    "終了日",
                    line.valid_to.isoformat(),
                    f"登録済みの終了日（{format_wareki(unit.valid_to)}）と異なります。",
                )
            )


@transaction.atomic
def _write(lines: list[OrgLine], *, filename: str, user) -> None:
    """New units in bulk (parents first), then renames, moves and closures through the services, one by one."""
    history = {
        "default_user": user,
        "default_change_reason": change_reason("組織取込", filename),
        "default_date": timezone.now(),
    }
    units = {u.code: u for u in OrgUnit.objects.all()}
    new = sorted((x for x in lines if x.action == "added"), key=lambda x: (KIND_LEVEL[x.kind], x.row))
    last_day = {x.code: x.valid_to for x in new}  # a new unit with 終了日 is created already closed
    created = bulk_create_with_history(
        [OrgUnit(code=x.code, kind=x.kind, valid_from=x.valid_from, valid_to=last_day[x.code]) for x in new],
        OrgUnit,
        **history,
    )
    units |= {u.code: u for u in created}
    versions = [
        OrgUnitVersion(
            unit=units[x.code],
            name=x.name,
            parent=units[x.parent_code] if x.parent_code else None,
            valid_from=x.valid_from,
            valid_to=x.valid_to,
        )
        for x in new
    ]
    bulk_create_with_history(versions, OrgUnitVersion, **history)
    for line in sorted(lines, key=lambda x: (KIND_LEVEL[x.kind], x.row)):
        if line.action not in ("changed", "closed"):
            continue
        unit = units[line.code]
        parent = units.get(line.parent_code) if line.parent_code else None
        current = unit.versions.order_by("-valid_from").first()
        if (current.name, current.parent_id) != (line.name, parent.pk if parent else None):
            services.orgunit_revise(unit=unit, name=line.name, parent=parent, on=line.valid_from)
        if line.valid_to is not None and unit.valid_to is None:
            services.orgunit_close(unit=unit, on=line.valid_to + dt.timedelta(days=1))
    reset_snapshots()


def import_org(data: bytes, filename: str, *, dry_run: bool = False, user=None) -> ImportResult:
    """Validate every row; unless `dry_run` or any row is bad, write all changes in one transaction."""
    if dry_run:
        _lines, result = plan_org(data, filename)
        result.dry_run = True
        return result
    with transaction.atomic():
        serialize_imports(ImportBatch.Kind.ORG)
        lines, result = plan_org(data, filename)
        if result.errors:
            return result
        if any(line.action != "unchanged" for line in lines):
            _write(lines, filename=filename, user=user)
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.ORG, filename=filename[:255], user=user, summary=result.as_dict()
            )
            result.batch_id = batch.pk
            result.written = True
    return result

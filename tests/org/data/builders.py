"""Builders for roster and org-chart files used by the import tests (CSV in any encoding, or .xlsx)."""

import csv
import io

from openpyxl import Workbook

from dxtalent.org.models import Assignment, Employee, ImportBatch, OrgUnit, OrgUnitVersion

ROSTER_HEADERS = [
    "職員番号",
    "氏名",
    "氏名カナ",
    "局区",
    "部",
    "課",
    "係",
    "職種",
    "職位",
    "採用年月日",
    "メールアドレス",
]
ORG_HEADERS = ["組織コード", "組織名", "種別", "上位組織コード", "開始日", "終了日"]


def person(number="200001", name="取込 太郎", kana="トリコミ タロウ", top="東区", bu="市民部", ka="戸籍住民課", **kw):
    """One roster row as a dict keyed by header (defaults: a 一般事務 一般職員 in 東区 市民部 戸籍住民課)."""
    return {
        "職員番号": number,
        "氏名": name,
        "氏名カナ": kana,
        "局区": top,
        "部": bu,
        "課": ka,
        "係": kw.get("kakari", ""),
        "職種": kw.get("job", "一般事務"),
        "職位": kw.get("pos", "一般職員"),
        "採用年月日": kw.get("hired", "2020-04-01"),
        "メールアドレス": kw.get("email", ""),
    }


def csv_bytes(rows, headers=ROSTER_HEADERS, encoding="utf-8") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers] if isinstance(row, dict) else row)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=ROSTER_HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def db_counts() -> dict[str, int]:
    """Row counts that an import must leave alone when it fails (history tables included)."""
    return {
        "employees": Employee.objects.count(),
        "assignments": Assignment.objects.count(),
        "employee_history": Employee.history.count(),
        "assignment_history": Assignment.history.count(),
        "units": OrgUnit.objects.count(),
        "versions": OrgUnitVersion.objects.count(),
        "unit_history": OrgUnit.history.count() + OrgUnitVersion.history.count(),
        "batches": ImportBatch.objects.count(),
    }

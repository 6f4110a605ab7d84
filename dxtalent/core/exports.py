"""Tabular exports: Excel (.xlsx) and CSV (UTF-8 with BOM, which Japanese Excel opens correctly).

Exports of personal data must go through `export_response(..., personal=True)` so they are recorded.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import ExportLog

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return "" if value is None else value


def _fill_sheet(ws, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) * 2 + 2 for h in headers]
    for row in rows:
        values = [_cell(v) for v in row]
        ws.append(values)
        for i, v in enumerate(values):
            widths[i] = min(60, max(widths[i], len(str(v)) * 2 if not isinstance(v, dt.date) else 12))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_xlsx(headers: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "一覧") -> bytes:
    wb = Workbook()
    _fill_sheet(wb.active, sheet_title, headers, rows)
    return _save(wb)


def to_xlsx_book(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """One workbook with a sheet per (title, headers, rows), each styled like `to_xlsx`."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, headers, rows in sheets:
        _fill_sheet(wb.create_sheet(), title, headers, rows)
    return _save(wb)


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_response(
    *,
    user,
    fmt: str,
    filename: str,
    headers: Sequence[str],
    rows: list,
    kind: str,
    filters: dict,
    personal: bool,
) -> HttpResponse:
    """Build the file, record the export if it holds personal data, and return the download response."""
    if fmt == "csv":
        body, content_type, ext = to_csv(headers, rows), "text/csv; charset=utf-8", "csv"
    else:
        body, content_type, ext = to_xlsx(headers, rows, sheet_title=kind), XLSX_TYPE, "xlsx"
    if personal:
        ExportLog.objects.create(user=user, kind=kind, file_format=ext, filters=_jsonable(filters), row_count=len(rows))
    response = HttpResponse(body, content_type=content_type)
    name = f"{filename}.{ext}"
    response["Content-Disposition"] = f"attachment; filename=\"export.{ext}\"; filename*=UTF-8''{quote(name)}"
    return response


def _jsonable(filters: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in filters.items()}

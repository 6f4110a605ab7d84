"""The tabular import framework: reading CSV/XLSX bytes into numbered rows, and one clear message per bad file."""

import contextlib
import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dxtalent.core.tabular import (
    Column,
    ImportResult,
    RowError,
    TableError,
    cell_text,
    column_letter,
    extra_cells_error,
    read_table,
)

COLUMNS = (Column("番号"), Column("氏名"), Column("備考", required=False))


def csv_data(text: str, encoding="utf-8") -> bytes:
    return text.encode(encoding)


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def reasons(data: bytes, name="x.csv", columns=COLUMNS, **kw) -> list[str]:
    with pytest.raises(TableError) as info:
        read_table(data, name, columns, **kw)
    return [e.reason for e in info.value.errors]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16"])
def test_csv_encodings_are_detected(encoding):
    delimiter = "\t" if encoding == "utf-16" else ","  # Excel's 「Unicode テキスト」 is UTF-16 and tab-separated
    text = delimiter.join(["番号", "氏名"]) + "\r\n" + delimiter.join(["１２", "髙橋　ﾀﾛｳ"]) + "\r\n"
    table = read_table(csv_data(text, encoding), "x.csv", COLUMNS)
    assert table.headers == ["番号", "氏名"] and table.format == "csv"
    (row,) = table.rows
    assert (row.number, row.text("番号"), row.text("氏名"), row.text("備考")) == (2, "12", "髙橋 タロウ", "")


def test_row_numbers_match_excel_and_blank_rows_are_skipped():
    text = '番号,氏名\n1,a\n,\n2,"複数\n行"\n3,c\n'
    table = read_table(csv_data(text), "x.csv", COLUMNS)
    assert [(r.number, r.text("番号")) for r in table.rows] == [(2, "1"), (4, "2"), (5, "3")]
    assert table.rows[1].values["氏名"] == "複数 行"  # text cells arrive normalised: NFKC, one space


def test_xlsx_cells_keep_their_types():
    data = xlsx([["番号", "氏名", "備考"], [12345, "花子", dt.datetime(2026, 4, 1)], [None, None, None], [1.0, "x"]])
    table = read_table(data, "名簿.xlsx", COLUMNS)
    assert table.format == "xlsx"
    first, second = table.rows
    assert first.raw("番号") == 12345 and first.text("備考") == "2026-04-01"
    assert (second.number, second.text("番号"), second.values["備考"]) == (4, "1", None)


def test_an_xlsx_named_csv_is_read_as_excel():
    table = read_table(xlsx([["番号", "氏名"], ["1", "a"]]), "renamed.csv", COLUMNS)
    assert table.format == "xlsx" and table.rows[0].text("氏名") == "a"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "ファイルが空です"),
        (b"\xef\xbb\xbf\r\n\r\n", "x.csv", "ファイルが空です"),
        (",,\n,,\n", "x.csv", "ファイルが空です"),
        ("番号,氏名\n", "x.csv", "データ行がありません"),
        ("名前,所属\na,b\n", "x.csv", "見出し行）が正しくありません"),
        ("番号,備考\n1,a\n", "x.csv", "必須の列「氏名」がありません"),
        ("番号,氏名,番号\n1,a,1\n", "x.csv", "同じ見出しの列が2つ以上あります"),
        ("番号,氏名,ふりがな\n1,a,b\n", "x.csv", "不明な列「ふりがな」です"),
        ("番号,,氏名\n1,,a\n", "x.csv", "見出しが空の列があります"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.csv", "画像ファイルは取り込めません"),
        (b"%PDF-1.7\n", "x.csv", "PDFファイルは取り込めません"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old.xls", "旧形式のExcel"),
        (bytes(range(256)) * 4, "x.csv", "バイナリファイルのようです"),
        (b"\x01\x02\x03\x04\x05 abc \x06\x07\x08\x0e\x0f", "x.csv", "バイナリファイルのようです"),
        (b"\x81\x20\x82\x0a\xe9", "x.csv", "文字コードを判別できません"),
        ("番号,氏名\n1,a\n", "x.xlsx", "ZIP形式ではありません"),
        (b"PK\x03\x04garbage", "x.xlsx", "壊れていて読み込めません"),
    ],
)
def test_each_broken_file_gets_its_own_message(data, name, message):
    data = data.encode() if isinstance(data, str) else data
    found = reasons(data, name)
    assert any(message in r for r in found), found


def test_a_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    assert "Excel ブック（.xlsx）ではありません" in reasons(buf.getvalue(), "x.xlsx")[0]


def test_a_broken_workbook_inside_a_valid_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<not xml")
        z.writestr("xl/workbook.xml", "<nope")
    assert "内容を読み込めません" in reasons(buf.getvalue(), "x.xlsx")[0]


def test_too_many_rows():
    text = "番号,氏名\n" + "1,a\n" * 11
    assert "行数が多すぎます" in reasons(text.encode(), max_rows=10)[0]
    assert "行数が多すぎます" in reasons(xlsx([["番号", "氏名"]] + [[1, "a"]] * 11), "x.xlsx", max_rows=10)[0]
    assert len(read_table(text.encode(), "x.csv", COLUMNS, max_rows=11).rows) == 11


def test_header_errors_are_all_listed_together():
    with pytest.raises(TableError) as info:
        read_table("番号,ふりがな,ふりがな\n1,a,b\n".encode(), "x.csv", COLUMNS)
    errors = info.value.errors
    assert [e.row for e in errors] == [1, 1, 1] and len(errors) == 3
    assert "氏名" in errors[-1].reason


def test_values_right_of_the_last_header_are_reported():
    table = read_table("番号,氏名\n1,a,ずれ\n2,b\n".encode(), "x.csv", COLUMNS)
    error = extra_cells_error(table.rows[0])
    assert error.row == 2 and error.value == "ずれ" and extra_cells_error(table.rows[1]) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (12345.0, "12345"),
        (1.5, "1.5"),
        (Decimal("7.00"), "7"),
        (True, "TRUE"),
        (dt.datetime(2026, 4, 1), "2026-04-01"),
        (dt.datetime(2026, 4, 1, 9, 30), "2026-04-01 09:30:00"),
        (dt.date(2026, 4, 1), "2026-04-01"),
        ("　ＡＢＣ　１２３ ", "ABC 123"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A列", "Z列", "AA列", "ZZ列", "AAA列"]


def test_import_result_summary_and_error_lines():
    result = ImportResult(keys=("added", "changed"), extra={"updated": 3})
    result.add("added", 2)
    result.errors.append(RowError(5, "氏名", "x", "必須です。"))
    result.errors.append(RowError(0, "", "a.csv", "ファイルが空です。"))
    assert result.summary_line() == "added=2 changed=0 errors=2" and not result.ok
    assert result.as_dict() == {"added": 2, "changed": 0, "updated": 3, "errors": 2}
    assert result.error_lines() == ["5行目 列「氏名」 値「x」: 必須です。", "ファイル 値「a.csv」: ファイルが空です。"]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]))
def test_arbitrary_bytes_never_raise_anything_but_table_error(data, name):
    try:
        table = read_table(data, name, COLUMNS)
    except TableError as exc:
        assert exc.errors and all(isinstance(e.reason, str) and e.reason for e in exc.errors)
    else:
        assert table.rows


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=8), max_size=4), max_size=6), st.sampled_from(["utf-8", "cp932"]))
def test_arbitrary_csv_text_never_raises_anything_but_table_error(rows, encoding):
    text = "番号,氏名\n" + "\n".join(",".join(r) for r in rows)
    data = text.encode(encoding, errors="replace")
    with contextlib.suppress(TableError):
        read_table(data, "x.csv", COLUMNS)


def test_zip_bomb_like_books_are_bounded():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["番号", "氏名"])
    for i in range(30):
        ws.append([i, "a"])
    buf = io.BytesIO()
    wb.save(buf)
    assert "行数が多すぎます" in reasons(buf.getvalue(), "x.xlsx", max_rows=20)[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.text(max_size=12), st.none(), st.integers(), st.floats()), max_size=5)))
def test_batched_normalisation_is_cell_text(rows):
    from dxtalent.core.tabular import _normalise_cells

    grid = [(i, list(r)) for i, r in enumerate(rows)]
    _normalise_cells(grid)
    for (_, got), original in zip(grid, rows, strict=True):
        for g, o in zip(got, original, strict=True):
            assert g == cell_text(o) if isinstance(o, str) else g is o

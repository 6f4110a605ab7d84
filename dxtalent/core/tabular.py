"""A small framework for all-or-nothing imports of tabular files (CSV or Excel).

`read_table(data, filename, columns)` turns the bytes of an uploaded file into a header and numbered rows, or
raises `TableError` with one clear Japanese message per problem (empty file, binary file, broken .xlsx, unknown
encoding, missing or unknown headers). Importers then validate every row, collect `RowError`s and write only
when there are none; `ImportResult` carries the counts and formats the machine-readable summary line.

CSV files may be UTF-8 (with or without BOM), CP932 (Shift_JIS as saved by Japanese Excel) or UTF-16 with a
BOM (Excel's "Unicode テキスト", tab-separated). Row numbers are the ones Excel shows: the header is row 1.
"""

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from operator import itemgetter

from .text import normalize

MAX_ROWS = 200_000
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
ACCEPTED_EXTENSIONS = (".csv", ".txt", ".tsv", *XLSX_EXTENSIONS)

# Magic numbers of files people pick by mistake, with what to tell them.
_MAGIC = (
    (
        b"\xd0\xcf\x11\xe0",
        "旧形式のExcel（.xls）やパスワード付きのファイルは読み込めません。.xlsx または CSV で保存し直してください。",
    ),
    (b"%PDF", "PDFファイルは取り込めません。CSV または Excel（.xlsx）のファイルを選んでください。"),
    (b"\x89PNG", "画像ファイルは取り込めません。CSV または Excel（.xlsx）のファイルを選んでください。"),
    (b"\xff\xd8\xff", "画像ファイルは取り込めません。CSV または Excel（.xlsx）のファイルを選んでください。"),
    (b"GIF8", "画像ファイルは取り込めません。CSV または Excel（.xlsx）のファイルを選んでください。"),
)
_CHOOSE = "CSV または Excel（.xlsx）のファイルを選んでください。"
BINARY_MESSAGE = f"テキスト（CSV）ファイルではありません（バイナリファイルのようです）。{_CHOOSE}"


@dataclass(frozen=True)
class RowError:
    """One problem in one cell: row 0 means the whole file (shown as 「—」)."""

    row: int
    column: str
    value: str
    reason: str

    def as_line(self) -> str:
        where = f"{self.row}行目" if self.row else "ファイル"
        column = f" 列「{self.column}」" if self.column else ""
        value = f" 値「{self.value}」" if self.value else ""
        return f"{where}{column}{value}: {self.reason}"


class TableError(Exception):
    """The file as a whole cannot be read; carries one or more RowErrors."""

    def __init__(self, errors: RowError | Sequence[RowError]):
        self.errors = [errors] if isinstance(errors, RowError) else list(errors)
        super().__init__("; ".join(e.as_line() for e in self.errors))


def file_error(reason: str, value: str = "") -> TableError:
    return TableError(RowError(0, "", value, reason))


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = True  # the header must be present (values may still be optional)


@dataclass(slots=True)
class Row:
    number: int  # as Excel shows it: the header is row 1, the first data row is row 2
    cells: list  # cell values: normalised str (CSV and Excel text), int/float/datetime/None (Excel)
    positions: dict[str, int]  # column name → index in cells (shared by every row of a table)
    extra: list = field(default_factory=list)  # non-empty cells right of the last header (a shifted row?)

    def raw(self, column: str):
        """The cell as read: text cells are already normalised (see _normalise_cells); numbers and dates kept."""
        index = self.positions.get(column)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def text(self, column: str) -> str:
        return cell_text(self.raw(column))

    def texts(self, columns: Sequence[str]) -> list[str]:
        """Normalised text of several columns at once ("" for a column the file does not have)."""
        return [cell_text(self.raw(c)) for c in columns]

    @property
    def values(self) -> dict:
        return {name: self.raw(name) for name in self.positions}


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    positions: dict[str, int] = field(default_factory=dict)

    def picker(self, columns: Sequence[str]) -> Callable[[Row], tuple]:
        """A fast function row → the raw cells of `columns` (None for a column the file does not have).

        For importers that read every row: one C-level itemgetter call instead of a lookup per cell.
        """
        indexes = [self.positions.get(c) for c in columns]
        if len(indexes) > 1 and None not in indexes:
            get = itemgetter(*indexes)
            return lambda row: get(row.cells)
        return lambda row: tuple(None if i is None else row.cells[i] for i in indexes)


def texts_of(values: Iterable) -> list[str]:
    """cell_text of each value (text cells from read_table are already normalised and pass straight through)."""
    return [v if v.__class__ is str else cell_text(v) for v in values]


def cell_text(value) -> str:
    """A cell as normalised text: NFKC, trimmed; Excel numbers 12345.0 → "12345"; dates → ISO."""
    if value.__class__ is str:  # the common case first: every CSV cell
        return " ".join(value.split()) if value.isascii() else normalize(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return normalize(value)


def read_table(data: bytes, filename: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> Table:
    """Read CSV or XLSX bytes into a Table, checking the header against `columns` (raises TableError)."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise file_error("ファイルが空です。見出し行とデータ行のあるファイルを選んでください。", filename)
    lower = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        grid, fmt, encoding = _read_xlsx(data, max_rows), "xlsx", ""
    elif lower.endswith(XLSX_EXTENSIONS):
        raise file_error(
            "Excelファイル（.xlsx）として読み込めません（ZIP形式ではありません）。"
            "ファイルが壊れているか、拡張子が正しくありません。Excelで開いて保存し直してください。",
            filename,
        )
    else:
        for magic, message in _MAGIC:
            if data.startswith(magic):
                raise file_error(message, filename)
        text, encoding = decode_text(data, filename)
        grid, fmt = _read_csv(text, max_rows), "csv"
    return _to_table(grid, columns, fmt, encoding, max_rows)


def decode_text(data: bytes, filename: str = "") -> tuple[str, str]:
    """Decode CSV bytes: UTF-16 with BOM, UTF-8 (BOM or not), then CP932; refuse binary content."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise file_error(
                "UTF-16 のテキストとして読み込めません。ファイルが壊れている可能性があります。", filename
            ) from None
    if b"\x00" in data[:65536]:
        raise file_error(BINARY_MESSAGE, filename)
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise file_error(BINARY_MESSAGE, filename)
        return text, encoding
    raise file_error(
        "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）の CSV で保存し直してください。", filename
    )


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\x0c") + sample.count("\ufffd")
    return controls > max(2, len(sample) // 100)


def _read_csv(text: str, max_rows: int) -> list[tuple[int, list]]:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        records = list(islice(reader, max_rows + 2))  # header + max_rows + one to tell "too many"
    except csv.Error as exc:
        raise TableError(RowError(reader.line_num, "", "", f"CSVとして読み込めません（{exc}）。")) from None
    if len(records) > max_rows + 1:
        raise file_error(f"行数が多すぎます（上限 {max_rows:,} 行）。ファイルを分けて取り込んでください。")
    return list(enumerate(records, start=1))


def _read_xlsx(data: bytes, max_rows: int) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise file_error(
            "Excelファイル（.xlsx）が壊れていて読み込めません。Excelで開いて保存し直してください。"
        ) from None
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise file_error(
            "ZIPファイルですが Excel ブック（.xlsx）ではありません。"
            "CSV または Excel（.xlsx）のファイルを選んでください。"
        )
    grid = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > max_rows + 1:
                    raise file_error(f"行数が多すぎます（上限 {max_rows:,} 行）。ファイルを分けて取り込んでください。")
                grid.append((number, list(values)))
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors, ValueError …) for broken books
        raise file_error(
            "Excelファイル（.xlsx）の内容を読み込めません。ファイルが壊れている可能性があります。"
            "Excelで開いて保存し直すか、CSV で保存してください。"
        ) from None
    return grid


def _is_blank(values: list) -> bool:
    """True for a row with nothing in it (its text cells are already normalised)."""
    if any(values):  # a non-empty text, a non-zero number, a date …
        return False
    return all(v is None or v == "" for v in values)  # 0 and FALSE are values, not blanks


def _normalise_cells(grid: list[tuple[int, list]]) -> None:
    """Normalise every text cell in place once (what cell_text does), so importers can use them as they are."""
    nfkc = unicodedata.normalize
    for _, values in grid:
        values[:] = [" ".join(nfkc("NFKC", v).split()) if v.__class__ is str else v for v in values]


def _to_table(grid: list[tuple[int, list]], columns: Sequence[Column], fmt: str, encoding: str, max_rows: int):
    _normalise_cells(grid)
    rows_iter: Iterator[tuple[int, list]] = iter(grid)
    header_row = next(((n, v) for n, v in rows_iter if not _is_blank(v)), None)
    if header_row is None:
        raise file_error("ファイルが空です。見出し行とデータ行のあるファイルを選んでください。")
    header_number, raw_headers = header_row
    headers = [cell_text(h) for h in raw_headers]
    while headers and headers[-1] == "":
        headers.pop()
    known = {c.name for c in columns}
    errors = []
    positions: dict[str, int] = {}
    for index, name in enumerate(headers):
        letter = column_letter(index)
        if name == "":
            errors.append(
                RowError(header_number, letter, "", "見出しが空の列があります。列名を入れるか、列を削除してください。")
            )
        elif name in positions:
            errors.append(RowError(header_number, name, name, "同じ見出しの列が2つ以上あります。"))
        elif name not in known:
            errors.append(RowError(header_number, letter, name, f"不明な列「{name}」です。{_expected(columns)}"))
        else:
            positions[name] = index
    missing = [c.name for c in columns if c.required and c.name not in positions]
    if missing and not positions:
        raise file_error(f"1行目（見出し行）が正しくありません。{_expected(columns)}", " ".join(headers)[:100])
    for name in missing:
        errors.append(RowError(header_number, name, "", f"必須の列「{name}」がありません。{_expected(columns)}"))
    if errors:
        raise TableError(errors)
    rows = []
    width = len(headers)
    for number, values in rows_iter:
        if _is_blank(values):
            continue
        if len(values) < width:
            values.extend([None] * (width - len(values)))
        extra = [v for v in values[width:] if cell_text(v)] if len(values) > width else []
        rows.append(Row(number, values, positions, extra))
    if not rows:
        raise file_error("データ行がありません（見出し行だけのファイルです）。")
    if len(rows) > max_rows:
        raise file_error(f"行数が多すぎます（上限 {max_rows:,} 行）。ファイルを分けて取り込んでください。")
    return Table(headers=headers, rows=rows, format=fmt, encoding=encoding, positions=positions)


def _expected(columns: Sequence[Column]) -> str:
    names = "、".join(c.name if c.required else f"{c.name}（任意）" for c in columns)
    return f"見出しは {names} としてください。"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return f"{out}列"


def extra_cells_error(row: Row) -> RowError | None:
    """Values to the right of the last header are usually a shifted row: report them."""
    if not row.extra:
        return None
    return RowError(
        row.number, "", cell_text(row.extra[0])[:50], "見出しのない列に値があります（列がずれていませんか）。"
    )


@dataclass
class ImportResult:
    """What an import did (or would do, for a dry run): counts by key, and every error."""

    keys: tuple[str, ...]
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)  # shown to people, not part of the summary line
    dry_run: bool = False
    written: bool = False
    batch_id: int | None = None

    def __post_init__(self):
        for key in self.keys:
            self.counts.setdefault(key, 0)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def summary_line(self) -> str:
        """`added=N transferred=N … errors=N`: the machine-readable last line of every import command."""
        parts = [f"{k}={self.counts.get(k, 0)}" for k in self.keys]
        return " ".join([*parts, f"errors={len(self.errors)}"])

    def as_dict(self) -> dict:
        return {**{k: self.counts.get(k, 0) for k in self.keys}, **self.extra, "errors": len(self.errors)}

    def error_lines(self) -> list[str]:
        return [e.as_line() for e in self.errors]


def sort_errors(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: e.row)

"""E-learning completions import: all or nothing, every bad row reported, idempotent."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from dxtalent.training.imports import import_elearning, parse_study_hours
from dxtalent.training.models import ELearningCompletion

from .conftest import FY

pytestmark = pytest.mark.django_db
HEADER = "職員番号,氏名,講座コード,修了日,学習時間\n"


def csv(*lines: str, header: str = HEADER, encoding="utf-8") -> bytes:
    return (header + "".join(line + "\n" for line in lines)).encode(encoding)


@pytest.fixture
def rows(people, elearning_course):
    a, b = people["higashi_staff"], people["kita_staff"]
    return [
        f"{a.number},{a.name},VND-0001,{FY}-04-01,1.5",
        f"{b.number},{b.name.replace(' ', '　')},{elearning_course.code},R{FY - 2018}.4.1,１：３０",
    ]


def test_import_adds_then_reimport_changes_nothing(rows, people):
    result = import_elearning(csv(*rows), "vendor.csv")
    assert result.ok and result.summary_line() == "added=2 unchanged=0 errors=0"
    stored = {c.employee_id: (c.completed_on, c.hours) for c in ELearningCompletion.objects.all()}
    assert stored == {
        people["higashi_staff"].pk: (dt.date(FY, 4, 1), Decimal("1.50")),
        people["kita_staff"].pk: (dt.date(FY, 4, 1), Decimal("1.50")),
    }
    again = import_elearning(csv(*rows), "vendor.csv")
    assert again.summary_line() == "added=0 unchanged=2 errors=0"
    assert ELearningCompletion.history.count() == 2  # nothing rewritten


def test_dry_run_writes_nothing(rows):
    result = import_elearning(csv(*rows), "vendor.csv", dry_run=True)
    assert result.summary_line() == "added=2 unchanged=0 errors=0" and result.dry_run
    assert not ELearningCompletion.objects.exists()


def test_corrected_hours_update_the_completion(rows):
    import_elearning(csv(*rows), "vendor.csv")
    changed = rows[0].replace(",1.5", ",2")
    result = import_elearning(csv(changed, rows[1]), "vendor.csv")
    assert result.summary_line() == "added=0 unchanged=1 errors=0" and result.extra["updated"] == 1
    assert ELearningCompletion.objects.filter(hours=Decimal("2")).count() == 1


def test_every_bad_row_is_reported_and_nothing_is_written(rows, people, course):
    a = people["higashi_staff"]
    bad = [
        f"{a.number},別人 花子,VND-0001,{FY}-04-01,1",  # row 4: name mismatch
        f"999999,誰か,VND-0001,{FY}-04-01,1",  # row 5: unknown number
        f"{a.number},{a.name},NOPE,{FY}-04-01,1",  # row 6: unknown course
        f"{a.number},{a.name},{course.code},{FY}-04-01,1",  # row 7: not an e-learning course
        f"{a.number},{a.name},VND-0001,2026-02-30,1",  # row 8: no such date
        f"{a.number},{a.name},VND-0001,{FY + 5}-04-01,1",  # row 9: future
        f"{a.number},{a.name},VND-0001,{FY}-04-01,abc",  # row 10: hours not a number
        f"{a.number},{a.name},VND-0001,{FY}-04-01,0",  # row 11: hours zero
        f",{a.name},VND-0001,{FY}-04-01,1",  # row 12: empty number
        rows[0],  # row 13: same as row 2
    ]
    result = import_elearning(csv(*rows, *bad), "vendor.csv")
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (4, "氏名"),
        (5, "職員番号"),
        (6, "講座コード"),
        (7, "講座コード"),
        (8, "修了日"),
        (9, "修了日"),
        (10, "学習時間"),
        (11, "学習時間"),
        (12, "職員番号"),
        (13, "職員番号"),
    }
    reasons = {e.row: e.reason for e in result.errors}
    assert "一致しません" in reasons[4] and "eラーニングの講座ではありません" in reasons[7]
    assert "重複" in reasons[13] and "2行目" in reasons[13]
    assert result.summary_line().endswith("errors=10")
    assert not ELearningCompletion.objects.exists()


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "x.csv", "空です"),
        (b"%PDF-1.4 ...", "x.pdf", "PDF"),
        ("職員番号,氏名,講座コード,修了日\n1,a,b,2026-04-01\n".encode(), "x.csv", "必須の列「学習時間」"),
        (HEADER.encode(), "x.csv", "データ行がありません"),
        (b"PK\x03\x04broken", "x.xlsx", "壊れて"),
    ],
)
def test_broken_files_are_refused_with_a_clear_reason(people, data, filename, reason):
    result = import_elearning(data, filename)
    assert not result.ok and reason in " ".join(e.reason for e in result.errors)
    assert result.summary_line().startswith("added=0 unchanged=0 errors=")


def test_cp932_csv_and_xlsx_are_read(rows, people):
    assert import_elearning(csv(*rows, encoding="cp932"), "vendor.csv", dry_run=True).summary_line() == (
        "added=2 unchanged=0 errors=0"
    )
    wb = Workbook()
    ws = wb.active
    ws.append(["職員番号", "氏名", "講座コード", "修了日", "学習時間"])
    a = people["higashi_staff"]
    ws.append([int(a.number), a.name, "VND-0001", dt.datetime(FY, 4, 1), dt.time(1, 15)])
    buf = io.BytesIO()
    wb.save(buf)
    result = import_elearning(buf.getvalue(), "vendor.xlsx")
    assert result.summary_line() == "added=1 unchanged=0 errors=0"
    assert ELearningCompletion.objects.get().hours == Decimal("1.25")


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("1.5", "1.5"),
        ("１．５", "1.5"),
        ("1:30", "1.5"),
        ("1:30:00", "1.5"),
        ("90分", "1.5"),
        ("1時間30分", "1.5"),
        ("2時間", "2"),
        ("2h", "2"),
        (3, "3"),
        (0.25, "0.25"),
    ],
)
def test_study_hours_formats(text, hours):
    assert parse_study_hours(text) == Decimal(hours)


def test_command_prints_the_summary_last_and_fails_on_errors(rows, tmp_path, capsys):
    path = tmp_path / "vendor.csv"
    path.write_bytes(csv(*rows))
    call_command("import_elearning", str(path), "--dry-run")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "added=2 unchanged=0 errors=0" and "ドライラン" in out[0]
    assert not ELearningCompletion.objects.exists()
    call_command("import_elearning", str(path))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "added=2 unchanged=0 errors=0"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("1,a,b,c,d"))
    with pytest.raises(SystemExit) as exc:
        call_command("import_elearning", str(bad))
    assert exc.value.code == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith("added=0 unchanged=0 errors=") and "何も書き込んでいません" in out[0]
    with pytest.raises(SystemExit):
        call_command("import_elearning", str(tmp_path / "missing.csv"))
    assert "ファイルが見つかりません" in capsys.readouterr().out

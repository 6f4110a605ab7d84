"""Roster import: snapshot semantics (added / transferred / unchanged / retired), formats, and all-or-nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxtalent.org.imports import import_roster
from dxtalent.org.models import Assignment, Employee, EmploymentStatus, ImportBatch
from tests import factories as f
from tests.org.data.builders import ROSTER_HEADERS, csv_bytes, db_counts, person, xlsx_bytes

APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def masters(city):
    f.job_type("一般事務")
    f.job_type("土木")
    f.position("一般職員")
    f.position("係長", rank=50)
    return city


def run(data, name="roster.csv", **kw):
    kw.setdefault("as_of", APRIL)
    return import_roster(data, name, **kw)


@pytest.mark.django_db
def test_new_people_get_employee_and_first_assignment(masters):
    rows = [person(), person("200002", "取込 花子", "とりこみ はなこ", "北区", email="hanako@example.jp")]
    result = run(csv_bytes(rows))
    assert result.summary_line() == "added=2 transferred=0 unchanged=0 retired=0 errors=0"
    hanako = Employee.objects.get(number="200002")
    assert hanako.kana_key == "トリコミハナコ" and "はなこ" not in hanako.search_text
    assert hanako.email == "hanako@example.jp" and hanako.hire_date == dt.date(2020, 4, 1)
    (a,) = hanako.assignments.all()
    assert (a.unit, a.valid_from, a.valid_to) == (masters["kita_koseki"], APRIL, None)
    assert Employee.history.filter(number="200002", history_type="+").count() == 1
    assert Assignment.history.filter(employee_id=hanako.pk).count() == 1
    batch = ImportBatch.objects.get()
    assert batch.summary["added"] == 2 and batch.as_of == APRIL and result.batch_id == batch.pk
    # ids were reserved from the tables' own sequences: ordinary inserts still work afterwards
    later = f.employee(masters["kita_koseki"], number="200003")
    assert later.pk > hanako.pk and later.assignments.get().pk > a.pk


@pytest.mark.django_db
def test_april_transfer_end_dates_old_row_and_reimport_changes_nothing(masters):
    moving = f.employee(masters["higashi_koseki"], number="300001", name="異動 一郎", kana="イドウ イチロウ")
    staying = f.employee(masters["higashi_hoken"], number="300002", name="残留 二郎", kana="ザンリュウ ジロウ")
    rows = [
        person("300001", "異動 一郎", "イドウ イチロウ", "北区", hired=f.START.isoformat()),
        person("300002", "残留 二郎", "ザンリュウ ジロウ", ka="保険年金課", hired=f.START.isoformat()),
    ]
    data = csv_bytes(rows)
    assert run(data).summary_line() == "added=0 transferred=1 unchanged=1 retired=0 errors=0"
    old, new = moving.assignments.order_by("valid_from")
    assert (old.unit, old.valid_from, old.valid_to) == (masters["higashi_koseki"], f.START, dt.date(2026, 3, 31))
    assert (new.unit, new.valid_from, new.valid_to) == (masters["kita_koseki"], APRIL, None)
    assert staying.assignments.count() == 1
    assert Assignment.history.filter(employee_id=staying.pk).count() == 1  # untouched: no history row

    before = db_counts()
    again = run(data)
    assert again.summary_line() == "added=0 transferred=0 unchanged=2 retired=0 errors=0"
    assert db_counts() == before and not again.written


@pytest.mark.django_db
def test_position_change_is_a_transfer_and_name_change_an_update(masters):
    e = f.employee(masters["higashi_koseki"], number="300003", name="旧姓 三子", kana="キュウセイ ミツコ")
    rows = [person("300003", "新姓 三子", "シンセイ ミツコ", pos="係長", hired=f.START.isoformat())]
    result = run(csv_bytes(rows))
    assert result.counts["transferred"] == 1 and result.extra["updated"] == 1
    e.refresh_from_db()
    assert e.name == "新姓 三子" and e.kana_key == "シンセイミツコ"
    assert e.history.first().history_change_reason.startswith("名簿取込")
    assert e.assignments.get(valid_to__isnull=True).position.name == "係長"
    # a name-only change is counted as unchanged (with an update), no assignment row
    result = run(csv_bytes([{**rows[0], "氏名": "新姓 美津子"}]), as_of=dt.date(2026, 5, 1))
    assert result.summary_line().startswith("added=0 transferred=0 unchanged=1") and result.extra["updated"] == 1
    assert e.assignments.count() == 2


@pytest.mark.django_db
def test_same_day_reimport_corrects_the_new_assignment(masters):
    e = f.employee(masters["higashi_koseki"], number="300004")
    run(csv_bytes([person("300004", "札幌 太郎", "サッポロ タロウ", "北区", hired=f.START.isoformat())]))
    fixed = run(
        csv_bytes([person("300004", "札幌 太郎", "サッポロ タロウ", ka="保険年金課", hired=f.START.isoformat())])
    )
    assert fixed.counts["transferred"] == 1
    assert e.assignments.count() == 2
    assert e.assignments.get(valid_from=APRIL).unit == masters["higashi_hoken"]


@pytest.mark.django_db
def test_a_later_assignment_blocks_an_older_snapshot(masters):
    e = f.employee(masters["higashi_koseki"], number="300005", since=dt.date(2026, 4, 1))
    result = run(csv_bytes([person("300005", ka="保険年金課")]), as_of=dt.date(2025, 4, 1))
    assert "基準日より後" in result.errors[0].reason and e.assignments.count() == 1


@pytest.mark.django_db
def test_retire_missing(masters):
    gone = f.employee(masters["higashi_koseki"], number="400001")
    kept = f.employee(masters["higashi_koseki"], number="400002", name="在職 者", kana="ザイショク シャ")
    data = csv_bytes([person("400002", "在職 者", "ザイショク シャ", hired=f.START.isoformat())])
    assert run(data).counts["retired"] == 0
    gone.refresh_from_db()
    assert gone.status == EmploymentStatus.ACTIVE
    result = run(data, retire_missing=True)
    assert result.summary_line() == "added=0 transferred=0 unchanged=1 retired=1 errors=0"
    gone.refresh_from_db()
    assert (gone.status, gone.left_on) == (EmploymentStatus.RETIRED, APRIL)
    assert gone.assignments.get().valid_to == dt.date(2026, 3, 31)
    assert kept.assignments.get().valid_to is None


@pytest.mark.parametrize(
    "text", ["2026-04-01", "2026/4/1", "R8.4.1", "令和8年4月1日", "46113", "２０２６／４／１", "Ｒ８．４．１"]
)
@pytest.mark.django_db
def test_dates_in_every_accepted_format(masters, text):
    run(csv_bytes([person("１２３４５６", hired=text)]))
    e = Employee.objects.get()
    assert (e.number, e.hire_date) == ("123456", APRIL)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
@pytest.mark.django_db
def test_csv_encodings(masters, encoding):
    result = run(csv_bytes([person(kana="ﾄﾘｺﾐ ﾀﾛｳ")], encoding=encoding))
    assert result.ok, result.errors
    assert Employee.objects.get().name_kana == "トリコミ タロウ"


@pytest.mark.django_db
def test_xlsx_with_typed_cells(masters):
    row = person(hired=dt.datetime(2019, 5, 1))
    row["職員番号"] = 200009  # a number cell, as Excel stores it
    numeric_date = person("200010", hired=43586)  # an Excel serial left as a number
    result = run(xlsx_bytes([row, numeric_date]), "名簿.xlsx")
    assert result.ok, result.errors
    assert Employee.objects.get(number="200009").hire_date == dt.date(2019, 5, 1)
    assert Employee.objects.get(number="200010").hire_date == dt.date(2019, 5, 1)


def _dup(rows):
    return [*rows, rows[0]]


BROKEN = [
    ("empty", b"", "ファイルが空です"),
    ("header only", csv_bytes([]), "データ行がありません"),
    ("wrong headers", csv_bytes([["a", "b"]], headers=["名前", "所属"]), "見出し行）が正しくありません"),
    ("missing column", csv_bytes([["1"]], headers=ROSTER_HEADERS[:-1]), "必須の列「メールアドレス」がありません"),
    ("duplicate number", csv_bytes(_dup([person(), person("200002")])), "ファイル内で重複"),
    ("unknown ward", csv_bytes([person(top="南区")]), "局区「南区」は令和8年4月1日時点の組織にありません"),
    ("bu of another ward", csv_bytes([person(bu="職員部")]), "部「職員部」は令和8年4月1日時点の東区にありません"),
    ("unknown ka", csv_bytes([person(ka="人事課")]), "課「人事課」は令和8年4月1日時点の東区 市民部にありません"),
    ("impossible date", csv_bytes([person(hired="2025-02-30")]), "存在しない日付"),
    ("future hire", csv_bytes([person(hired="2026-04-02")]), "基準日（令和8年4月1日）より後"),
    ("unknown job type", csv_bytes([person(job="魔法使い")]), "職種「魔法使い」はマスタに登録されていません"),
    ("unknown position", csv_bytes([person(pos="王様")]), "職位「王様」はマスタに登録されていません"),
    ("bad email", csv_bytes([person(email="not-an-email")]), "メールアドレスの形式"),
    ("bad kana", csv_bytes([person(kana="Torikomi")]), "カタカナで入力"),
    ("binary renamed .csv", bytes(range(256)) * 8, "バイナリファイルのようです"),
    ("old .xls renamed", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧形式のExcel"),
]


@pytest.mark.parametrize(("case", "data", "message"), BROKEN, ids=[c[0] for c in BROKEN])
@pytest.mark.django_db
def test_each_broken_file_has_its_own_message_and_writes_nothing(masters, case, data, message):
    f.employee(masters["higashi_koseki"], number="200001")
    before = db_counts()
    result = run(data, retire_missing=True)
    assert any(message in e.reason for e in result.errors), [e.reason for e in result.errors]
    assert db_counts() == before and not result.written


@pytest.mark.django_db
def test_xlsx_that_is_not_a_zip(masters):
    result = run(csv_bytes([person()]), "roster.xlsx")
    assert "ZIP形式ではありません" in result.errors[0].reason and Employee.objects.count() == 0


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_row_column_value(masters):
    rows = [person("1"), person("2", top="南区"), person("3"), person("4", hired="R8.2.30", pos="王様")]
    before = db_counts()
    result = run(csv_bytes(rows))
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (3, "局区", "南区"),
        (5, "職位", "王様"),
        (5, "採用年月日", "R8.2.30"),
    ]
    assert result.counts["added"] == 2 and db_counts() == before


@pytest.mark.django_db
def test_validation_runs_a_fixed_number_of_queries(masters, django_assert_max_num_queries):
    for i in range(20):
        f.employee(masters["higashi_koseki"], number=f"5000{i:02d}")
    rows = [person(f"5000{i:02d}", top=("東区", "北区")[i % 2]) for i in range(60)]
    with django_assert_max_num_queries(6):
        result = run(csv_bytes(rows), dry_run=True, retire_missing=True)
    assert result.summary_line() == "added=40 transferred=10 unchanged=10 retired=0 errors=0"


VALUES = {
    "職員番号": st.sampled_from(["600001", "600002", "６００００３", "", "x y", "600001"]),
    "氏名": st.sampled_from(["札幌 花子", "", "x" * 101]),
    "氏名カナ": st.sampled_from(["サッポロ ハナコ", "sapporo", ""]),
    "局区": st.sampled_from(["東区", "北区", "南区", ""]),
    "部": st.sampled_from(["市民部", "職員部", ""]),
    "課": st.sampled_from(["戸籍住民課", "保険年金課", "人事課"]),
    "係": st.sampled_from(["", "", "窓口係"]),
    "職種": st.sampled_from(["一般事務", "土木", "魔法"]),
    "職位": st.sampled_from(["一般職員", "係長", ""]),
    "採用年月日": st.one_of(
        st.sampled_from(["R2.4.1", "2020/4/1", "2020-02-30", "昨日"]),
        st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=5),
    ),
    "メールアドレス": st.sampled_from(["", "a@example.jp", "@@"]),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.fixed_dictionaries(VALUES), min_size=1, max_size=6), st.booleans())
@pytest.mark.django_db
def test_random_rows_never_raise_and_never_write_partially(masters, rows, as_xlsx):
    from django.db import transaction

    data = xlsx_bytes(rows) if as_xlsx else csv_bytes(rows)
    with transaction.atomic():
        before = db_counts()
        result = run(data, "r.xlsx" if as_xlsx else "r.csv")
        after = db_counts()
        if result.errors:
            assert after == before
        else:
            assert after["employees"] - before["employees"] == result.counts["added"] == len(rows)
            assert after["assignments"] - before["assignments"] == len(rows)
        transaction.set_rollback(True)


def _call(*args):
    out = io.StringIO()
    try:
        call_command("import_roster", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


@pytest.mark.django_db
def test_cli_dry_run_prints_counts_and_writes_nothing(masters, tmp_path):
    path = tmp_path / "名簿.csv"
    path.write_bytes(csv_bytes([person(), person("200002")], encoding="cp932"))
    before = db_counts()
    code, lines = _call(str(path), "--as-of", "R8.4.1", "--dry-run")
    assert code == 0 and db_counts() == before
    assert "ドライラン" in lines[0] and "  追加（新規の職員）: 2人" in lines
    assert lines[-1] == "added=2 transferred=0 unchanged=0 retired=0 errors=0"
    code, lines = _call(str(path), "--as-of", "2026-04-01")
    assert code == 0 and Employee.objects.count() == 2
    assert lines[-1] == "added=2 transferred=0 unchanged=0 retired=0 errors=0"


@pytest.mark.django_db
def test_cli_exits_non_zero_on_errors_with_summary_last(masters, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([person(), person("200002", top="南区"), person("200003", hired="2026-13-01")]))
    code, lines = _call(str(path), "--as-of", "2026-04-01", "--retire-missing")
    assert code == 1 and Employee.objects.count() == 0
    assert any("3\t局区\t南区\t" in line for line in lines) and any(
        line.startswith("  4\t採用年月日") for line in lines
    )
    assert lines[-1] == "added=1 transferred=0 unchanged=0 retired=0 errors=2"
    for args in ([str(tmp_path / "missing.csv")], [str(path), "--as-of", "令和8年13月1日"]):
        code, lines = _call(*args)
        assert code == 1 and lines[-1].endswith("errors=1")


@pytest.mark.django_db
def test_writing_runs_a_fixed_number_of_queries(masters, django_assert_max_num_queries):
    """Transfers, updates, retirements and new people: the same statements whatever the number of rows."""
    for i in range(30):
        f.employee(masters["higashi_koseki"], number=f"7000{i:02d}")
    moved = [
        person(f"7000{i:02d}", "札幌 太郎", "サッポロ タロウ", "北区", hired=f.START.isoformat()) for i in range(20)
    ]
    renamed = [person(f"7000{i:02d}", "改名 太郎", "カイメイ タロウ", hired=f.START.isoformat()) for i in range(20, 25)]
    new = [person(f"7100{i:02d}") for i in range(40)]
    with django_assert_max_num_queries(26):  # ~24 statements: executemany counts once, whatever its rows
        result = run(csv_bytes(moved + renamed + new), retire_missing=True)
    assert result.summary_line() == "added=40 transferred=20 unchanged=5 retired=5 errors=0"
    assert result.extra["updated"] == 5
    assert Assignment.history.filter(history_type="~").count() == 25  # 20 end-dated + 5 retired

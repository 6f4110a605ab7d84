"""Org-chart import: new units in any order, renames and moves as new versions, closures, and bad parents."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from dxtalent.org.imports import import_org
from dxtalent.org.models import ImportBatch, OrgUnit, OrgUnitVersion
from dxtalent.org.selectors import OrgSnapshot
from tests.org.data.builders import ORG_HEADERS, csv_bytes, db_counts, person, xlsx_bytes

APRIL = "2026-04-01"


def org(rows, **kw):
    return csv_bytes(rows, headers=ORG_HEADERS, **kw)


def run(data, name="org.csv", **kw):
    return import_org(data, name, **kw)


@pytest.mark.django_db
def test_new_tree_in_any_order():
    rows = [
        ["C01-1-1-1", "窓口係", "係", "C01-1-1", "R8.4.1", ""],
        ["C01-1-1", "戸籍住民課", "課", "C01-1", "2026/4/1", ""],
        ["C01-1", "市民部", "部", "C01", "令和8年4月1日", ""],
        ["C01", "中央区", "区", "", "46113", ""],
        ["B09", "旧局", "局", "", "2015-04-01", "2020-03-31"],
    ]
    result = run(org(rows))
    assert result.summary_line() == "added=5 changed=0 unchanged=0 closed=0 errors=0"
    snap = OrgSnapshot(dt.date(2026, 4, 1))
    kakari = OrgUnit.objects.get(code="C01-1-1-1")
    assert snap.label_of(kakari.pk) == "中央区 市民部 戸籍住民課 窓口係"
    old = OrgUnit.objects.get(code="B09")
    assert old.valid_to == dt.date(2020, 3, 31) and old.versions.get().valid_to == dt.date(2020, 3, 31)
    assert ImportBatch.objects.get(kind="org").summary["added"] == 5
    before = db_counts()
    again = run(org(rows))
    assert again.summary_line() == "added=0 changed=0 unchanged=5 closed=0 errors=0"
    assert db_counts() == before


@pytest.mark.django_db
def test_rename_and_move_keep_history(city):
    rows = [
        ["K02-1-1", "区民課", "課", "K02-1", APRIL, ""],  # rename
        ["K01-1-2", "保険年金課", "課", "K02-1", APRIL, ""],  # move to 北区 市民部
        ["K01-1-1", "戸籍住民課", "課", "K01-1", APRIL, ""],  # unchanged (a later 開始日 alone changes nothing)
    ]
    result = run(org(rows))
    assert result.summary_line() == "added=0 changed=2 unchanged=1 closed=0 errors=0"
    old, new = city["kita_koseki"].versions.order_by("valid_from")
    assert (old.name, old.valid_to) == ("戸籍住民課", dt.date(2026, 3, 31))
    assert (new.name, new.valid_from, new.valid_to) == ("区民課", dt.date(2026, 4, 1), None)
    assert OrgSnapshot(dt.date(2026, 3, 31)).nodes[city["higashi_hoken"].pk].parent_id == city["higashi_shimin"].pk
    assert OrgSnapshot(dt.date(2026, 4, 1)).nodes[city["higashi_hoken"].pk].parent_id == city["kita_shimin"].pk
    assert OrgUnitVersion.history.filter(unit_id=city["kita_koseki"].pk).count() == 3  # +, ~ (end-dated), +
    before = db_counts()
    assert run(org(rows)).summary_line() == "added=0 changed=0 unchanged=3 closed=0 errors=0"
    assert db_counts() == before


@pytest.mark.django_db
def test_closing_a_unit(city):
    result = run(org([["K01-1-2", "保険年金課", "課", "K01-1", "2015-04-01", "2027-03-31"]]))
    assert result.summary_line() == "added=0 changed=0 unchanged=0 closed=1 errors=0"
    unit = OrgUnit.objects.get(code="K01-1-2")
    assert unit.valid_to == dt.date(2027, 3, 31) and unit.versions.get().valid_to == dt.date(2027, 3, 31)
    assert run(org([["K01-1-2", "保険年金課", "課", "K01-1", "2015-04-01", "2027-03-31"]])).counts["unchanged"] == 1
    changed_end = run(org([["K01-1-2", "保険年金課", "課", "K01-1", "2015-04-01", "2028-03-31"]]))
    assert "登録済みの終了日" in changed_end.errors[0].reason
    renamed = run(org([["K01-1-2", "新課", "課", "K01-1", "2028-04-01", ""]]))
    assert "廃止済み" in renamed.errors[0].reason


BROKEN = [
    (
        "ka under a ward",
        [["X1", "新課", "課", "K01", APRIL, ""]],
        "課の上位組織は部でなければなりません（「K01」は区です）",
    ),
    ("bu under a bu", [["X1", "新部", "部", "K01-1", APRIL, ""]], "部の上位組織は局または区でなければなりません"),
    ("kakari under bu", [["X1", "係", "係", "K01-1", APRIL, ""]], "係の上位組織は課でなければなりません"),
    ("ward with a parent", [["X1", "南区", "区", "B01", APRIL, ""]], "区には上位組織を指定できません"),
    ("bu without parent", [["X1", "新部", "部", "", APRIL, ""]], "部には上位組織コード（局または区）が必要です"),
    ("missing parent", [["X1", "新課", "課", "NOPE", APRIL, ""]], "ファイルにもシステムにもありません"),
    ("own parent", [["X1", "新課", "課", "X1", APRIL, ""]], "自分自身を上位組織にはできません"),
    (
        "parent in file with wrong level",
        [["X2", "新課", "課", "X1", APRIL, ""], ["X1", "新区", "区", "", APRIL, ""]],
        "課の上位組織は部でなければなりません（「X1」は区です）",
    ),
    (
        "parent starts later",
        [["X2", "新部", "部", "X1", "2026-04-01", ""], ["X1", "新区", "区", "", "2027-04-01", ""]],
        "上位組織は開始日（令和8年4月1日）の時点で存在しません",
    ),
    ("kind change", [["K01-1", "市民部", "課", "K01", APRIL, ""]], "種別は変更できません（登録済み: 部）"),
    ("unknown kind", [["X1", "新課", "班", "K01-1", APRIL, ""]], "種別は 局・区・部・課・係 のいずれか"),
    (
        "rename not later",
        [["K02-1-1", "区民課", "課", "K02-1", "2015-04-01", ""]],
        "現在の版の開始日（平成27年4月1日）より後",
    ),
    ("impossible date", [["X1", "新課", "課", "K01-1", "2026-02-30", ""]], "存在しない日付"),
    ("end before start", [["X1", "新課", "課", "K01-1", APRIL, "2026-03-01"]], "終了日が開始日より前です"),
    (
        "duplicate code",
        [["X1", "新課", "課", "K01-1", APRIL, ""]] * 2,
        "組織コードがファイル内で重複しています（3行目と同じ）",
    ),
    ("bad code", [["X 1", "新課", "課", "K01-1", APRIL, ""]], "組織コードは英数字"),
    ("missing name", [["X1", "", "課", "K01-1", APRIL, ""]], "必須項目が空です"),
    ("roster instead of org chart", None, "見出し行）が正しくありません"),
]


@pytest.mark.parametrize(("case", "rows", "message"), BROKEN, ids=[c[0] for c in BROKEN])
@pytest.mark.django_db
def test_broken_rows_have_their_own_message_and_write_nothing(city, case, rows, message):
    good = [["X9", "新設課", "課", "K01-1", APRIL, ""]]  # a good row first: it must not be written either
    data = org(good + rows) if rows is not None else csv_bytes([person()])
    before = db_counts()
    result = run(data)
    assert any(message in e.reason for e in result.errors), [e.reason for e in result.errors]
    assert db_counts() == before and not result.written


@pytest.mark.django_db
def test_xlsx_with_dates_as_cells(city):
    rows = [["X1", "新設課", "課", "K01-1", dt.datetime(2026, 4, 1), None]]
    result = run(xlsx_bytes(rows, headers=ORG_HEADERS[:5]), "組織.xlsx")
    assert result.ok, result.errors
    assert OrgUnit.objects.get(code="X1").valid_from == dt.date(2026, 4, 1)


@pytest.mark.django_db
def test_cp932_file_and_full_width_codes(city):
    rows = [["Ｘ１", "新設課", "課", "Ｋ０１－１", "Ｒ８．４．１", ""]]
    assert run(org(rows, encoding="cp932")).ok
    assert OrgUnit.objects.filter(code="X1").exists()


@pytest.mark.django_db
def test_validation_runs_a_fixed_number_of_queries(city, django_assert_max_num_queries):
    rows = [[f"N{i}", f"課{i}", "課", "K01-1", APRIL, ""] for i in range(50)]
    with django_assert_max_num_queries(3):
        result = run(org(rows), dry_run=True)
    assert result.counts["added"] == 50 and OrgUnit.objects.filter(code__startswith="N").count() == 0


def _call(*args):
    out = io.StringIO()
    try:
        call_command("import_org", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue().splitlines()


@pytest.mark.django_db
def test_cli(city, tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes(org([["X1", "新設課", "課", "K01-1", APRIL, ""], ["K02-1-1", "区民課", "課", "K02-1", APRIL, ""]]))
    before = db_counts()
    code, lines = _call(str(path), "--dry-run")
    assert code == 0 and db_counts() == before and "ドライラン" in lines[0]
    assert lines[-1] == "added=1 changed=1 unchanged=0 closed=0 errors=0"
    code, lines = _call(str(path))
    assert code == 0 and lines[-1] == "added=1 changed=1 unchanged=0 closed=0 errors=0"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(org([["X2", "新課", "課", "K01", APRIL, ""]]))
    code, lines = _call(str(bad))
    assert code == 1 and lines[-1] == "added=1 changed=0 unchanged=0 closed=0 errors=1"
    assert any("2\t上位組織コード\tK01\t" in line for line in lines)

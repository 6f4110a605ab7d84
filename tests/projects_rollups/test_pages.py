"""The roll-up page, its exports and the roll-up API: same numbers, aggregates only, every role."""

import io

import pytest
from openpyxl import load_workbook

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.core.wareki import format_fiscal_year
from tests.projects_rollups.conftest import P


def test_rollups_page_shows_the_tables(client, rollup_city):
    client.force_login(rollup_city.people["users"][Role.EMPLOYEE])
    response = client.get("/projects/rollups/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "39.25",
        "20.50",
        "-2.00",
        "17.75",
        "問題点の共有",
        "技術的支援",
        "2.5日",
        "第1期",
        "rollups-chart-data",
    ):
        assert text in body, text
    assert "リーダー L1" not in body and "課長" not in body  # aggregates only: nobody is named
    assert "is-negative" in body
    # a fiscal year narrows the figures; a bad one falls back to all years with a message
    body = client.get("/projects/rollups/", {"fiscal_year": P}).content.decode()
    assert "36.25" in body and format_fiscal_year(P) in body
    body = client.get("/projects/rollups/", {"fiscal_year": "いつか"}).content.decode()
    assert "39.25" in body and "field-error" in body


def test_rollups_page_without_data_or_pack(client, people):
    client.force_login(people["users"][Role.LEADER])
    response = client.get("/projects/rollups/")
    assert response.status_code == 200
    assert "ポリシーパックが読み込まれていない" in response.content.decode()


def test_export_one_workbook_one_sheet_per_table(client, rollup_city):
    client.force_login(rollup_city.people["users"][Role.MANAGER])
    response = client.get("/projects/rollups/export/", {"fiscal_year": P})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "局区別の削減時間",
        "部別の削減時間",
        "期別の削減時間",
        "年度別の削減時間",
        "ステップ別の件数",
        "ステップの平均所要日数",
        "種類別の相談",
        "横展開の多い事例",
    ]
    tops = {row[0]: row for row in wb["局区別の削減時間"].iter_rows(min_row=2, values_only=True)}
    assert tops["北区"][2:] == (-2, 1, -2, 1)
    assert tops["東区"][2:] == (20.5, 3, 6, 1)
    days = list(wb["ステップの平均所要日数"].iter_rows(min_row=2, values_only=True))
    assert days[0] == ("1. 問題点の共有", 9, 4.3)
    assert not ExportLog.objects.exists()  # aggregates: not a personal-data export


def test_export_single_table_csv_and_bad_requests(client, rollup_city):
    client.force_login(rollup_city.people["users"][Role.HR])
    response = client.get("/projects/rollups/export/", {"table": "consultations", "fmt": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("相談の種類,件数") and "技術的支援,3,1,2,0,2.5" in lines
    response = client.get("/projects/rollups/export/", {"table": "bu"})
    assert load_workbook(io.BytesIO(response.content)).active.title == "部別の削減時間"
    assert client.get("/projects/rollups/export/", {"table": "nope"}).status_code == 404
    assert client.get("/projects/rollups/export/", {"fmt": "csv"}).status_code == 404  # all tables: Excel only
    assert not ExportLog.objects.exists()


def test_api_rollups(client, rollup_city):
    client.force_login(rollup_city.people["users"][Role.LIAISON])
    data = client.get("/api/v1/project-rollups/").json()
    assert data["total"] == {
        "verified_hours": 39.25,
        "verified_projects": 6,
        "planned_hours": 14.0,
        "planned_projects": 3,
    }
    assert {r["name"]: r["verified_hours"] for r in data["by_top"]} == {"東区": 20.5, "北区": 1.0, "総務局": 17.75}
    assert [r["projects"] for r in data["by_step"]] == [1, 1, 1, 1, 6, 1]
    assert data["step_days"][3]["average_days"] == 16.7
    assert data["consultations"][0]["average_resolution_days"] == 2.5
    wareki = format_fiscal_year(P)
    for value in (str(P), wareki):
        data = client.get("/api/v1/project-rollups/", {"fiscal_year": value, "as_of": "2020-04-01"}).json()
        assert data["fiscal_year"] == P and data["total"]["verified_hours"] == 36.25
        assert data["as_of"] == "2020-04-01"
    response = client.get("/api/v1/project-rollups/", {"fiscal_year": "そのうち", "as_of": "昨日"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"fiscal_year", "as_of"}


def test_api_practice_leaders(client, rollup_city):
    client.force_login(rollup_city.desk)
    data = client.get("/api/v1/practice-leaders/", {"fiscal_year": P}).json()
    assert data["total"] == 6 and data["verified_hours"] == 6.0
    assert {c["status"]: c["leaders"] for c in data["counts"]}["verified"] == 2
    row = next(r for r in data["leaders"] if r["name"] == "リーダー L6")
    assert row["status"] == "not_started" and row["project_id"] is None and row["verified_hours"] is None
    row = next(r for r in data["leaders"] if r["name"] == "リーダー L3")
    assert row["status"] == "introduced" and row["project_step"] == 4 and row["step_name"] == "運用ルール承認・定着"
    client.force_login(rollup_city.people["users"][Role.LIAISON])
    names = {r["name"] for r in client.get("/api/v1/practice-leaders/", {"fiscal_year": P}).json()["leaders"]}
    assert names == {"リーダー L1", "リーダー L6"}


@pytest.mark.parametrize("role", list(Role))
def test_api_rollups_every_role(client, people, role):
    client.force_login(people["users"][role])
    assert client.get("/api/v1/project-rollups/").status_code == 200


def test_api_needs_login(client, db):
    assert client.get("/api/v1/project-rollups/").status_code in (401, 403)
    assert client.get("/api/v1/practice-leaders/").status_code in (401, 403)

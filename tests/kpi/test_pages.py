"""The programme dashboard, its Excel exports and the policy page."""

import io

import pytest
from openpyxl import load_workbook

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from tests import factories as f

R10_JUNE = "2028-06-01"


@pytest.fixture
def user(db):
    return f.login(None, Role.EMPLOYEE)


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def test_dashboard_shows_the_numbers(client_in, small_programme):
    response = client_in.get("/dashboard/", {"as_of": R10_JUNE})
    assert response.status_code == 200
    body = response.content.decode()
    assert "令和10年6月1日現在" in body
    assert "令和10年度までに計105名" in body and "あと100名" in body
    assert "リーダーのいない部があと3部" in body
    assert "第1期" in body and "第6期" in body and "（未編成）" in body
    assert "保健福祉部" in body and "行政部" in body  # uncovered, by 局区
    assert 'id="kpi-chart-data"' in body and "vendor/chartjs/chart.umd.min.js" in body
    assert "js/charts.js" in body
    assert "<script>" not in body  # strict CSP: only src= scripts and the JSON data block
    assert 'style="' not in body


def test_as_of_accepts_wareki(client_in, small_programme):
    body = client_in.get("/dashboard/", {"as_of": "R10.6.1"}).content.decode()
    assert "令和10年6月1日現在" in body


def test_bad_as_of_shows_an_error_and_today(client_in, small_programme):
    response = client_in.get("/dashboard/", {"as_of": "2028-02-30"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "存在しない日付です" in body and 'aria-invalid="true"' in body


def test_dashboard_without_a_pack(client_in):
    response = client_in.get("/dashboard/")
    assert response.status_code == 200
    assert "ポリシーパックが読み込まれていません" in response.content.decode()


def _sheet(response):
    wb = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("table", "header", "first_row"),
    [
        ("targets", "年度", ["令和8年度", 35, 3, 3, 32, "未達成"]),
        ("funnel", "期", ["第1期", "令和8年度", 35, 5, 4, 3, 3, 1, "75.0%"]),
        ("coverage", "局区", ["総務局", "B01", "行政部", "B01-2"]),
        ("leaders_by_unit", "局区", ["総務局", "B01", 2, 1, 1, "50.0%", 1]),
    ],
)
def test_excel_export_of_each_table(client_in, small_programme, table, header, first_row):
    response = client_in.get("/dashboard/export/", {"table": table, "as_of": R10_JUNE})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response)
    assert rows[0][0] == header
    assert rows[1] == first_row
    assert not ExportLog.objects.exists()  # aggregates, no personal data: not a personal export


def test_csv_export(client_in, small_programme):
    response = client_in.get("/dashboard/export/", {"table": "coverage", "fmt": "csv", "as_of": R10_JUNE})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "局区,局区コード,部,部コード"
    assert len(text.splitlines()) == 1 + 3  # three uncovered 部


def test_unknown_export_is_404(client_in, small_programme):
    assert client_in.get("/dashboard/export/", {"table": "people"}).status_code == 404
    assert client_in.get("/dashboard/export/", {"fmt": "pdf"}).status_code == 404


def test_policy_page_shows_the_pack(client_in, sapporo_pack):
    body = client_in.get("/dashboard/policy/").content.decode()
    assert "札幌市デジタル人材育成方針" in body
    assert "<strong>38時間</strong>" in body and "<strong>10日</strong>" in body
    assert "第6期" in body and "令和13年度" in body
    assert "定数内（標準モデル）" in body and "地域DX支援・人材育成" in body
    assert "マインドセット" in body and "企画立案と要件定義" in body
    # the improvement steps and who owns them, and the desk's kinds, straight from the pack
    assert "1. 問題点の共有</th><td>管理職</td>" in body and "3. 解決策の試行・検証</th><td>DX推進リーダー</td>" in body
    assert "予算要求支援" in body and "民間企業との実証機会" in body


def test_policy_page_lists_versions_and_shows_one(client_in, sapporo_pack, tmp_path):
    from dxtalent.policy.services import policy_pack_load
    from tests.kpi import builders as b

    folder = b.changed_pack(tmp_path, lambda leaders: leaders["cohort_plan"].__setitem__("cohort_size", 20))
    newer = policy_pack_load(directory=folder).pack
    body = client_in.get("/dashboard/policy/").content.decode()
    assert "1.0" in body and "9.9" in body
    body = client_in.get("/dashboard/policy/", {"pack": newer.pk}).content.decode()
    assert "1期あたり 20名" in body
    assert client_in.get("/dashboard/policy/", {"pack": 999999}).status_code == 404


def test_policy_page_without_a_pack(client_in):
    response = client_in.get("/dashboard/policy/")
    assert response.status_code == 200
    assert "読み込まれていません" in response.content.decode()


def test_today_is_the_default(client_in, sapporo_pack):
    from django.utils import timezone

    from dxtalent.core.wareki import format_wareki

    body = client_in.get("/dashboard/").content.decode()
    assert f"{format_wareki(timezone.localdate())}現在" in body

"""In the browser: the dashboard's chart is drawn by static/js/charts.js under the strict CSP, with no script
errors; the uncovered 部 open per 局区; the as-of date picker changes the numbers."""

import pytest

from dxtalent.core.roles import Role
from tests import factories as f
from tests.e2e.conftest import browser_page, screenshot  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"


def log_in(page, username: str) -> None:
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.get_by_label("職員番号").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")


def test_dashboard_chart_and_coverage(browser_page, small_programme):  # noqa: F811
    from playwright.sync_api import expect

    page = browser_page
    user = f.login(None, Role.EMPLOYEE, password=PASSWORD)
    log_in(page, user.username)
    page.goto("/dashboard/?as_of=2028-06-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("令和10年6月1日現在")
    has_chart_js = page.evaluate("() => Boolean(window.Chart)")
    if has_chart_js:  # static_build/ built: the chart is drawn from the JSON block
        page.wait_for_function("() => document.querySelector('#kpi-chart').hasAttribute('data-dx-chart')")
        datasets = page.evaluate("() => window.Chart.getChart('kpi-chart').data.datasets.map(d => d.label)")
        assert datasets == ["年度内の認定", "累計認定", "累計目標"]
        cumulative = page.evaluate("() => window.Chart.getChart('kpi-chart').data.datasets[1].data")
        assert cumulative[:3] == [3, 5, 5]
    # the uncovered 部 of 東区 open on demand
    details = page.locator("details.uncovered", has_text="東区")
    expect(details.get_by_text("保健福祉部")).to_be_hidden()
    details.locator("summary").click()
    expect(details.get_by_text("保健福祉部")).to_be_visible()
    # sortable: sort 局区 by リーダー数
    table = page.locator("#by-unit-table")
    table.get_by_role("button", name="リーダー数").click()
    expect(table.locator("tbody tr").first).to_contain_text("総務局")
    screenshot(page, "kpi-dashboard")
    # the date picker: the day before 第1期 was certified
    page.get_by_label("基準日", exact=True).fill("2027-03-19")
    page.get_by_role("button", name="表示").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("令和9年3月19日現在")
    expect(page.locator("#summary-title")).to_have_text("令和8年度の状況")
    assert page.dx_errors == []


def test_policy_page(browser_page, sapporo_pack):  # noqa: F811
    from playwright.sync_api import expect

    page = browser_page
    user = f.login(None, Role.LEADER, password=PASSWORD)
    log_in(page, user.username)
    page.goto("/dashboard/policy/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("札幌市デジタル人材育成方針")
    expect(page.get_by_text("必須フェーズの合計")).to_contain_text("38時間")
    screenshot(page, "kpi-policy")
    assert page.dx_errors == []

"""In the browser: an HR user finds a person by kana and reads their transfer history; roles shape the menu.

Runs against pytest-django's live server (static files served from static/ and static_build/ by the staticfiles
handler). When static_build/ has not been built there is no htmx: the search form is then submitted normally.
"""

import datetime as dt
import re

import pytest

from dxtalent.core.roles import Role
from dxtalent.org import services
from tests import factories as f

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"


@pytest.fixture
def staff():
    """A small city with three people; 佐藤 花子 moved from 東区 戸籍住民課 to 総務局 人事課 on 2024-04-01."""
    city = f.small_city()
    shuji = f.position("主事", rank=80)
    kakaricho = f.position("係長", rank=60)
    sato = f.employee(city["higashi_koseki"], name="佐藤 花子", kana="サトウ ハナコ", pos=shuji)
    services.employee_transfer(employee=sato, unit=city["somu_jinjika"], position=kakaricho, on=dt.date(2024, 4, 1))
    suzuki = f.employee(city["kita_koseki"], name="鈴木 一郎", kana="スズキ イチロウ", pos=shuji)
    kato = f.employee(city["higashi_hoken"], name="加藤 健", kana="カトウ ケン", pos=shuji)
    hr = f.employee(city["somu_jinjika"], name="人事 次郎", kana="ジンジ ジロウ", pos=kakaricho)
    f.login(hr, Role.HR, password=PASSWORD)
    f.login(suzuki, Role.EMPLOYEE, password=PASSWORD)
    return {"city": city, "sato": sato, "suzuki": suzuki, "kato": kato, "hr": hr}


def log_in(page, username: str, password: str = PASSWORD) -> None:
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン")
    page.get_by_label("職員番号").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ようこそ")


def has_htmx(page) -> bool:
    return bool(page.evaluate("() => Boolean(window.htmx)"))


def submit_without_htmx(page) -> None:
    """With htmx the results follow every change by themselves; without it (no static_build/), press 検索."""
    if not has_htmx(page):
        page.get_by_role("button", name="検索", exact=True).click()


def test_hr_finds_person_by_hiragana_and_reads_transfer_history(browser_page, staff):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, staff["hr"].number)
    screenshot(page, "home-hr")

    nav = page.get_by_role("navigation", name="メインメニュー")
    nav.get_by_role("link", name="職員", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("職員一覧")
    expect(nav.get_by_role("link", name="職員", exact=True)).to_have_attribute("aria-current", "page")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="鈴木 一郎")).to_be_visible()

    search = page.get_by_label("氏名・カナ・職員番号")
    search.press_sequentially("さとう", delay=40)  # ひらがな must match the katakana サトウ
    if not has_htmx(page):
        search.press("Enter")  # no static_build/: a plain form submission
    expect(results.get_by_role("link", name="佐藤 花子")).to_be_visible()
    expect(results.get_by_role("link", name="鈴木 一郎")).to_have_count(0)
    expect(results.get_by_role("link", name="加藤 健")).to_have_count(0)  # カトウ contains トウ, not サトウ
    expect(results.locator(".summary")).to_have_text("1件")
    expect(page).to_have_url(re.compile(r"[?&]q=%E3%81%95%E3%81%A8%E3%81%86"))  # the URL keeps the query
    if has_htmx(page):
        expect(search).to_be_focused()  # search-as-you-type: only #results was swapped, typing goes on
        expect(page.locator("[data-results-status]")).to_have_text("検索結果: 1件")  # read out by screen readers
        expect(results).not_to_have_attribute("aria-busy", "true")
    screenshot(page, "employee-list")

    results.get_by_role("link", name="佐藤 花子").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("佐藤 花子")
    history = page.locator("#assignment-history")
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(2)
    # newest first: the current 所属 (open-ended, 現在), then the old one, end-dated the day before the transfer
    expect(rows.nth(0)).to_contain_text("令和6年4月1日 〜 現在")
    expect(rows.nth(0)).to_contain_text("総務局 職員部 人事課")
    expect(rows.nth(0)).to_contain_text("係長")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    expect(rows.nth(1)).to_contain_text("平成27年4月1日 〜 令和6年3月31日")
    expect(rows.nth(1)).to_contain_text("東区 市民部 戸籍住民課")
    expect(rows.nth(1)).to_contain_text("主事")
    expect(page.get_by_role("navigation", name="パンくずリスト")).to_contain_text("職員一覧")
    screenshot(page, "employee-detail")

    assert page.dx_errors == []


def test_employee_does_not_see_staff_menu(browser_page, staff):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, staff["suzuki"].number)
    nav = page.get_by_role("navigation", name="メインメニュー")
    expect(nav.get_by_role("link", name="わたしの情報")).to_be_visible()
    expect(nav.get_by_role("link", name="組織", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="職員", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="職員一覧")).to_have_count(0)

    page.goto("/employees/")  # typing the address does not help either
    expect(page.get_by_role("heading", level=1)).to_have_text("このページを表示する権限がありません")

    page.goto("/")
    nav.get_by_role("link", name="わたしの情報").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("鈴木 一郎")
    # own page: no breadcrumb link to a list the employee may not open
    expect(page.get_by_role("navigation", name="パンくずリスト").get_by_role("link", name="職員一覧")).to_have_count(0)
    page.goto(f"/employees/{staff['sato'].pk}/")  # someone else's page
    expect(page.get_by_role("heading", level=1)).to_have_text("このページを表示する権限がありません")
    assert page.dx_errors == []


def test_org_tree_collapses_and_filters(browser_page, staff):
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, staff["hr"].number)
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="組織", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("組織図")
    tree = page.locator("#org-tree")

    def row(code):  # by 組織コード (small_city's codes), so the locator stays put while rows hide and show
        return tree.locator(f'tr[data-filter-text~="{code}"]')

    koseki_higashi, jinjika = row("K01-1-1"), row("B01-1-1")

    # 局区 and 部 show; 課 start collapsed
    expect(tree.get_by_role("rowheader", name="東区")).to_be_visible()
    expect(jinjika).to_be_hidden()
    toggle = tree.get_by_role("button", name="職員部の配下")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")  # keyboard works
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(jinjika).to_be_visible()
    expect(jinjika.locator("td.num").first).to_have_text("2")  # 佐藤 and 人事

    # collapsing a 局区 hides everything below it
    ku = tree.get_by_role("button", name="総務局の配下")
    ku.click()
    expect(ku).to_have_attribute("aria-expanded", "false")
    expect(tree.get_by_role("rowheader", name="職員部")).to_be_hidden()
    expect(jinjika).to_be_hidden()

    # the filter shows matches and their ancestors, whatever is collapsed
    page.get_by_label("組織名・組織コードで絞り込み").fill("戸籍")
    expect(koseki_higashi).to_be_visible()
    expect(tree.locator("tr[data-unit]:visible")).to_have_count(6)  # 2 × (区, 市民部, 戸籍住民課)
    expect(page.locator("#tree-filter-status")).to_have_text("2件が一致しました。")
    screenshot(page, "org-tree")
    shimin = row("K01-1").get_by_role("button", name="市民部の配下")
    expect(shimin).to_have_attribute("aria-expanded", "true")  # the filter opened the way to its matches
    shimin.click()  # toggles keep working while filtering
    expect(koseki_higashi).to_be_hidden()
    shimin.click()
    expect(koseki_higashi).to_be_visible()
    page.get_by_label("組織名・組織コードで絞り込み").fill("")
    expect(koseki_higashi).to_be_visible()  # clearing keeps what the filter revealed …
    expect(jinjika).to_be_hidden()  # … and what was collapsed stays collapsed
    page.get_by_role("button", name="部までに折りたたむ").click()
    expect(koseki_higashi).to_be_hidden()
    assert page.dx_errors == []


def test_client_side_sort_uses_japanese_collation(browser_page, staff):
    """`table[data-sortable]` (for tables that are not paginated on the server) sorts by kana with Intl.Collator."""
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, staff["hr"].number)
    page.evaluate(
        """() => {
          const t = document.createElement('table');
          t.id = 'sort-demo'; t.className = 'table'; t.setAttribute('data-sortable', '');
          t.innerHTML = '<thead><tr><th scope="col">カナ</th><th scope="col" class="num">時間</th></tr></thead>'
            + '<tbody><tr><td>ワタナベ</td><td>3</td></tr><tr><td>あべ</td><td>12</td></tr>'
            + '<tr><td>カトウ</td><td>1.5</td></tr></tbody>';
          document.querySelector('main').appendChild(t);
          window.dxtalent.enhance(t);
        }"""
    )
    table = page.locator("#sort-demo")
    first_col = table.locator("tbody tr td:first-child")
    kana = table.get_by_role("button", name="カナ")
    kana.click()
    expect(table.locator("th").first).to_have_attribute("aria-sort", "ascending")
    expect(first_col).to_have_text(["あべ", "カトウ", "ワタナベ"])  # ひらがな and カタカナ sort together
    kana.press("Enter")
    expect(table.locator("th").first).to_have_attribute("aria-sort", "descending")
    expect(first_col).to_have_text(["ワタナベ", "カトウ", "あべ"])
    table.get_by_role("button", name="時間").click()
    expect(table.locator("th").first).to_have_attribute("aria-sort", "none")
    expect(first_col).to_have_text(["カトウ", "ワタナベ", "あべ"])  # 1.5 < 3 < 12, numerically
    assert page.dx_errors == []


def test_search_works_without_htmx(browser_page, staff):
    """Without the vendor files (static_build/ not built, or blocked) the search is a plain form: Enter submits it."""
    from playwright.sync_api import expect

    page = browser_page
    page.route("**/static/vendor/**", lambda route: route.fulfill(status=404, body=""))
    log_in(page, staff["hr"].number)
    page.goto("/employees/")
    assert not has_htmx(page)
    search = page.get_by_label("氏名・カナ・職員番号")
    search.fill("ｻﾄｳ")  # 半角カナ works too
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    results = page.locator("#results")
    expect(results.get_by_role("link", name="佐藤 花子")).to_be_visible()
    expect(results.locator(".summary")).to_have_text("1件")
    expect(page.get_by_label("氏名・カナ・職員番号")).to_have_value("ｻﾄｳ")
    assert page.dx_errors == []


def test_unit_filters_narrow_each_other(browser_page, staff):
    """局区 → 部 → 課: choosing a 局区 offers only its 部, choosing a 部 only its 課; the results follow."""
    from playwright.sync_api import expect

    page = browser_page
    city = staff["city"]
    log_in(page, staff["hr"].number)
    page.goto("/employees/")
    top, bu, ka = page.get_by_label("局区"), page.get_by_label("部", exact=True), page.get_by_label("課", exact=True)
    enabled_groups = "(s) => [...s.querySelectorAll('optgroup:not([disabled])')].map((g) => g.label)"

    top.select_option(label="東区")
    assert bu.evaluate(enabled_groups) == ["東区"]
    assert ka.evaluate(enabled_groups) == ["東区 市民部"]
    bu.select_option(value=str(city["higashi_shimin"].pk))
    ka.select_option(label="保険年金課")
    submit_without_htmx(page)
    results = page.locator("#results")
    expect(results.get_by_role("link", name="加藤 健")).to_be_visible()
    expect(results.locator(".summary")).to_have_text("1件")

    top.select_option(label="北区")  # the 部 and 課 of 東区 no longer fit: back to すべて
    expect(bu).to_have_value("")
    expect(ka).to_have_value("")
    assert ka.evaluate(enabled_groups) == ["北区 市民部"]
    submit_without_htmx(page)
    expect(results.get_by_role("link", name="鈴木 一郎")).to_be_visible()
    expect(results.locator(".summary")).to_have_text("1件")
    assert page.dx_errors == []

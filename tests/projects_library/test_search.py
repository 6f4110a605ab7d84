"""Japanese search of the case library: 2-, 3- and 4-character terms on SQLite and PostgreSQL alike, ranked the
same way on both, with escaped <mark> highlights; hidden units / leaders are neither searchable nor shown;
withdrawn cases never appear."""

import pytest
from django.db import connection

from dxtalent.core.roles import Role
from dxtalent.projects import search, services
from dxtalent.projects.selectors.cases import library_search

pytestmark = pytest.mark.django_db


def titles(user, q, **kw):
    return [c.case.title for c in library_search(user=user, q=q, **kw).cards]


@pytest.fixture
def employee(people):
    return people["users"][Role.EMPLOYEE]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("進捗", ["照会業務の進捗管理の見える化", "会議の日程調整と進捗共有", "固定資産台帳の電子化"]),
        ("照会", ["照会業務の進捗管理の見える化", "固定資産台帳の電子化"]),
        ("台帳", ["固定資産台帳の電子化"]),
        ("電子化", ["窓口の受付票の整理", "固定資産台帳の電子化"]),  # a tie at 3: D (newer) first
        ("アプリ", ["照会業務の進捗管理の見える化", "固定資産台帳の電子化"]),
        ("見える化", ["照会業務の進捗管理の見える化"]),
        ("見エル化", ["照会業務の進捗管理の見える化"]),  # katakana finds hiragana
        ("タスク管理", ["照会業務の進捗管理の見える化"]),
        ("ﾀｽｸ管理", ["照会業務の進捗管理の見える化"]),  # half-width kana (NFKC)
        ("照会　台帳", ["固定資産台帳の電子化"]),  # full-width space = AND
        ("進捗 日程", ["会議の日程調整と進捗共有"]),
        ("存在しない語", []),
    ],
)
def test_terms_of_every_length_are_found_and_ranked(library, employee, q, expected):
    assert titles(employee, q) == expected


def test_scores_follow_the_weights(library, employee):
    cards = library_search(user=employee, q="進捗").cards
    assert [c.hit.score for c in cards] == [5, 3, 1]
    assert [c.hit.score for c in library_search(user=employee, q="照会").cards] == [8, 2]
    electronic = library_search(user=employee, q="電子化").cards
    assert [c.hit.score for c in electronic] == [3, 3]  # tie → newest first (D was published after B)


def test_highlights_wrap_matches_and_escape_html(library, employee, staff):
    card = library_search(user=employee, q="見える化").cards[0]
    assert str(card.hit.title_html) == "照会業務の進捗管理の<mark>見える化</mark>"
    card = library_search(user=employee, q="見エル化").cards[0]
    assert "<mark>見える化</mark>" in str(card.hit.title_html)
    card = library_search(user=employee, q="台帳").cards[0]
    assert str(card.hit.title_html) == "固定資産<mark>台帳</mark>の電子化"
    assert str(card.hit.snippet_html) == "紙の<mark>台帳</mark>をデータベース化し、照会に即答できるようにした"
    services.case_update(case=library["C"], by=staff, summary="<script>alert(1)</script> 日程調整ツールを導入した")
    card = library_search(user=employee, q="日程").cards[0]
    html = str(card.hit.snippet_html)
    assert "<script>" not in html and "&lt;script&gt;" in html and "<mark>日程</mark>調整" in html


def test_snippet_is_cut_around_the_first_hit(library, staff, employee):
    long_text = "あ" * 200 + "進捗を共有" + "い" * 200
    services.case_update(case=library["C"], by=staff, problem=long_text)
    services.case_update(case=library["C"], by=staff, title="会議の日程調整", summary="日程調整ツールを導入した")
    card = next(c for c in library_search(user=employee, q="進捗").cards if c.case.pk == library["C"].pk)
    html = str(card.hit.snippet_html)
    assert html.startswith("…") and html.endswith("…") and "<mark>進捗</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) == search.SNIPPET_WIDTH + 2


def test_hidden_unit_and_leader_are_not_searchable_nor_shown(library, employee, staff, client):
    assert titles(employee, "保険年金課") == []  # D's unit, hidden
    assert titles(employee, "北区") == ["照会業務の進捗管理の見える化"]  # A shows its unit
    assert titles(employee, "鈴木") == []  # A's leader, not shown
    d = next(c for c in library_search(user=employee, q="受付票").cards)
    assert d.unit_label == "" and "保険年金課" not in library["D"].search_text
    client.force_login(employee)
    body = client.get("/library/", {"q": "受付票"}).content.decode()
    assert "窓口の<mark>受付票</mark>の整理" in body and "保険年金課" not in body
    body = client.get(f"/library/{library['D'].pk}/").content.decode()
    assert "保険年金課" not in body
    # the secretariat shows the leader: now searchable and shown
    services.case_update(case=library["A"], by=staff, show_leader=True)
    assert titles(employee, "鈴木") == ["照会業務の進捗管理の見える化"]
    assert "鈴木 一郎" in client.get("/library/", {"q": "鈴木"}).content.decode()
    # and hides the unit again: 北区 is gone from the index
    services.case_update(case=library["A"], by=staff, show_unit=False)
    assert titles(employee, "北区") == []


def test_withdrawn_cases_never_appear(library, employee, staff, client):
    services.case_withdraw(case=library["B"], by=staff)
    assert titles(employee, "台帳") == []
    assert "固定資産台帳の電子化" not in titles(employee, "")
    client.force_login(employee)
    assert client.get(f"/library/{library['B'].pk}/").status_code == 404
    assert client.get("/api/v1/cases/", {"q": "台帳"}).json()["count"] == 0
    client.force_login(staff)
    assert client.get(f"/library/{library['B'].pk}/").status_code == 200  # the secretariat still sees it


def test_filters_and_sorts(library, employee):
    assert titles(employee, "", work_category="ledger") == ["固定資産台帳の電子化"]
    assert titles(employee, "進捗", tool_kind="groupware") == ["照会業務の進捗管理の見える化"]
    assert titles(employee, "", sort="newest")[0] == "窓口の受付票の整理"
    assert titles(employee, "進捗", sort="newest") == [
        "会議の日程調整と進捗共有",
        "固定資産台帳の電子化",
        "照会業務の進捗管理の見える化",
    ]


def test_update_reindexes(library, employee, staff):
    services.case_update(case=library["C"], by=staff, title="会議室予約の一元化")
    assert "会議室予約の一元化" in titles(employee, "一元化")  # 3 characters: FTS on SQLite
    assert titles(employee, "日程調整と") == []
    assert "会議室予約の一元化" in titles(employee, "予約")  # 2 characters: LIKE


def test_index_cases_rebuilds_after_bulk_changes(library, employee):
    from dxtalent.projects.models import Case

    Case.objects.filter(pk=library["C"].pk).update(title="庁内照会の一元化", search_text="")
    assert "庁内照会の一元化" not in titles(employee, "庁内照会")
    assert search.index_cases() == 4
    assert titles(employee, "庁内照会") == ["庁内照会の一元化"]


def test_parse_terms():
    assert search.parse_terms("  照会　台帳 照会 ") == ["照会", "台帳"]
    assert search.parse_terms("ＡＢＣ　ｶﾅ") == ["abc", "カナ"]
    assert search.parse_terms("") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_has_the_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'projects_case_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_uses_the_trigram_index_for_long_terms(library):
    from dxtalent.projects.models import Case

    qs = search.matching(Case.objects.order_by(), search.parse_terms("固定資産"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # leave the bitmap scan a trigram index allows
        plan = qs.explain()
    assert "projects_case_search_trgm" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_fts_table_follows_the_cases(library):
    # the index holds search keys: hiragana folded to katakana (台帳の → 台帳ノ)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s", ['"台帳ノ"'])
        assert cursor.fetchone()[0] == 1

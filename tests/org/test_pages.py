"""The staff registry pages as a user sees them: tree as of a date, search, filters, sort, detail, counts."""

import datetime as dt

import pytest
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.org import services
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def hr_client(client, people):
    client.force_login(people["users"][Role.HR])
    return client


@pytest.mark.django_db
def test_org_tree_headcount_today(hr_client, people):
    body = hr_client.get("/org/").content.decode()
    assert "東区" in body and "戸籍住民課" in body
    snapshot = hr_client.get("/org/").context["snapshot"]
    higashi = snapshot.nodes[people["units"]["higashi"].pk]
    # 東 花子, 東区 担当, 戸籍 課長 in 戸籍住民課 + 保険 次郎 in 保険年金課
    assert higashi.headcount == 4
    assert snapshot.nodes[people["units"]["higashi_koseki"].pk].own_headcount == 3


@pytest.mark.django_db
def test_org_tree_as_of_a_past_date_shows_old_names_and_counts(hr_client, people):
    units = people["units"]
    renamed_on = TODAY - dt.timedelta(days=30)
    services.orgunit_revise(unit=units["kita_koseki"], name="区民課", parent=units["kita_shimin"], on=renamed_on)
    services.employee_transfer(
        employee=people["kita_staff"], unit=units["higashi_koseki"], position=f.position(), on=renamed_on
    )
    past = renamed_on - dt.timedelta(days=1)
    then = hr_client.get("/org/", {"as_of": past.isoformat()}).context["snapshot"]
    now = hr_client.get("/org/").context["snapshot"]
    assert then.nodes[units["kita_koseki"].pk].name == "戸籍住民課"
    assert now.nodes[units["kita_koseki"].pk].name == "区民課"
    assert then.nodes[units["kita"].pk].headcount == now.nodes[units["kita"].pk].headcount + 1
    # 和暦 input works too; a bad date re-shows the form with a message and today's tree
    assert hr_client.get("/org/", {"as_of": "R7.4.1"}).context["day"] == dt.date(2025, 4, 1)
    response = hr_client.get("/org/", {"as_of": "2026-02-30"})
    assert "存在しない日付" in response.content.decode() and response.context["day"] == timezone.localdate()


@pytest.mark.django_db
def test_org_tree_query_count_is_fixed(hr_client, people, django_assert_max_num_queries):
    for i in range(30):
        f.unit(f"追加課{i}", "ka", people["units"]["kita_shimin"])
    with django_assert_max_num_queries(9):
        hr_client.get("/org/")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ひがし", "ヒガシ", "ﾋｶﾞｼ", "東 花子", "東　花子"])
def test_search_by_kana_or_name_with_any_width(hr_client, people, query):
    rows = hr_client.get("/employees/", {"q": query}).context["rows"]
    names = [e.name for e, _, _ in rows]
    assert "東 花子" in names and "北 一郎" not in names


@pytest.mark.django_db
def test_search_by_full_width_staff_number(hr_client, people):
    number = people["kita_staff"].number
    full = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows = hr_client.get("/employees/", {"q": full}).context["rows"]
    assert [e.number for e, _, _ in rows] == [number]


@pytest.mark.django_db
def test_filters_by_unit_subtree_job_type_and_position(hr_client, people):
    units = people["units"]
    names = lambda params: sorted(e.name for e, _, _ in hr_client.get("/employees/", params).context["rows"])  # noqa: E731
    assert names({"top": units["kita"].pk}) == ["リーダー 四郎", "北 一郎"]
    assert names({"ka": units["higashi_hoken"].pk}) == ["保険 次郎"]
    kacho = f.position("課長", rank=30, is_manager=True)
    assert names({"position": kacho.pk}) == ["戸籍 課長"]
    engineer = f.job_type("電気")
    f.employee(units["kita_koseki"], name="電気 五郎", kana="デンキ ゴロウ", job=engineer)
    assert names({"job_type": engineer.pk, "top": units["kita"].pk}) == ["電気 五郎"]


@pytest.mark.django_db
def test_sort_by_kana_and_paginate(hr_client, people):
    rows = hr_client.get("/employees/").context["rows"]
    kana = [e.name_kana for e, _, _ in rows]
    assert kana == sorted(kana, key=lambda k: k.replace(" ", ""))
    rows_desc = hr_client.get("/employees/", {"sort": "-kana"}).context["rows"]
    assert [e.pk for e, _, _ in rows_desc] == [e.pk for e, _, _ in rows][::-1]
    for i in range(60):
        f.employee(people["units"]["kita_koseki"], name=f"多数 {i}", kana=f"タスウ {i:02d}")
    page2 = hr_client.get("/employees/", {"page": 2})
    assert page2.context["page"].number == 2 and len(page2.context["rows"]) > 0
    assert hr_client.get("/employees/", {"page": "abc"}).status_code == 200  # falls back to page 1


@pytest.mark.django_db
def test_retired_people_hidden_unless_asked(hr_client, people):
    services.employee_retire(employee=people["kita_staff"], on=TODAY)
    names = [e.name for e, _, _ in hr_client.get("/employees/").context["rows"]]
    assert "北 一郎" not in names
    names = [e.name for e, _, _ in hr_client.get("/employees/", {"include_retired": "on"}).context["rows"]]
    assert "北 一郎" in names


@pytest.mark.django_db
def test_htmx_search_returns_only_the_results_fragment(hr_client, people):
    response = hr_client.get("/employees/", {"q": "ひがし"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body and "<html" not in body and "東 花子" in body


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [5, 60])
def test_employee_list_query_count_is_fixed(hr_client, people, extra, django_assert_num_queries):
    for i in range(extra):
        f.employee(people["units"]["kita_koseki"], name=f"追加 {i}", kana=f"ツイカ {i:02d}")
    hr_client.get("/employees/")  # warm the session
    # session, user, role grants, own employee, count, org snapshot, page, current assignments, job types,
    # positions, and the sliding-session save (savepoint, update, release): 13 whatever the number of rows.
    with django_assert_num_queries(13):
        hr_client.get("/employees/")


@pytest.mark.django_db
def test_export_xlsx_and_csv_carry_the_filtered_rows(hr_client, people):
    import io

    from openpyxl import load_workbook

    response = hr_client.get("/employees/export.xlsx", {"top": people["units"]["kita"].pk})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("職員番号", "氏名", "氏名カナ", "局区")
    assert sorted(r[1] for r in rows[1:]) == ["リーダー 四郎", "北 一郎"]
    assert {r[3] for r in rows[1:]} == {"北区"}
    csv = hr_client.get("/employees/export.csv", {"q": "キタ"}).content
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "北 一郎" in csv.decode("utf-8-sig")


@pytest.mark.django_db
def test_employee_page_shows_history_and_changes(hr_client, people):
    person = people["kita_staff"]
    move_on = TODAY - dt.timedelta(days=10)
    services.employee_transfer(
        employee=person, unit=people["units"]["higashi_hoken"], position=f.position(), on=move_on
    )
    response = hr_client.get(f"/employees/{person.pk}/")
    body = response.content.decode()
    assert "東区 市民部 保険年金課" in body  # current 所属
    history = response.context["history"]
    assert [label for _, label in history] == ["東区 市民部 保険年金課", "北区 市民部 戸籍住民課"]
    old = history[1][0]
    assert old.valid_to == move_on - dt.timedelta(days=1)
    assert "現在" in body
    assert len(response.context["changes"]) >= 2

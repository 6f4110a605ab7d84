"""The /api/v1/ endpoints: data as of a date, and the same row scoping as the pages, role by role.

Bad input, authentication, query counts and the OpenAPI docs are in test_api_input.py and test_api_auth.py.
"""

import datetime as dt

import pytest
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.org import services
from dxtalent.org.models import OrgKind
from tests import factories as f

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/org-units/"
EMPLOYEES = "/api/v1/employees/"
ASSIGNMENTS = "/api/v1/assignments/"
ALL_SCOPE = [Role.SECRETARIAT, Role.HR, Role.SYSADMIN]


def get(client, user, url, params=None, status=200):
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def names(body) -> set[str]:
    return {row["name"] for row in body["results"]}


# ---------------------------------------------------------------- org units


def test_org_units_list_as_tree_with_headcount(client, people):
    units = people["units"]
    body = get(client, people["users"][Role.EMPLOYEE], UNITS)
    assert body["count"] == 10
    rows = {r["code"]: r for r in body["results"]}
    koseki = rows["K01-1-1"]
    assert koseki == {
        "id": units["higashi_koseki"].pk,
        "code": "K01-1-1",
        "kind": "ka",
        "kind_label": "課",
        "level": 3,
        "name": "戸籍住民課",
        "parent": {"id": units["higashi_shimin"].pk, "code": "K01-1", "name": "市民部"},
        "path": "東区 市民部 戸籍住民課",
        "valid_from": "2015-04-01",
        "valid_to": None,
        "name_valid_from": "2015-04-01",
        "name_valid_to": None,
        "headcount": 3,  # 東 花子, 東区 担当, 戸籍 課長
        "own_headcount": 3,
    }
    # 東区: those three (戸籍住民課) + 保険 次郎 (保険年金課); nobody sits in the 区 or 部 itself
    assert (rows["K01"]["headcount"], rows["K01"]["own_headcount"]) == (4, 0)
    assert rows["K02"]["headcount"] == 2 and rows["B01"]["headcount"] == 3
    assert rows["K01"]["parent"] is None
    # tree order: every parent comes before its children
    order = [r["id"] for r in body["results"]]
    for row in body["results"]:
        if row["parent"]:
            assert order.index(row["parent"]["id"]) < order.index(row["id"])


def test_org_units_kind_and_parent_filters(client, people):
    units, user = people["units"], people["users"][Role.EMPLOYEE]
    body = get(client, user, UNITS, {"kind": OrgKind.KU})
    assert names(body) == {"東区", "北区"}
    body = get(client, user, UNITS, {"parent": units["higashi_shimin"].pk})
    assert {r["code"] for r in body["results"]} == {"K01-1-1", "K01-1-2"}
    body = get(client, user, UNITS, {"parent": 999999})  # unknown parent: documented as an empty list
    assert body["count"] == 0 and body["results"] == []


def test_org_units_as_of_before_and_after_a_rename_and_a_move(client, people):
    units, user = people["units"], people["users"][Role.LIAISON]
    koseki = units["higashi_koseki"]
    services.orgunit_revise(unit=koseki, name="市民課", parent=units["higashi_shimin"], on=dt.date(2024, 4, 1))
    services.orgunit_revise(
        unit=units["higashi_hoken"], name="保険年金課", parent=units["kita_shimin"], on=dt.date(2024, 4, 1)
    )
    detail = f"{UNITS}{koseki.pk}/"

    before = get(client, user, detail, {"as_of": "2024-03-31"})
    assert before["name"] == "戸籍住民課" and before["name_valid_to"] == "2024-03-31"
    assert before["as_of"] == "2024-03-31"
    for spelling in ("2024-04-01", "2024/4/1", "R6.4.1", "令和6年4月1日", "２０２４／４／１"):
        after = get(client, user, detail, {"as_of": spelling})
        assert after["name"] == "市民課" and after["name_valid_from"] == "2024-04-01", spelling
        assert after["path"] == "東区 市民部 市民課" and after["as_of"] == "2024-04-01"

    # the move: 保険年金課 counts under 東区 before, under 北区 after
    rows = {r["code"]: r for r in get(client, user, UNITS, {"as_of": "R6.3.31"})["results"]}
    assert rows["K01-1-2"]["parent"]["code"] == "K01-1" and rows["K01"]["headcount"] == 4
    rows = {r["code"]: r for r in get(client, user, UNITS, {"as_of": "R6.4.1"})["results"]}
    assert rows["K01-1-2"]["parent"]["code"] == "K02-1" and rows["K01"]["headcount"] == 3
    assert rows["K02"]["headcount"] == 3
    shimin = get(client, user, f"{UNITS}{units['higashi_shimin'].pk}/", {"as_of": "2024-04-01"})
    assert [c["name"] for c in shimin["children"]] == ["市民課"]


def test_org_units_before_they_existed(client, people):
    units, user = people["units"], people["users"][Role.EMPLOYEE]
    assert get(client, user, UNITS, {"as_of": "2010-01-01"})["count"] == 0
    body = get(client, user, f"{UNITS}{units['kita'].pk}/", {"as_of": "2010-01-01"}, status=404)
    assert "2010-01-01" in body["detail"]
    get(client, user, f"{UNITS}999999/", status=404)


def test_headcount_as_of_follows_transfers_and_retirements(client, people):
    units, user = people["units"], people["users"][Role.HR]
    mover = people["kita_staff"]
    services.employee_transfer(
        employee=mover, unit=units["higashi_hoken"], position=f.position(), on=dt.date(2024, 4, 1)
    )
    services.employee_retire(employee=people["jinji_staff"], on=dt.date(2025, 4, 1))

    def heads(day):
        return {r["code"]: r["headcount"] for r in get(client, user, UNITS, {"as_of": day})["results"]}

    assert heads("2024-03-31")["K01"] == 4 and heads("2024-03-31")["K02"] == 2
    assert heads("2024-04-01")["K01"] == 5 and heads("2024-04-01")["K02"] == 1
    assert heads("2025-03-31")["B01"] == 3 and heads("2025-04-01")["B01"] == 2


# ---------------------------------------------------------------- employees


@pytest.mark.parametrize("role", ALL_SCOPE)
def test_secretariat_hr_and_sysadmin_see_everyone(client, people, role):
    body = get(client, people["users"][role], EMPLOYEES)
    assert body["count"] == 9
    assert {"東 花子", "北 一郎", "人事 三郎"} <= names(body)


def test_employee_row_shape_and_current_assignment(client, people):
    units = people["units"]
    hanako = people["higashi_staff"]
    body = get(client, people["users"][Role.HR], EMPLOYEES, {"search": "東 花子"})
    assert body["count"] == 1
    row = body["results"][0]
    current = row.pop("current_assignment")
    assert row == {
        "id": hanako.pk,
        "number": hanako.number,
        "name": "東 花子",
        "name_kana": "ヒガシ ハナコ",
        "job_type": {"id": hanako.job_type.pk, "code": hanako.job_type.code, "name": "一般事務"},
        "hire_date": "2015-04-01",
        "email": "",
        "status": "active",
        "status_label": "在職",
        "left_on": None,
        "hire_route": "",
    }
    assert current["unit"] == {"id": units["higashi_koseki"].pk, "code": "K01-1-1", "name": "戸籍住民課"}
    assert current["path"] == {"top": "東区", "bu": "市民部", "ka": "戸籍住民課", "kakari": None}
    assert current["path_label"] == "東区 市民部 戸籍住民課"
    assert current["position"]["name"] == "一般職員" and current["valid_from"] == "2015-04-01"


def test_search_by_name_kana_and_number_with_full_width_input(client, people):
    user, hanako = people["users"][Role.SECRETARIAT], people["higashi_staff"]
    for term in ("花子", "ひがし　はなこ", "ﾋｶﾞｼ", "ハナコ", hanako.number, hanako.number.translate(_FULL_WIDTH)):
        body = get(client, user, EMPLOYEES, {"search": term})
        assert "東 花子" in names(body), term
        assert "北 一郎" not in names(body), term


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_unit_job_type_position_filters_and_ordering(client, people):
    units, user = people["units"], people["users"][Role.HR]
    body = get(client, user, EMPLOYEES, {"unit": units["higashi"].pk})  # a 区: its whole subtree
    assert names(body) == {"東 花子", "保険 次郎", "東区 担当", "戸籍 課長"}
    body = get(client, user, EMPLOYEES, {"unit": units["higashi_hoken"].pk})
    assert names(body) == {"保険 次郎"}
    assert get(client, user, EMPLOYEES, {"unit": 999999})["count"] == 0  # unknown unit: documented as empty
    kacho = f.position("課長")
    assert names(get(client, user, EMPLOYEES, {"position": kacho.pk})) == {"戸籍 課長"}
    hoken = f.employee(units["kita_koseki"], name="保健 師子", kana="ホケン シコ", job=f.job_type("保健師"))
    body = get(client, user, EMPLOYEES, {"job_type": hoken.job_type.pk})
    assert names(body) == {"保健 師子"}

    kana = [r["name_kana"] for r in get(client, user, EMPLOYEES, {"ordering": "kana"})["results"]]
    assert kana == sorted(kana, key=lambda k: k.replace(" ", ""))  # kana_key ignores the space
    assert [r["name_kana"] for r in get(client, user, EMPLOYEES, {"ordering": "-kana"})["results"]] == kana[::-1]
    numbers = [r["number"] for r in get(client, user, EMPLOYEES, {"ordering": "-number"})["results"]]
    assert numbers == sorted(numbers, reverse=True)
    hires = [r["hire_date"] for r in get(client, user, EMPLOYEES, {"ordering": "hire"})["results"]]
    assert hires == sorted(hires)


def test_retired_only_with_include_retired(client, people):
    user = people["users"][Role.HR]
    services.employee_retire(employee=people["kita_staff"], on=dt.date(2020, 4, 1))
    assert "北 一郎" not in names(get(client, user, EMPLOYEES))
    body = get(client, user, EMPLOYEES, {"include_retired": "true", "search": "北 一郎"})
    row = body["results"][0]
    assert row["status"] == "retired" and row["left_on"] == "2020-04-01" and row["current_assignment"] is None


def test_pagination(client, people):
    user = people["users"][Role.HR]
    first = get(client, user, EMPLOYEES, {"page_size": 4, "ordering": "number"})
    second = get(client, user, EMPLOYEES, {"page_size": 4, "ordering": "number", "page": 2})
    assert first["count"] == 9 and len(first["results"]) == 4 and first["next"] and first["previous"] is None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    get(client, user, EMPLOYEES, {"page": 99}, status=404)


def test_employee_detail_with_assignment_history(client, people):
    units, hanako = people["units"], people["higashi_staff"]
    services.orgunit_revise(
        unit=units["higashi_koseki"], name="市民課", parent=units["higashi_shimin"], on=dt.date(2023, 4, 1)
    )
    services.employee_transfer(
        employee=hanako, unit=units["kita_koseki"], position=f.position(), on=dt.date(2024, 4, 1)
    )
    body = get(client, people["users"][Role.HR], f"{EMPLOYEES}{hanako.pk}/")
    assert body["current_assignment"]["path_label"] == "北区 市民部 戸籍住民課"
    history = body["assignments"]
    assert [a["valid_from"] for a in history] == ["2024-04-01", "2015-04-01"]
    # each row named as the tree stood when it began: 戸籍住民課 was renamed only in 2023
    assert history[1]["path_label"] == "東区 市民部 戸籍住民課" and history[1]["valid_to"] == "2024-03-31"
    assert history[1]["employee"] == {"id": hanako.pk, "code": hanako.number, "name": "東 花子"}


# ---------------------------------------------------------------- scoping, role by role


def test_liaison_of_higashi_never_gets_kita_staff(client, people):
    units, user = people["units"], people["users"][Role.LIAISON]
    kita, higashi = people["kita_staff"], people["higashi_staff"]
    assert names(get(client, user, EMPLOYEES)) == {"東 花子", "保険 次郎", "東区 担当", "戸籍 課長"}
    assert get(client, user, EMPLOYEES, {"unit": units["kita"].pk})["count"] == 0
    assert get(client, user, EMPLOYEES, {"unit": units["kita_koseki"].pk, "include_retired": "true"})["count"] == 0
    assert get(client, user, EMPLOYEES, {"search": "キタ イチロウ"})["count"] == 0
    assert get(client, user, EMPLOYEES, {"search": kita.number})["count"] == 0
    get(client, user, f"{EMPLOYEES}{kita.pk}/", status=404)
    get(client, user, f"{EMPLOYEES}{higashi.pk}/")
    get(client, user, ASSIGNMENTS, {"employee": kita.pk}, status=404)
    rows = get(client, user, ASSIGNMENTS, {"page_size": 500})["results"]
    assert {r["employee"]["id"] for r in rows} == {people[k].pk for k in ("higashi_staff", "higashi_other_ka")} | {
        people["users"][r].employee.pk for r in (Role.LIAISON, Role.MANAGER)
    }


def test_manager_sees_own_ka_only(client, people):
    user = people["users"][Role.MANAGER]
    assert names(get(client, user, EMPLOYEES)) == {"東 花子", "東区 担当", "戸籍 課長"}
    get(client, user, f"{EMPLOYEES}{people['higashi_other_ka'].pk}/", status=404)
    get(client, user, f"{EMPLOYEES}{people['kita_staff'].pk}/", status=404)
    get(client, user, ASSIGNMENTS, {"employee": people["higashi_other_ka"].pk}, status=404)
    assert get(client, user, EMPLOYEES, {"unit": people["units"]["higashi_hoken"].pk})["count"] == 0


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADER])
def test_employee_and_leader_only_themselves(client, people, role):
    user = people["users"][role]
    me = user.employee
    other = people["kita_staff"] if me != people["kita_staff"] else people["higashi_staff"]
    body = get(client, user, EMPLOYEES, status=403)
    assert body == {"detail": "この操作を行う権限がありません。", "errors": {}}
    assert get(client, user, f"{EMPLOYEES}{me.pk}/")["id"] == me.pk
    get(client, user, f"{EMPLOYEES}{other.pk}/", status=404)
    get(client, user, f"{EMPLOYEES}999999/", status=404)  # the same answer as for someone else
    assert {r["employee"]["id"] for r in get(client, user, ASSIGNMENTS)["results"]} == {me.pk}
    assert get(client, user, ASSIGNMENTS, {"employee": me.pk})["count"] == 1
    get(client, user, ASSIGNMENTS, {"employee": other.pk}, status=404)
    assert get(client, user, UNITS)["count"] == 10  # the org tree is for everyone


def test_assignments_as_of(client, people):
    units, hanako, user = people["units"], people["higashi_staff"], people["users"][Role.SECRETARIAT]
    services.employee_transfer(
        employee=hanako, unit=units["kita_koseki"], position=f.position(), on=dt.date(2024, 4, 1)
    )
    body = get(client, user, ASSIGNMENTS, {"employee": hanako.pk})
    assert [r["valid_from"] for r in body["results"]] == ["2024-04-01", "2015-04-01"]
    body = get(client, user, ASSIGNMENTS, {"employee": hanako.pk, "as_of": "R6.3.31"})
    assert body["count"] == 1
    row = body["results"][0]
    assert row["unit"]["code"] == "K01-1-1" and row["label_date"] == "2024-03-31"
    assert row["path"] == {"top": "東区", "bu": "市民部", "ka": "戸籍住民課", "kakari": None}
    today = timezone.localdate().isoformat()
    body = get(client, user, ASSIGNMENTS, {"as_of": today, "page_size": 500})
    assert body["count"] == 9  # one current assignment per person

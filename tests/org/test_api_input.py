"""Bad input is a 400 with field errors in Japanese, never a 500; every list runs a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxtalent.core.roles import Role
from dxtalent.org.models import OrgKind
from tests import factories as f

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/org-units/"
EMPLOYEES = "/api/v1/employees/"
ASSIGNMENTS = "/api/v1/assignments/"

BAD = [
    (UNITS, {"as_of": "2026-13-01"}, "as_of"),
    (UNITS, {"as_of": "きのう"}, "as_of"),
    (UNITS, {"as_of": "R1.4.1"}, "as_of"),  # 令和 began on 1 May 2019
    (UNITS, {"kind": "city"}, "kind"),
    (UNITS, {"parent": "abc"}, "parent"),
    (UNITS, {"parent": "0"}, "parent"),
    (UNITS, {"page": "abc"}, "page"),
    (UNITS, {"page": "0"}, "page"),
    (UNITS, {"page_size": "0"}, "page_size"),
    (UNITS, {"page_size": "-5"}, "page_size"),
    (f"{UNITS}1/", {"as_of": "2026/02/30"}, "as_of"),
    (EMPLOYEES, {"unit": "東区"}, "unit"),
    (EMPLOYEES, {"unit": "1.5"}, "unit"),
    (EMPLOYEES, {"unit": str(2**64)}, "unit"),
    (EMPLOYEES, {"job_type": "x"}, "job_type"),
    (EMPLOYEES, {"position": "-1"}, "position"),
    (EMPLOYEES, {"ordering": "name"}, "ordering"),
    (EMPLOYEES, {"ordering": "kana;drop table"}, "ordering"),
    (EMPLOYEES, {"include_retired": "maybe"}, "include_retired"),
    (EMPLOYEES, {"search": "x" * 101}, "search"),
    (EMPLOYEES, {"search": "a\x00b"}, "search"),
    (EMPLOYEES, {"page": "abc"}, "page"),
    (EMPLOYEES, {"page_size": "0"}, "page_size"),
    (ASSIGNMENTS, {"employee": "abc"}, "employee"),
    (ASSIGNMENTS, {"as_of": "2026-04-31"}, "as_of"),
]


@pytest.mark.parametrize(("url", "params", "field"), BAD, ids=[f"{u}?{p}" for u, p, _ in BAD])
def test_bad_input_is_400_with_field_errors(client, url, params, field):
    client.force_login(f.login(None, Role.SECRETARIAT))  # input is checked before any data is read
    response = client.get(url, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "入力内容に誤りがあります。"
    assert list(body["errors"]) == [field]
    message = body["errors"][field][0]
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in message), message  # Japanese


def test_messages_name_the_accepted_values(client, people):
    client.force_login(people["users"][Role.HR])
    errors = client.get(EMPLOYEES, {"ordering": "name", "unit": "x"}).json()["errors"]
    assert errors["ordering"] == ["並び順は kana, -kana, number, -number, hire, -hire のいずれかで指定してください。"]
    assert errors["unit"] == ["所属（局区・部・課・係）は1以上の整数（ID）で指定してください。"]
    errors = client.get(UNITS, {"as_of": "2026-02-30"}).json()["errors"]
    assert errors["as_of"] == ["「2026-02-30」は存在しない日付です"]


def test_blank_parameters_mean_not_given(client, people):
    client.force_login(people["users"][Role.HR])
    blank = {"search": "", "unit": "", "job_type": "", "position": "", "include_retired": "", "ordering": ""}
    response = client.get(EMPLOYEES, blank)
    assert response.status_code == 200 and response.json()["count"] == 9
    assert client.get(UNITS, {"as_of": "", "kind": "", "parent": ""}).json()["count"] == 10
    assert client.get(ASSIGNMENTS, {"as_of": "", "employee": ""}).status_code == 200


def test_huge_ids_in_the_path_are_404_not_500(client, people):
    client.force_login(people["users"][Role.HR])
    assert client.get(f"{EMPLOYEES}{2**70}/").status_code == 404
    assert client.get(f"{UNITS}{2**70}/").status_code == 404


PARAMS = ["as_of", "kind", "parent", "search", "unit", "job_type", "position", "include_retired", "ordering"]
PARAMS += ["employee", "page", "page_size"]
VALUES = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["R8.4.1", "令和元年5月1日", "2026/4/1", "H31.5.1", "46113", "true", "-kana", "１２", "0", "1e3"]),
    st.sampled_from(list(OrgKind.values)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    url=st.sampled_from([UNITS, f"{UNITS}1/", EMPLOYEES, f"{EMPLOYEES}1/", ASSIGNMENTS]),
    params=st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=4),
)
def test_fuzzed_query_strings_never_500(client, people, url, params):
    client.force_login(people["users"][Role.LIAISON])
    response = client.get(url, params)
    assert response.status_code in (200, 400, 404), (params, response.content[:500])
    body = response.json()
    if response.status_code != 200:
        assert set(body) == {"detail", "errors"}


# ---------------------------------------------------------------- query counts


def _count(client, url, params=None) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def _more_staff(units, n):
    for i in range(n):
        unit = units["higashi_koseki"] if i % 2 else units["kita_koseki"]
        f.employee(unit, name=f"職員 {i}", kana=f"ショクイン {i}", pos=f.position("主査" if i % 3 else "係長"))


@pytest.mark.parametrize("role", [Role.HR, Role.LIAISON, Role.MANAGER])
def test_employee_list_queries_do_not_grow_with_rows(client, people, role, django_assert_num_queries):
    client.force_login(people["users"][role])
    params = {"page_size": 500, "search": "", "include_retired": "true"}
    client.get(EMPLOYEES, params)  # warm caches (content types, …)
    before, body = _count(client, EMPLOYEES, params)
    small = body["count"]
    _more_staff(people["units"], 45)
    with django_assert_num_queries(before):
        body = client.get(EMPLOYEES, params).json()
    assert body["count"] > small + 15


def test_org_unit_list_queries_do_not_grow_with_units(client, people, django_assert_num_queries):
    client.force_login(people["users"][Role.EMPLOYEE])
    client.get(UNITS)
    before, body = _count(client, UNITS, {"page_size": 500})
    units = people["units"]
    for i in range(40):
        kakari = f.unit(f"第{i}係", OrgKind.KAKARI, units["higashi_koseki"] if i % 2 else units["kita_koseki"])
        f.employee(kakari, name=f"係員 {i}", kana=f"カカリイン {i}")
    with django_assert_num_queries(before):
        body2 = client.get(UNITS, {"page_size": 500}).json()
    assert body2["count"] == body["count"] + 40


def test_assignment_list_queries_do_not_grow_with_rows(client, people, django_assert_num_queries):
    client.force_login(people["users"][Role.SECRETARIAT])
    client.get(ASSIGNMENTS)
    before, body = _count(client, ASSIGNMENTS, {"page_size": 500})
    _more_staff(people["units"], 45)
    with django_assert_num_queries(before):
        body2 = client.get(ASSIGNMENTS, {"page_size": 500}).json()
    assert body2["count"] == body["count"] + 45

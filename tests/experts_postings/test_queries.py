"""Lists run a fixed number of queries whatever the number of rows (3 vs 30): the posting list (page and API),
one posting's applications, my applications, the staff list and the applications API."""

import pytest
from rest_framework.test import APIClient

from dxtalent.core.roles import Role
from dxtalent.experts import services
from tests import factories as f
from tests.experts_postings.conftest import make_posting

PAGE_QUERIES = 16
API_QUERIES = 14


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.django_db
@pytest.mark.parametrize("n", [3, 30])
def test_lists_do_not_grow(client, people, pack, sec, hr, n, django_assert_max_num_queries):
    city = people["units"]
    employee = people["users"][Role.EMPLOYEE]
    postings = [make_posting(sec, title=f"募集{i}", unit=city["somu_jinjika"]) for i in range(n)]
    for p in postings:
        services.application_submit(posting=p, by=employee, motivation="動機")
    staff = [f.login(f.employee(city["higashi_koseki"], name=f"職員{i}")) for i in range(n)]
    for user in staff:
        services.application_submit(posting=postings[0], by=user, motivation="動機")
    checks = [
        (employee, "/jobs/", "募集"),
        (hr, "/jobs/", "募集"),
        (employee, "/jobs/mine/", "募集"),
        (hr, f"/jobs/{postings[0].pk}/", "職員"),
        (people["users"][Role.MANAGER], "/jobs/staff/", "職員"),
    ]
    for user, url, word in checks:
        client.force_login(user)
        client.get(url)  # warm the per-process caches (org snapshot, pack)
        with django_assert_max_num_queries(PAGE_QUERIES, info=url):
            r = client.get(url)
        assert r.status_code == 200 and r.content.decode().count(word) >= n, url
    for user, url, params in [
        (employee, "/api/v1/postings/", {}),
        (hr, "/api/v1/postings/", {}),
        (hr, "/api/v1/applications/", {}),
        (employee, "/api/v1/applications/", {}),
        (people["users"][Role.MANAGER], "/api/v1/applications/", {"scope": "staff"}),
    ]:
        api = _api(user)
        api.get(url, params)
        with django_assert_max_num_queries(API_QUERIES, info=url):
            r = api.get(url, params)
        assert r.status_code == 200 and r.json()["count"] >= n, url

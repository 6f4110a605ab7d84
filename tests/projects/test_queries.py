"""The list page and the API list run a fixed number of queries whatever the number of projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dxtalent.core.roles import Role
from dxtalent.projects import services
from tests.projects import builders as b

PAGE_QUERIES = 16
API_QUERIES = 12


def _make(n, manager, koseki, leader, people):
    for i in range(n):
        p = b.start(manager, koseki, leader=leader, title=f"改善{i}")
        services.project_participants_set(project=p, by=manager, participants=[(people["higashi_staff"], "テスト")])


def _count(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n", [3, 30])
def test_list_page_and_api_queries_do_not_grow(
    client, people, manager, koseki, leader_pair, n, django_assert_max_num_queries
):
    _make(n, manager, koseki, leader_pair[0], people)
    for role in (Role.MANAGER, Role.EMPLOYEE, Role.SECRETARIAT):
        user = people["users"][role]
        client.force_login(user)
        client.get("/projects/")  # warm the per-process caches (org snapshot, pack)
        with django_assert_max_num_queries(PAGE_QUERIES):
            r = client.get("/projects/", {"sort": "saving"})
        assert r.status_code == 200 and r.content.decode().count("改善") >= n
        api = APIClient()
        api.force_authenticate(user)
        with django_assert_max_num_queries(API_QUERIES):
            r = api.get("/api/v1/projects/")
        assert r.json()["count"] == n

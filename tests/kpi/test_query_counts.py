"""The dashboard, its exports and the KPI API run the same number of queries for 1 cohort as for 6."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxtalent.core.roles import Role
from dxtalent.kpi.selectors import programme_kpis
from dxtalent.org.models import OrgKind
from dxtalent.org.selectors import reset_snapshots
from tests import factories as f
from tests.kpi import builders as b

AS_OF = dt.date(2032, 6, 1)  # after every cohort of the pack
# programme_kpis: pack, certifications per day, nominations, cohorts with member counts, coverage (3) = 7,
# plus the R13 milestone's per-部 coverage on its (past) deadline (3); each of the two coverage days reads the
# org tree cold here (a stamp query, then the tree), which adds 2. With a warm cache it is 10.
KPI_QUERIES = 12


def _programme(cohorts: int, per_cohort: int):
    o = b.org(
        {
            ("K01", "東区", OrgKind.KU): ["市民部", "保健福祉部", "地域振興部"],
            ("K02", "北区", OrgKind.KU): ["市民部2", "保健福祉部2"],
            ("B01", "総務局", OrgKind.KYOKU): ["職員部", "行政部"],
        }
    )
    units = [
        (o["ka"][name], o["tops"][name_top])
        for name, name_top in (
            ("市民部", "K01"),
            ("保健福祉部", "K01"),
            ("市民部2", "K02"),
            ("職員部", "B01"),
            ("行政部", "B01"),
        )
    ]
    p = b.Programme(b.load_sapporo())
    for number in range(1, cohorts + 1):
        p.certified_cohort(number, 2025 + number, per_cohort, units[number - 1 :] + units[: number - 1])
    return o


def _count(fn) -> int:
    reset_snapshots(shared=True)  # each request starts with a cold org-tree cache
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("cohorts", [1, 6])
def test_programme_kpis_query_count_is_fixed(db, cohorts, django_assert_num_queries):
    _programme(cohorts, per_cohort=3 if cohorts == 1 else 6)
    reset_snapshots()
    with django_assert_num_queries(KPI_QUERIES):
        k = programme_kpis(AS_OF)
    assert k["certified_total"] == (3 if cohorts == 1 else 36)


@pytest.mark.parametrize("cohorts", [1, 6])
def test_dashboard_and_api_query_counts(client, db, cohorts):
    _programme(cohorts, per_cohort=3 if cohorts == 1 else 6)
    client.force_login(f.login(None, Role.EMPLOYEE))
    params = {"as_of": AS_OF.isoformat()}
    counts = {
        "page": _count(lambda: client.get("/dashboard/", params)),
        "export": _count(lambda: client.get("/dashboard/export/", {**params, "table": "leaders_by_unit"})),
        "api": _count(lambda: client.get("/api/v1/kpi/programme/", params)),
    }
    # session + user + role grants + the page's own few, around the fixed programme_kpis
    assert counts == EXPECTED_REQUEST_QUERIES, counts


EXPECTED_REQUEST_QUERIES = {"page": KPI_QUERIES + 7, "export": KPI_QUERIES + 6, "api": KPI_QUERIES + 6}

"""The overview's numbers against hand-computed values, the radar hook, and fixed query counts (3 vs 30 people)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dxtalent.competency.hooks import expected_levels
from dxtalent.core.roles import Role
from dxtalent.experts import services
from dxtalent.experts.selectors.ladder_home import distribution
from tests.experts_ladder import builders as b

pytestmark = pytest.mark.django_db

LEVELS2 = {"it_tech": 2, "project_management": 2, "analysis_communication": 2, "admin_procurement": 2}


def _make_a_ready(ladder, pack_row):
    b.rate(ladder["a"], LEVELS2, pack_row=pack_row, opens_on=ladder["today"] - dt.timedelta(days=5))
    services.ojt_review_save(
        plan=ladder["plan"], half=1, by=ladder["mentor_user"], reviewed_on=ladder["today"], progress="順調",
        experiences=["operations", "change_request", "budget_request"],
    )  # fmt: skip


def test_distribution_numbers(ladder, pack, pack_row):
    _make_a_ready(ladder, pack_row)
    d = distribution(pack=pack, day=ladder["today"])
    assert [(s.name, s.headcount, s.ready, s.long_stay) for s in d.stages] == [
        ("見習い", 2, 1, 0),  # 育成 一郎 (ready), 東 花子
        ("修行中", 1, 0, 1),  # 育成 二郎: five years ≥ 2 + 2
        ("一人前", 0, 0, 0),
        ("熟練者", 1, 0, 0),  # the top stage is never ready nor long
    ]
    assert (d.total, d.ready, d.long_stay, d.pending) == (4, 1, 1, 0)
    by_route = {name: d.route_totals[i] for i, (_c, name) in enumerate(d.routes)}
    assert by_route == {
        "一般事務": 1,
        "一般事務（デジタルコース）": 1,
        "電気": 0,
        "庁内公募（ジョブチャレンジ）": 0,
        "その他": 0,
        "未登録": 2,
    }
    digital = d.routes.index(("digital_course", "一般事務（デジタルコース）"))
    assert [s.by_route[digital] for s in d.stages] == [1, 0, 0, 0]
    chart = d.chart()
    assert chart["labels"] == ["熟練者", "一人前", "修行中", "見習い"] and chart["totals"] == [1, 0, 1, 2]
    assert {r["label"] for r in chart["routes"]} == {"一般事務", "一般事務（デジタルコース）", "未登録"}


def test_home_page_shows_counts_to_everyone_and_names_only_to_those_who_may(client, people, ladder, pack_row):
    _make_a_ready(ladder, pack_row)
    client.force_login(people["users"][Role.LEADER])
    body = client.get("/experts/").content.decode()
    assert "experts-stage-data" in body and "<strong>4名</strong>" in body and "育成 一郎" not in body
    client.force_login(people["users"][Role.HR])
    body = client.get("/experts/").content.decode()
    assert "育成 一郎" in body and "育成 二郎" in body  # the ready one and the long stay


def test_the_radar_expects_the_current_stage(ladder):
    label, levels = expected_levels(ladder["b"], {"code": "expert"}, ladder["today"])
    assert label == "修行中に期待するレベル" and levels["it_tech"] == 2
    assert expected_levels(ladder["b"], {"code": "leader", "expected_levels": {"x": 3}}, ladder["today"]) == (
        "認定リーダーに期待するレベル",
        {"x": 3},
    )
    assert expected_levels(ladder["b"], {"code": "expert"}, dt.date(2000, 1, 1)) == ("", {})


def _add(n, ladder, hr, pack_row, start):
    fy = ladder["plan"].fiscal_year
    for i in range(start, start + n):
        e = b.staff(ladder["ka"], name=f"職員{i}", kana=f"ショクイン{i}", hire_route="general")
        services.ladder_enter(employee=e, stage_code="minarai", on=ladder["today"] - dt.timedelta(days=800), by=hr)
        plan = services.ojt_plan_save(employee=e, fiscal_year=fy, mentor=ladder["mentor"], goals="g", by=hr)
        services.ojt_review_save(plan=plan, half=1, by=ladder["mentor_user"], reviewed_on=ladder["today"],
                                 progress="p", experiences=["operations"])  # fmt: skip
        b.rate(e, LEVELS2, pack_row=pack_row, opens_on=ladder["today"] - dt.timedelta(days=i + 1))
        services.promotion_propose(employee=e, by=ladder["mentor_user"], reasons="推薦")


def _count(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = ["/experts/", "/experts/people/", "/experts/promotions/", "/experts/mentees/", "/experts/people/export.csv"]
API = ["/api/v1/ladder/people/", "/api/v1/ojt-plans/", "/api/v1/promotions/"]


def test_queries_do_not_grow_with_people(client, people, ladder, hr, pack_row):
    users = [people["users"][Role.HR], people["users"][Role.MANAGER], ladder["mentor_user"], ladder["head_user"]]

    def counts():
        out = {}
        for user in users:
            client.force_login(user)
            api = APIClient()
            api.force_authenticate(user)
            for url in PAGES:
                client.get(url)  # warm the per-process caches (org snapshot, pack)
                out[(user.pk, url)] = _count(lambda url=url: client.get(url))
            for url in API:
                out[(user.pk, url)] = _count(lambda url=url, api=api: api.get(url))
        return out

    _add(3, ladder, hr, pack_row, 0)
    few = counts()
    _add(27, ladder, hr, pack_row, 3)
    many = counts()
    grown = {k: (few[k], many[k]) for k in few if many[k] > few[k]}
    assert not grown, grown
    assert max(few.values()) <= 25

"""The pages role by role: rows scoped, invisible people 404, buttons and actions for the mentor and the head."""

import datetime as dt

import pytest
from django.urls import reverse

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.experts.models import OjtReview, Promotion, PromotionStatus, StagePeriod

pytestmark = pytest.mark.django_db

NAMES = ("育成 一郎", "育成 二郎", "育成 三郎", "東 花子")


def _visible_names(client, user) -> set[str]:
    client.force_login(user)
    body = client.get("/experts/people/").content.decode()
    return {n for n in NAMES if n in body}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SECRETARIAT, set(NAMES)),
        (Role.HR, set(NAMES)),
        (Role.SYSADMIN, set(NAMES)),
        (Role.MANAGER, {"東 花子"}),  # 東区 戸籍住民課 only
        (Role.LIAISON, {"東 花子"}),  # 東区
        (Role.EMPLOYEE, {"東 花子"}),  # herself
        (Role.LEADER, set()),
    ],
)
def test_people_list_rows_per_role(client, people, ladder, role, expected):
    assert _visible_names(client, people["users"][role]) == expected


def test_mentor_sees_mentees_and_head_sees_everyone_in_the_ladder(client, ladder):
    assert _visible_names(client, ladder["mentor_user"]) == {"育成 一郎"}
    assert _visible_names(client, ladder["other_user"]) == set()
    assert _visible_names(client, ladder["head_user"]) == set(NAMES)


def test_person_page_404_when_invisible(client, people, ladder):
    url = reverse("experts:person", args=[ladder["a"].pk])
    for user, code in (
        (people["users"][Role.HR], 200),
        (ladder["mentor_user"], 200),
        (ladder["head_user"], 200),
        (people["users"][Role.MANAGER], 404),
        (people["users"][Role.LEADER], 404),
        (ladder["other_user"], 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == code, user
    client.force_login(people["users"][Role.EMPLOYEE])
    assert client.get(reverse("experts:person", args=[ladder["higashi"].pk])).status_code == 200


def test_person_page_shows_history_plans_and_buttons_by_role(client, people, ladder):
    url = reverse("experts:person", args=[ladder["a"].pk])
    client.force_login(ladder["mentor_user"])
    body = client.get(url).content.decode()
    assert "見習い" in body and "1年" in body and "運用を覚える" in body
    assert "昇格を推薦する" in body and "上期の振り返りを記入" in body and "OJT計画を編集" not in body
    client.force_login(people["users"][Role.HR])
    body = client.get(url).content.decode()
    assert "OJT計画を編集" in body and "昇格を推薦する" not in body and "振り返りを記入" not in body


def test_mentor_writes_a_review_and_others_get_403(client, people, ladder):
    url = reverse("experts:review_edit", args=[ladder["plan"].pk, 1])
    client.force_login(ladder["head_user"])
    assert client.get(url).status_code == 403
    client.force_login(people["users"][Role.LEADER])
    assert client.get(url).status_code == 404
    client.force_login(ladder["mentor_user"])
    assert client.get(url).status_code == 200
    r = client.post(url, {"reviewed_on": "R8.9.30", "progress": "", "experiences": ["operations"]})
    assert r.status_code == 200 and "取組と成果を入力してください" in r.content.decode()
    assert not OjtReview.objects.exists()
    ok = {"reviewed_on": ladder["today"].isoformat(), "progress": "順調", "experiences": ["operations"]}
    r = client.post(url, ok)
    assert r.status_code == 302 and OjtReview.objects.get().experiences == ["operations"]
    assert client.get(reverse("experts:mentees")).content.decode().count("記入済み") == 1


def test_propose_and_decide_through_the_pages(client, people, ladder):
    a = ladder["a"]
    client.force_login(people["users"][Role.HR])
    assert client.get(reverse("experts:promotion_propose", args=[a.pk])).status_code == 403
    client.force_login(ladder["mentor_user"])
    r = client.post(reverse("experts:promotion_propose", args=[a.pk]), {"reasons": "自立して運用している"})
    assert r.status_code == 302
    p = Promotion.objects.get()
    decide = reverse("experts:promotion_decide", args=[p.pk])
    assert client.get(decide).status_code == 403  # the mentor does not decide
    client.force_login(ladder["head_user"])
    body = client.get(reverse("experts:promotions")).content.decode()
    assert "育成 一郎" in body and "決定する" in body
    effective = ladder["today"] + dt.timedelta(days=1)
    r = client.post(decide, {"approve": "1", "reasons": "", "effective_on": effective.isoformat()})
    assert r.status_code == 200 and "決定の理由を入力してください" in r.content.decode()
    r = client.post(decide, {"approve": "1", "reasons": "承認", "effective_on": effective.isoformat()})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.status == PromotionStatus.APPROVED
    assert StagePeriod.objects.get(employee=a, valid_to__isnull=True).stage_code == "shugyo"


def test_enter_page(client, people, ladder, dept):
    from tests.experts_ladder import builders as b

    e = b.staff(dept["ka"], name="新規 職員", kana="シンキ ショクイン", hire_route="electrical")
    client.force_login(people["users"][Role.HR])
    r = client.post(reverse("experts:enter"), {"number": "nobody", "stage_code": "minarai", "on": "2026-04-01"})
    assert "この職員番号の職員はいません" in r.content.decode()
    r = client.post(reverse("experts:enter"), {"number": ladder["a"].number, "stage_code": "minarai", "on": "R8.4.1"})
    assert "すでに育成段階「見習い」" in r.content.decode()
    body = {"number": e.number, "stage_code": "minarai", "on": "R8.4.1"}
    r = client.post(reverse("experts:enter"), body, follow=True)
    assert "採用区分: 電気" in r.content.decode()
    assert StagePeriod.objects.get(employee=e).valid_from == dt.date(2026, 4, 1)


def test_plan_edit_page(client, people, ladder):
    a, fy = ladder["a"], ladder["plan"].fiscal_year
    url = reverse("experts:plan_edit", args=[a.pk, fy])
    client.force_login(people["users"][Role.MANAGER])
    assert client.get(url).status_code == 404  # not in the manager's 課
    client.force_login(people["users"][Role.HR])
    r = client.post(url, {"mentor": a.number, "goals": "x"})
    assert "本人以外" in r.content.decode()
    r = client.post(url, {"mentor": ladder["other_mentor"].number, "goals": "調達を学ぶ"})
    assert r.status_code == 302
    ladder["plan"].refresh_from_db()
    assert ladder["plan"].mentor == ladder["other_mentor"] and ladder["plan"].goals == "調達を学ぶ"


def test_filters_and_export(client, people, ladder):
    client.force_login(people["users"][Role.HR])
    body = client.get("/experts/people/", {"stage": "shugyo"}).content.decode()
    assert "育成 二郎" in body and "育成 一郎" not in body
    body = client.get("/experts/people/", {"long_stay": "on"}).content.decode()
    assert "育成 二郎" in body and "育成 一郎" not in body  # 5 years ≥ 2 + 2 in 修行中
    body = client.get("/experts/people/", {"hire_route": "digital_course"}).content.decode()
    assert "育成 一郎" in body and "育成 二郎" not in body
    body = client.get("/experts/people/", {"hire_route": "none"}).content.decode()
    assert "育成 三郎" in body and "東 花子" in body and "育成 一郎" not in body
    body = client.get("/experts/people/", {"q": "ジロウ"}).content.decode()
    assert "育成 二郎" in body and "育成 一郎" not in body
    r = client.get("/experts/people/export.csv", {"stage": "minarai"})
    text = r.content.decode("utf-8-sig")
    assert "育成 一郎" in text and "東 花子" in text and "育成 二郎" not in text and "指導 先輩" in text
    log = ExportLog.objects.get()
    assert log.row_count == 2 and log.filters == {"stage": "minarai", "sort": "kana"}
    assert client.get("/experts/people/export.xlsx").status_code == 200


def test_leave_page(client, people, ladder):
    url = reverse("experts:leave", args=[ladder["c"].pk])
    client.force_login(people["users"][Role.HR])
    r = client.post(url, {"on": ladder["today"].isoformat(), "note": "異動"})
    assert r.status_code == 302
    assert StagePeriod.objects.get(employee=ladder["c"]).valid_to == ladder["today"]


def test_decide_page_shows_the_snapshot(client, ladder):
    from dxtalent.experts import services

    p = services.promotion_propose(employee=ladder["a"], by=ladder["mentor_user"], reasons="推薦")
    client.force_login(ladder["head_user"])
    body = client.get(reverse("experts:promotion_decide", args=[p.pk])).content.decode()
    assert "推薦時点の基準の充足状況" in body and "見習いでの在籍年数" in body and "昇格を承認する" in body
    body = client.get(reverse("experts:person", args=[ladder["a"].pk])).content.decode()
    assert "昇格を決定する" in body


def test_admin_lists_are_read_only(client, ladder, django_user_model):
    admin = django_user_model.objects.create_superuser("experts-admin", "a@example.com", "pw")
    client.force_login(admin)
    for model in ("stageperiod", "ojtplan", "promotion", "posting", "application"):
        assert client.get(f"/admin/experts/{model}/").status_code == 200, model
    assert client.get(f"/admin/experts/ojtplan/{ladder['plan'].pk}/change/").status_code == 200
    assert client.get("/admin/experts/stageperiod/add/").status_code == 403


def test_entering_records_the_hire_route_from_the_pack(client, people, ladder, dept):
    from tests.experts_ladder import builders as b

    e = b.staff(dept["ka"], name="経路 職員", kana="ケイロ ショクイン", hire_route="")
    client.force_login(people["users"][Role.HR])
    body = {"number": e.number, "stage_code": "minarai", "on": "R8.4.1", "hire_route": "cooking"}
    r = client.post(reverse("experts:enter"), body)
    assert "cooking は候補にありません" in r.content.decode()
    assert not StagePeriod.objects.filter(employee=e).exists()
    r = client.post(reverse("experts:enter"), {**body, "hire_route": "digital_course"}, follow=True)
    assert "採用区分: 一般事務（デジタルコース）" in r.content.decode()
    e.refresh_from_db()
    assert e.hire_route == "digital_course"

"""The pages: liaison nominates (errors re-shown inline), secretariat sets quotas, selects, forms and schedules."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dxtalent.leaders import selectors_cohorts as sel
from dxtalent.leaders import services
from dxtalent.leaders.models import Cohort, Nomination, NominationStatus, NominationWindow
from dxtalent.training.models import ELearningCompletion, Session
from tests.leaders.conftest import all_requirements, staff

pytestmark = pytest.mark.django_db
S = NominationStatus


def form_data(pack, number="", recommendation="業務改善に意欲的です。", skip=()):
    data = {"number": number, "recommendation": recommendation}
    for code, _label in pack.nomination_requirements:
        if code not in skip:
            data[f"req_{code}"] = "on"
    return data


def nominate(window, liaison, pack, people_):
    return [
        services.nomination_submit(
            window=window, employee=p, by=liaison, requirements=all_requirements(pack), recommendation="推薦します"
        )
        for p in people_
    ]


def close(window, sec, today):
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), by=sec)


# ---------------------------------------------------------------- liaison


def test_liaison_nominates_through_the_form(client, pack, liaison, people, window):
    client.force_login(liaison)
    url = reverse("leaders:nomination_create", args=[window.pk])
    page = client.get(url)
    assert page.status_code == 200 and "ICTに強い関心があること" in page.content.decode()
    person = people["higashi_staff"]
    response = client.post(url, form_data(pack, number=person.number))
    assert response.status_code == 302 and response["Location"] == reverse("leaders:window_detail", args=[window.pk])
    n = Nomination.objects.get()
    assert n.employee == person and n.unit_id == people["units"]["higashi"].pk
    body = client.get(response["Location"]).content.decode()
    assert person.name in body and "推薦しました" in body


def test_form_errors_are_shown_inline_and_nothing_is_saved(client, pack, liaison, people, window):
    client.force_login(liaison)
    url = reverse("leaders:nomination_create", args=[window.pk])
    body = client.post(url, form_data(pack, number=people["kita_staff"].number)).content.decode()
    assert f"職員番号 {people['kita_staff'].number} の職員は、担当の局区（東区）にいません。" in body
    assert people["kita_staff"].name not in body  # nothing about a person outside the 局区 leaks
    body = client.post(
        url, form_data(pack, number=people["higashi_staff"].number, skip=("communication",))
    ).content.decode()
    assert "未確認の要件: コミュニケーション力が高いこと" in body
    body = client.post(url, form_data(pack, number=people["higashi_staff"].number, recommendation="")).content.decode()
    assert "推薦理由を入力してください。" in body
    # the number typed is kept; full-width digits are accepted
    wide = people["higashi_staff"].number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    body = client.post(url, form_data(pack, number=wide, recommendation="")).content.decode()
    assert "担当の局区（東区）にいません" not in body
    assert not Nomination.objects.exists()


def test_already_nominated_and_over_quota_messages_on_the_page(client, pack, sec, liaison, people, window):
    services.nomination_quotas_set(window=window, quotas={people["units"]["higashi"].pk: 1}, by=sec)
    client.force_login(liaison)
    url = reverse("leaders:nomination_create", args=[window.pk])
    client.post(url, form_data(pack, number=people["higashi_staff"].number))
    body = client.post(url, form_data(pack, number=people["higashi_staff"].number)).content.decode()
    assert "既に推薦されています" in body
    body = client.post(url, form_data(pack, number=people["higashi_other_ka"].number)).content.decode()
    assert "東区の推薦枠（1名）に達しています" in body
    assert "推薦枠: 東区 1名のうち推薦済み 1名（<strong>枠に達しています</strong>）" in client.get(url).content.decode()


def test_closed_window_message_on_the_page(client, pack, sec, liaison, people, window, today):
    close(window, sec, today)
    client.force_login(liaison)
    url = reverse("leaders:nomination_create", args=[window.pk])
    body = client.get(url).content.decode()
    assert "推薦受付は締切済みです" in body
    body = client.post(url, form_data(pack, number=people["higashi_staff"].number)).content.decode()
    assert "過ぎているため、推薦できません" in body


def test_candidate_search_lists_only_own_kyoku_ku(client, pack, liaison, people, window):
    client.force_login(liaison)
    url = reverse("leaders:nomination_create", args=[window.pk])
    body = client.get(url, {"q": "イチロウ"}, headers={"HX-Request": "true"}).content.decode()
    assert people["kita_staff"].name not in body
    body = client.get(url, {"q": "ヒガシ ハナコ"}, headers={"HX-Request": "true"}).content.decode()
    assert people["higashi_staff"].name in body and "この職員を選ぶ" in body and "<html" not in body


def test_edit_and_withdraw_pages(client, pack, liaison, people, window):
    n = nominate(window, liaison, pack, [people["higashi_staff"]])[0]
    client.force_login(liaison)
    url = reverse("leaders:nomination_edit", args=[n.pk])
    assert "推薦します" in client.get(url).content.decode()
    response = client.post(url, form_data(pack, recommendation="新しい理由"))
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.recommendation == "新しい理由"
    client.post(reverse("leaders:nomination_withdraw", args=[n.pk]))
    n.refresh_from_db()
    assert n.status == S.WITHDRAWN


# ---------------------------------------------------------------- secretariat


def test_window_create_and_quota_pages(client, pack, sec, people, today, next_fy):
    client.force_login(sec)
    response = client.post(
        reverse("leaders:window_create"),
        {"fiscal_year": next_fy, "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(30)).isoformat()},
    )
    window = NominationWindow.objects.get()
    assert response["Location"] == reverse("leaders:window_quotas", args=[window.pk])
    body = client.get(reverse("leaders:window_quotas", args=[window.pk]), {"suggest": "1"}).content.decode()
    table = sel.quota_table(window)
    assert f"計画人数 <strong>{table.size}名</strong>" in body
    higashi = people["units"]["higashi"].pk
    response = client.post(reverse("leaders:window_quotas", args=[window.pk]), {f"unit_{higashi}": "4"})
    assert response.status_code == 302 and window.quotas.get().quota == 4
    body = client.post(reverse("leaders:window_quotas", args=[window.pk]), {f"unit_{higashi}": "-2"}).content.decode()
    assert "東区の推薦枠は0以上の整数で入力してください。" in body
    # the window detail shows the quota, the suggestion and the export links
    body = client.get(reverse("leaders:window_detail", args=[window.pk])).content.decode()
    assert "推薦枠" in body and "提案枠" in body


def test_window_form_errors(client, pack, sec, today, next_fy):
    client.force_login(sec)
    body = client.post(
        reverse("leaders:window_create"),
        {"fiscal_year": next_fy, "opens_on": today.isoformat(), "closes_on": (today - dt.timedelta(1)).isoformat()},
    ).content.decode()
    assert "締切日は受付開始日以降の日付にしてください。" in body
    assert not NominationWindow.objects.exists()


def test_selection_page_bulk_decide_and_target(client, pack, sec, liaison, people, window):
    noms = nominate(window, liaison, pack, [people["higashi_staff"], people["higashi_other_ka"]])
    client.force_login(sec)
    url = reverse("leaders:selection")
    body = client.get(url, {"window": window.pk}).content.decode()
    target = pack.planned_cohort_for_year(window.fiscal_year)[2]
    assert f"計画人数 <strong>{target}名</strong>に対して、選定 <strong>0名</strong>" in body
    assert f"<strong>{target}名不足</strong>" in body
    assert "リーダーなし" in body  # their 部 has no leader yet
    # 補欠 without a reason: refused, nothing changed, the message next to the field
    body = client.post(
        url, {"window": window.pk, "ids": [n.pk for n in noms], "decision": "reserve", "reason": ""}
    ).content.decode()
    assert "「補欠」とする理由を入力してください。" in body
    assert set(Nomination.objects.values_list("status", flat=True)) == {S.SUBMITTED}
    response = client.post(url, {"window": window.pk, "ids": [n.pk for n in noms], "decision": "selected"})
    assert response.status_code == 302
    assert set(Nomination.objects.values_list("status", flat=True)) == {S.SELECTED}
    body = client.get(response["Location"]).content.decode()
    assert "2件を「選定」にしました" in body and f"<strong>{target - 2}名不足</strong>" in body


def test_selection_shows_over_target(client, pack, sec, liaison, people, window):
    from dxtalent.policy.models import PolicyPack

    row = PolicyPack.objects.get(pk=pack.pk)
    for c in row.content["leaders"]["cohort_plan"]["cohorts"]:
        if c["training_year"] == window.fiscal_year:
            c["size"] = 1
    row.checksum = "test-size-1"
    row.save()
    noms = nominate(window, liaison, pack, [people["higashi_staff"], people["higashi_other_ka"]])
    services.nominations_decide(nominations=noms, decision=S.SELECTED, by=sec)
    client.force_login(sec)
    body = client.get(reverse("leaders:selection"), {"window": window.pk}).content.decode()
    assert "<strong>1名超過</strong>" in body


def test_form_cohort_schedule_and_cohort_page(client, pack, sec, liaison, people, window, today):
    noms = nominate(window, liaison, pack, staff(people["units"]["higashi_koseki"], 3))
    services.nominations_decide(nominations=noms, decision=S.SELECTED, by=sec)
    close(window, sec, today)
    client.force_login(sec)
    response = client.post(reverse("leaders:cohort_form", args=[window.pk]), {"schedule": "on", "place": "本庁舎"})
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("leaders:cohort_detail", args=[cohort.pk])
    assert Session.objects.filter(run=cohort.run).count() == pack.in_person_days
    body = client.get(response["Location"]).content.decode()
    assert "を編成しました" in body and "本庁舎" in body
    for p in sel.in_person_phases(pack):
        assert p.name in body
    # the schedule page re-dates a phase; a wrong count is shown next to the phase
    url = reverse("leaders:cohort_schedule", args=[cohort.pk])
    assert client.get(url).status_code == 200
    mindset = Session.objects.filter(run=cohort.run, phase_code="mindset").order_by("number")
    data = {f"mindset_{i + 1}": (s.date + dt.timedelta(days=1)).isoformat() for i, s in enumerate(mindset)}
    response = client.post(url, data)
    assert response.status_code == 302
    body = client.post(url, {"mindset_1": data["mindset_1"]}).content.decode()
    assert "マインドセットは3回分の日付が必要です（入力 1件）。" in body
    # export of the members
    export = client.get(reverse("leaders:cohort_export", args=[cohort.pk, "csv"])).content.decode("utf-8-sig")
    assert all(n.employee.number in export for n in noms)


def test_cohort_page_flags_missing_prerequisite(client, pack, sec, liaison, people, today):
    """A cohort of this fiscal year whose first マインドセット session is already past."""
    from dxtalent.core.wareki import fiscal_year
    from tests.leaders.conftest import open_window

    fy = fiscal_year(today)
    window = open_window(sec, fy, today)
    a, b = staff(people["units"]["higashi_koseki"], 2)
    noms = nominate(window, liaison, pack, [a, b])
    services.nominations_decide(nominations=noms, decision=S.SELECTED, by=sec)
    close(window, sec, today)
    cohort = services.cohort_form(window=window, by=sec)
    first = today - dt.timedelta(days=2)
    dates = {"mindset": [first, today + dt.timedelta(days=5), today + dt.timedelta(days=9)]}
    if (today + dt.timedelta(days=9)) > dt.date(fy + 1, 3, 31) or first < dt.date(fy, 4, 1):
        pytest.skip("too close to the end of the fiscal year for this scenario")
    services.cohort_schedule_sessions(cohort=cohort, dates=dates, by=sec)
    ELearningCompletion.objects.create(employee=a, course=cohort.prelearning_course, completed_on=first, hours=3)
    client.force_login(sec)
    body = client.get(reverse("leaders:cohort_detail", args=[cohort.pk])).content.decode()
    assert "事前学習を" in body and "修了していない研修生が1名います" in body
    flagged_part = body.split('id="prereq-flags"')[1].split("</div>")[0]
    assert b.name in flagged_part and a.name not in flagged_part


# ---------------------------------------------------------------- query counts


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_selection_page_query_count_is_fixed(client, pack, sec, liaison, kita_liaison, people, window):
    nominate(window, liaison, pack, staff(people["units"]["higashi_koseki"], 5))
    nominate(window, kita_liaison, pack, staff(people["units"]["kita_koseki"], 1, prefix="北"))
    client.force_login(sec)
    url = reverse("leaders:selection")
    small = _count(client, url, window=window.pk)
    nominate(window, liaison, pack, staff(people["units"]["higashi_hoken"], 30, prefix="多"))
    assert Nomination.objects.count() == 36
    large = _count(client, url, window=window.pk)
    assert small == large, (small, large)
    assert large <= 30


@pytest.mark.parametrize("page", ["leaders:cohort_detail", "leaders:window_detail"])
def test_cohort_and_window_page_query_counts_are_fixed(client, pack, sec, liaison, people, today, page):
    """A 5-member and a 35-member cohort (two different years): their pages run the same number of queries."""
    from dxtalent.core.wareki import fiscal_year
    from dxtalent.org.selectors import reset_snapshots
    from dxtalent.training.models import Attendance
    from tests.leaders.conftest import open_window

    client.force_login(sec)
    results = {}
    for size, fy in ((5, fiscal_year(today) + 2), (35, fiscal_year(today) + 3)):
        w = open_window(sec, fy, today)
        noms = nominate(w, liaison, pack, staff(people["units"]["higashi_koseki"], size, prefix=f"期{size}"))
        services.nominations_decide(nominations=noms, decision=S.SELECTED, by=sec)
        close(w, sec, today)
        cohort = services.cohort_form(window=w, by=sec, start_dates=sel.proposed_session_dates(pack, fy))
        sessions = list(Session.objects.filter(run=cohort.run)[:3])
        for m in cohort.members.select_related("enrollment"):
            for s in sessions:
                Attendance.objects.create(session=s, enrollment=m.enrollment, status="present", hours=s.hours)
        reset_snapshots()
        url = reverse(page, args=[cohort.pk if page == "leaders:cohort_detail" else w.pk])
        results[size] = _count(client, url)
    assert results[5] == results[35] <= 25, results

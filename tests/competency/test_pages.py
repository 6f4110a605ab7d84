"""Pages: create a campaign, add people (numbers or a run's enrollees), close it; rate and add evidence on a page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from dxtalent.competency.models import Assessment, Campaign, Evidence, Rating
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.training.models import Enrollment

from .conftest import all_items, make_campaign, make_run


def test_create_campaign_add_people_and_close(client, pack, hr, people, mentor):
    client.force_login(hr)
    today = timezone.localdate()
    form = client.get(reverse("competency:campaign_new"))
    assert form.status_code == 200 and "DX推進リーダーに必要なマインド・スキル" in form.content.decode()
    r = client.post(
        reverse("competency:campaign_new"),
        {
            "name": "年次評価",
            "framework_code": "leader",
            "kind": "annual",
            "fiscal_year": fiscal_year(today),
            "opens_on": today.isoformat(),
            "closes_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert r.status_code == 200 and "締切日は開始日以降" in r.content.decode() and not Campaign.objects.exists()
    r = client.post(
        reverse("competency:campaign_new"),
        {
            "name": "年次評価",
            "framework_code": "leader",
            "kind": "annual",
            "fiscal_year": fiscal_year(today),
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=30)).isoformat(),
        },
    )
    campaign = Campaign.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("competency:campaign", args=[campaign.pk])

    url = reverse("competency:campaign_people", args=[campaign.pk])
    staff, kita = people["higashi_staff"], people["kita_staff"]
    r = client.post(url, {"numbers": f"{staff.number}\n999999"})
    assert r.status_code == 400 and "999999" in r.content.decode() and not Assessment.objects.exists()
    r = client.post(url, {"numbers": f"{staff.number}, {kita.number}"})
    assert r.status_code == 302
    by_person = {a.employee_id: a.evaluator_id for a in Assessment.objects.all()}
    assert by_person == {staff.pk: people["users"][Role.MANAGER].employee.pk, kita.pk: None}
    client.post(url, {"numbers": kita.number, "evaluator": mentor.employee.number})
    assert Assessment.objects.get(employee=kita).evaluator_id == mentor.employee.pk

    page = client.get(reverse("competency:campaign", args=[campaign.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and staff.name in body and "戸籍 課長" in body and "東区 市民部 戸籍住民課" in body
    r = client.post(reverse("competency:campaign_close", args=[campaign.pk]))
    assert r.status_code == 302 and Campaign.objects.get().status == "closed"
    assert client.get(reverse("competency:campaigns")).status_code == 200


def test_add_all_enrollees_of_the_run(client, pack, hr, people):
    run = make_run()
    for e in (people["higashi_staff"], people["kita_staff"]):
        Enrollment.objects.create(run=run, employee=e, status="approved")
    Enrollment.objects.create(run=run, employee=people["higashi_other_ka"], status="rejected")
    campaign = make_campaign(hr, kind="pre", run=run)
    client.force_login(hr)
    client.post(reverse("competency:campaign_people", args=[campaign.pk]), {"from_run": "1"})
    assert set(Assessment.objects.values_list("employee_id", flat=True)) == {
        people["higashi_staff"].pk,
        people["kita_staff"].pk,
    }


def test_rating_form_draft_errors_and_submit(client, assessment, people):
    user = people["users"][Role.EMPLOYEE]
    client.force_login(user)
    page = client.get(reverse("competency:assessment", args=[assessment.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "本人評価の入力" in body
    assert "自分から改善の取組を始め" in body  # the anchor of 当事者意識 at level 3
    assert 'data-chart-source="competency-radar-data"' in body and "charts_competency.js" in body
    url = reverse("competency:assessment_rate", args=[assessment.pk])
    r = client.post(url, {"level_ownership": "2", "draft": "1"})
    assert r.status_code == 302 and Rating.objects.count() == 1
    r = client.post(url, {"level_ownership": "3", "submit": "1"})
    assert r.status_code == 400 and "提出にはすべての項目が必要です" in r.content.decode()
    assert Rating.objects.get().level == 2
    data = {f"level_{k}": str(v) for k, v in all_items(assessment.campaign, 3).items()}
    r = client.post(url, {**data, "comment_ownership": "主体的に", "comment": "まとめ", "submit": "1"})
    assert r.status_code == 302
    assert Assessment.objects.get().self_submitted_at is not None
    assert Rating.objects.get(item_code="ownership").comment == "主体的に"
    body = client.get(reverse("competency:assessment", args=[assessment.pk])).content.decode()
    assert "主体的に" in body and "提出済" in body


def test_evidence_form(client, assessment, people):
    client.force_login(people["users"][Role.EMPLOYEE])
    url = reverse("competency:assessment_evidence", args=[assessment.pk])
    r = client.post(url, {"kind": "other", "label": ""})
    assert r.status_code == 400 and "根拠の内容を入力してください" in r.content.decode()
    r = client.post(url, {"kind": "other", "label": "RPAの社内勉強会で講師", "item_code": "learning"})
    assert r.status_code == 302 and Evidence.objects.get().item_code == "learning"
    body = client.get(reverse("competency:assessment", args=[assessment.pk])).content.decode()
    assert "RPAの社内勉強会で講師" in body


def test_closed_campaign_shows_no_form(client, assessment, people, hr):
    from dxtalent.competency import services

    services.campaign_close(campaign=assessment.campaign, by=hr)
    client.force_login(people["users"][Role.EMPLOYEE])
    body = client.get(reverse("competency:assessment", args=[assessment.pk])).content.decode()
    assert "本人評価の入力" not in body and "入力できません" in body
    r = client.post(reverse("competency:assessment_rate", args=[assessment.pk]), {"submit": "1"})
    assert r.status_code == 302 and not Rating.objects.exists()

"""Assessments are private: the person, their evaluator, hr and the secretariat — nobody else, not even in lists.

Anyone else gets 404 (not 403) on the page and the API, so the existence of an assessment does not leak."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dxtalent.competency import services
from dxtalent.core.roles import Role

from .conftest import all_items

SEE = (Role.EMPLOYEE, Role.HR, Role.SECRETARIAT)  # + the mentor (evaluator)
HIDDEN = (Role.MANAGER, Role.LIAISON, Role.SYSADMIN, Role.LEADER)


@pytest.fixture
def rated(assessment, people, mentor):
    services.assessment_rate(
        assessment=assessment, by=people["users"][Role.EMPLOYEE], rater="self", levels=all_items(assessment.campaign)
    )
    services.assessment_rate(
        assessment=assessment, by=mentor, rater="evaluator", levels=all_items(assessment.campaign, 2),
        comment="秘密の所見",
    )  # fmt: skip
    return assessment


def _users(people, mentor, roles):
    return [people["users"][r] for r in roles] + ([mentor] if roles is SEE else [])


@pytest.mark.parametrize("who", ["see", "hidden"])
def test_page_and_api(client, rated, people, mentor, who):
    url = reverse("competency:assessment", args=[rated.pk])
    for user in _users(people, mentor, SEE if who == "see" else HIDDEN):
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        page = client.get(url)
        detail = api.get(f"/api/v1/competency/assessments/{rated.pk}/")
        listed = api.get("/api/v1/competency/assessments/").json()
        evidence = api.get(f"/api/v1/competency/assessments/{rated.pk}/evidence/")
        mine = client.get(reverse("competency:mine")).content.decode()
        if who == "see":
            assert page.status_code == 200, user
            assert "秘密の所見" in page.content.decode()
            assert detail.status_code == 200 and detail.json()["evaluator_comment"] == "秘密の所見"
            assert [r["id"] for r in listed["results"]] == [rated.pk]
            assert evidence.status_code == 200
        else:
            assert page.status_code == 404, user
            assert detail.status_code == 404 and evidence.status_code == 404
            assert listed["count"] == 0
            assert "秘密の所見" not in mine and url not in mine
            assert api.post(f"/api/v1/competency/assessments/{rated.pk}/rate/", {}, format="json").status_code == 404
            assert client.post(reverse("competency:assessment_rate", args=[rated.pk])).status_code == 404


def test_hidden_roles_get_no_aggregates_or_campaigns(client, rated, people):
    for role in (*HIDDEN, Role.EMPLOYEE):
        client.force_login(people["users"][role])
        assert client.get(reverse("competency:campaign", args=[rated.campaign_id])).status_code == 403
        assert client.get(reverse("competency:campaign_export", args=[rated.campaign_id, "csv"])).status_code == 403
        api = APIClient()
        api.force_authenticate(people["users"][role])
        assert api.get("/api/v1/competency/campaigns/").status_code == 403


def test_drafts_are_shown_only_to_their_rater(client, assessment, people, mentor, hr):
    services.assessment_rate(
        assessment=assessment, by=mentor, rater="evaluator", levels={"ownership": 1},
        comments={"ownership": "下書きメモ"}, submit=False,
    )  # fmt: skip
    client.force_login(mentor)
    assert "下書きメモ" in client.get(reverse("competency:assessment", args=[assessment.pk])).content.decode()
    for user in (people["users"][Role.EMPLOYEE], hr):
        client.force_login(user)
        assert "下書きメモ" not in client.get(reverse("competency:assessment", args=[assessment.pk])).content.decode()
        api = APIClient()
        api.force_authenticate(user)
        items = api.get(f"/api/v1/competency/assessments/{assessment.pk}/").json()["items"]
        assert all(i["evaluator_level"] is None for i in items)


def test_mine_lists_my_own_and_those_i_evaluate(client, assessment, people, mentor):
    client.force_login(people["users"][Role.EMPLOYEE])
    r = client.get(reverse("competency:mine"))
    assert [a.pk for a in r.context["own"]] == [assessment.pk] and r.context["evaluating"].total == 0
    client.force_login(mentor)
    r = client.get(reverse("competency:mine"))
    assert r.context["own"] == [] and [a.pk for a in r.context["evaluating"].rows] == [assessment.pk]
    assert "未提出" in r.content.decode()

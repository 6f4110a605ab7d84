"""Bad input: after the deadline, before opening, twice, a closed posting, no motivation, a leader post without
certification → a clear message naming the reason on the page and in the API, and nothing saved."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dxtalent.core.roles import Role
from dxtalent.experts import services
from dxtalent.experts.models import Application
from tests.experts_postings.conftest import make_posting

MOTIVATION = "挑戦したいです。"


def _page(client, posting, motivation=MOTIVATION) -> str:
    r = client.post(f"/jobs/{posting.pk}/", {"motivation": motivation}, follow=True)
    assert r.status_code == 200
    return r.content.decode()


def _api(user, posting, motivation=MOTIVATION):
    api = APIClient()
    api.force_authenticate(user)
    return api.post("/api/v1/applications/", {"posting": posting.pk, "motivation": motivation}, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "page_text", "api_status"),
    [
        ("after_deadline", "を過ぎているため応募できません", 409),
        ("before_opening", "まだ応募できません", 409),
        ("closed", "募集終了のため応募できません", 409),
        ("no_motivation", "志望動機を入力してください", 400),
        ("uncertified", "認定されたDX推進リーダーだけが応募できます", 400),
    ],
)
def test_refused_with_a_message_and_nothing_saved(client, people, pack, sec, today, case, page_text, api_status):
    user = people["users"][Role.EMPLOYEE]
    kw, motivation = {}, MOTIVATION
    if case == "after_deadline":
        kw = {"opens_on": today - dt.timedelta(days=20), "deadline": today - dt.timedelta(days=1)}
    elif case == "before_opening":
        kw = {"opens_on": today + dt.timedelta(days=2), "deadline": today + dt.timedelta(days=10)}
    elif case == "uncertified":
        kw = {"kind": "dx_waku"}
    elif case == "no_motivation":
        motivation = "  "
    posting = make_posting(sec, **kw)
    if case == "closed":
        services.posting_close(posting=posting, by=sec)
    client.force_login(user)
    assert page_text in _page(client, posting, motivation)
    response = _api(user, posting, motivation)
    assert response.status_code == api_status
    body = response.json()
    assert page_text in body["detail"] + str(body["errors"])
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_twice(client, people, pack, sec):
    user = people["users"][Role.EMPLOYEE]
    posting = make_posting(sec)
    services.application_submit(posting=posting, by=user, motivation=MOTIVATION)
    with pytest.raises(Exception, match="既に応募しています"):
        services.application_submit(posting=posting, by=user, motivation="もう一度")
    r = _api(user, posting, "もう一度")
    assert r.status_code == 400 and "既に応募しています" in str(r.json()["errors"]["posting"])
    assert Application.objects.count() == 1
    assert Application.objects.get().motivation == MOTIVATION
    # The page no longer offers the form and says why.
    client.force_login(user)
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "応募済みです" in page and 'name="motivation"' not in page


@pytest.mark.django_db
def test_after_deadline_the_page_hides_the_form_and_says_why(client, people, pack, sec, today):
    posting = make_posting(sec, opens_on=today - dt.timedelta(days=20), deadline=today - dt.timedelta(days=1))
    client.force_login(people["users"][Role.EMPLOYEE])
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "を過ぎたため応募できません" in page and 'name="motivation"' not in page

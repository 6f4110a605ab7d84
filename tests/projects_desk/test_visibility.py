"""Who sees a consultation: the requester, their manager (scope over the 課), their 局区's liaison and the desk.
Another 局区's manager or liaison, another leader, HR and plain staff do not: not listed, 404 on the page, the file
and the API."""

import pytest

from dxtalent.projects import services
from dxtalent.projects.selectors import consultations as sel

from .conftest import open_consultation, pdf

pytestmark = pytest.mark.django_db

SEE_KITA = {"leader", "kita_manager", "kita_liaison", "staff", "handler"}
SEE_HIGASHI = {"higashi_liaison", "higashi_manager", "staff", "handler"}
EVERYONE = [
    "staff",
    "handler",
    "hr",
    "employee",
    "sysadmin",
    "leader",
    "kita_manager",
    "kita_liaison",
    "kita_other_leader",
    "higashi_liaison",
    "higashi_manager",
    "higashi_leader",
]


@pytest.fixture
def two(cast):
    kita = open_consultation(cast.leader, title="北区の相談")
    services.consultation_attachment_add(consultation=kita, by=cast.leader, file=pdf())
    higashi = open_consultation(cast.higashi_liaison, title="東区の相談", kind="budget")
    return kita, higashi


@pytest.mark.parametrize("who", EVERYONE)
def test_visibility_per_role(client, cast, two, who):
    kita, higashi = two
    user = getattr(cast, who)
    visible = set(sel.visible_consultations(user).values_list("title", flat=True))
    expected = {t for t, seers in (("北区の相談", SEE_KITA), ("東区の相談", SEE_HIGASHI)) if who in seers}
    assert visible == expected
    client.force_login(user)
    for c, seers in ((kita, SEE_KITA), (higashi, SEE_HIGASHI)):
        status = 200 if who in seers else 404
        assert client.get(f"/desk/{c.pk}/").status_code == status, (who, c.title)
        assert client.get(f"/api/v1/consultations/{c.pk}/").status_code == status, (who, c.title)
        assert client.get(f"/api/v1/consultations/{c.pk}/messages/").status_code == status
        assert sel.may_view_consultation(user, c) == (who in seers)
    attachment = kita.attachments.get()
    assert client.get(f"/desk/attachments/{attachment.pk}/").status_code == (200 if who in SEE_KITA else 404)
    page = client.get("/desk/")
    if page.status_code == 200:
        body = page.content.decode()
        for title in ("北区の相談", "東区の相談"):
            assert (title in body) == (title in expected), (who, title)
        api = client.get("/api/v1/consultations/").json()
        assert {r["title"] for r in api["results"]} == expected
    else:
        assert who in {"hr", "employee", "sysadmin"} and page.status_code == 403
        assert client.get("/api/v1/consultations/").status_code == 403


def test_a_leader_in_the_managers_ka_is_seen_by_that_manager(cast):
    c = open_consultation(cast.higashi_leader)
    assert sel.may_view_consultation(cast.higashi_manager, c)
    assert sel.may_view_consultation(cast.higashi_liaison, c)
    assert not sel.may_view_consultation(cast.kita_manager, c)
    assert not sel.may_view_consultation(cast.leader, c)


def test_filters_cannot_widen_the_scope(client, cast, two):
    client.force_login(cast.higashi_manager)
    body = client.get("/desk/", {"top": cast.city["kita"].pk}).content.decode()
    assert "北区の相談" not in body
    api = client.get("/api/v1/consultations/", {"top": cast.city["kita"].pk}).json()
    assert api["count"] == 0
    export = client.get("/desk/export.csv").content.decode("utf-8-sig")
    assert "東区の相談" in export and "北区の相談" not in export

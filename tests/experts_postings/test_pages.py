"""The posting forms (new, edit, close) go through the services: kinds from the pack, errors next to the fields."""

import datetime as dt

import pytest

from dxtalent.experts.models import Posting, PostingStatus


@pytest.mark.django_db
def test_new_edit_close_through_the_pages(client, people, pack, sec, today):
    client.force_login(sec)
    page = client.get("/jobs/new/").content.decode()
    assert "高度デジタル人材育成プログラム" in page and "行政DX支援" in page  # kinds from the pack
    unit = people["units"]["somu_jinjika"]
    data = {
        "kind": "expert_programme",
        "title": "育成プログラム",
        "description": "内容",
        "unit": unit.pk,
        "slots": 2,
        "opens_on": today.isoformat(),
        "deadline": (today + dt.timedelta(days=10)).isoformat(),
        "starts_on": (today + dt.timedelta(days=5)).isoformat(),
    }
    r = client.post("/jobs/new/", data)
    assert r.status_code == 200 and "より後にしてください" in r.content.decode() and not Posting.objects.exists()
    data["starts_on"] = (today + dt.timedelta(days=40)).isoformat()
    r = client.post("/jobs/new/", data)
    posting = Posting.objects.get()
    assert r.status_code == 302 and posting.unit == unit and posting.posted_by == sec
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "人事課" in page and "あと10日" in page
    r = client.post(f"/jobs/{posting.pk}/edit/", {**data, "title": "育成プログラム（変更）"})
    assert r.status_code == 302
    assert client.get(f"/jobs/{posting.pk}/close/").status_code == 200
    assert client.post(f"/jobs/{posting.pk}/close/").status_code == 302
    posting.refresh_from_db()
    assert (posting.title, posting.status) == ("育成プログラム（変更）", PostingStatus.CLOSED)
    client.get("/jobs/")  # shows (and consumes) the success message
    listing = client.get("/jobs/").content.decode()
    assert "育成プログラム（変更）" not in listing  # the open tab
    assert "育成プログラム（変更）" in client.get("/jobs/", {"tab": "closed"}).content.decode()

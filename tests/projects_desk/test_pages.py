"""The desk pages: the overview by age and handler, filters and sort, the open form (with files), one
consultation's thread and the desk's controls, the export, and a fixed number of queries whatever the rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxtalent.core.models import ExportLog
from dxtalent.projects import services
from dxtalent.projects.models import Attachment, Consultation, ConsultationStatus

from .conftest import days_ago, make_project, open_consultation, pdf

pytestmark = pytest.mark.django_db
S = ConsultationStatus


def _login(client, user):
    client.force_login(user)
    return client


def test_open_form_with_files(client, cast):
    project = make_project(cast.kita_manager, cast.city["kita_koseki"], leader=cast.leader.employee)
    _login(client, cast.leader)
    page = client.get("/desk/new/", {"project": project.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "技術的支援" in body and "民間企業との実証機会" in body and project.title in body
    response = client.post(
        "/desk/new/",
        {
            "kind": "poc",
            "title": "実証の機会",
            "project": project.pk,
            "description": "AI-OCRを試したい",
            "files": [pdf("a.pdf"), pdf("b.pdf")],
        },
    )
    c = Consultation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/{c.pk}/"
    assert c.kind == "poc" and c.project == project and c.attachments.count() == 2
    body = client.get(f"/desk/{c.pk}/").content.decode()
    assert "民間企業との実証機会" in body and "a.pdf" in body and "受付" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "magic"}, "正しく選択してください"),
        ({"description": ""}, ""),
        ({"files": [SimpleUploadedFile("x.exe", b"MZ000")]}, "この形式のファイル"),
        ({"files": [pdf("ok.pdf"), SimpleUploadedFile("fake.pdf", b"hello")]}, "一致しません"),
    ],
)
def test_bad_input_on_the_form_saves_nothing(client, cast, data, message):
    _login(client, cast.leader)
    post = {"kind": "technical", "title": "件名", "description": "内容", **data}
    response = client.post("/desk/new/", post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consultation.objects.exists() and not Attachment.objects.exists()


def test_too_large_file_on_the_form_saves_nothing(client, cast, monkeypatch):
    from dxtalent.core import uploads

    monkeypatch.setattr(uploads, "MAX_FILE_MB", 0)
    _login(client, cast.leader)
    response = client.post("/desk/new/", {"kind": "technical", "title": "t", "description": "d", "files": [pdf()]})
    assert "大きすぎます" in response.content.decode()
    assert not Consultation.objects.exists() and not Attachment.objects.exists()


def test_new_without_a_pack_says_so(client, people):
    from dxtalent.core.roles import Role

    _login(client, people["users"][Role.LEADER])
    body = client.get("/desk/new/").content.decode()
    assert "ポリシーパックが読み込まれていない" in body


def test_thread_and_desk_controls(client, cast):
    c = open_consultation(cast.leader)
    url = f"/desk/{c.pk}/"
    _login(client, cast.staff)
    body = client.get(url).content.decode()
    assert "相談窓口の操作" in body and cast.handler_employee.name in body
    assert client.post(url, {"action": "assign", "handler": cast.handler_employee.pk}).status_code == 302
    assert client.post(url, {"action": "status", "status": S.IN_PROGRESS}).status_code == 302
    assert client.post(url, {"action": "reply", "body": "ご相談ありがとうございます"}).status_code == 302
    # an illegal move is shown as a message and changes nothing
    response = client.post(url, {"action": "status", "status": S.RECEIVED})
    assert response.status_code == 200 and "にはできません" in response.content.decode()
    c.refresh_from_db()
    assert c.status == S.IN_PROGRESS and c.handler == cast.handler_employee
    # the requester replies and adds a file; has no desk controls
    _login(client, cast.leader)
    body = client.get(url).content.decode()
    assert "相談窓口の操作" not in body and "ご相談ありがとうございます" in body
    assert client.post(url, {"action": "reply", "body": "よろしくお願いします"}).status_code == 302
    assert client.post(url, {"action": "attach", "file": pdf(), "title": "画面案"}).status_code == 302
    assert client.post(url, {"action": "status", "status": S.RESOLVED}).status_code == 403
    assert client.post(url, {"action": "reply", "body": ""}).status_code == 200  # the form error
    # the manager reads but does not write
    _login(client, cast.kita_manager)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "reply", "body": "x"}).status_code == 403
    assert c.messages.count() == 2 and c.attachments.count() == 1
    assert client.post(url, {"action": "nonsense"}).status_code == 404


def test_resolve_shows_resolution_days(client, cast):
    c = open_consultation(cast.leader, at=days_ago(10))
    services.consultation_set_status(consultation=c, by=cast.staff, status=S.IN_PROGRESS, at=days_ago(9))
    services.consultation_set_status(consultation=c, by=cast.staff, status=S.RESOLVED, at=days_ago(4))
    _login(client, cast.staff)
    assert "解決までの日数 6日" in client.get(f"/desk/{c.pk}/").content.decode()
    row = client.get("/api/v1/consultations/").json()["results"][0]
    assert row["resolution_days"] == 6 and row["days_open"] is None


def test_overview_by_age_and_handler(client, cast):
    for days in (0, 2, 5, 9, 20, 30):
        c = open_consultation(cast.leader, title=f"{days}日前の相談", at=days_ago(days))
        if days >= 20:
            services.consultation_assign(consultation=c, by=cast.staff, handler=cast.handler_employee)
    closed = open_consultation(cast.leader, title="完了した相談", at=days_ago(40))
    services.consultation_set_status(consultation=closed, by=cast.staff, status=S.OUT_OF_SCOPE)
    _login(client, cast.staff)
    response = client.get("/desk/")
    summary = response.context["summary"]
    assert summary.open_total == 6
    assert summary.by_age == [("〜3日", 2), ("4〜7日", 1), ("8〜14日", 1), ("15日〜", 2)]
    assert [(h.name if h else None, n, oldest) for h, n, oldest in summary.by_handler] == [
        (None, 4, 9),
        ("窓口 担当", 2, 30),
    ]
    # requesters do not get the desk's overview
    _login(client, cast.leader)
    assert client.get("/desk/").context["summary"] is None


def test_filters_and_sort(client, cast):
    a = open_consultation(cast.leader, title="北の技術", kind="technical", at=days_ago(5))
    open_consultation(cast.higashi_liaison, title="東の予算", kind="budget", at=days_ago(1))
    services.consultation_assign(consultation=a, by=cast.staff, handler=cast.handler_employee)
    _login(client, cast.staff)

    def titles(**params):
        return [r.consultation.title for r in client.get("/desk/", params).context["rows"]]

    assert titles() == ["東の予算", "北の技術"]
    assert titles(sort="opened") == ["北の技術", "東の予算"]
    assert titles(kind="budget") == ["東の予算"]
    assert titles(handler="none") == ["東の予算"]
    assert titles(handler=cast.handler_employee.pk) == ["北の技術"]
    assert titles(top=cast.city["kita"].pk) == ["北の技術"]
    assert titles(status="open") == ["東の予算", "北の技術"]
    assert titles(status=S.RESOLVED) == []


def test_export_is_recorded_as_personal(client, cast):
    open_consultation(cast.leader, title="北の相談")
    _login(client, cast.staff)
    response = client.get("/desk/export.xlsx", {"status": "open"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    log = ExportLog.objects.get()
    assert log.kind == "相談一覧" and log.row_count == 1 and log.filters["status"] == "open"
    csv = client.get("/desk/export.csv").content.decode("utf-8-sig")
    assert "北の相談" in csv and "技術的支援" in csv and "解決までの日数" in csv


def _page_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _fill(cast, n: int):
    for i in range(n):
        c = open_consultation(cast.leader if i % 2 else cast.higashi_liaison, title=f"相談{i}", at=days_ago(i))
        services.consultation_assign(consultation=c, by=cast.staff, handler=cast.handler_employee)
        services.consultation_reply(consultation=c, by=cast.staff, body="回答")


@pytest.mark.parametrize("user", ["staff", "higashi_manager", "leader"])
def test_list_queries_do_not_grow_with_rows(client, cast, django_assert_max_num_queries, user):
    _login(client, getattr(cast, user))
    _fill(cast, 3)
    client.get("/desk/")  # warm the org snapshot cache
    few = _page_queries(client, "/desk/")
    _fill(cast, 27)
    with django_assert_max_num_queries(few):
        assert client.get("/desk/").status_code == 200
    api_few = _page_queries(client, "/api/v1/consultations/")
    _fill(cast, 3)
    with django_assert_max_num_queries(api_few):
        assert client.get("/api/v1/consultations/").status_code == 200
    assert few <= 16 and api_few <= 12, (few, api_few)

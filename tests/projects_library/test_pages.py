"""The library pages role by role, the publish / edit / withdraw / adopt forms, the export, and constant query
counts on the search page (3 vs 30 cases)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.projects import services
from dxtalent.projects.models import Case, Project

pytestmark = pytest.mark.django_db
ALL = list(Role)


def as_(client, people, role):
    client.force_login(people["users"][role])
    return client


def test_search_page_shows_ranked_highlighted_results(client, people, library):
    body = as_(client, people, Role.EMPLOYEE).get("/library/", {"q": "照会"}).content.decode()
    first, second = body.index("<mark>照会</mark>業務の進捗管理の見える化"), body.index("固定資産台帳の電子化")
    assert first < second and "2件" in body
    assert "北区 市民部 戸籍住民課" in body  # A shows its unit
    body = client.get("/library/", {"q": "進捗", "work_category": "nope", "sort": "bogus"}).content.decode()
    assert "3件" in body  # unknown filter values are ignored, not an error


@pytest.mark.parametrize("role", ALL)
def test_detail_page_for_every_role(client, people, library, role):
    response = as_(client, people, role).get(f"/library/{library['A'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "照会案件は必ずこのアプリに登録すること" in body
    assert ("この事例で始める（横展開）" in body) == (role == Role.MANAGER)
    assert ("公開停止" in body) == (role == Role.SECRETARIAT)
    assert client.get("/library/999999/").status_code == 404


@pytest.mark.parametrize("role", ALL)
def test_secretariat_pages(client, people, library, make_project, role):
    project = make_project(people["units"]["kita_koseki"], to_be="案")
    pk = library["A"].pk
    expected = 200 if role == Role.SECRETARIAT else 403
    as_(client, people, role)
    assert client.get(f"/library/publish/{project.pk}/").status_code == expected
    assert client.get(f"/library/{pk}/edit/").status_code == expected
    assert client.get(f"/library/{pk}/withdraw/").status_code == expected
    if role != Role.SECRETARIAT:
        assert client.post(f"/library/{pk}/withdraw/", {"confirm": "on"}).status_code == 403
        assert client.post(f"/library/publish/{project.pk}/", {"title": "x"}).status_code == 403
    assert not Case.objects.filter(project=project).exists()


def _case_post(**over):
    data = {
        "title": "事例",
        "summary": "概要",
        "problem": "",
        "as_is": "",
        "to_be": "",
        "solution": "",
        "operating_rule": "",
        "effects": "",
        "work_category": "inquiry",
        "tool_kind": "rpa",
        "show_unit": "on",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_publish_form(client, people, pack, make_project):
    project = make_project(people["units"]["kita_koseki"], title="台帳の電子化", to_be="台帳をアプリに")
    client = as_(client, people, Role.SECRETARIAT)
    body = client.get(f"/library/publish/{project.pk}/").content.decode()
    assert "台帳をアプリに" in body and "台帳の電子化" in body  # prefilled from the project
    response = client.post(f"/library/publish/{project.pk}/", _case_post(summary=""))
    assert response.status_code == 400 and not Case.objects.exists()
    response = client.post(f"/library/publish/{project.pk}/", _case_post(tool_kind="nope"))
    assert response.status_code == 400 and not Case.objects.exists()
    response = client.post(f"/library/publish/{project.pk}/", _case_post(show_unit=None, show_leader="on"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/library/{case.pk}/"
    assert case.tool_kind == "rpa" and not case.show_unit and case.show_leader
    # already published → to the case; a running project → back to the list with a message
    assert client.get(f"/library/publish/{project.pk}/")["Location"] == f"/library/{case.pk}/"
    running = make_project(people["units"]["kita_koseki"], done=False)
    response = client.post(f"/library/publish/{running.pk}/", _case_post(), follow=True)
    assert "効果を確認したプロジェクトだけ" in response.content.decode()
    assert Case.objects.count() == 1
    assert "台帳の電子化" not in client.get("/library/publish/").content.decode()


def test_edit_and_withdraw_forms(client, people, library):
    client = as_(client, people, Role.SECRETARIAT)
    pk = library["C"].pk
    response = client.post(f"/library/{pk}/edit/", _case_post(title="会議室予約", summary=""))
    assert response.status_code == 400
    assert Case.objects.get(pk=pk).title == "会議の日程調整と進捗共有"
    response = client.post(f"/library/{pk}/edit/", _case_post(title="会議室予約", work_category="scheduling"))
    assert response.status_code == 302 and Case.objects.get(pk=pk).title == "会議室予約"
    assert client.post(f"/library/{pk}/withdraw/", {}).status_code == 200  # confirmation required
    assert client.post(f"/library/{pk}/withdraw/", {"confirm": "on"}).status_code == 302
    assert Case.objects.get(pk=pk).status == "withdrawn"


def test_adopt_form(client, people, library):
    pk = library["A"].pk
    koseki = people["units"]["higashi_koseki"]
    assert as_(client, people, Role.LEADER).post(f"/library/{pk}/adopt/", {"unit": koseki.pk}).status_code == 403
    client = as_(client, people, Role.MANAGER)
    body = client.get(f"/library/{pk}/").content.decode()
    assert "東区 市民部 戸籍住民課" in body  # the only 課 offered
    bad = client.post(f"/library/{pk}/adopt/", {"unit": people["units"]["higashi_hoken"].pk})
    assert bad.status_code == 400 and not Project.objects.filter(source_case_id=pk).exists()
    response = client.post(f"/library/{pk}/adopt/", {"unit": koseki.pk, "title": ""})
    project = Project.objects.get(source_case_id=pk)
    assert response.status_code == 302 and project.unit == koseki
    body = client.get(f"/library/{pk}/").content.decode()
    assert "1課" in body and "東区 市民部 戸籍住民課" in body
    # someone who cannot see the adopting project sees it counted, not named
    body = as_(client, people, Role.LEADER).get(f"/library/{pk}/").content.decode()
    assert "担当範囲外の課（1件）" in body


def test_export(client, people, library, staff):
    client = as_(client, people, Role.EMPLOYEE)
    response = client.get("/library/export.xlsx", {"q": "照会"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    csv = client.get("/library/export.csv").content.decode("utf-8-sig")
    assert "固定資産台帳の電子化" in csv and "保険年金課" not in csv and "鈴木" not in csv
    assert not ExportLog.objects.exists()  # no personal data
    services.case_update(case=library["A"], by=staff, show_leader=True)
    csv = client.get("/library/export.csv").content.decode("utf-8-sig")
    assert "鈴木 一郎" in csv and ExportLog.objects.count() == 1
    assert client.get("/library/export.pdf").status_code == 404


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("params", [{}, {"q": "照会"}, {"q": "照会 進捗管理", "sort": "adopted"}, {"sort": "adopted"}])
def test_search_page_queries_do_not_grow(client, people, staff, make_project, pack, params):
    def publish(n):
        for i in range(n):
            project = make_project(people["units"]["kita_koseki"], title=f"照会の進捗管理 {i}", to_be="照会")
            services.case_publish(project=project, by=staff)

    client = as_(client, people, Role.EMPLOYEE)
    publish(3)
    client.get("/library/", params)  # warm per-process caches (org snapshot, pack)
    few = _queries(client, "/library/", params)
    publish(27)
    many = _queries(client, "/library/", params)
    assert many == few, (few, many)
    body = client.get("/library/", {**params, "page": 2}).content.decode()
    assert "2 / 2ページ" in body

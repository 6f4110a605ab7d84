"""Default deny: every URL needs login, and each role gets exactly the pages its table row allows."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.org import access


def _collect_tables():
    """Each app's tests declare who may use its pages in tests/<app>/access_table.py (EXPECTED, OBJECT_SCOPED)."""
    expected, object_scoped, url_kwargs = {}, set(), {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent.parent)]):
        if not info.ispkg:
            continue
        try:
            table = importlib.import_module(f"tests.{info.name}.access_table")
        except ModuleNotFoundError:
            continue
        overlap = set(table.EXPECTED) & set(expected)
        assert not overlap, f"URL names declared twice: {overlap}"
        expected.update(table.EXPECTED)
        object_scoped.update(getattr(table, "OBJECT_SCOPED", set()))
        url_kwargs.update(getattr(table, "URL_KWARGS", {}))
    return expected, object_scoped, url_kwargs


EXPECTED, OBJECT_SCOPED, URL_KWARGS = _collect_tables()
# Pages that are not per-role product pages (login, logout, admin has its own staff check, the API is
# tested role by role in each app's API tests).
NOT_ROLE_PAGES = re.compile(r"^(login|logout|admin:.*|api.*|schema|swagger.*|redoc)$")


def _walk(patterns, prefix="", ns=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            sub_ns = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), sub_ns)
        elif isinstance(p, URLPattern):
            name = f"{ns}:{p.name}" if ns and p.name else p.name
            yield prefix + str(p.pattern), name


def _sample_path(pattern: str) -> str:
    """A concrete path for a URL pattern: ints → 1, str → 'xlsx', regex groups → their first alternative."""
    path = re.sub(r"<int:\w+>", "1", pattern)
    path = re.sub(r"<(?:str|slug|path):\w+>", "xlsx", path)
    path = re.sub(r"<\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>([^|)]+)[^)]*\)", r"\1", path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\Z", "")
    path = re.sub(r"\[[^\]]*\][+*]?|\.\*|\\d\+", "1", path)
    return "/" + path.lstrip("/")


ALL_URLS = [(pat, name) for pat, name in _walk(get_resolver().url_patterns) if not pat.startswith("static")]


@pytest.mark.django_db
@pytest.mark.parametrize(("pattern", "name"), ALL_URLS, ids=[p for p, _ in ALL_URLS])
def test_every_url_needs_login(client, pattern, name):
    if name in ("login", "admin:login"):
        return
    response = client.get(_sample_path(pattern))
    # Pages redirect to the login page; API endpoints answer 401/403 JSON (405: POST-only, e.g. the token view).
    assert response.status_code in (302, 401, 403, 404, 405), pattern
    if response.status_code == 302:
        assert "/login/" in response["Location"], pattern


def test_every_named_url_declares_its_roles():
    undeclared = [
        n for _, n in ALL_URLS if n and n not in EXPECTED and n not in OBJECT_SCOPED and not NOT_ROLE_PAGES.match(n)
    ]
    assert not undeclared, f"declare who may use these URLs in EXPECTED: {undeclared}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_role_matrix(client, people, role):
    from django.urls import reverse

    client.force_login(people["users"][role])
    for name, allowed in EXPECTED.items():
        url = reverse(name, kwargs=URL_KWARGS.get(name))
        status = client.get(url).status_code
        if role in allowed:
            assert status == 200, (name, role, status)
        else:
            assert status == 403, (name, role, status)


@pytest.mark.django_db
def test_employee_sees_only_own_page(client, people):
    client.force_login(people["users"][Role.EMPLOYEE])
    me = people["higashi_staff"]
    assert client.get(f"/employees/{me.pk}/").status_code == 200
    assert client.get(f"/employees/{people['higashi_other_ka'].pk}/").status_code == 403
    assert client.get(f"/employees/{people['kita_staff'].pk}/").status_code == 403
    assert client.get("/employees/").status_code == 403


@pytest.mark.django_db
def test_liaison_of_higashi_cannot_see_kita_anywhere(client, people):
    user = people["users"][Role.LIAISON]
    kita, higashi = people["kita_staff"], people["higashi_staff"]
    client.force_login(user)
    body = client.get("/employees/").content.decode()
    assert higashi.name in body and kita.name not in body
    # pointing the filter at 北区 or searching for the person by name finds nobody
    body = client.get("/employees/", {"top": people["units"]["kita"].pk}).content.decode()
    assert kita.name not in body
    body = client.get("/employees/", {"q": "キタ"}).content.decode()
    assert kita.name not in body
    assert client.get(f"/employees/{kita.pk}/").status_code == 403
    assert client.get(f"/employees/{higashi.pk}/").status_code == 200
    export = client.get("/employees/export.csv", {"q": "キタ イチロウ"}).content.decode("utf-8-sig")
    assert kita.number not in export
    export = client.get("/employees/export.csv").content.decode("utf-8-sig")
    assert higashi.number in export and kita.number not in export


@pytest.mark.django_db
def test_manager_sees_own_ka_only_and_follows_transfer(client, people):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dxtalent.org import services
    from dxtalent.org.selectors import reset_snapshots

    manager = people["users"][Role.MANAGER]
    s = access.scope(manager)
    assert people["units"]["higashi_koseki"].pk in s.unit_ids
    assert people["units"]["higashi_hoken"].pk not in s.unit_ids
    assert access.may_view_employee(manager, people["higashi_staff"])
    assert not access.may_view_employee(manager, people["higashi_other_ka"])
    # transferred to 保険年金課 today: the scope follows the new 課 without editing the grant
    services.employee_transfer(
        employee=manager.employee,
        unit=people["units"]["higashi_hoken"],
        position=manager.employee.assignments.first().position,
        on=timezone.localdate(),
    )
    reset_snapshots()
    manager = get_user_model().objects.get(pk=manager.pk)  # a new request: nothing cached
    assert access.may_view_employee(manager, people["higashi_other_ka"])
    assert not access.may_view_employee(manager, people["higashi_staff"])


@pytest.mark.django_db
def test_exports_of_personal_data_are_recorded(client, people):
    user = people["users"][Role.HR]
    client.force_login(user)
    response = client.get("/employees/export.xlsx", {"q": "ヒガシ"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    log = ExportLog.objects.get()
    assert log.user == user and log.file_format == "xlsx" and log.filters == {"q": "ヒガシ", "sort": "kana"}
    assert log.row_count == 2  # 東 花子 and 東区 担当 (ヒガシク) match ヒガシ


@pytest.mark.django_db
def test_unknown_export_format_is_404(client, people):
    client.force_login(people["users"][Role.HR])
    assert client.get("/employees/export.pdf").status_code == 404

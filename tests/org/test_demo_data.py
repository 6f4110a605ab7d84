"""Demo data (`load_demo`, `demo_logins`) and city-scale data (`generate_scale_data`)."""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.org.demo import builder
from dxtalent.org.demo.simulate import fiscal_year
from dxtalent.org.demo.spec import SpecError, load_spec
from dxtalent.org.management.commands.generate_scale_data import scale_plan
from dxtalent.org.models import Assignment, Employee, EmploymentStatus, OrgKind, OrgUnit, RoleGrant, valid_on
from dxtalent.org.selectors import OrgSnapshot, ancestors_of

KATAKANA_NAME = re.compile(r"^[ァ-ヶー]+ [ァ-ヶー]+$")
WARDS = ["中央区", "北区", "東区", "白石区", "厚別区", "豊平区", "清田区", "南区", "西区", "手稲区"]


def _run(command: str, **options) -> str:
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def _login(client, username: str) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": builder.DEMO_PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_load_demo_builds_a_city_with_history_and_one_login_per_role(client):
    first = _run("load_demo")
    assert "デモデータを読み込みました" in first
    today = timezone.localdate()

    # The org: 10 wards and the bureaus, as of today.
    snap = OrgSnapshot(today)
    tops = {n.name: n for n in snap.roots}
    assert sorted(n.name for n in tops.values() if n.kind == OrgKind.KU) == sorted(WARDS)
    assert {"総務局", "デジタル戦略推進局", "消防局", "教育委員会"} <= set(tops)
    dss = {c.name for c in tops["デジタル戦略推進局"].children}
    assert {"行政DX推進室", "情報システム部", "スマートシティ推進部"} <= dss
    assert "職員部" in {c.name for c in tops["総務局"].children}

    # … and as of a past date it differs: a move, a rename and a merge.
    past = OrgSnapshot(dt.date(2022, 4, 1))
    past_tops = {n.name: n for n in past.roots}
    assert "デジタル戦略推進局" not in past_tops
    assert "情報システム部" in {c.name for c in past_tops["総務局"].children}
    assert "業務改革推進課" in {n.name for n in past.nodes.values()}
    assert "DX推進課" not in {n.name for n in past.nodes.values()}
    higashi_shimin = next(c for c in past_tops["東区"].children if c.name == "市民部")
    assert "市民課" in {c.name for c in higashi_shimin.children}
    merged = OrgUnit.objects.get(versions__name="市民課")
    assert merged.valid_to == dt.date(2023, 3, 31)
    assert merged.merged_into.versions.get(valid_to__isnull=True).name == "戸籍住民課"

    # People: 2,000 in post, Japanese names with katakana readings, kana sort keys.
    active = Employee.objects.filter(status=EmploymentStatus.ACTIVE)
    assert active.count() == 2000
    assert Employee.objects.filter(status=EmploymentStatus.RETIRED, left_on__isnull=False).exists()
    for name, kana, key in Employee.objects.values_list("name", "name_kana", "kana_key"):
        assert " " in name and KATAKANA_NAME.match(kana), (name, kana)
        assert key == kana.replace(" ", "")
    assert Assignment.objects.filter(valid_on(today)).count() == 2000

    # Transfers: every April 1 of the last five fiscal years, about a third of the staff each time.
    fy = fiscal_year(today)
    starts = Counter(
        Assignment.objects.filter(valid_from__month=4, valid_from__day=1).values_list("valid_from", flat=True)
    )
    for year in range(fy - 4, fy + 1):
        assert 400 < starts[dt.date(year, 4, 1)] < 1100, (year, starts[dt.date(year, 4, 1)])
    per_person = Counter(Assignment.objects.values_list("employee_id", flat=True))
    assert max(per_person.values()) >= 3
    assert Assignment.history.filter(history_type="~").exists()
    assert Employee.history.count() > Employee.objects.count()

    # One login per role; every one of them can log in with the shared demo password.
    grants = {g.role: g for g in RoleGrant.objects.select_related("user", "scope_unit")}
    assert set(grants) == {r.value for r in Role}
    for role, grant in grants.items():
        client.logout()
        assert _login(client, grant.user.username), role
        assert client.get("/").status_code == 200
        assert grant.user.employee is not None

    def current(role):
        employee = grants[role].user.employee
        return employee.assignments.select_related("position").get(valid_on(today))

    def path(role):
        return [n.name for n in reversed(ancestors_of(current(role).unit_id, today))]

    assert path("secretariat")[:2] == ["デジタル戦略推進局", "行政DX推進室"]
    assert grants["secretariat"].user.is_staff
    assert grants["secretariat"].user.has_perm("org.change_orgunit")
    assert path("hr")[:2] == ["総務局", "職員部"]
    assert grants["liaison"].scope_unit.versions.get(valid_to__isnull=True).name == "東区"
    manager = current("manager")
    assert manager.position.name == "課長" and manager.unit.kind == OrgKind.KA
    assert path("manager")[0] == "東区" and grants["manager"].scope_unit is None
    assert OrgUnit.objects.get(pk=current("leader").unit_id).kind in (OrgKind.KA, OrgKind.KAKARI)
    assert path("employee")[0] in ("北区", "東区")
    assert grants["sysadmin"].user.is_superuser and grants["sysadmin"].user.is_staff

    # Idempotent: the second run says so and changes nothing.
    counts = (OrgUnit.objects.count(), Employee.objects.count(), Assignment.objects.count(), RoleGrant.objects.count())
    second = _run("load_demo")
    assert "読み込み済み" in second
    assert counts == (
        OrgUnit.objects.count(),
        Employee.objects.count(),
        Assignment.objects.count(),
        RoleGrant.objects.count(),
    )

    table = _run("demo_logins")
    for grant in grants.values():
        assert grant.user.username in table
    assert builder.DEMO_PASSWORD in table and "http://127.0.0.1:8000/" in table


@pytest.mark.django_db
def test_demo_logins_without_data_says_what_to_do():
    assert "load_demo" in _run("demo_logins")


@pytest.mark.django_db
def test_generate_scale_data_is_deterministic_and_refuses_a_full_database():
    out = _run("generate_scale_data", employees=300, seed=1)
    written = builder.db_fingerprint()
    numbers = list(Employee.objects.order_by("number").values_list("number", "name", "name_kana"))

    # The same seed gives the same plan again (numbers, names, every 所属) and that is what was written.
    again, _ = scale_plan(employees=300, seed=1, years=10, units=None, today=timezone.localdate())
    assert again.fingerprint() == written
    assert f"fingerprint {written[:16]}" in out
    assert numbers == sorted((p.number, p.name, p.name_kana) for p in again.people)
    assert all(KATAKANA_NAME.match(kana) for _n, _name, kana in numbers)
    assert Employee.objects.filter(status=EmploymentStatus.ACTIVE).count() == 300
    assert Assignment.objects.count() > 3 * 300  # 10 years of transfers
    assert RoleGrant.objects.count() == len(Role)
    other, _ = scale_plan(employees=300, seed=2, years=10, units=None, today=timezone.localdate())
    assert other.fingerprint() != written

    with pytest.raises(CommandError):  # never on a database that already has org units or people
        call_command("generate_scale_data", employees=300, stdout=io.StringIO())


def test_org_yaml_is_checked(tmp_path):
    bad = tmp_path / "org.yaml"
    bad.write_text(
        "since: 2010-04-01\njob_types: []\npositions: []\nunits:\n"
        "  - name: 総務局\n    kind: kyoku\n    code: '10'\n    children:\n"
        "      - name: 職員部\n        formerly: [{until: 2020-03-31, parent: 存在しない局}]\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match="存在しない局"):
        load_spec(bad)

"""The desk's cast over the small city (tests/people.py) plus the people a consultation's visibility turns on.

The LEADER login works in 北区 戸籍住民課, so its consultations belong to 北区: the 北区 manager and liaison see
them, the 東区 ones (the MANAGER and LIAISON logins) do not. Projects and cases are made through helper A's and
helper C's services (tests/projects/builders.py); only if those are missing do we fall back to the ORM.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.projects import services
from dxtalent.projects.models import Case, Project, ProjectStatus
from tests import factories as f
from tests.project_fixtures import certify, load_pack

PDF = b"%PDF-1.7\n" + b"0" * 64


def pdf(name="flow.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def pack(db):
    return load_pack()


@pytest.fixture
def cast(people, pack):
    u, city = people["users"], people["units"]
    kacho = f.position("課長", rank=30, is_manager=True)
    ns = SimpleNamespace(
        city=city,
        staff=u[Role.SECRETARIAT],
        hr=u[Role.HR],
        employee=u[Role.EMPLOYEE],
        sysadmin=u[Role.SYSADMIN],
        leader=u[Role.LEADER],  # 北区 戸籍住民課
        higashi_liaison=u[Role.LIAISON],
        higashi_manager=u[Role.MANAGER],  # 東区 戸籍住民課 課長
    )
    ns.handler_employee = f.employee(city["somu_jinjika"], name="窓口 担当", kana="マドグチ タントウ")
    ns.handler = f.login(ns.handler_employee, Role.SECRETARIAT)
    ns.kita_manager = f.login(
        f.employee(city["kita_koseki"], name="北 課長", kana="キタ カチョウ", pos=kacho), Role.MANAGER
    )
    ns.kita_liaison = f.login(
        f.employee(city["kita_koseki"], name="北区 担当", kana="キタク タントウ"),
        Role.LIAISON,
        scope_unit=city["kita"],
    )
    ns.kita_other_leader = f.login(f.employee(city["kita_koseki"], name="北 別リーダー", kana="キタ ベツ"), Role.LEADER)
    ns.higashi_leader = f.login(
        f.employee(city["higashi_koseki"], name="東 リーダー", kana="ヒガシ リーダー"), Role.LEADER
    )
    certify(ns.leader.employee)  # a certified leader, so helper A's projects accept them as the leader
    return ns


def open_consultation(user, *, title="グループウェアのアプリ作成について", kind="technical", **kw):
    kw.setdefault("description", "照会の進捗管理アプリを作りたいが、項目の設計を相談したい。")
    return services.consultation_open(by=user, title=title, kind=kind, **kw)


def make_project(manager_user, unit, *, leader=None, title="照会の進捗管理") -> Project:
    """A project of `unit` through helper A's service (ORM only if it is not there yet)."""
    if hasattr(services, "project_create"):
        return services.project_create(by=manager_user, unit=unit, title=title, problem="問題", leader=leader)
    manager = manager_user.employee
    return Project.objects.create(title=title, unit=unit, manager=manager, leader=leader, problem="問題")


def published_case(cast) -> Case:
    """A published case of a finished 北区 project (helper A's workflow and helper C's case_publish)."""
    leader = cast.leader.employee
    if hasattr(services, "case_publish") and hasattr(services, "project_step_complete"):
        from tests.projects.builders import to_step

        project = make_project(cast.kita_manager, cast.city["kita_koseki"], leader=leader, title="台帳の電子化")
        project = to_step(project, 5, manager_user=cast.kita_manager, leader_user=cast.leader)
        return services.case_publish(
            project=project, by=cast.staff, title="台帳の電子化の事例", summary="概要", work_category="ledger"
        )
    project = Project.objects.create(
        title="台帳の電子化",
        unit=cast.city["kita_koseki"],
        manager=cast.kita_manager.employee,
        status=ProjectStatus.DONE,
        step=4,
        baseline_hours=Decimal(8),
        after_hours=Decimal(5),
        verified_on=timezone.localdate(),
    )
    return Case.objects.create(
        project=project,
        title="台帳の電子化の事例",
        summary="概要",
        work_category="ledger",
        tool_kind="nocode",
        published_by=cast.staff,
    )


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)

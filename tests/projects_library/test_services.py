"""Case services: publish (secretariat only, finished projects only, texts copied), edit, withdraw, and adopt
(横展開) with the adoption counts and verified hours per case."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.leaders.errors import WorkflowError
from dxtalent.projects import services
from dxtalent.projects.models import Case, CaseStatus, Project, ProjectStatus
from dxtalent.projects.selectors.cases import library_search, with_adoption_stats
from tests import factories as f

pytestmark = pytest.mark.django_db


def stats(case):
    c = with_adoption_stats(Case.objects.filter(pk=case.pk)).get()
    return c.adopted_units, c.adopted_saving


def test_publish_copies_the_project(pack, people, staff, make_project):
    project = make_project(
        people["units"]["kita_koseki"],
        title="照会業務の進捗管理の可視化・DB化",
        problem="問題点",
        as_is="各照会内容をそれぞれの担当者しか状況把握できていない",
        to_be="担当・期限・状況を可視化できる一元的なタスク管理",
        tool_kind="groupware",
        tool_name="照会タスク管理アプリ",
        trial="期限切れ / 未着手を一覧表示",
        operating_rule="照会案件は必ずこのアプリに登録すること",
        qualitative_effects="対応漏れがなくなった",
        baseline="30",
        after="20",
    )
    case = services.case_publish(project=project, by=staff)
    assert case.title == project.title and case.summary == project.to_be
    assert case.as_is == project.as_is and case.operating_rule == project.operating_rule
    assert case.solution == "ツール: グループウェア（アプリ機能）、照会タスク管理アプリ\n期限切れ / 未着手を一覧表示"
    assert case.effects.startswith("月10時間の削減（改善前 30時間/月 → 改善後 20時間/月")
    assert case.effects.endswith("対応漏れがなくなった")
    assert (case.work_category, case.tool_kind) == ("progress", "groupware")
    assert case.show_unit and not case.show_leader and case.published_by == staff
    assert case.search_text.startswith("照会業務ノ進捗管理ノ可視化・db化\n")


def test_negative_saving_is_shown_as_an_increase(pack, people, staff, make_project):
    project = make_project(people["units"]["kita_koseki"], baseline="10", after="12.5", to_be="案")
    case = services.case_publish(project=project, by=staff)
    assert case.effects.startswith("月2.5時間の増加")


def test_only_the_secretariat_publishes_edits_and_withdraws(pack, people, make_project, library):
    project = make_project(people["units"]["kita_koseki"], to_be="案")
    for role in (Role.MANAGER, Role.LEADER, Role.HR, Role.LIAISON, Role.EMPLOYEE, Role.SYSADMIN):
        user = people["users"][role]
        with pytest.raises(PermissionDenied):
            services.case_publish(project=project, by=user)
        with pytest.raises(PermissionDenied):
            services.case_update(case=library["A"], by=user, title="x")
        with pytest.raises(PermissionDenied):
            services.case_withdraw(case=library["A"], by=user)
    assert not Case.objects.filter(project=project).exists()


def test_bad_input_saves_nothing(pack, people, staff, make_project):
    running = make_project(people["units"]["kita_koseki"], done=False)
    with pytest.raises(WorkflowError, match="効果を確認したプロジェクトだけ"):
        services.case_publish(project=running, by=staff)
    project = make_project(people["units"]["kita_koseki"], to_be="案")
    with pytest.raises(ValidationError) as exc:
        services.case_publish(project=project, by=staff, summary="   ")
    assert exc.value.message_dict["summary"] == ["概要を入力してください"]
    with pytest.raises(ValidationError) as exc:
        services.case_publish(project=project, by=staff, work_category="nope", tool_kind="")
    assert "ポリシーパックにありません" in exc.value.message_dict["work_category"][0]
    assert exc.value.message_dict["tool_kind"] == ["ツールの種類を選んでください"]
    assert not Case.objects.exists()
    case = services.case_publish(project=project, by=staff)
    with pytest.raises(WorkflowError, match="すでに事例として公開"):
        services.case_publish(project=project, by=staff)
    with pytest.raises(ValidationError):
        services.case_update(case=case, by=staff, summary="")
    case.refresh_from_db()
    assert case.summary == "案"


def test_withdraw_and_publish_again(pack, people, staff, library):
    case = services.case_withdraw(case=library["B"], by=staff)
    assert case.status == CaseStatus.WITHDRAWN
    with pytest.raises(WorkflowError):
        services.case_withdraw(case=case, by=staff)
    again = services.case_publish(project=case.project, by=staff, summary="改めて公開")
    assert again.pk == case.pk and again.status == CaseStatus.PUBLISHED and again.summary == "改めて公開"


def test_adoption_links_back_and_counts_units_and_verified_hours(pack, people, staff, manager, library):
    a = library["A"]  # from 北区 戸籍住民課
    koseki, hoken = people["units"]["higashi_koseki"], people["units"]["higashi_hoken"]
    assert stats(a) == (0, Decimal(0))
    p1 = services.case_adopt(case=a, by=manager, unit=koseki)
    assert p1.source_case == a and p1.unit == koseki and p1.status == ProjectStatus.ACTIVE and p1.step == 1
    assert p1.title == a.title and a.problem in p1.problem and p1.work_category == a.work_category
    assert stats(a) == (1, Decimal(0))
    p2 = services.case_adopt(case=a, by=manager, unit=koseki, title="二つ目の取組")
    assert p2.title == "二つ目の取組"
    assert stats(a) == (1, Decimal(0))  # the same 課 twice counts once
    hoken_manager = f.login(
        f.employee(hoken, name="保険 課長", kana="ホケン カチョウ", pos=f.position("課長", 30, True)), Role.MANAGER
    )
    p3 = services.case_adopt(case=a, by=hoken_manager, unit=hoken)
    assert stats(a) == (2, Decimal(0))
    # finished adoptions add their verified saving; cancelled ones drop out
    today = timezone.localdate()
    Project.objects.filter(pk=p1.pk).update(
        status=ProjectStatus.DONE, step=4, baseline_hours=20, after_hours=12, verified_on=today
    )
    Project.objects.filter(pk=p3.pk).update(
        status=ProjectStatus.DONE, step=4, baseline_hours=5, after_hours="6.5", verified_on=today
    )
    assert stats(a) == (2, Decimal("6.5"))  # 8 + (−1.5): an increase is counted as negative
    Project.objects.filter(pk=p3.pk).update(status=ProjectStatus.CANCELLED)
    assert stats(a) == (1, Decimal(8))
    assert p2.pk and stats(library["B"]) == (0, Decimal(0))
    top = library_search(user=people["users"][Role.EMPLOYEE], q="", sort="adopted").cards[0]
    assert top.case == a and top.case.adopted_units == 1


def test_adoption_rules(pack, people, staff, manager, library):
    a = library["A"]
    with pytest.raises(PermissionDenied):  # outside the manager's scope
        services.case_adopt(case=a, by=manager, unit=people["units"]["higashi_hoken"])
    for role in (Role.SECRETARIAT, Role.LEADER, Role.EMPLOYEE, Role.LIAISON):
        with pytest.raises(PermissionDenied):
            services.case_adopt(case=a, by=people["users"][role], unit=people["units"]["higashi_koseki"])
    kita_manager = f.login(
        f.employee(
            people["units"]["kita_koseki"], name="北 課長", kana="キタ カチョウ", pos=f.position("課長", 30, True)
        ),
        Role.MANAGER,
    )
    with pytest.raises(ValidationError) as exc:  # the case's own 課
        services.case_adopt(case=a, by=kita_manager, unit=people["units"]["kita_koseki"])
    assert "この事例が生まれた課" in exc.value.message_dict["unit"][0]
    services.case_withdraw(case=a, by=staff)
    with pytest.raises(WorkflowError):
        services.case_adopt(case=a, by=manager, unit=people["units"]["higashi_koseki"])
    assert not Project.objects.filter(source_case=a).exists()


def test_worked_example_published_through_the_services(pack, people, staff, manager):
    from tests.projects import builders

    project = builders.worked_example(manager, people["units"]["higashi_koseki"])
    case = services.case_publish(project=project, by=staff, at=timezone.now() - dt.timedelta(days=1))
    assert case.as_is == builders.AS_IS and case.to_be == builders.TO_BE and case.operating_rule == builders.RULE
    assert case.effects.startswith("月10時間の削減")
    employee = people["users"][Role.EMPLOYEE]
    for q in ("進捗", "照会", "タスク管理", "一元的"):
        assert [c.case for c in library_search(user=employee, q=q).cards] == [case], q

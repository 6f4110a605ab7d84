"""Builders for project tests (reusable by the desk, library and roll-up tests).

`worked_example` drives the policy's example (照会業務の進捗管理の可視化・DB化) through the services, step by step:
step 2 took 5 h, step 3 took 15 h, and the verified saving is exactly 10 h/month.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.projects import services
from dxtalent.projects.models import Project
from tests import factories as f
from tests.project_fixtures import certify, cohort

TITLE = "照会業務の進捗管理の可視化・DB化"
PROBLEM = "照会が多く、誰が何をどこまで対応しているか分からない"
AS_IS = "各照会内容をそれぞれの担当者しか状況把握できていない"
TO_BE = "担当・期限・状況を可視化できる一元的なタスク管理"
TRIAL = "グループウェアのアプリ機能でタスク管理アプリを作成し、期限切れ / 未着手の照会を一覧表示して係内で試行した"
RULE = "照会案件は必ずこのアプリに登録すること"
ANALYSIS_HOURS = Decimal("5")
TRIAL_HOURS = Decimal("15")
BASELINE = Decimal("30")
AFTER = Decimal("20")
SAVING = BASELINE - AFTER  # 10 h/month


def leader_in(unit, *, name="改善 リーダー", kana="カイゼン リーダー", cohort_number=1):
    """A certified leader (with a login) working in `unit`; returns (employee, user)."""
    employee = f.employee(unit, name=name, kana=kana)
    user = f.login(employee, Role.EMPLOYEE)
    certify(employee, cohort_obj=cohort(cohort_number))
    return employee, user


def start(manager_user, unit, *, leader=None, title="テスト用の改善", problem="問題", **kw) -> Project:
    return services.project_create(by=manager_user, unit=unit, title=title, problem=problem, leader=leader, **kw)


def to_step(project, step: int, *, manager_user, leader_user, verifier=None) -> Project:
    """Fill and complete steps until `project` is at `step` (5 = done), with plain valid values."""
    while project.status == "active" and (step > project.step):
        n = project.step
        if n == 1:
            project = services.project_step_complete(project=project, by=manager_user)
        elif n == 2:
            services.project_update(
                project=project, by=leader_user, as_is="現状", to_be="改善案", analysis_hours_actual=1
            )
            project = services.project_step_complete(project=project, by=leader_user)
        elif n == 3:
            services.project_update(
                project=project, by=leader_user, tool_kind="nocode", trial="試行", trial_hours_actual=2
            )
            project = services.project_step_complete(project=project, by=leader_user)
        else:
            services.project_update(
                project=project,
                by=manager_user,
                operating_rule="ルール",
                baseline_hours=8,
                after_hours=5,
                verified_by=verifier or project.manager,
                verified_on=timezone.localdate(),
            )
            project = services.project_step_complete(project=project, by=manager_user)
    return project


def worked_example(manager_user, unit, *, leader=None, leader_user=None, start_at: dt.datetime | None = None):
    """The policy's worked example, all four steps, by the manager and the leader. Returns the DONE project."""
    if leader is None:
        leader, leader_user = leader_in(unit)
    at = start_at or timezone.now() - dt.timedelta(days=60)
    p = services.project_create(
        by=manager_user, unit=unit, title=TITLE, problem=PROBLEM, leader=leader, work_category="progress", at=at
    )
    p = services.project_step_complete(project=p, by=manager_user, at=at + dt.timedelta(days=3))
    services.project_update(
        project=p,
        by=leader_user,
        as_is=AS_IS,
        to_be=TO_BE,
        feedback="係員から「期限が近い照会が分かるとよい」との意見",
        analysis_hours_planned=Decimal("6"),
        analysis_hours_actual=ANALYSIS_HOURS,
        baseline_hours=BASELINE,
        planned_after_hours=AFTER,
        at=at + dt.timedelta(days=10),
    )
    p = services.project_step_complete(project=p, by=leader_user, at=at + dt.timedelta(days=14))
    services.project_update(
        project=p,
        by=leader_user,
        tool_kind="groupware",
        tool_name="照会タスク管理アプリ",
        trial=TRIAL,
        support_received="デジタル戦略推進局からアプリ作成の技術的支援",
        trial_hours_planned=Decimal("12"),
        trial_hours_actual=TRIAL_HOURS,
        at=at + dt.timedelta(days=30),
    )
    p = services.project_step_complete(project=p, by=leader_user, at=at + dt.timedelta(days=35))
    services.project_update(
        project=p,
        by=manager_user,
        operating_rule=RULE,
        baseline_hours=BASELINE,
        after_hours=AFTER,
        qualitative_effects="照会の対応漏れがなくなり、担当者不在時も状況が分かる",
        verified_by=p.manager,
        verified_on=timezone.localdate(at + dt.timedelta(days=50)),
        at=at + dt.timedelta(days=50),
    )
    return services.project_step_complete(project=p, by=manager_user, at=at + dt.timedelta(days=50))

"""Step order and ownership for every role: only the step's owner may edit, complete or send back, only in order.

A table over role × step × action (every login of tests/people.py plus the project's own leader), and a
hypothesis property over random sequences of moves checked against a tiny model of the workflow.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxtalent.core.roles import Role
from dxtalent.leaders.errors import WorkflowError
from dxtalent.policy.selectors import current_pack
from dxtalent.projects import services
from dxtalent.projects.models import Project, ProjectStatus
from dxtalent.projects.selectors import projects as sel
from tests.projects import builders as b

ACTORS = [*(r.value for r in Role), "project_leader"]
# the fields each step's edit uses in this table (valid values)
EDITS = {
    1: {"problem": "問題を書き直した"},
    2: {"as_is": "現状", "to_be": "改善案", "analysis_hours_actual": 3},
    3: {"tool_kind": "rpa", "trial": "試行した", "trial_hours_actual": 4},
    4: {"operating_rule": "ルール", "baseline_hours": 5, "after_hours": 2},
}


@pytest.fixture
def world(pack, people, koseki):
    leader, leader_user = b.leader_in(koseki)
    users = {r.value: people["users"][r] for r in Role}
    users["project_leader"] = leader_user
    return {"users": users, "leader": leader, "manager": people["users"][Role.MANAGER], "unit": koseki}


def _project_at(world, step: int) -> Project:
    p = b.start(world["manager"], world["unit"], leader=world["leader"])
    p = b.to_step(p, step, manager_user=world["manager"], leader_user=world["users"]["project_leader"])
    # fill the step's required fields so that only ownership decides
    owner = (
        world["manager"]
        if current_pack().improvement_step(step).owner == "manager"
        else world["users"]["project_leader"]
    )
    extra = {"verified_by": world["leader"], "verified_on": "2025-01-10"} if step == 4 else {}
    return services.project_update(project=p, by=owner, **EDITS[step], **extra)


def _owner_of(step: int) -> str:
    return Role.MANAGER.value if current_pack().improvement_step(step).owner == "manager" else "project_leader"


def _try(action: str, project, user) -> bool:
    try:
        if action == "edit":
            services.project_update(project=project, by=user, **EDITS[project.step])
        elif action == "complete":
            services.project_step_complete(project=project, by=user)
        else:
            services.project_send_back(project=project, by=user, to_step=project.step - 1, reason="やり直し")
    except WorkflowError:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.parametrize("step", [1, 2, 3, 4])
@pytest.mark.parametrize("action", ["edit", "complete", "send_back"])
def test_only_the_owner_of_the_current_step_may_act(world, step, action):
    owner = _owner_of(step)
    for actor in ACTORS:
        project = _project_at(world, step)
        user = world["users"][actor]
        allowed = actor == owner and not (action == "send_back" and step == 1)
        assert sel.may_edit(user, project) == (actor == owner), (actor, step)
        before = (project.step, project.status)
        ok = _try(action, project, user)
        assert ok == allowed, (actor, step, action)
        project.refresh_from_db()
        if not ok:
            assert (project.step, project.status) == before  # nothing moved


@pytest.mark.django_db
def test_steps_only_in_order_and_not_after_done_or_cancel(world):
    manager, leader_user = world["manager"], world["users"]["project_leader"]
    p = _project_at(world, 2)
    # sending forward is not a send-back
    for to in (2, 3, 4):
        with pytest.raises(WorkflowError):
            services.project_send_back(project=p, by=leader_user, to_step=to, reason="先へ")
    done = b.to_step(p, 5, manager_user=manager, leader_user=leader_user)
    assert done.status == ProjectStatus.DONE
    for call in (
        lambda: services.project_step_complete(project=done, by=manager),
        lambda: services.project_send_back(project=done, by=manager, to_step=2, reason="戻す"),
        lambda: services.project_update(project=done, by=manager, operating_rule="変更"),
        lambda: services.project_cancel(project=done, by=manager, reason="中止"),
    ):
        with pytest.raises(WorkflowError):
            call()
    other = _project_at(world, 3)
    services.project_cancel(project=other, by=manager, reason="予算がつかなかった")
    with pytest.raises(WorkflowError):
        services.project_step_complete(project=other, by=leader_user)
    # a field of another step is refused (an illegal move, not bad input)
    third = _project_at(world, 2)
    with pytest.raises(WorkflowError, match="運用ルール"):
        services.project_update(project=third, by=leader_user, operating_rule="先に書く")


MOVES = st.lists(
    st.tuples(st.sampled_from(["complete", "send_back", "edit"]), st.sampled_from(ACTORS), st.integers(1, 4)),
    min_size=1,
    max_size=12,
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=MOVES)
def test_random_moves_follow_the_model(world, moves):
    """Whatever is tried, the project's step follows a tiny model: only the owner moves it, one step forward or back."""
    manager = world["manager"]
    p = b.start(manager, world["unit"], leader=world["leader"])
    model_step, model_done = 1, False
    for action, actor, to in moves:
        user = world["users"][actor]
        p.refresh_from_db()
        if not model_done and actor == _owner_of(model_step) and action == "complete":
            services.project_update(
                project=p,
                by=user,
                **EDITS[model_step],
                **({"verified_by": world["leader"], "verified_on": "2025-01-10"} if model_step == 4 else {}),
            )
        try:
            if action == "complete":
                services.project_step_complete(project=p, by=user)
            elif action == "send_back":
                services.project_send_back(project=p, by=user, to_step=to, reason="理由")
            else:
                services.project_update(project=p, by=user, **EDITS[model_step])
            ok = True
        except WorkflowError:
            ok = False
        owner = not model_done and actor == _owner_of(model_step)
        if action == "complete":
            assert ok == owner
            if ok:
                model_done = model_step == 4
                model_step = model_step if model_done else model_step + 1
        elif action == "send_back":
            assert ok == (owner and to < model_step)
            if ok:
                model_step = to
        else:
            assert ok == owner
        p.refresh_from_db()
        assert p.step == model_step
        assert (p.status == ProjectStatus.DONE) == model_done

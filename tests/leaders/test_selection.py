"""Selection by the secretariat: the transition table, reasons, bulk decisions, counts against the pack's target."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxtalent.leaders import selectors_cohorts as sel
from dxtalent.leaders import services
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import NominationStatus
from tests.leaders.conftest import all_requirements, staff

pytestmark = pytest.mark.django_db
S = NominationStatus


@pytest.fixture
def nominations(pack, liaison, people, window):
    people_ = [people["higashi_staff"], people["higashi_other_ka"], *staff(people["units"]["higashi_koseki"], 2)]
    return [
        services.nomination_submit(
            window=window, employee=p, by=liaison, requirements=all_requirements(pack), recommendation="推薦します"
        )
        for p in people_
    ]


ALLOWED = {
    (S.SUBMITTED, S.SELECTED),
    (S.SUBMITTED, S.RESERVE),
    (S.SUBMITTED, S.DECLINED),
    (S.RESERVE, S.SELECTED),
    (S.RESERVE, S.DECLINED),
    (S.SELECTED, S.RESERVE),
    (S.SELECTED, S.DECLINED),
}


@pytest.mark.parametrize("start", [S.SUBMITTED, S.RESERVE, S.SELECTED, S.DECLINED, S.WITHDRAWN])
@pytest.mark.parametrize("decision", [S.SELECTED, S.RESERVE, S.DECLINED])
def test_transition_table(sec, nominations, start, decision):
    n = nominations[0]
    n.status = start
    n.save()
    if (start, decision) in ALLOWED:
        n = services.nomination_decide(nomination=n, decision=decision, reason="理由", by=sec)
        assert n.status == decision and n.decided_by == sec and n.decided_at and n.decision_reason == "理由"
    else:
        with pytest.raises(WorkflowError) as exc:
            services.nomination_decide(nomination=n, decision=decision, reason="理由", by=sec)
        assert "東 花子さんの推薦は" in str(exc.value)
        n.refresh_from_db()
        assert n.status == start


def test_reason_required_for_reserve_and_declined(sec, nominations):
    for decision in (S.RESERVE, S.DECLINED):
        with pytest.raises(ValidationError) as exc:
            services.nomination_decide(nomination=nominations[0], decision=decision, reason=" ", by=sec)
        assert exc.value.message_dict["reason"] == [f"「{S(decision).label}」とする理由を入力してください。"]
    assert services.nomination_decide(nomination=nominations[0], decision=S.SELECTED, by=sec).status == S.SELECTED
    with pytest.raises(ValidationError):
        services.nomination_decide(nomination=nominations[1], decision="maybe", by=sec)


def test_only_the_secretariat_decides(liaison, people, nominations):
    from dxtalent.core.roles import Role

    for role in (Role.LIAISON, Role.HR, Role.EMPLOYEE):
        with pytest.raises(PermissionDenied):
            services.nomination_decide(nomination=nominations[0], decision=S.SELECTED, by=people["users"][role])


def test_bulk_decision_is_all_or_nothing(sec, nominations):
    services.nomination_decide(nomination=nominations[0], decision=S.DECLINED, reason="要件不足", by=sec)
    with pytest.raises(WorkflowError) as exc:
        services.nominations_decide(nominations=nominations, decision=S.SELECTED, by=sec)
    assert "どれも変更しませんでした" in str(exc.value) and "東 花子さん" in str(exc.value)
    assert [n.status for n in type(nominations[0]).objects.order_by("pk")] == [S.DECLINED, *[S.SUBMITTED] * 3]
    done = services.nominations_decide(nominations=nominations[1:], decision=S.SELECTED, by=sec)
    assert {n.status for n in done} == {S.SELECTED}


def test_selected_cannot_change_after_the_cohort_is_formed(sec, nominations, window, today):
    import datetime as dt

    services.nominations_decide(nominations=nominations[:3], decision=S.SELECTED, by=sec)
    services.nomination_decide(nomination=nominations[3], decision=S.RESERVE, reason="補欠", by=sec)
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), by=sec)
    services.cohort_form(window=window, by=sec)
    with pytest.raises(WorkflowError) as exc:
        services.nomination_decide(nomination=nominations[0], decision=S.DECLINED, reason="辞退", by=sec)
    assert "編成済みのため" in str(exc.value)
    with pytest.raises(WorkflowError) as exc:
        services.nomination_decide(nomination=nominations[3], decision=S.SELECTED, by=sec)
    assert "研修生に追加" in str(exc.value)
    # a reserve may still be declined
    services.nomination_decide(nomination=nominations[3], decision=S.DECLINED, reason="見送り", by=sec)


def test_counts_against_the_packs_target_are_shown_under_and_over(pack, sec, nominations, window):
    board = sel.selection_board(sec, window)
    number, target = (
        pack.planned_cohort_for_year(window.fiscal_year)[0],
        pack.planned_cohort_for_year(window.fiscal_year)[2],
    )
    assert board.target == target and board.planned_number == number
    services.nominations_decide(nominations=nominations[:2], decision=S.SELECTED, by=sec)
    board = sel.selection_board(sec, window)
    assert board.selected == 2 and board.difference == 2 - target and board.undecided == 2


def test_over_target_when_the_pack_says_fewer(pack, sec, nominations, window):
    from dxtalent.policy.models import PolicyPack

    row = PolicyPack.objects.get(pk=pack.pk)
    content = row.content
    for c in content["leaders"]["cohort_plan"]["cohorts"]:
        if c["training_year"] == window.fiscal_year:
            c["size"] = 3
    row.content, row.checksum = content, "test-size-3"
    row.save()
    window.refresh_from_db()
    services.nominations_decide(nominations=nominations, decision=S.SELECTED, by=sec)
    board = sel.selection_board(sec, window)
    assert board.target == 3 and board.selected == 4 and board.difference == 1

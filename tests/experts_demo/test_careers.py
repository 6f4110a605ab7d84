"""The careers the demo and the scale data plan for ③ staff meet the pack's criteria (no database)."""

import random

import pytest
from django.conf import settings

from dxtalent.experts.demo_data.careers import experience_slots, plan_career, stage_counts
from dxtalent.policy.pack import Pack
from dxtalent.policy.services import read_pack


@pytest.fixture(scope="module")
def stages():
    content, _origin = read_pack(settings.BASE_DIR / "policy_packs" / "sapporo-r8")
    return Pack(content).ladder


@pytest.mark.parametrize("seed", range(20))
def test_every_promotion_meets_the_minimum_years(stages, seed):
    rng = random.Random(seed)
    for current in range(len(stages)):
        for ready in (False, True):
            c = plan_career(rng, stages, employee_id=1, current=current, fy_now=2026, earliest_fy=1990, ready=ready)
            assert c is not None and c.current == current and c.starts[-1] <= 2026
            for k in range(1, current + 1):
                assert c.starts[k] - c.starts[k - 1] >= stages[k].min_years_in_previous_stage
                assert c.starts[k] - c.starts[0] >= stages[k].min_years_since_assignment
            nxt = stages[current + 1] if current + 1 < len(stages) else None
            if ready and nxt is not None:
                assert 2026 - c.starts[-1] >= nxt.min_years_in_previous_stage
                assert 2026 - c.starts[0] >= nxt.min_years_since_assignment


def test_a_late_hire_gets_no_impossible_career(stages):
    rng = random.Random(1)
    assert plan_career(rng, stages, employee_id=1, current=len(stages) - 1, fy_now=2026, earliest_fy=2024) is None
    first = plan_career(rng, stages, employee_id=1, current=0, fy_now=2026, earliest_fy=2026)
    assert first.starts == [2026]


def test_ready_people_have_every_experience_of_the_next_stage(stages):
    c = plan_career(random.Random(3), stages, employee_id=7, current=1, fy_now=2026, earliest_fy=2000, ready=True)
    c.ready = True
    slots = experience_slots(c, stages, fy_now=2026, first_fy=2017, review_days=lambda fy, half: fy < 2026 or half == 1)
    done = {code for codes in slots.values() for code in codes}
    assert {code for code, _label in stages[2].experiences} <= done


def test_stage_counts_add_up():
    assert stage_counts(40, [0.3, 0.3, 0.25, 0.15]) == [12, 12, 10, 6]
    assert sum(stage_counts(401, [0.3, 0.3, 0.25, 0.15])) == 401

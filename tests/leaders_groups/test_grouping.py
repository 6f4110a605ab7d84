"""Group formation (pure): sizes within the pack's bounds whenever a split exists, everyone exactly once, and at
least as mixed as a plain round-robin by 局区. Bounds come from Sapporo's pack file, not from this test."""

import yaml
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dxtalent.leaders import grouping

CURRICULUM = settings.BASE_DIR / "policy_packs" / "sapporo-r8" / "curriculum.yaml"
GROUPS = yaml.safe_load(CURRICULUM.read_text(encoding="utf-8"))["curriculum"]["groups"]
LO, HI = GROUPS["min_size"], GROUPS["max_size"]


def _split_exists(n: int, lo: int, hi: int) -> bool:
    """Brute force: some k with k·lo ≤ n ≤ k·hi."""
    return any(k * lo <= n <= k * hi for k in range(1, n + 1))


def test_the_sizes_that_cannot_be_split_are_reported():
    # For 5–6 these are 7, 8, 9, 13, 14 and 19 people (and fewer than 5): documented in the user guide.
    impossible = grouping.impossible_sizes(LO, HI, 60)
    assert impossible == [n for n in range(1, 61) if not _split_exists(n, LO, HI)]
    if (LO, HI) == (5, 6):
        assert [n for n in impossible if n >= LO] == [7, 8, 9, 13, 14, 19]


def test_impossible_size_gets_the_nearest_split_and_a_plain_message():
    plan = grouping.group_sizes(7, 5, 6)
    assert not plan.feasible and plan.sizes == (7,)
    assert grouping.size_message(plan) == (
        "7人では5〜6名のグループに分けられません。最も近い分け方（1グループ: 7名）を提案しています。"
    )
    assert grouping.group_sizes(14, 5, 6).sizes == (5, 5, 4)
    assert grouping.group_sizes(35, 5, 6).sizes == (6, 6, 6, 6, 6, 5)
    assert grouping.size_message(grouping.group_sizes(35, 5, 6)) == ""


def _members(draw_tops, draw_bus):
    return [(i, top, (top, bu)) for i, (top, bu) in enumerate(zip(draw_tops, draw_bus, strict=True))]


@st.composite
def cohorts(draw):
    n = draw(st.integers(min_value=LO, max_value=60))
    n_tops = draw(st.integers(min_value=1, max_value=12))
    tops = draw(st.lists(st.integers(0, n_tops - 1), min_size=n, max_size=n))
    bus = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    return _members(tops, bus)


@hsettings(max_examples=300, deadline=None)
@given(cohorts())
def test_property_sizes_everyone_once_and_diversity(members):
    n = len(members)
    groups = grouping.propose_groups(members, LO, HI)
    plan = grouping.group_sizes(n, LO, HI)
    # everyone exactly once
    flat = [m for g in groups for m in g]
    assert sorted(flat) == [m[0] for m in members]
    # sizes within bounds whenever a split exists; otherwise the plan says so and the message is plain
    if _split_exists(n, LO, HI):
        assert plan.feasible and all(LO <= len(g) <= HI for g in groups), [len(g) for g in groups]
    else:
        assert not plan.feasible
        assert grouping.size_message(plan).startswith(f"{n}人では{LO}〜{HI}名のグループに分けられません")
    assert sorted(len(g) for g in groups) == sorted(plan.sizes)
    # diversity: no more same-局区 pairs than dealing round-robin by 局区 into the same sizes
    attrs = {m[0]: (m[1], m[2]) for m in members}
    by_top = sorted(members, key=lambda m: (m[1], m[0]))
    baseline = [[] for _ in plan.sizes]
    for i, m in enumerate(by_top):
        baseline[i % len(plan.sizes)].append(m[0])
    assert sorted(len(g) for g in baseline) == sorted(plan.sizes)
    ours, theirs = grouping.same_pairs(groups, attrs), grouping.same_pairs(baseline, attrs)
    assert ours[0] <= theirs[0]
    distinct = sum(len({attrs[m][0] for m in g}) for g in groups)
    assert distinct >= sum(len({attrs[m][0] for m in g}) for g in baseline)


@given(cohorts())
@hsettings(max_examples=50, deadline=None)
def test_deterministic(members):
    assert grouping.propose_groups(members, LO, HI) == grouping.propose_groups(list(members), LO, HI)


def test_mixes_bu_within_one_kyoku():
    # everyone from one 局区, three 部: each group of 6 gets two from each 部 (same-部 pairs as few as possible)
    members = [(i, "K", f"B{i % 3}") for i in range(12)]
    groups = grouping.propose_groups(members, LO, HI)
    attrs = {m[0]: (m[1], m[2]) for m in members}
    for g in groups:
        assert grouping.mix_summary(g, attrs)["bus"] == 3


def test_unknown_units_never_count_as_the_same():
    members = [(i, None, None) for i in range(10)]
    groups = grouping.propose_groups(members, LO, HI)
    attrs = {m[0]: (m[1], m[2]) for m in members}
    assert grouping.same_pairs(groups, attrs) == (0, 0)


def test_small_and_empty_cohorts():
    assert grouping.propose_groups([], LO, HI) == []
    assert grouping.propose_groups([(1, 1, 1), (2, 1, 1)], LO, HI) == [[1, 2]]

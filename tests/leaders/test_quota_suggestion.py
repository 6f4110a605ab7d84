"""The quota suggestion: shares the pack's cohort size among 局区 in proportion to their 部 without a leader."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxtalent.leaders import selectors_cohorts as sel
from dxtalent.leaders.models import Certification, Cohort, CohortMember, LeaderRole
from dxtalent.org.models import OrgKind
from tests import factories as f


@given(
    size=st.integers(min_value=0, max_value=80),
    weights=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=20),
)
@settings(max_examples=400, deadline=None)
def test_largest_remainder_properties(size, weights):
    keys = list(range(len(weights)))
    alloc = sel.allocate_largest_remainder(size, dict(zip(keys, weights, strict=True)), keys)
    positive = [k for k in keys if weights[k] > 0]
    if not positive:
        assert sum(alloc.values()) == 0
        return
    assert sum(alloc.values()) == size
    assert all(alloc[k] == 0 for k in keys if weights[k] == 0)
    for a in keys:  # more uncovered 部 never means fewer seats
        for b in keys:
            if weights[a] > weights[b]:
                assert alloc[a] >= alloc[b], (weights, alloc)
    if size >= len(positive):  # everyone with a gap gets at least one seat when there are enough
        assert all(alloc[k] >= 1 for k in positive), (weights, alloc)


def test_largest_remainder_example():
    # 35 seats for 7, 3, 0 and 1 uncovered 部: exact shares 22.27, 9.55, 0, 3.18
    assert sel.allocate_largest_remainder(35, {"a": 7, "b": 3, "c": 0, "d": 1}) == {"a": 22, "b": 10, "c": 0, "d": 3}
    # one seat for d is taken from the best-served key when rounding would leave it out
    assert sel.allocate_largest_remainder(3, {"a": 10, "b": 1}) == {"a": 2, "b": 1}


@pytest.mark.django_db
def test_suggestion_sums_to_the_cohort_size_and_favours_uncovered(pack, sec, people, window, today):
    city = people["units"]
    # 東区 gets two more 部 (3 uncovered); 北区's only 部 gets a leader (covered); 総務局 keeps 1 uncovered.
    f.unit("保健福祉部", OrgKind.BU, city["higashi"])
    f.unit("土木部", OrgKind.BU, city["higashi"])
    leader = people["kita_staff"]
    cohort = Cohort.objects.create(number=99, fiscal_year=2000, pack_id=pack.pk, target_size=1)
    member = CohortMember.objects.create(cohort=cohort, employee=leader, status="certified")
    cert = Certification.objects.create(member=member, certified_on=today, certified_by=sec)
    LeaderRole.objects.create(employee=leader, certification=cert, role_type=pack.default_role_type, valid_from=today)
    from dxtalent.org.selectors import reset_snapshots

    reset_snapshots()
    table = sel.quota_table(window)
    size = pack.planned_cohort_for_year(window.fiscal_year)[2]
    assert table.size == size and table.basis == "uncovered"
    by_name = {r.unit.name: r for r in table.rows}
    assert table.suggested_total == size
    assert by_name["東区"].bu_uncovered == 3 and by_name["北区"].bu_uncovered == 0
    assert by_name["総務局"].bu_uncovered == 1
    assert by_name["東区"].suggested > by_name["総務局"].suggested >= 1
    assert by_name["北区"].suggested == 0
    assert set(by_name["東区"].uncovered_names) == {"市民部", "保健福祉部", "土木部"}


@pytest.mark.django_db
def test_suggestion_falls_back_to_bu_count_when_all_covered(pack, window, monkeypatch):
    from dxtalent.leaders import coverage as cov_module
    from dxtalent.leaders.selectors_cohorts import quotas as quotas_module

    real = cov_module.coverage

    def all_covered(day):
        result = real(day)
        for bu in result.all_bu:
            result.bu_leaders[bu.unit_id] = 1
        return result

    monkeypatch.setattr(quotas_module, "coverage", all_covered)
    table = sel.quota_table(window)
    assert table.basis == "bu" and table.suggested_total == table.size

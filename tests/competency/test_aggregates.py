"""Cohort pre/post averages and group gaps against hand-computed values (submitted ratings only)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dxtalent.competency import services
from dxtalent.competency.selectors import aggregates as agg
from tests import factories as f

from .conftest import all_items, make_campaign, make_run

D = Decimal


@pytest.fixture
def trio(people):
    """Three trainees with logins and one evaluator for them all: two in 東区, one in 北区."""
    u = people["units"]
    units = [u["higashi_koseki"], u["higashi_hoken"], u["kita_koseki"]]
    staff = [f.login(f.employee(unit, name=f"研修 {i}", kana=f"ケンシュウ {i}")) for i, unit in enumerate(units)]
    boss = f.login(f.employee(u["somu_jinjika"], name="評価 者", kana="ヒョウカ シャ"))
    return staff, boss


def _rate(campaign, hr, trio, self_levels, eval_levels, *, skip_eval=()):
    staff, boss = trio
    rows = services.campaign_add_people(campaign=campaign, by=hr, people=[(s.employee, boss.employee) for s in staff])
    for a, user, own, theirs in zip(rows, staff, self_levels, eval_levels, strict=True):
        if own is not None:
            services.assessment_rate(assessment=a, by=user, rater="self", levels=all_items(campaign, 3, ownership=own))
        if theirs is not None and user not in skip_eval:
            services.assessment_rate(
                assessment=a, by=boss, rater="evaluator", levels=all_items(campaign, 3, ownership=theirs)
            )
    return rows


def test_cohort_pre_post(pack, hr, trio, client):
    run = make_run()
    pre = make_campaign(hr, kind="pre", run=run, name="第1期 研修前")
    post = make_campaign(hr, kind="post", run=run, name="第1期 研修後")
    _rate(pre, hr, trio, [1, 2, 2], [1, 1, 2])
    _rate(post, hr, trio, [3, 3, 2], [2, 3, None])  # the third evaluator has not submitted
    # a draft does not count
    (a3,) = [a for a in post.assessments.all() if a.evaluator_submitted_at is None]
    services.assessment_rate(assessment=a3, by=trio[1], rater="evaluator", levels={"ownership": 4}, submit=False)

    result = agg.cohort_compare(pre, post)
    row = next(r for r in result.rows if r.code == "ownership")
    assert (row.self_pre, row.self_post, row.self_change) == (D("1.67"), D("2.67"), D("1.00"))
    assert (row.self_n_pre, row.self_n_post) == (3, 3)
    # evaluator: pre (1+1+2)/3 = 1.33, post (2+3)/2 = 2.50, change 2.5 − 4/3 = 1.1666… → 1.17
    assert (row.eval_pre, row.eval_post, row.eval_change) == (D("1.33"), D("2.50"), D("1.17"))
    assert (row.eval_n_pre, row.eval_n_post) == (3, 2)
    other = next(r for r in result.rows if r.code == "improvement")
    assert (other.self_pre, other.self_post, other.self_change) == (D("3.00"), D("3.00"), D("0.00"))
    assert [r.code for r in result.rows][:4] == ["ownership", "problem_solving", "holistic", "learning"]

    assert [r["run"].pk for r in agg.cohort_runs()] == [run.pk]
    client.force_login(hr)
    page = client.get(reverse("competency:cohort"), {"run": run.pk})
    assert page.status_code == 200 and page.context["result"].post == post
    body = page.content.decode()
    assert "1.67" in body and "+1.17" in body and 'data-chart-source="competency-cohort-data"' in body


def test_group_gaps(pack, hr, trio, people, client):
    campaign = make_campaign(hr)
    _staff, boss = trio
    fourth = f.login(f.employee(people["units"]["higashi_koseki"], name="研修 3", kana="ケンシュウ 3"))
    rows = _rate(campaign, hr, trio, [3, 3, 4], [2, 3, 4])
    (a4,) = services.campaign_add_people(campaign=campaign, by=hr, people=[(fourth.employee, boss.employee)])
    services.assessment_rate(assessment=a4, by=boss, rater="evaluator", levels=all_items(campaign, 3, ownership=1))
    assert len(rows) == 3

    result = agg.group_gaps(campaign)
    row = next(r for r in result.rows if r.code == "ownership")
    # evaluator 2, 3, 4, 1 → 2.50; expected 3 (the pack's certified-leader level) → gap −0.50; below: 2 and 1
    assert (row.evaluator_avg, row.expected, row.gap, row.below, row.evaluator_n) == (
        D("2.50"), D("3.00"), D("-0.50"), 2, 4,
    )  # fmt: skip
    # self 3, 3, 4 (the fourth did not rate themself) → 3.33; self − evaluator over the 3 pairs: (1 + 0 + 0) / 3
    assert (row.self_avg, row.confidence, row.pairs) == (D("3.33"), D("0.33"), 3)
    assert result.rows[0].code == "ownership"  # the biggest gap first
    assert all(r.gap == D("0.00") for r in result.rows[1:])

    higashi = agg.group_gaps(campaign, people["units"]["higashi"].pk)
    row = next(r for r in higashi.rows if r.code == "ownership")
    # 東区 only: evaluator 2, 3, 1 → 2.00, below 2; pairs: (3−2)+(3−3) over 2 → 0.50
    assert (row.evaluator_avg, row.below, row.confidence, higashi.people) == (D("2.00"), 2, D("0.50"), 3)

    client.force_login(hr)
    page = client.get(reverse("competency:gaps"), {"campaign": campaign.pk})
    assert page.status_code == 200 and "-0.50" in page.content.decode()
    export = client.get(reverse("competency:gaps_export"), {"campaign": campaign.pk})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")

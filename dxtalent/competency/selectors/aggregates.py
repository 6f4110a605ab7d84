"""Aggregates for VIEW_ALL_ASSESSMENTS: a cohort's pre/post averages per item and a group's biggest gaps.

Everything is summed in the database, grouped by item and rater (one query per table), so the pages stay fast with
hundreds of people; only SUBMITTED ratings count. Averages are exact decimals (sum / n, rounded half up to 0.01).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from dxtalent.org.models import Assignment, OrgKind, valid_on
from dxtalent.org.selectors import org_snapshot

from ..frozen import framework_of, items_in_order
from ..models import Assessment, Campaign, CampaignKind, Rater, Rating
from .assessments import expected_for

CENT = Decimal("0.01")
SELF_DONE = Q(rater=Rater.SELF, assessment__self_submitted_at__isnull=False)
EVAL_DONE = Q(rater=Rater.EVALUATOR, assessment__evaluator_submitted_at__isnull=False)
BOTH_DONE = Q(assessment__self_submitted_at__isnull=False, assessment__evaluator_submitted_at__isnull=False)


def exact(total, n) -> Fraction | None:
    return None if not n or total is None else Fraction(int(total), int(n))


def rounded(value: Fraction | None) -> Decimal | None:
    """Half up to 0.01 (the only rounding: differences are taken on exact values first)."""
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def mean(total, n) -> Decimal | None:
    return rounded(exact(total, n))


def diff(after: Fraction | None, before: Fraction | None) -> Decimal | None:
    return None if after is None or before is None else rounded(after - before)


def _item_order(*campaigns: Campaign) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the items of the given campaigns' frozen frameworks, the first campaign's order first."""
    out, seen = [], set()
    for c in campaigns:
        for i in items_in_order(framework_of(c)):
            if i.code not in seen:
                seen.add(i.code)
                out.append((i.code, i.name, i.kind))
    return out


# ---------------------------------------------------------------- cohort pre/post


@dataclass
class CohortRow:
    code: str
    name: str
    kind: str
    exact: dict = field(default_factory=dict)  # ("self"|"eval", "pre"|"post") → Fraction
    self_n_pre: int = 0
    self_n_post: int = 0
    eval_n_pre: int = 0
    eval_n_post: int = 0

    self_pre = property(lambda r: rounded(r.exact.get(("self", "pre"))))
    self_post = property(lambda r: rounded(r.exact.get(("self", "post"))))
    eval_pre = property(lambda r: rounded(r.exact.get(("eval", "pre"))))
    eval_post = property(lambda r: rounded(r.exact.get(("eval", "post"))))

    @property
    def self_change(self):
        return diff(self.exact.get(("self", "post")), self.exact.get(("self", "pre")))

    @property
    def eval_change(self):
        return diff(self.exact.get(("eval", "post")), self.exact.get(("eval", "pre")))


@dataclass
class CohortResult:
    pre: Campaign
    post: Campaign
    rows: list[CohortRow]

    def chart(self) -> dict:
        def nums(attr):
            return [float(v) if (v := getattr(r, attr)) is not None else None for r in self.rows]

        return {
            "labels": [r.name for r in self.rows],
            "series": [
                {"label": "研修前（本人）", "data": nums("self_pre"), "tone": "pre"},
                {"label": "研修後（本人）", "data": nums("self_post"), "tone": "post"},
                {"label": "研修前（評価者）", "data": nums("eval_pre"), "tone": "pre_alt"},
                {"label": "研修後（評価者）", "data": nums("eval_post"), "tone": "post_alt"},
            ],
            "max": framework_of(self.post).max_level if framework_of(self.post).levels else 4,
        }


def cohort_runs() -> list[dict]:
    """Training runs with both a pre and a post campaign, and those campaigns (one query)."""
    rows = (
        Campaign.objects.filter(run__isnull=False, kind__in=(CampaignKind.PRE, CampaignKind.POST))
        .select_related("run")
        .order_by("-fiscal_year", "run_id", "opens_on", "pk")
    )
    runs: dict[int, dict] = {}
    for c in rows:
        r = runs.setdefault(c.run_id, {"run": c.run, "pre": [], "post": []})
        r[c.kind].append(c)
    return [r for r in runs.values() if r["pre"] and r["post"]]


def cohort_compare(pre: Campaign, post: Campaign) -> CohortResult:
    """Per item: pre and post averages of submitted self and evaluator levels, their change and n (one query)."""
    rows = {code: CohortRow(code, name, kind) for code, name, kind in _item_order(post, pre)}
    agg = (
        Rating.objects.filter(assessment__campaign_id__in=(pre.pk, post.pk))
        .filter(SELF_DONE | EVAL_DONE)
        .values("assessment__campaign_id", "rater", "item_code")
        .annotate(total=Sum("level"), n=Count("id"))
        .order_by()
    )
    for a in agg:
        row = rows.get(a["item_code"])
        if row is None:
            continue
        when = "pre" if a["assessment__campaign_id"] == pre.pk else "post"
        who = "self" if a["rater"] == Rater.SELF else "eval"
        row.exact[(who, when)] = exact(a["total"], a["n"])
        setattr(row, f"{who}_n_{when}", a["n"])
    return CohortResult(pre, post, list(rows.values()))


# ---------------------------------------------------------------- group gaps


@dataclass
class GapRow:
    code: str
    name: str
    kind: str
    evaluator_exact: Fraction | None = None
    evaluator_n: int = 0
    self_exact: Fraction | None = None
    self_n: int = 0
    expected_exact: Fraction | None = None
    confidence_exact: Fraction | None = None  # average (self − evaluator) over people with both submitted
    pairs: int = 0
    below: int = 0

    evaluator_avg = property(lambda r: rounded(r.evaluator_exact))
    self_avg = property(lambda r: rounded(r.self_exact))
    expected = property(lambda r: rounded(r.expected_exact))
    confidence = property(lambda r: rounded(r.confidence_exact))

    @property
    def gap(self) -> Decimal | None:
        return diff(self.evaluator_exact, self.expected_exact)

    @property
    def gap_exact(self) -> Fraction | None:
        if self.evaluator_exact is None or self.expected_exact is None:
            return None
        return self.evaluator_exact - self.expected_exact


@dataclass
class GapResult:
    campaign: Campaign
    unit_label: str
    people: int
    rows: list[GapRow] = field(default_factory=list)
    expected_label: str = ""

    def chart(self) -> dict:
        def nums(attr):
            return [float(v) if (v := getattr(r, attr)) is not None else None for r in self.rows]

        fw = framework_of(self.campaign)
        return {
            "labels": [r.name for r in self.rows],
            "series": [
                {"label": "評価者の平均", "data": nums("evaluator_avg"), "tone": "post"},
                {"label": "期待レベル", "data": nums("expected"), "tone": "expected"},
                {"label": "本人の平均", "data": nums("self_avg"), "tone": "pre"},
            ],
            "max": fw.max_level if fw.levels else 4,
        }


def unit_choices(day: dt.date | None = None) -> list[tuple[int, str]]:
    """局区 and 部 of today's tree, in tree order, labelled with their path."""
    snap = org_snapshot(day)
    return [
        (n.unit_id, snap.label_of(n.unit_id)) for n in snap.flat() if n.kind in (OrgKind.KYOKU, OrgKind.KU, OrgKind.BU)
    ]


def in_unit(qs: QuerySet, unit_id: int | None, path: str = "employee_id", day: dt.date | None = None) -> QuerySet:
    """Rows whose person is assigned today inside the unit's subtree."""
    if not unit_id:
        return qs
    day = day or timezone.localdate()
    subtree = org_snapshot(day).subtree_ids([unit_id])
    people = Assignment.objects.filter(valid_on(day), unit_id__in=subtree).values("employee_id")
    return qs.filter(**{f"{path}__in": people})


def group_gaps(campaign: Campaign, unit_id: int | None = None) -> GapResult:
    """Per item: the evaluator average vs the expected level, self − evaluator, and how many are below expected.

    Three queries (the people, one aggregate, and the evaluator levels only when expectations differ by person)."""
    people = list(in_unit(Assessment.objects.filter(campaign=campaign), unit_id).select_related("employee"))
    expected = expected_for([a.employee for a in people], campaign) if people else {}
    result = GapResult(
        campaign, org_snapshot().label_of(unit_id) if unit_id else "", len(people),
        expected_label=next((label for label, levels in expected.values() if levels), ""),
    )  # fmt: skip
    items = _item_order(campaign)
    distinct = {tuple(sorted(levels.items())) for _label, levels in expected.values()}
    constant = dict(next(iter(distinct))) if len(distinct) == 1 else None
    ratings = in_unit(Rating.objects.filter(assessment__campaign=campaign), unit_id, "assessment__employee_id")
    annotations = {
        "eval_total": Sum("level", filter=EVAL_DONE),
        "eval_n": Count("id", filter=EVAL_DONE),
        "self_total": Sum("level", filter=SELF_DONE),
        "self_n": Count("id", filter=SELF_DONE),
        "pair_self": Sum("level", filter=Q(rater=Rater.SELF) & BOTH_DONE),
        "pair_eval": Sum("level", filter=Q(rater=Rater.EVALUATOR) & BOTH_DONE),
        "pairs": Count("id", filter=Q(rater=Rater.EVALUATOR) & BOTH_DONE),
    }
    if constant:
        below = Q(pk__in=[])
        for code, level in constant.items():
            below |= Q(item_code=code, level__lt=level)
        annotations["below"] = Count("id", filter=EVAL_DONE & below)
    agg = {a["item_code"]: a for a in ratings.values("item_code").annotate(**annotations).order_by()}

    below_by_item: dict[str, int] = defaultdict(int)
    expected_sum: dict[str, list[int]] = defaultdict(list)
    if constant is None and expected:
        person_of = {a.pk: a.employee_id for a in people}
        rows = ratings.filter(EVAL_DONE).values_list("assessment_id", "item_code", "level")
        for assessment_id, code, level in rows:
            want = expected.get(person_of.get(assessment_id), ("", {}))[1].get(code)
            if want is not None:
                expected_sum[code].append(want)
                if level < want:
                    below_by_item[code] += 1
    for code, name, kind in items:
        a = agg.get(code, {})
        row = GapRow(code, name, kind)
        row.evaluator_exact, row.evaluator_n = exact(a.get("eval_total"), a.get("eval_n")), a.get("eval_n", 0)
        row.self_exact, row.self_n = exact(a.get("self_total"), a.get("self_n")), a.get("self_n", 0)
        row.pairs = a.get("pairs", 0)
        if row.pairs and a.get("pair_self") is not None and a.get("pair_eval") is not None:
            row.confidence_exact = exact(a["pair_self"] - a["pair_eval"], row.pairs)
        if constant is not None:
            row.expected_exact = Fraction(constant[code]) if code in constant else None
            row.below = a.get("below", 0) if code in constant else 0
        elif expected_sum.get(code):
            row.expected_exact = exact(sum(expected_sum[code]), len(expected_sum[code]))
            row.below = below_by_item.get(code, 0)
        result.rows.append(row)
    order = {code: n for n, (code, _name, _kind) in enumerate(items)}
    result.rows.sort(key=lambda r: (r.gap_exact is None, r.gap_exact or 0, order[r.code]))
    return result

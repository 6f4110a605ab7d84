"""Rows of the Excel/CSV exports: campaign results (person × item), cohort pre/post and group gaps."""

from django.utils import timezone

from ..frozen import framework_of, items_in_order
from ..models import Assessment, Campaign, Rater, Rating
from .aggregates import CohortResult, GapResult
from .assessments import expected_for
from .people import current_assignments_prefetch, unit_label

RESULT_HEADERS = ["職員番号", "氏名", "所属", "項目", "本人", "評価者", "期待", "コメント"]
COHORT_HEADERS = [
    "項目", "区分",
    "研修前 本人", "研修後 本人", "変化 本人", "回答数 本人（前/後）",
    "研修前 評価者", "研修後 評価者", "変化 評価者", "回答数 評価者（前/後）",
]  # fmt: skip
GAP_HEADERS = [
    "項目", "区分", "評価者の平均", "期待レベル", "差（評価者−期待）", "本人の平均",
    "本人−評価者（平均）", "期待未満の人数", "評価者の回答数",
]  # fmt: skip
KIND_LABELS = {"mindset": "マインド", "skill": "スキル"}


def campaign_result_rows(campaign: Campaign) -> list[list]:
    """One row per person × item, submitted levels only (a draft is blank). Four queries + the expected hooks."""
    day = timezone.localdate()
    people = list(
        Assessment.objects.filter(campaign=campaign)
        .select_related("employee")
        .prefetch_related(current_assignments_prefetch(day))
        .order_by("employee__number")
    )
    expected = expected_for([a.employee for a in people], campaign) if people else {}
    levels: dict[tuple[int, str, str], Rating] = {}
    submitted = {a.pk: {Rater.SELF: a.self_submitted_at, Rater.EVALUATOR: a.evaluator_submitted_at} for a in people}
    for r in Rating.objects.filter(assessment__campaign=campaign):
        if submitted.get(r.assessment_id, {}).get(r.rater):
            levels[(r.assessment_id, r.rater, r.item_code)] = r
    items = items_in_order(framework_of(campaign))
    rows = []
    for a in people:
        want = expected.get(a.employee_id, ("", {}))[1]
        unit = unit_label(a.employee, day)
        for item in items:
            s = levels.get((a.pk, Rater.SELF, item.code))
            e = levels.get((a.pk, Rater.EVALUATOR, item.code))
            notes = [f"本人: {s.comment}" if s and s.comment else "", f"評価者: {e.comment}" if e and e.comment else ""]
            rows.append(
                [
                    a.employee.number,
                    a.employee.name,
                    unit,
                    item.name,
                    s.level if s else None,
                    e.level if e else None,
                    want.get(item.code),
                    " / ".join(n for n in notes if n),
                ]
            )
    return rows


def cohort_rows(result: CohortResult) -> list[list]:
    return [
        [
            r.name,
            KIND_LABELS.get(r.kind, r.kind),
            r.self_pre,
            r.self_post,
            r.self_change,
            f"{r.self_n_pre}/{r.self_n_post}",
            r.eval_pre,
            r.eval_post,
            r.eval_change,
            f"{r.eval_n_pre}/{r.eval_n_post}",
        ]
        for r in result.rows
    ]


def gap_rows(result: GapResult) -> list[list]:
    return [
        [
            r.name,
            KIND_LABELS.get(r.kind, r.kind),
            r.evaluator_avg,
            r.expected,
            r.gap,
            r.self_avg,
            r.confidence,
            r.below,
            r.evaluator_n,
        ]
        for r in result.rows
    ]

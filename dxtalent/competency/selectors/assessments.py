"""Who sees which assessment, my lists, and one assessment page (items, levels, expected, radar, evidence).

Ratings are private: the person, their evaluator, hr and the secretariat (VIEW_ALL_ASSESSMENTS). Anyone else gets
nothing in lists and a 404 for the page (never a 403: the existence of an assessment is private too). A rater's
draft is shown only to that rater; others see a rater's levels once submitted.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from dxtalent.core.paging import PageLinks
from dxtalent.org import access
from dxtalent.org.access import Action

from .. import hooks
from ..frozen import framework_of, items_in_order
from ..models import Assessment, Campaign, Evidence, Rater, Rating
from ..services.ratings import rater_of
from .people import current_assignments_prefetch, unit_label

PER_PAGE = 50


def visible_assessments(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Assessment.objects.all() if qs is None else qs
    if access.may(user, Action.VIEW_ALL_ASSESSMENTS):
        return qs
    if not access.may(user, Action.VIEW_ASSESSMENTS):
        return qs.none()
    me = access.employee_of(user)
    if me is None:
        return qs.none()
    return qs.filter(Q(employee_id=me.pk) | Q(evaluator_id=me.pk))


def get_visible_assessment(user, pk) -> Assessment:
    a = (
        visible_assessments(user, Assessment.objects.select_related("campaign", "employee", "evaluator"))
        .filter(pk=pk)
        .first()
    )
    if a is None:
        raise Http404("この評価は見つかりません。")
    return a


def status_label(submitted_at) -> str:
    return "提出済" if submitted_at else "未提出"


def expected_day(campaign: Campaign) -> dt.date:
    """The day whose expectation applies: the campaign's closing day, or today while it runs."""
    return min(timezone.localdate(), campaign.closes_on)


def expected_for(employees, campaign: Campaign) -> dict[int, tuple[str, dict[str, int]]]:
    """Expected levels per person ({employee_id: (label, levels)}), for a whole group in a fixed number of queries."""
    return hooks.expected_levels_many(list(employees), campaign.framework, expected_day(campaign))


# ---------------------------------------------------------------- my lists


@dataclass
class Page(PageLinks):
    rows: list
    total: int
    page: int
    pages: int


def paginate(qs, page: int, per_page: int = PER_PAGE) -> Page:
    total = qs.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page or 1), pages)
    rows = list(qs[(page - 1) * per_page : page * per_page])
    return Page(rows, total, page, pages)


def _list_qs(day: dt.date) -> QuerySet:
    return (
        Assessment.objects.select_related("campaign", "employee", "evaluator")
        .prefetch_related(current_assignments_prefetch(day))
        .order_by("-campaign__fiscal_year", "-campaign__opens_on", "-campaign_id", "employee__kana_key")
    )


def my_assessments(user, *, page: int = 1) -> dict:
    """My own assessments and those I evaluate (two lists; five queries whatever the rows)."""
    me = access.employee_of(user)
    day = timezone.localdate()
    if me is None or not access.may(user, Action.VIEW_ASSESSMENTS):
        return {"own": [], "evaluating": Page([], 0, 1, 1)}
    own = list(_list_qs(day).filter(employee_id=me.pk))
    evaluating = paginate(_list_qs(day).filter(evaluator_id=me.pk), page)
    for a in own + evaluating.rows:
        a.unit_label = unit_label(a.employee, day)
    return {"own": own, "evaluating": evaluating}


# ---------------------------------------------------------------- one assessment


@dataclass
class ItemRow:
    code: str
    kind: str
    name: str
    descriptors: tuple[str, ...]
    anchors: tuple
    self_level: int | None = None
    evaluator_level: int | None = None
    expected: int | None = None
    self_comment: str = ""
    evaluator_comment: str = ""

    @property
    def gap(self) -> int | None:
        """Evaluator level (or the self level while there is none) minus the expected level."""
        base = self.evaluator_level if self.evaluator_level is not None else self.self_level
        if base is None or self.expected is None:
            return None
        return base - self.expected


@dataclass
class AssessmentDetail:
    assessment: Assessment
    framework: object
    items: list[ItemRow]
    expected_label: str
    my_raters: list[str]
    show_self: bool
    show_evaluator: bool
    own_levels: dict[str, dict[str, int]] = field(default_factory=dict)  # my drafts for the forms
    own_comments: dict[str, dict[str, str]] = field(default_factory=dict)
    evidence: list = field(default_factory=list)
    history: list = field(default_factory=list)
    unit_label: str = ""

    def radar(self) -> dict:
        fw = self.framework
        return {
            "labels": [i.name for i in self.items],
            "max": fw.max_level if fw.levels else 4,
            "min": min(fw.levels) if fw.levels else 1,
            "scale": [{"level": s.level, "label": s.label} for s in fw.scale],
            "self": [i.self_level for i in self.items] if self.show_self else [],
            "evaluator": [i.evaluator_level for i in self.items] if self.show_evaluator else [],
            "expected": [i.expected for i in self.items] if self.expected_label else [],
            "expected_label": self.expected_label,
        }


def assessment_detail(user, pk: int) -> AssessmentDetail:
    """One visible assessment (404 otherwise) with levels, expected levels, evidence and the person's history."""
    a = get_visible_assessment(user, pk)
    day = timezone.localdate()
    campaign = a.campaign
    fw = framework_of(campaign)
    mine = rater_of(user, a)
    show = {
        Rater.SELF: a.self_submitted_at is not None or Rater.SELF in mine,
        Rater.EVALUATOR: a.evaluator_submitted_at is not None or Rater.EVALUATOR in mine,
    }
    expected_label, expected = expected_for([a.employee], campaign)[a.employee_id]
    ratings = list(Rating.objects.filter(assessment=a))
    own_levels: dict[str, dict[str, int]] = {r: {} for r in mine}
    own_comments: dict[str, dict[str, str]] = {r: {} for r in mine}
    by_key = {}
    for r in ratings:
        by_key[(r.rater, r.item_code)] = r
        if r.rater in mine:
            own_levels[r.rater][r.item_code] = r.level
            own_comments[r.rater][r.item_code] = r.comment
    items = []
    for item in items_in_order(fw):
        row = ItemRow(item.code, item.kind, item.name, item.descriptors, item.anchors, expected=expected.get(item.code))
        s, e = by_key.get((Rater.SELF, item.code)), by_key.get((Rater.EVALUATOR, item.code))
        if s is not None and show[Rater.SELF]:
            row.self_level, row.self_comment = s.level, s.comment
        if e is not None and show[Rater.EVALUATOR]:
            row.evaluator_level, row.evaluator_comment = e.level, e.comment
        items.append(row)
    evidence = list(
        Evidence.objects.filter(assessment=a).select_related("attendance__session__run").order_by("added_at", "pk")
    )
    history = list(
        visible_assessments(user, Assessment.objects.select_related("campaign"))
        .filter(employee_id=a.employee_id)
        .exclude(pk=a.pk)
        .order_by("-campaign__fiscal_year", "-campaign__opens_on", "-pk")
    )
    prefetch_related_objects([a.employee], current_assignments_prefetch(day, "assignments"))
    return AssessmentDetail(
        assessment=a,
        framework=fw,
        items=items,
        expected_label=expected_label if expected else "",
        my_raters=mine,
        show_self=show[Rater.SELF],
        show_evaluator=show[Rater.EVALUATOR],
        own_levels=own_levels,
        own_comments=own_comments,
        evidence=evidence,
        history=history,
        unit_label=unit_label(a.employee, day),
    )

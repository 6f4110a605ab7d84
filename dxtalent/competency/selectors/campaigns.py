"""Campaigns (VIEW_ALL_ASSESSMENTS): the list with submission counts, and one campaign's people."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from dxtalent.core.paging import FilterParams
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import Assessment, Campaign
from .assessments import Page, paginate
from .people import current_assignments_prefetch, unit_label

SORTS = {
    "new": ("-fiscal_year", "-opens_on", "-pk"),
    "old": ("fiscal_year", "opens_on", "pk"),
    "closes": ("closes_on", "pk"),
    "name": ("name", "pk"),
}
SORT_LABELS = {"new": "新しい順", "old": "古い順", "closes": "締切が近い順", "name": "名称順"}
PEOPLE_SORTS = {
    "kana": ("employee__kana_key", "pk"),
    "number": ("employee__number", "pk"),
    "status": ("self_submitted_at", "evaluator_submitted_at", "employee__kana_key"),
}


def framework_choices() -> list[tuple[str, str]]:
    try:
        return [(f.code, f"{f.name}（{f.version}版）") for f in current_pack().frameworks]
    except NoPolicyPack:
        return []


def _require_all(user) -> None:
    if not access.may(user, Action.VIEW_ALL_ASSESSMENTS):
        raise Http404("見つかりません。")


def _count(**condition) -> Subquery:
    rows = Assessment.objects.filter(campaign=OuterRef("pk"), **condition).order_by().values("campaign")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def with_counts(qs: QuerySet) -> QuerySet:
    # Correlated counts, not a JOIN + GROUP BY: grouping would also group by the frozen framework (a large JSON).
    return qs.annotate(
        people=_count(),
        self_done=_count(self_submitted_at__isnull=False),
        evaluator_done=_count(evaluator_submitted_at__isnull=False),
    )


@dataclass
class CampaignFilter(FilterParams):
    fiscal_year: int | None = None
    kind: str = ""
    status: str = ""
    framework: str = ""
    q: str = ""
    sort: str = "new"


def campaigns(user, filters: CampaignFilter | None = None) -> QuerySet:
    if not access.may(user, Action.VIEW_ALL_ASSESSMENTS):
        return Campaign.objects.none()
    f = filters or CampaignFilter()
    qs = Campaign.objects.select_related("run")
    if f.fiscal_year:
        qs = qs.filter(fiscal_year=f.fiscal_year)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.framework:
        qs = qs.filter(framework_code=f.framework)
    for word in (f.q or "").split():
        qs = qs.filter(name__icontains=word)
    return with_counts(qs).order_by(*SORTS.get(f.sort, SORTS["new"]))


def campaign_list(user, filters: CampaignFilter, page: int = 1) -> Page:
    return paginate(campaigns(user, filters), page)


def get_campaign(user, pk) -> Campaign:
    _require_all(user)
    c = with_counts(Campaign.objects.select_related("run", "pack", "created_by").filter(pk=pk)).first()
    if c is None:
        raise Http404("この評価の回は見つかりません。")
    return c


def campaign_people(campaign: Campaign, *, q: str = "", status: str = "", sort: str = "kana", page: int = 1) -> Page:
    """People of a campaign with evaluator, 所属 and submission status (a page of them; fixed queries)."""
    day = timezone.localdate()
    qs = (
        Assessment.objects.filter(campaign=campaign)
        .select_related("employee", "evaluator")
        .prefetch_related(current_assignments_prefetch(day))
    )
    for word in q.split():
        qs = qs.filter(
            Q(employee__name__icontains=word) | Q(employee__number=word) | Q(employee__name_kana__icontains=word)
        )
    if status == "self_pending":
        qs = qs.filter(self_submitted_at__isnull=True)
    elif status == "evaluator_pending":
        qs = qs.filter(evaluator_submitted_at__isnull=True)
    elif status == "done":
        qs = qs.filter(self_submitted_at__isnull=False, evaluator_submitted_at__isnull=False)
    elif status == "no_evaluator":
        qs = qs.filter(evaluator__isnull=True)
    result = paginate(qs.order_by(*PEOPLE_SORTS.get(sort, PEOPLE_SORTS["kana"])), page, per_page=100)
    for a in result.rows:
        a.unit_label = unit_label(a.employee, day)
    return result

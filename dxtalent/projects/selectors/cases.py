"""Reads of the case library: the search page, one case with its adoptions (横展開), the publish candidates.

Everyone with VIEW_LIBRARY sees published cases; the secretariat (MANAGE_LIBRARY) also sees withdrawn ones on
their own page. A case shows its unit / leader only when its show flags say so. Adoptions are listed by unit only
where the user may see the adopting project (access.rows_visible_to); the others are counted, not named.
Every function runs a fixed number of queries whatever the number of cases.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import OrgKind
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from .. import search
from ..models import Case, CaseStatus, Project, ProjectStatus

SORTS = (("relevance", "関連度"), ("newest", "新着"), ("adopted", "横展開数"))
SORT_CODES = {code for code, _ in SORTS}
PER_PAGE = 20
PROJECT_PEOPLE = ("leader_id", "manager_id", "participations__employee_id")


def require_view(user) -> None:
    if not access.may(user, Action.VIEW_LIBRARY):
        raise PermissionDenied("事例集を閲覧する権限がありません。")


def tag_choices() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(work_categories, tool_kinds) of the pack in force; empty before any pack is loaded."""
    try:
        pack = current_pack()
    except NoPolicyPack:
        return (), ()
    return pack.work_categories, pack.tool_kinds


def with_adoption_stats(qs: QuerySet) -> QuerySet:
    """Annotate cases with `adopted_units` (distinct 課 of non-cancelled projects started from the case) and
    `adopted_saving` (verified hours/month saved by the finished ones): two correlated subqueries, no GROUP BY."""
    live = Project.objects.filter(source_case=OuterRef("pk")).exclude(status=ProjectStatus.CANCELLED).order_by()
    units = live.values("source_case").annotate(n=Count("unit_id", distinct=True)).values("n")
    done = Project.objects.filter(source_case=OuterRef("pk"), status=ProjectStatus.DONE).order_by()
    hours = DecimalField(max_digits=9, decimal_places=2)
    saving = (
        done.values("source_case")
        .annotate(s=Sum(F("baseline_hours") - F("after_hours"), output_field=hours))
        .values("s")
    )
    return qs.annotate(
        adopted_units=Coalesce(Subquery(units, output_field=IntegerField()), Value(0)),
        adopted_saving=Coalesce(Subquery(saving, output_field=hours), Value(Decimal(0)), output_field=hours),
    )


def published_cases(*, work_category: str = "", tool_kind: str = "") -> QuerySet:
    qs = Case.objects.filter(status=CaseStatus.PUBLISHED)
    if work_category:
        qs = qs.filter(work_category=work_category)
    if tool_kind:
        qs = qs.filter(tool_kind=tool_kind)
    return qs


@dataclass
class CaseCard:
    """A case as shown in lists: its hit (highlights), tags' names, and only the personal details it shows."""

    hit: search.CaseHit
    unit_label: str
    leader_name: str
    work_category_name: str
    tool_kind_name: str

    @property
    def case(self) -> Case:
        return self.hit.case


@dataclass
class LibraryPage:
    cards: list[CaseCard]
    page: Page
    terms: list[str]
    capped: bool = False
    sort: str = "relevance"
    total: int = 0

    @property
    def hits(self) -> list[search.CaseHit]:
        return [c.hit for c in self.cards]


def _cards(cases: list[Case], terms: list[str], scores: dict[int, int]) -> list[CaseCard]:
    categories, tools = (dict(c) for c in tag_choices())
    snap = org_snapshot()
    cards = []
    for case in cases:
        unit = snap.label_of(case.project.unit_id) if case.show_unit else ""
        leader = case.project.leader.name if case.show_leader and case.project.leader_id else ""
        cards.append(
            CaseCard(
                hit=search.case_hit(case, terms, scores.get(case.pk, 0), unit_label=unit, leader_name=leader),
                unit_label=unit,
                leader_name=leader,
                work_category_name=categories.get(case.work_category, case.work_category),
                tool_kind_name=tools.get(case.tool_kind, case.tool_kind),
            )
        )
    return cards


def _hydrate(ids: list[int]) -> list[Case]:
    rows = with_adoption_stats(Case.objects.filter(pk__in=ids)).select_related("project__leader")
    by_id = {c.pk: c for c in rows}
    return [by_id[i] for i in ids if i in by_id]


def library_search(
    *,
    user,
    q: str = "",
    work_category: str = "",
    tool_kind: str = "",
    sort: str = "relevance",
    page: int | str = 1,
    per_page: int = PER_PAGE,
    everything: bool = False,
) -> LibraryPage:
    """One page of published cases matching `q` (AND of its terms) and the tag filters, in `sort` order.

    `everything=True` returns all matches on one page (exports). Queries: 3 with a query, 3 without.
    """
    require_view(user)
    sort = sort if sort in SORT_CODES else "relevance"
    terms = search.parse_terms(q)
    base = published_cases(work_category=work_category, tool_kind=tool_kind)
    if terms:
        ranking = search.rank(base, terms, sort=sort)
        paginator = Paginator(ranking.ids, max(len(ranking.ids), 1) if everything else per_page)
        current = paginator.get_page(page)
        cases = _hydrate(list(current.object_list))
        scores, capped = ranking.scores, ranking.capped
    else:
        order = ("-adopted_units", "-published_at", "-pk") if sort == "adopted" else ("-published_at", "-pk")
        qs = with_adoption_stats(base).select_related("project__leader").order_by(*order)
        if everything:
            cases = list(qs)
            paginator = Paginator(cases, max(len(cases), 1))
            current = paginator.get_page(1)
        else:
            paginator = Paginator(qs, per_page)
            current = paginator.get_page(page)
            cases = list(current.object_list)
        scores, capped = {}, False
    return LibraryPage(
        cards=_cards(cases, terms, scores),
        page=current,
        terms=terms,
        capped=capped,
        sort=sort,
        total=paginator.count,
    )


# ---------------------------------------------------------------- one case


@dataclass
class AdoptionRow:
    project_id: int
    unit_label: str
    status: str
    status_label: str
    saving_hours: Decimal | None


@dataclass
class CaseDetail:
    card: CaseCard
    adoptions: list[AdoptionRow] = field(default_factory=list)  # the ones the user may see
    other_adoptions: int = 0  # adopting projects outside the user's view: counted, not named
    other_saving: Decimal = Decimal(0)

    @property
    def case(self) -> Case:
        return self.card.case


def case_for(user, pk: int, *, manage: bool = False) -> Case:
    """The case (published; withdrawn ones too for MANAGE_LIBRARY) or 404."""
    require_view(user)
    qs = Case.objects.select_related("project__leader")
    if not (manage or access.may(user, Action.MANAGE_LIBRARY)):
        qs = qs.filter(status=CaseStatus.PUBLISHED)
    case = qs.filter(pk=pk).first()
    if case is None:
        raise Http404("この事例は見つかりません。")
    return case


def case_detail(*, user, pk: int) -> CaseDetail:
    require_view(user)
    qs = with_adoption_stats(Case.objects.select_related("project__leader"))
    if not access.may(user, Action.MANAGE_LIBRARY):
        qs = qs.filter(status=CaseStatus.PUBLISHED)
    case = qs.filter(pk=pk).first()
    if case is None:
        raise Http404("この事例は見つかりません。")
    card = _cards([case], [], {})[0]
    projects = Project.objects.filter(source_case=case).exclude(status=ProjectStatus.CANCELLED)
    visible = set(
        access.rows_visible_to(user, projects, unit_path="unit_id", people_paths=PROJECT_PEOPLE).values_list(
            "pk", flat=True
        )
    )
    snap = org_snapshot()
    detail = CaseDetail(card=card)
    for p in projects.order_by("created_at", "pk"):
        saving = p.saving_hours if p.status == ProjectStatus.DONE else None
        if p.pk in visible:
            detail.adoptions.append(
                AdoptionRow(p.pk, snap.label_of(p.unit_id), p.status, ProjectStatus(p.status).label, saving)
            )
        else:
            detail.other_adoptions += 1
            detail.other_saving += saving or Decimal(0)
    return detail


def adoptable_units(user) -> list[tuple[int, str]]:
    """課 the user may start a project in (START_PROJECT over their scope), labelled with their path."""
    if not access.may(user, Action.START_PROJECT):
        return []
    s = access.scope(user)
    snap = org_snapshot()
    nodes = snap.nodes.values() if s.all else (snap.nodes[i] for i in s.unit_ids if i in snap.nodes)
    units = [n for n in nodes if n.kind == OrgKind.KA]
    return sorted(((n.unit_id, snap.label_of(n.unit_id)) for n in units), key=lambda r: r[1])


def publishable_projects(user) -> list[Project]:
    """Finished projects not yet published (or whose case was withdrawn), newest verification first."""
    if not access.may(user, Action.MANAGE_LIBRARY):
        raise PermissionDenied("事例を公開する権限がありません。")
    return list(
        Project.objects.filter(status=ProjectStatus.DONE, case__isnull=True)
        .select_related("leader")
        .order_by("-verified_on", "-pk")[:500]
    )

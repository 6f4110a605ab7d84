"""Reads of ジョブチャレンジ, scoped to the user, in a fixed number of queries whatever the number of rows.

- Postings: every VIEW_POSTINGS user browses them (open ones, and closed ones in their own tab).
- Applications: applicants see only their own; VIEW_APPLICATIONS (hr, secretariat) see all; managers
  (VIEW_STAFF_APPLICATIONS) see THAT their staff applied (no motivation) only when the pack says managers are told.
  An application the user may not see is a 404, like one that does not exist.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dxtalent.core.paging import FilterParams, PageLinks
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import Application, ApplicationStatus, Posting, PostingStatus
from .postings_people import ka_heads, unit_labels

PER_PAGE = 50
SORTS = {
    "deadline": ("deadline", "-pk"),
    "-deadline": ("-deadline", "-pk"),
    "new": ("-created_at", "-pk"),
    "title": ("title", "pk"),
    "starts": ("starts_on", "-pk"),
}
SORT_LABELS = {
    "deadline": "締切が近い順",
    "-deadline": "締切が遠い順",
    "new": "登録が新しい順",
    "title": "募集名順",
    "starts": "着任日順",
}
TABS = {"open": "受付中", "upcoming": "受付前", "closed": "募集終了・締切済み", "all": "すべて"}
OPEN_STATUSES = (ApplicationStatus.APPLIED, ApplicationStatus.DOCUMENTS, ApplicationStatus.INTERVIEW)


def kind_names() -> dict[str, str]:
    try:
        return {k.code: k.name for k in current_pack().posting_kinds}
    except NoPolicyPack:
        return {}


def managers_told() -> bool:
    try:
        return current_pack().notify_manager_on_apply
    except NoPolicyPack:
        return False


# ------------------------------------------------------------------ postings


@dataclass
class PostingFilter(FilterParams):
    tab: str = "open"
    kind: str = ""
    q: str = ""
    sort: str = "deadline"


@dataclass
class PostingRow:
    posting: Posting
    kind_name: str
    unit_label: str
    days_left: int | None
    accepting: bool
    phase: str  # open | upcoming | closed
    applied: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def count_list(self) -> list[int]:
        """Applications per status, in ApplicationStatus order (only for VIEW_APPLICATIONS users)."""
        return [self.counts.get(s, 0) for s in ApplicationStatus.values]


@dataclass
class PostingPage(PageLinks):
    rows: list[PostingRow]
    total: int
    page: int
    pages: int
    tab_counts: dict[str, int]


def _phase_q(tab: str, day: dt.date) -> Q:
    is_open = Q(status=PostingStatus.OPEN)
    return {
        "open": is_open & Q(opens_on__lte=day, deadline__gte=day),
        "upcoming": is_open & Q(opens_on__gt=day),
        "closed": Q(status=PostingStatus.CLOSED) | Q(deadline__lt=day),
    }.get(tab, Q())


def phase_of(posting: Posting, day: dt.date) -> str:
    if posting.status == PostingStatus.CLOSED or posting.deadline < day:
        return "closed"
    return "upcoming" if posting.opens_on > day else "open"


def visible_postings(user) -> QuerySet:
    if not access.may(user, Action.VIEW_POSTINGS):
        return Posting.objects.none()
    return Posting.objects.all()


def filtered_postings(*, user, filters: PostingFilter, day: dt.date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    qs = visible_postings(user).filter(_phase_q(filters.tab, day)).select_related("unit")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    for word in (filters.q or "").replace("\u3000", " ").split():
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    me = access.employee_of(user)
    mine = Application.objects.filter(posting=OuterRef("pk"), employee_id=me.pk if me else None)
    qs = qs.annotate(applied=Exists(mine))
    if access.may(user, Action.VIEW_APPLICATIONS):
        qs = qs.annotate(
            **{f"n_{s}": Count("applications", filter=Q(applications__status=s)) for s in ApplicationStatus.values}
        )
    return qs.order_by(*SORTS.get(filters.sort, SORTS["deadline"]))


def posting_rows(postings, *, day: dt.date | None = None) -> list[PostingRow]:
    day = day or timezone.localdate()
    snap = org_snapshot(day)
    kinds = kind_names()
    rows = []
    for p in postings:
        phase = phase_of(p, day)
        counts = {s: getattr(p, f"n_{s}") for s in ApplicationStatus.values if hasattr(p, f"n_{s}")}
        rows.append(
            PostingRow(
                posting=p,
                kind_name=kinds.get(p.kind, p.kind),
                unit_label=snap.label_of(p.unit_id) if p.unit_id else "",
                days_left=(p.deadline - day).days if phase != "closed" else None,
                accepting=phase == "open",
                phase=phase,
                applied=bool(getattr(p, "applied", False)),
                counts=counts,
            )
        )
    return rows


def posting_list(*, user, filters: PostingFilter, page: int = 1, per_page: int = PER_PAGE) -> PostingPage:
    day = timezone.localdate()
    qs = filtered_postings(user=user, filters=filters, day=day)
    total = qs.count()
    pages = max(math.ceil(total / per_page), 1)
    page = min(max(page, 1), pages)
    chunk = list(qs[(page - 1) * per_page : page * per_page])
    base = visible_postings(user)
    tab_counts = base.aggregate(**{t: Count("pk", filter=_phase_q(t, day)) for t in TABS})
    return PostingPage(posting_rows(chunk, day=day), total, page, pages, tab_counts)


def get_posting(user, pk) -> Posting:
    posting = visible_postings(user).select_related("unit").filter(pk=pk).first()
    if posting is None:
        raise Http404("この募集は見つかりません。")
    return posting


# ------------------------------------------------------------------ applications


def visible_applications(user) -> QuerySet:
    """Applications the user may open: their own, or all for VIEW_APPLICATIONS."""
    qs = Application.objects.all()
    if access.may(user, Action.VIEW_APPLICATIONS):
        return qs
    me = access.employee_of(user)
    if me is None or not access.may(user, Action.VIEW_POSTINGS):
        return qs.none()
    return qs.filter(employee_id=me.pk)


def staff_applications(user) -> QuerySet:
    """Applications by the manager's staff (people in their scope, not themself); none unless the pack says
    managers are told. Callers must not show the motivation."""
    if not access.may(user, Action.VIEW_STAFF_APPLICATIONS) or not managers_told():
        return Application.objects.none()
    qs = access.employees_visible_to(user, Application.objects.all(), path="employee")
    me = access.employee_of(user)
    if me is not None:
        qs = qs.exclude(employee_id=me.pk)
    return qs


def get_application(user, pk) -> Application:
    app = (
        visible_applications(user)
        .select_related("posting", "posting__unit", "employee", "manager")
        .select_related("placed_assignment", "placed_leader_role", "placed_stage_period")
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise Http404("この応募は見つかりません。")
    return app


@dataclass
class ApplicationRow:
    application: Application
    unit_label: str
    manager: Employee | None
    kind_name: str = ""


def application_rows(applications, *, day: dt.date | None = None) -> list[ApplicationRow]:
    """Rows with the applicant's current 所属 and their 所属長 (the one told at apply time, else today's 課長).
    Callers select_related "posting", "employee" and "manager" so the rows cost no further queries."""
    apps = list(applications)
    ids = [a.employee_id for a in apps]
    labels = unit_labels(ids, day)
    missing = [a.employee_id for a in apps if a.manager_id is None]
    heads = ka_heads(missing, day) if missing else {}
    kinds = kind_names()
    return [
        ApplicationRow(
            application=a,
            unit_label=labels.get(a.employee_id, ""),
            manager=a.manager if a.manager_id else heads.get(a.employee_id),
            kind_name=kinds.get(a.posting.kind, a.posting.kind),
        )
        for a in apps
    ]


def posting_applications(user, posting: Posting, *, status: str = "") -> list[ApplicationRow]:
    if not access.may(user, Action.VIEW_APPLICATIONS):
        return []
    qs = posting.applications.select_related("employee", "manager", "posting").order_by("applied_at", "pk")
    if status:
        qs = qs.filter(status=status)
    return application_rows(qs)


def my_applications(user) -> QuerySet:
    me = access.employee_of(user)
    if me is None:
        return Application.objects.none()
    return (
        Application.objects.filter(employee_id=me.pk)
        .select_related("posting", "posting__unit", "employee", "manager")
        .order_by("-applied_at", "-pk")
    )


def my_application_for(user, posting: Posting) -> Application | None:
    me = access.employee_of(user)
    if me is None:
        return None
    return Application.objects.filter(employee_id=me.pk, posting=posting).first()

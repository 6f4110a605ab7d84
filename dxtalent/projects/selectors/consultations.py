"""Reads of the support desk, scoped to the user. Each runs a fixed number of queries whatever the rows.

Who sees a consultation: its requester, whoever's scope covers its `unit` (the requester's 課 when opened: their
manager, their 局区's liaison) and the desk (the secretariat's all-scope). The action VIEW_CONSULTATIONS is checked
first, so HR's all-scope or a plain employee sees nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import Employee, OrgKind, RoleGrant, valid_on
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import (
    CLOSED_CONSULTATION,
    Attachment,
    Case,
    CaseStatus,
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    Project,
)

# Open items by age (days since opened): (label, first day, last day or None)
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("〜3日", 0, 3),
    ("4〜7日", 4, 7),
    ("8〜14日", 8, 14),
    ("15日〜", 15, None),
)
OPEN = "open"  # the status filter's "受付＋対応中"
UNASSIGNED = "none"  # the handler filter's "未割当"
SORTS = {
    "-opened": ("-opened_at", "-pk"),
    "opened": ("opened_at", "pk"),
    "status": ("status", "-opened_at", "-pk"),
    "kind": ("kind", "-opened_at", "-pk"),
    "handler": ("handler__kana_key", "-opened_at", "-pk"),
    "-updated": ("-updated_at", "-pk"),
}
SORT_LABELS = {
    "-opened": "受付の新しい順",
    "opened": "受付の古い順（日数の多い順）",
    "status": "状態",
    "kind": "相談の種類",
    "handler": "担当者",
    "-updated": "更新の新しい順",
}
PROJECT_PEOPLE = ("leader_id", "manager_id", "participations__employee_id")


def local_day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def days_between(start: dt.datetime, end: dt.datetime) -> int:
    """Calendar days from `start` to `end` (local dates): opened and closed the same day = 0."""
    return (local_day(end) - local_day(start)).days


def age_bucket(days: int) -> str:
    for label, lo, hi in AGE_BUCKETS:
        if days >= lo and (hi is None or days <= hi):
            return label
    return AGE_BUCKETS[0][0]


# ---------------------------------------------------------------- who sees what


def visible_consultations(user) -> QuerySet:
    if not access.may(user, Action.VIEW_CONSULTATIONS):
        return Consultation.objects.none()
    return access.rows_visible_to(user, Consultation.objects.all(), unit_path="unit_id", people_paths=("requester_id",))


def may_view_consultation(user, consultation: Consultation) -> bool:
    if not access.may(user, Action.VIEW_CONSULTATIONS):
        return False
    s = access.scope(user)
    return s.all or consultation.requester_id == s.employee_id or consultation.unit_id in s.unit_ids


def is_desk(user) -> bool:
    return access.may(user, Action.HANDLE_CONSULTATIONS)


def may_take_part(user, consultation: Consultation) -> bool:
    """Write in the thread and add files: the requester and the desk (the manager and liaison read)."""
    if is_desk(user):
        return True
    me = access.employee_of(user)
    return me is not None and me.pk == consultation.requester_id


def kind_labels() -> dict[str, str]:
    """code → name of the pack's consultation kinds ({} when no pack is loaded)."""
    try:
        return dict(current_pack().consultation_kinds)
    except NoPolicyPack:
        return {}


# ---------------------------------------------------------------- the desk table


@dataclass(frozen=True)
class DeskFilter:
    status: str = ""  # a ConsultationStatus value, OPEN, or "" for all
    kind: str = ""
    handler: str = ""  # an Employee id as text, UNASSIGNED, or ""
    top: int | None = None  # a 局区 OrgUnit id
    sort: str = "-opened"

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}


@dataclass
class ConsultationRow:
    consultation: Consultation
    kind_label: str
    top: str
    unit_label: str
    messages: int
    last_message_at: dt.datetime | None
    days_open: int | None  # open: days since opened
    resolution_days: int | None  # closed: days from opened to closed

    @property
    def age_bucket(self) -> str:
        return age_bucket(self.days_open) if self.days_open is not None else ""


def _filtered(qs: QuerySet, filters: DeskFilter) -> QuerySet:
    if filters.status == OPEN:
        qs = qs.exclude(status__in=CLOSED_CONSULTATION)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.handler == UNASSIGNED:
        qs = qs.filter(handler__isnull=True)
    elif filters.handler.isdigit():
        qs = qs.filter(handler_id=int(filters.handler))
    if filters.top:
        qs = qs.filter(unit_id__in=org_snapshot().subtree_ids([filters.top]))
    return qs


def _with_counts(qs: QuerySet) -> QuerySet:
    messages = ConsultationMessage.objects.filter(consultation=OuterRef("pk")).order_by()
    return qs.annotate(
        message_count=Coalesce(
            Subquery(messages.values("consultation").annotate(n=Count("pk")).values("n")[:1]),
            Value(0),
            output_field=IntegerField(),
        ),
        last_message_at=Subquery(messages.values("consultation").annotate(m=Max("posted_at")).values("m")[:1]),
    )


def consultation_rows(consultations, labels: dict[str, str]) -> list[ConsultationRow]:
    snap = org_snapshot()
    now = timezone.now()
    out = []
    for c in consultations:
        path = snap.path_of(c.unit_id)
        out.append(
            ConsultationRow(
                consultation=c,
                kind_label=labels.get(c.kind, c.kind),
                top=path["top"].name if "top" in path else "",
                unit_label=snap.label_of(c.unit_id) or str(c.unit_id),
                messages=getattr(c, "message_count", 0),
                last_message_at=getattr(c, "last_message_at", None),
                days_open=days_between(c.opened_at, now) if c.is_open else None,
                resolution_days=days_between(c.opened_at, c.closed_at) if c.closed_at else None,
            )
        )
    return out


def desk_queryset(user, filters: DeskFilter) -> QuerySet:
    qs = _filtered(visible_consultations(user), filters)
    qs = qs.select_related("requester", "handler", "project", "case")
    return _with_counts(qs).order_by(*SORTS.get(filters.sort, SORTS["-opened"]))


def desk_rows(user, filters: DeskFilter, *, limit: int | None = None) -> list[ConsultationRow]:
    """The desk table (the secretariat sees all; others their own and their units'), filtered and sorted."""
    qs = desk_queryset(user, filters)
    if limit is not None:
        qs = qs[:limit]
    return consultation_rows(list(qs), kind_labels())


@dataclass
class DeskSummary:
    """Open consultations by age bucket and by handler (for the desk's overview)."""

    open_total: int = 0
    by_age: list[tuple[str, int]] = field(default_factory=list)
    by_handler: list[tuple[Employee | None, int, int]] = field(default_factory=list)  # handler, open, oldest days


def desk_summary(user) -> DeskSummary:
    """Over every open consultation the user may see (one query for the rows, one for the handlers' names)."""
    now = timezone.now()
    rows = list(
        visible_consultations(user)
        .exclude(status__in=CLOSED_CONSULTATION)
        .order_by()
        .values_list("opened_at", "handler_id")
    )
    ages = {label: 0 for label, _lo, _hi in AGE_BUCKETS}
    handlers: dict[int | None, list[int]] = {}
    for opened_at, handler_id in rows:
        days = days_between(opened_at, now)
        ages[age_bucket(days)] += 1
        handlers.setdefault(handler_id, []).append(days)
    people = Employee.objects.in_bulk([h for h in handlers if h is not None])
    by_handler = [
        (people.get(h) if h is not None else None, len(days), max(days))
        for h, days in sorted(  # 未割当 first, then the busiest handlers
            handlers.items(),
            key=lambda item: (item[0] is not None, -len(item[1]), getattr(people.get(item[0]), "kana_key", "")),
        )
    ]
    return DeskSummary(open_total=len(rows), by_age=list(ages.items()), by_handler=by_handler)


# ---------------------------------------------------------------- one consultation


@dataclass
class ConsultationDetail:
    consultation: Consultation
    row: ConsultationRow
    messages: list[ConsultationMessage]
    attachments: list[Attachment]


def consultation_for(user, pk: int) -> Consultation | None:
    """The consultation if the user may see it, else None (the caller answers 404)."""
    return (
        visible_consultations(user)
        .select_related("requester", "handler", "project", "case", "project__unit")
        .filter(pk=pk)
        .first()
    )


def consultation_detail(consultation: Consultation) -> ConsultationDetail:
    messages = list(
        ConsultationMessage.objects.filter(consultation=consultation).select_related("author", "author__employee")
    )
    attachments = list(Attachment.objects.filter(consultation=consultation).select_related("uploaded_by__employee"))
    consultation.message_count = len(messages)
    consultation.last_message_at = messages[-1].posted_at if messages else None
    row = consultation_rows([consultation], kind_labels())[0]
    return ConsultationDetail(consultation=consultation, row=row, messages=messages, attachments=attachments)


def author_name(user) -> str:
    employee = getattr(user, "employee", None) if user is not None else None
    return employee.name if employee is not None else getattr(user, "username", "")


def attachment_for(user, pk: int) -> Attachment | None:
    attachment = Attachment.objects.filter(pk=pk, consultation__isnull=False).select_related("consultation").first()
    if attachment is None or not may_view_consultation(user, attachment.consultation):
        return None
    return attachment


# ---------------------------------------------------------------- choices for the forms


def desk_handlers(day: dt.date | None = None) -> list[Employee]:
    """Employees who may handle consultations: those holding the secretariat role today."""
    day = day or timezone.localdate()
    users = RoleGrant.objects.filter(valid_on(day), role=Role.SECRETARIAT).values("user_id")
    return list(Employee.objects.filter(user_id__in=users).order_by("kana_key", "number"))


def projects_for_consultation(user, limit: int = 300) -> list[tuple[int, str]]:
    """Projects the user may link (visible to them), most recent first: (id, "件名（課）")."""
    qs = access.rows_visible_to(user, Project.objects.all(), unit_path="unit_id", people_paths=PROJECT_PEOPLE)
    snap = org_snapshot()
    rows = qs.order_by("-created_at", "-pk").values_list("pk", "title", "unit_id")[:limit]
    return [(pk, f"{title}（{snap.label_of(unit_id)}）") for pk, title, unit_id in rows]


def published_cases(limit: int = 500) -> list[tuple[int, str]]:
    return list(
        Case.objects.filter(status=CaseStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("pk", "title")[:limit]
    )


def top_units() -> list:
    """局区 of today's tree for the filter."""
    snap = org_snapshot()
    return sorted(snap.units_of_kind(OrgKind.KYOKU, OrgKind.KU), key=lambda n: (n.sort_order, n.code))


STATUS_CHOICES = [(OPEN, "未完了（受付・対応中）"), *ConsultationStatus.choices]

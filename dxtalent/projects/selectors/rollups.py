"""Roll-ups of improvement projects (業務改善の効果): aggregates only, never names, city-wide.

Every table is aggregated in SQL (one GROUP BY query each) and, where the org chart is involved, rolled up in
Python from `unit_id` to the 部 and 局区 the unit belonged to on `as_of` (the org snapshot). So the number of
queries is fixed whatever the number of projects, and a project's saving stays with its 課 — where the work
changed — whatever happens to its leader later (transfer, retirement).

Verified saving = Σ (baseline_hours − after_hours) over DONE projects (効果検証済み); planned saving =
Σ (baseline_hours − planned_after_hours) over ACTIVE projects having both. The two never count the same project.
A negative saving (the work grew) is summed as negative, never hidden.

With a fiscal year: DONE projects count in the year their effect was verified (`verified_fiscal_year`); ACTIVE and
CANCELLED projects in the year they started (`created_at`); step completions, consultations and adoptions in the
year they happened. The by-year table always shows every year.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, DecimalField, ExpressionWrapper, F, FloatField, Func, IntegerField, Q, Sum
from django.utils import timezone

from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds, format_fiscal_year
from dxtalent.leaders.models import Cohort
from dxtalent.org.selectors import org_snapshot
from dxtalent.policy.selectors import NoPolicyPack, current_pack

from ..models import (
    FIRST_STEP,
    LAST_STEP,
    Case,
    CaseStatus,
    Consultation,
    ConsultationStatus,
    Project,
    ProjectEvent,
    ProjectEventKind,
    ProjectStatus,
)

__all__ = ["CURRENT", "RollupFilter", "fy_range", "pack_or_none", "planned_expr", "project_rollups", "saving_expr"]

HOURS = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")
NO_UNIT = "（基準日に存在しない所属）"
NO_BU = "（部に属さない課）"
NO_COHORT = "（期の記録なし）"


def saving_expr(prefix: str = ""):
    return ExpressionWrapper(F(f"{prefix}baseline_hours") - F(f"{prefix}after_hours"), output_field=HOURS)


def planned_expr(prefix: str = ""):
    return ExpressionWrapper(F(f"{prefix}baseline_hours") - F(f"{prefix}planned_after_hours"), output_field=HOURS)


class DaysBetween(Func):
    """(end − start) in days as a float, in SQL on both databases (julianday on SQLite, epoch on PostgreSQL)."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 86400.0)"
        return sql, (*end[1], *start[1])

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(julianday({end[0]}) - julianday({start[0]}))", (*end[1], *start[1])


class LocalFiscalYear(Func):
    """The fiscal year (April–March) of a timestamp in the local time zone, in SQL on both databases.

    SQLite keeps UTC text, so the zone's offset is added as a fixed modifier: right for zones without daylight
    saving time such as Asia/Tokyo (`project_rollups` checks and falls back to Python otherwise)."""

    output_field = IntegerField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        zone = str(timezone.get_current_timezone())
        return (
            f"CAST(EXTRACT(YEAR FROM (({sql}) AT TIME ZONE %s) - INTERVAL '3 months') AS integer)",
            (*params, zone),
        )

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        minutes = int(_fixed_offset().total_seconds() // 60)
        return f"CAST(strftime('%%Y', {sql}, '{minutes:+d} minutes', '-3 months') AS integer)", params


def _fixed_offset() -> dt.timedelta | None:
    """The local zone's UTC offset when it is the same all year (no daylight saving time), else None."""
    tz = timezone.get_current_timezone()
    year = timezone.now().year
    winter, summer = (dt.datetime(year, m, 1, tzinfo=tz).utcoffset() for m in (1, 7))
    return winter if winter == summer else None


CURRENT = object()  # "the pack in force today"


def pack_or_none():
    try:
        return current_pack()
    except NoPolicyPack:
        return None


HAS_PLAN = Q(status=ProjectStatus.ACTIVE, baseline_hours__isnull=False, planned_after_hours__isnull=False)


@dataclass(frozen=True)
class RollupFilter:
    fiscal_year: int | None = None  # None: every year
    as_of: dt.date | None = None  # the day whose org chart maps 課 → 部 → 局区 (default today)


def fy_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes [1 April, next 1 April) of a fiscal year, in the local time zone."""
    start, end = fiscal_year_bounds(year)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _dec(value) -> Decimal:
    return ZERO if value is None else Decimal(value).quantize(Decimal("0.01"))


def _bucket() -> dict:
    return {"verified_hours": ZERO, "verified_projects": 0, "planned_hours": ZERO, "planned_projects": 0}


def _add(bucket: dict, row: dict) -> None:
    bucket["verified_hours"] += _dec(row["verified"])
    bucket["verified_projects"] += row["verified_n"]
    bucket["planned_hours"] += _dec(row["planned"])
    bucket["planned_projects"] += row["planned_n"]


# ---------------------------------------------------------------- the queries


def _in_year(fy: int | None):
    qs = Project.objects.all()
    if fy is None:
        return qs
    start, end = fy_range(fy)
    return qs.filter(
        Q(status=ProjectStatus.DONE, verified_fiscal_year=fy)
        | (~Q(status=ProjectStatus.DONE) & Q(created_at__gte=start, created_at__lt=end))
    )


def _savings_by(*fields: str, fy: int | None) -> list[dict]:
    """Verified and planned savings (and how many projects each) grouped by columns (unit and cohort: one query
    serves both tables, each adds the rows up by its own column)."""
    return list(
        _in_year(fy)
        .filter(Q(status=ProjectStatus.DONE) | HAS_PLAN)
        .order_by()
        .values(*fields)
        .annotate(
            verified=Sum(saving_expr(), filter=Q(status=ProjectStatus.DONE)),
            verified_n=Count("id", filter=Q(status=ProjectStatus.DONE)),
            planned=Sum(planned_expr(), filter=HAS_PLAN),
            planned_n=Count("id", filter=HAS_PLAN),
        )
    )


def _step_counts(fy: int | None) -> list[dict]:
    return list(_in_year(fy).order_by().values("status", "step").annotate(n=Count("id")))


def _verified_by_year() -> list[dict]:
    return list(
        Project.objects.filter(status=ProjectStatus.DONE)
        .order_by()
        .values("verified_fiscal_year")
        .annotate(hours=Sum(saving_expr()), n=Count("id"))
    )


def _planned_by_start_year() -> list[tuple]:
    """(fiscal year started, planned saving, projects) of running projects with a plan."""
    qs = Project.objects.filter(HAS_PLAN).order_by()
    if connection.vendor == "sqlite" and _fixed_offset() is None:  # a zone with DST: fold local dates in Python
        rows: dict[int, list] = defaultdict(lambda: [ZERO, 0])
        for started, hours in qs.values_list("created_at", planned_expr()):
            row = rows[fiscal_year(timezone.localtime(started).date())]
            row[0] += _dec(hours)
            row[1] += 1
        return [(y, h, n) for y, (h, n) in rows.items()]
    rows = qs.annotate(fy=LocalFiscalYear("created_at")).values("fy").annotate(hours=Sum(planned_expr()), n=Count("id"))
    return [(r["fy"], r["hours"], r["n"]) for r in rows]


def _step_days(fy: int | None) -> list[dict]:
    qs = ProjectEvent.objects.filter(kind=ProjectEventKind.COMPLETED, days_in_step__isnull=False)
    if fy is not None:
        start, end = fy_range(fy)
        qs = qs.filter(at__gte=start, at__lt=end)
    return list(qs.order_by().values("from_step").annotate(avg=Avg("days_in_step"), n=Count("id")))


def _consultation_counts(fy: int | None) -> list[dict]:
    qs = Consultation.objects.all()
    if fy is not None:
        start, end = fy_range(fy)
        qs = qs.filter(opened_at__gte=start, opened_at__lt=end)
    S = ConsultationStatus
    counts = list(
        qs.order_by()
        .values("kind")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=Q(status__in=(S.RECEIVED, S.IN_PROGRESS))),
            resolved=Count("id", filter=Q(status=S.RESOLVED)),
            out_of_scope=Count("id", filter=Q(status=S.OUT_OF_SCOPE)),
            resolution_days=Avg(DaysBetween("closed_at", "opened_at"), filter=Q(status=S.RESOLVED)),
        )
    )
    return counts


def _most_adopted(fy: int | None, limit: int) -> list[dict]:
    live = ~Q(adoptions__status=ProjectStatus.CANCELLED)
    if fy is not None:
        start, end = fy_range(fy)
        live &= Q(adoptions__created_at__gte=start, adoptions__created_at__lt=end)
    return list(
        Case.objects.filter(status=CaseStatus.PUBLISHED)
        .annotate(
            units=Count("adoptions__unit", filter=live, distinct=True),
            adoptions_n=Count("adoptions", filter=live, distinct=True),
            adopted_done=Count("adoptions", filter=live & Q(adoptions__status=ProjectStatus.DONE), distinct=True),
            adopted_saving=Sum(saving_expr("adoptions__"), filter=live & Q(adoptions__status=ProjectStatus.DONE)),
        )
        .filter(units__gt=0)
        .order_by("-units", F("adopted_saving").desc(nulls_last=True), "-published_at", "-pk")
        .values(
            "pk",
            "title",
            "work_category",
            "tool_kind",
            "published_at",
            "units",
            "adoptions_n",
            "adopted_done",
            "adopted_saving",
            "project__baseline_hours",
            "project__after_hours",
        )[:limit]
    )


# ---------------------------------------------------------------- the roll-up


def _labels(pack, attr: str) -> dict[str, str]:
    return dict(getattr(pack, attr)) if pack is not None else {}


def _step_names(pack) -> dict[int, str]:
    if pack is None:
        return {n: f"ステップ{n}" for n in range(FIRST_STEP, LAST_STEP + 1)}
    return {s.number: s.name for s in pack.improvement_steps}


def _by_org(groups: list[dict], day: dt.date) -> tuple[list[dict], list[dict]]:
    snap = org_snapshot(day)
    by_unit: dict[int, dict] = defaultdict(_bucket)
    for row in groups:
        _add(by_unit[row["unit_id"]], row)
    tops: dict = {}
    bus: dict = {}
    for unit_id, b in by_unit.items():
        if not (b["verified_projects"] or b["planned_projects"]):
            continue
        path = snap.path_of(unit_id)
        top, bu = path.get("top"), path.get("bu")
        top_key = top.unit_id if top else None
        bu_key = (top_key, bu.unit_id if bu else None)
        t = tops.setdefault(
            top_key,
            {
                "unit_id": top_key,
                "code": top.code if top else "",
                "name": top.name if top else NO_UNIT,
                "sort": (0, top.sort_order, top.code) if top else (1, 0, ""),
                **_bucket(),
            },
        )
        u = bus.setdefault(
            bu_key,
            {
                "unit_id": bu_key[1],
                "code": bu.code if bu else "",
                "name": bu.name if bu else (NO_BU if top else NO_UNIT),
                "top_id": top_key,
                "top_name": t["name"],
                "sort": (t["sort"], (0, bu.sort_order, bu.code) if bu else (1, 0, "")),
                **_bucket(),
            },
        )
        for target in (t, u):
            for key in ("verified_hours", "verified_projects", "planned_hours", "planned_projects"):
                target[key] += b[key]
    out_tops = sorted(tops.values(), key=lambda r: r["sort"])
    out_bus = sorted(bus.values(), key=lambda r: r["sort"])
    for r in (*out_tops, *out_bus):
        r.pop("sort", None)
        r["label"] = r["name"]
    return out_tops, out_bus


def _by_cohort(groups: list[dict]) -> list[dict]:
    buckets: dict[int | None, dict] = defaultdict(_bucket)
    for row in groups:
        _add(buckets[row["cohort_id"]], row)
    ids = [k for k, b in buckets.items() if k is not None and (b["verified_projects"] or b["planned_projects"])]
    cohorts = {c.pk: c for c in Cohort.objects.filter(pk__in=ids)} if ids else {}
    rows = []
    for c in sorted(cohorts.values(), key=lambda c: c.number):
        rows.append({"cohort": c.number, "label": str(c), "fiscal_year": c.fiscal_year, **buckets[c.pk]})
    none = buckets.get(None)
    if none and (none["verified_projects"] or none["planned_projects"]):
        rows.append({"cohort": None, "label": NO_COHORT, "fiscal_year": None, **none})
    return rows


def _by_year(verified: list[dict], planned: list[tuple]) -> list[dict]:
    years: dict[int | None, dict] = defaultdict(_bucket)
    for r in verified:
        b = years[r["verified_fiscal_year"]]
        b["verified_hours"] += _dec(r["hours"])
        b["verified_projects"] += r["n"]
    for year, hours, n in planned:
        b = years[year]
        b["planned_hours"] += _dec(hours)
        b["planned_projects"] += n
    rows = []
    for year in sorted((y for y in years if y is not None), reverse=True):
        rows.append({"fiscal_year": year, "label": format_fiscal_year(year), **years[year]})
    if None in years:  # a DONE project without its year (not written by the services): shown, never dropped
        rows.append({"fiscal_year": None, "label": "（年度の記録なし）", **years[None]})
    return rows


def _by_step(groups: list[dict], names: dict[int, str]) -> list[dict]:
    active: dict[int, int] = defaultdict(int)
    done = cancelled = 0
    for row in groups:
        if row["status"] == ProjectStatus.ACTIVE:
            active[row["step"]] += row["n"]
        elif row["status"] == ProjectStatus.DONE:
            done += row["n"]
        else:
            cancelled += row["n"]
    rows = [
        {"key": f"step{n}", "step": n, "label": f"{n}. {name}", "status": ProjectStatus.ACTIVE, "projects": active[n]}
        for n, name in sorted(names.items())
    ]
    rows.append({"key": "done", "step": None, "label": ProjectStatus.DONE.label, "status": "done", "projects": done})
    rows.append(
        {
            "key": "cancelled",
            "step": None,
            "label": ProjectStatus.CANCELLED.label,
            "status": "cancelled",
            "projects": cancelled,
        }
    )
    return rows


def _step_days_rows(rows: list[dict], names: dict[int, str]) -> list[dict]:
    found = {r["from_step"]: r for r in rows}
    return [
        {
            "step": n,
            "label": f"{n}. {name}",
            "completed": found[n]["n"] if n in found else 0,
            "average_days": round(float(found[n]["avg"]), 1) if n in found and found[n]["avg"] is not None else None,
        }
        for n, name in sorted(names.items())
    ]


def _consultation_rows(counts: list[dict], kinds: dict[str, str]) -> list[dict]:
    found = {r["kind"]: r for r in counts}
    order = list(kinds) + sorted(k for k in found if k not in kinds)
    rows = []
    for code in order:
        r = found.get(code, {"n": 0, "open": 0, "resolved": 0, "out_of_scope": 0, "resolution_days": None})
        days = r["resolution_days"]
        rows.append(
            {
                "kind": code,
                "label": kinds.get(code, code),
                "consultations": r["n"],
                "open": r["open"],
                "resolved": r["resolved"],
                "out_of_scope": r["out_of_scope"],
                "average_resolution_days": None if days is None else round(float(days), 1),
            }
        )
    return rows


def _adopted_rows(rows: list[dict], categories: dict[str, str], tools: dict[str, str]) -> list[dict]:
    out = []
    for r in rows:
        base, after = r["project__baseline_hours"], r["project__after_hours"]
        out.append(
            {
                "case_id": r["pk"],
                "title": r["title"],
                "work_category": r["work_category"],
                "work_category_label": categories.get(r["work_category"], r["work_category"]),
                "tool_kind": r["tool_kind"],
                "tool_kind_label": tools.get(r["tool_kind"], r["tool_kind"]),
                "adopting_units": r["units"],
                "adoptions": r["adoptions_n"],
                "adoptions_verified": r["adopted_done"],
                "adopted_verified_hours": _dec(r["adopted_saving"]),
                "case_verified_hours": None if base is None or after is None else _dec(base - after),
            }
        )
    return out


def _total(rows: list[dict]) -> dict:
    t = _bucket()
    for r in rows:
        for key in t:
            t[key] += r[key]
    return t


def project_rollups(filters: RollupFilter, pack=CURRENT, *, top_cases: int = 10) -> dict:
    """Every table of the roll-up dashboard, as plain dicts (the page, the Excel export and the API share it).

    `pack` names the steps and the kinds (default: the pack in force); with None the tables still add up, with
    plain labels.
    """
    pack = pack_or_none() if pack is CURRENT else pack
    day = filters.as_of or timezone.localdate()
    fy = filters.fiscal_year
    names = _step_names(pack)
    savings = _savings_by("unit_id", "cohort_id", fy=fy)
    tops, bus = _by_org(savings, day)
    by_year = _by_year(_verified_by_year(), _planned_by_start_year())
    return {
        "as_of": day,
        "fiscal_year": fy,
        "fiscal_year_label": format_fiscal_year(fy) if fy is not None else "全年度",
        "current_fiscal_year": fiscal_year(timezone.localdate()),
        "total": _total(tops),
        "by_top": tops,
        "by_bu": bus,
        "by_cohort": _by_cohort(savings),
        "by_year": by_year,
        "by_step": _by_step(_step_counts(fy), names),
        "step_days": _step_days_rows(_step_days(fy), names),
        "consultations": _consultation_rows(_consultation_counts(fy), _labels(pack, "consultation_kinds")),
        "most_adopted": _adopted_rows(
            _most_adopted(fy, top_cases), _labels(pack, "work_categories"), _labels(pack, "tool_kinds")
        ),
    }

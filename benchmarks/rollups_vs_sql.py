"""Roll-up dashboard (業務改善の効果) at city scale: `project_rollups()` against hand-written SQL of the same
aggregates, on the database in DATABASE_URL.

    export DATABASE_URL=sqlite:///var/scale.sqlite3          # or postgres://…
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale_data --employees 25000 --seed 1    # staff, leaders and projects
    .venv/bin/python benchmarks/rollups_vs_sql.py --repeat 30

It checks first that both give the same numbers (verified and planned hours per 局区, 部 and 期, per year,
projects per step, completions and days per step, consultations per kind, the most-adopted cases), then times,
median and p95 of --repeat runs, for all years and for the current fiscal year:
  (a) project_rollups() exactly as a request runs it (the request's org snapshot memo cleared each run),
  (b) the same aggregates by hand-written SQL (cursor.execute; 課 → 部 → 局区 by a recursive CTE over the
      org versions valid on the day),
  (c) GET /projects/rollups/ and GET /api/v1/project-rollups/ through Django's test client, for reference.
Budget (issue 4): (a) ≤ 3 × (b). Nothing is asserted on time; the script exits 1 when the budget or the
cross-check fails.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if "DATABASE_URL" not in os.environ:
    sys.exit("DATABASE_URL を指定してください（generate_scale_data を実行したデータベース）。")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from timing import summary, timed  # noqa: E402

from dxtalent.core.models import User  # noqa: E402
from dxtalent.core.roles import Role  # noqa: E402
from dxtalent.core.wareki import fiscal_year  # noqa: E402
from dxtalent.org.models import RoleGrant  # noqa: E402
from dxtalent.org.selectors import reset_snapshots  # noqa: E402
from dxtalent.projects.models import Project  # noqa: E402
from dxtalent.projects.selectors.rollups import RollupFilter, fy_range, pack_or_none, project_rollups  # noqa: E402

BENCH_USER = "bench-rollups"
RATIO_BUDGET = 3.0
Q2 = Decimal("0.01")


def log(message: str) -> None:
    print(message, flush=True)


def _d(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Q2)


# ---------------------------------------------------------------- the same aggregates in hand-written SQL

ORG_CTE = """
WITH RECURSIVE
units AS MATERIALIZED (
  SELECT v.unit_id, v.parent_id, v.name, u.kind, u.code
  FROM org_orgunitversion v JOIN org_orgunit u ON u.id = v.unit_id
  WHERE v.valid_from <= %(d)s AND (v.valid_to IS NULL OR v.valid_to >= %(d)s)
    AND u.valid_from <= %(d)s AND (u.valid_to IS NULL OR u.valid_to >= %(d)s)
),
up (start_id, unit_id, kind, parent_id, depth) AS (
  SELECT un.unit_id, un.unit_id, un.kind, un.parent_id, 0 FROM units un
  WHERE un.unit_id IN (SELECT DISTINCT unit_id FROM projects_project)
  UNION ALL
  SELECT up.start_id, un.unit_id, un.kind, un.parent_id, up.depth + 1
  FROM up JOIN units un ON un.unit_id = up.parent_id WHERE up.depth < 8
),
map AS MATERIALIZED (
  SELECT start_id,
         MAX(CASE WHEN kind IN ('kyoku', 'ku') THEN unit_id END) AS top_id,
         MAX(CASE WHEN kind = 'bu' THEN unit_id END) AS bu_id
  FROM up GROUP BY start_id
)
"""

SAVING_COLUMNS = """
  SUM(CASE WHEN p.status = 'done' THEN p.baseline_hours - p.after_hours END),
  SUM(CASE WHEN p.status = 'done' THEN 1 ELSE 0 END),
  SUM(CASE WHEN p.status = 'active' AND p.baseline_hours IS NOT NULL AND p.planned_after_hours IS NOT NULL
           THEN p.baseline_hours - p.planned_after_hours END),
  SUM(CASE WHEN p.status = 'active' AND p.baseline_hours IS NOT NULL AND p.planned_after_hours IS NOT NULL
           THEN 1 ELSE 0 END)
"""


def _bounds(fy) -> tuple:
    """The fiscal year's [start, end) as this database stores datetimes (UTC text on SQLite)."""
    return tuple(connection.ops.adapt_datetimefield_value(x) for x in fy_range(fy))


def _project_where(fy) -> tuple[str, dict]:
    if fy is None:
        return "", {}
    start, end = _bounds(fy)
    return (
        " WHERE ((p.status = 'done' AND p.verified_fiscal_year = %(fy)s)"
        " OR (p.status <> 'done' AND p.created_at >= %(start)s AND p.created_at < %(end)s))",
        {"fy": fy, "start": start, "end": end},
    )


def _fy_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM ({column} AT TIME ZONE %(tz)s) - INTERVAL '3 months') AS integer)"
    return f"CAST(strftime('%%Y', datetime({column}, %(offset)s), '-3 months') AS integer)"


def _days(end: str, start: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0"
    return f"(julianday({end}) - julianday({start}))"


def raw_rollups(as_of: dt.date, fy) -> dict:
    where, params = _project_where(fy)
    params = {"d": as_of, **params}
    out: dict = {}
    tz = timezone.get_current_timezone()
    offset = timezone.localtime(timezone.now()).utcoffset()
    tz_params = {"tz": str(tz), "offset": f"+{int(offset.total_seconds() // 3600)} hours"}
    with connection.cursor() as cur:
        cur.execute(
            ORG_CTE + "SELECT t.name, b.name, " + SAVING_COLUMNS + " FROM projects_project p "
            "LEFT JOIN map m ON m.start_id = p.unit_id LEFT JOIN units t ON t.unit_id = m.top_id "
            "LEFT JOIN units b ON b.unit_id = m.bu_id" + where + " GROUP BY t.name, m.top_id, b.name, m.bu_id",
            params,
        )
        tops: dict = defaultdict(lambda: [Decimal(0), 0, Decimal(0), 0])
        bus = {}
        for top, bu, v, vn, pl, pn in cur.fetchall():
            row = (_d(v), vn or 0, _d(pl), pn or 0)
            if row[1] or row[3]:
                bus[(top, bu)] = row
                for i, x in enumerate(row):
                    tops[top][i] += x
        out["by_top"] = {k: tuple(v) for k, v in tops.items()}
        out["by_bu"] = bus
        cur.execute(
            "SELECT c.number, " + SAVING_COLUMNS + " FROM projects_project p "
            "LEFT JOIN leaders_cohort c ON c.id = p.cohort_id" + where + " GROUP BY c.number",
            params,
        )
        out["by_cohort"] = {
            n: (_d(v), vn or 0, _d(pl), pn or 0) for n, v, vn, pl, pn in cur.fetchall() if (vn or 0) or (pn or 0)
        }
        cur.execute(
            "SELECT p.status, p.step, COUNT(*) FROM projects_project p" + where + " GROUP BY p.status, p.step",
            params,
        )
        steps: dict = defaultdict(int)
        for status, step, n in cur.fetchall():
            steps[f"step{step}" if status == "active" else status] += n
        out["by_step"] = dict(steps)
        cur.execute(
            "SELECT verified_fiscal_year, SUM(baseline_hours - after_hours), COUNT(*) FROM projects_project "
            "WHERE status = 'done' GROUP BY verified_fiscal_year"
        )
        years = {y: [_d(h), n, Decimal(0), 0] for y, h, n in cur.fetchall()}
        cur.execute(
            f"SELECT {_fy_of('created_at')}, SUM(baseline_hours - planned_after_hours), COUNT(*) "
            "FROM projects_project WHERE status = 'active' AND baseline_hours IS NOT NULL "
            "AND planned_after_hours IS NOT NULL GROUP BY 1",
            tz_params,
        )
        for y, h, n in cur.fetchall():
            years.setdefault(y, [Decimal(0), 0, Decimal(0), 0])
            years[y][2] += _d(h)
            years[y][3] += n
        out["by_year"] = {y: tuple(v) for y, v in years.items()}
        ev_where, ev_params = "", {}
        if fy is not None:
            start, end = _bounds(fy)
            ev_where, ev_params = " AND at >= %(start)s AND at < %(end)s", {"start": start, "end": end}
        cur.execute(
            "SELECT from_step, AVG(days_in_step), COUNT(*) FROM projects_projectevent "
            "WHERE kind = 'completed' AND days_in_step IS NOT NULL" + ev_where + " GROUP BY from_step",
            ev_params,
        )
        out["step_days"] = {s: (n, round(float(a), 1)) for s, a, n in cur.fetchall()}
        c_where = " WHERE opened_at >= %(start)s AND opened_at < %(end)s" if fy is not None else ""
        cur.execute(
            "SELECT kind, COUNT(*), SUM(CASE WHEN status IN ('received', 'in_progress') THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'out_of_scope' THEN 1 ELSE 0 END), "
            f"AVG(CASE WHEN status = 'resolved' THEN {_days('closed_at', 'opened_at')} END) FROM projects_consultation"
            + c_where
            + " GROUP BY kind",
            ev_params,
        )
        out["consultations"] = {
            k: (n, o, r, s, None if d is None else round(float(d), 1)) for k, n, o, r, s, d in cur.fetchall()
        }
        a_cond = "a.status <> 'cancelled'"
        if fy is not None:
            a_cond += " AND a.created_at >= %(start)s AND a.created_at < %(end)s"
        cur.execute(
            "SELECT c.title, COUNT(DISTINCT a.unit_id) AS units, "
            "SUM(CASE WHEN a.status = 'done' THEN a.baseline_hours - a.after_hours END) AS saving "
            "FROM projects_case c JOIN projects_project a ON a.source_case_id = c.id AND " + a_cond + " "
            "WHERE c.status = 'published' GROUP BY c.id, c.title, c.published_at "
            "ORDER BY units DESC, saving DESC NULLS LAST, c.published_at DESC, c.id DESC LIMIT 10",
            ev_params,
        )
        out["most_adopted"] = [(t, u, _d(s)) for t, u, s in cur.fetchall()]
    return out


def orm_view(k: dict) -> dict:
    """The ORM result reduced to the raw SQL's shape, to check that both computed the same numbers."""

    def s(r):
        return (r["verified_hours"], r["verified_projects"], r["planned_hours"], r["planned_projects"])

    return {
        "by_top": {r["unit_id"] and r["name"]: s(r) for r in k["by_top"]},
        "by_bu": {(r["top_id"] and r["top_name"], r["unit_id"] and r["name"]): s(r) for r in k["by_bu"]},
        "by_cohort": {r["cohort"]: s(r) for r in k["by_cohort"]},
        "by_step": {r["key"]: r["projects"] for r in k["by_step"] if r["projects"]},
        "by_year": {r["fiscal_year"]: s(r) for r in k["by_year"]},
        "step_days": {r["step"]: (r["completed"], r["average_days"]) for r in k["step_days"] if r["completed"]},
        "consultations": {
            r["kind"]: (r["consultations"], r["open"], r["resolved"], r["out_of_scope"], r["average_resolution_days"])
            for r in k["consultations"]
            if r["consultations"]
        },
        "most_adopted": [(r["title"], r["adopting_units"], r["adopted_verified_hours"]) for r in k["most_adopted"]],
    }


# ---------------------------------------------------------------- timing


def compare(as_of: dt.date, fy, pack) -> None:
    reset_snapshots()
    a = orm_view(project_rollups(RollupFilter(fiscal_year=fy, as_of=as_of), pack))
    b = raw_rollups(as_of, fy)
    diff = {key: (a[key], b[key]) for key in a if a[key] != b[key]}
    if diff:
        raise SystemExit(f"ORM と手書きSQLの結果が一致しません: {diff}")


def time_rollups(as_of: dt.date, fy, repeat: int, pack) -> float:
    label = f"{fy}年度" if fy else "全年度"
    compare(as_of, fy, pack)

    def orm():
        reset_snapshots()  # as in a request: the org snapshot is memoised per request only
        return project_rollups(RollupFilter(fiscal_year=fy, as_of=as_of), pack)

    k = orm()
    t = k["total"]
    log(
        f"  {label}・組織 {as_of}: 実績 {t['verified_hours']} 時間/月（{t['verified_projects']} 件）、"
        f"見込み {t['planned_hours']} 時間/月（{t['planned_projects']} 件）"
        "（ORM と手書きSQLの一致を確認）"
    )
    orm_t = timed(orm, repeat)
    raw_t = timed(lambda: raw_rollups(as_of, fy), repeat)
    ratio = statistics.median(orm_t) / statistics.median(raw_t)
    log(f"    (a) project_rollups()  {summary(orm_t)}")
    log(f"    (b) 手書きSQL          {summary(raw_t)}")
    log(f"    (a)/(b) = {ratio:.2f} 倍（予算 ≤ {RATIO_BUDGET:.0f} 倍）{'OK' if ratio <= RATIO_BUDGET else '超過'}")
    return ratio


def bench_user() -> User:
    user = User.objects.filter(username=BENCH_USER).first()
    if user is None:
        user = User.objects.create(username=BENCH_USER)
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role=Role.SECRETARIAT, valid_from=dt.date(2000, 4, 1))
    return user


def time_requests(as_of: dt.date, repeat: int) -> None:
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(bench_user())
    for label, url in (
        ("GET /projects/rollups/", f"/projects/rollups/?as_of={as_of:%Y-%m-%d}"),
        ("GET /api/v1/project-rollups/", f"/api/v1/project-rollups/?as_of={as_of:%Y-%m-%d}"),
    ):

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        log(f"    (c) {label:30s} {summary(timed(get, repeat))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="測定の繰り返し回数（既定 30）")
    parser.add_argument("--no-requests", action="store_true", help="(c) のページ・APIの測定を省く")
    args = parser.parse_args()

    log(f"データベース: {connection.vendor} {connection.settings_dict['NAME']}")
    count = Project.objects.count()
    if not count:
        raise SystemExit("プロジェクトがありません。先に manage.py generate_scale_data を実行してください。")
    log(f"  プロジェクト {count:,} 件")
    pack = pack_or_none()
    today = timezone.localdate()
    log(f"測定（{args.repeat} 回の中央値・p95）:")
    ok = True
    for fy in (None, fiscal_year(today)):
        ok &= time_rollups(today, fy, args.repeat, pack) <= RATIO_BUDGET
    if not args.no_requests:
        time_requests(today, args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

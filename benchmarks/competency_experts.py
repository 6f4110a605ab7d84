"""Issue 5's pages at city scale, in-process: the radar page (one assessment), the cohort pre/post page, the ③
stage distribution (experts home), the ジョブチャレンジ posting list, and their API equivalents — median and p95
of --repeat requests through Django's test client, and the number of SQL queries of one request.

    export DATABASE_URL=sqlite:////tmp/scale.sqlite3          # or postgres://… (an empty database)
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_scale_data --employees 25000 --seed 1
    .venv/bin/python benchmarks/competency_experts.py --repeat 30

The scale data (dxtalent/experts/demo_data/scale.py) holds 400 ③ staff with 10 年度 of OJT plans, reviews and
yearly ③ campaigns, 210 trainees of the leaders' scale cohorts with a pre- and a post-training campaign per
cohort, and 30 postings with about 600 applications. Each URL is requested as the hr and the secretariat demo
logins (both see every row, so the pages do the most work). Query counts are measured twice, on a small and a
large object of the same kind (an assessment of a short and of a long ③ career; the first and the last cohort),
to show that they do not grow with the rows. A URL whose view does not exist yet is listed as 未実装.
One process, no concurrency: the load test (benchmarks/locustfile.py, 16 users) gives the figures under load.
Budget (issue 5): p95 ≤ 150 ms at 16 concurrent users; here the script exits 1 only when a page fails.
"""

import argparse
import os
import sys
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
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from timing import summary, timed  # noqa: E402

from dxtalent.competency.models import Assessment, Campaign, CampaignKind  # noqa: E402
from dxtalent.core.roles import Role  # noqa: E402
from dxtalent.experts.models import Application, OjtPlan, Posting, StagePeriod  # noqa: E402
from dxtalent.org.models import RoleGrant  # noqa: E402
from dxtalent.org.selectors import reset_snapshots  # noqa: E402

BUDGET_MS = 150


def log(message: str) -> None:
    print(message, flush=True)


def url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def login_of(role: str):
    grant = RoleGrant.objects.filter(role=role, user__is_active=True).order_by("pk").select_related("user").first()
    return grant.user if grant else None


def targets() -> dict:
    """The objects the URLs point at: ③ assessments with the fewest and the most OJT years, the first and the
    last cohort run with both a pre and a post campaign."""
    annual = Assessment.objects.filter(campaign__kind=CampaignKind.ANNUAL, evaluator_submitted_at__isnull=False)
    latest = annual.order_by("-campaign__fiscal_year").values_list("campaign_id", flat=True).first()
    rated = dict(annual.filter(campaign_id=latest).values_list("employee_id", "pk"))
    years = dict(
        OjtPlan.objects.filter(employee_id__in=list(rated))
        .values("employee_id")
        .annotate(n=Count("pk"))
        .values_list("employee_id", "n")
    )
    people = sorted(rated, key=lambda e: (years.get(e, 0), e))
    out = {}
    if people:
        for label, e in (("短い経歴", people[0]), ("長い経歴", people[-1])):
            out[f"assessment:{label}（OJT {years.get(e, 0)} 年度）"] = rated[e]
    runs = [
        r
        for r in Campaign.objects.filter(kind__in=(CampaignKind.PRE, CampaignKind.POST), run__isnull=False)
        .values("run_id")
        .annotate(n=Count("kind", distinct=True))
        .order_by("run_id")
        if r["n"] == 2
    ]
    if runs:
        out["run:最初の期"] = runs[0]["run_id"]
        out["run:最後の期"] = runs[-1]["run_id"]
    post = Campaign.objects.filter(kind=CampaignKind.POST).order_by("pk").values_list("pk", flat=True).first()
    out["post_campaign"] = post
    return out


def requests(t: dict) -> list[tuple[str, str | None]]:
    rows: list[tuple[str, str | None]] = []
    for key, pk in t.items():
        if key.startswith("assessment:") and pk:
            label = key.split(":", 1)[1]
            rows.append((f"レーダー（評価） {label}", url("competency:assessment", pk=pk)))
            rows.append((f"API 評価の詳細 {label}", url("api-competency-assessment", pk=pk)))
    for key, pk in t.items():
        if key.startswith("run:") and pk:
            page = url("competency:cohort")
            rows.append((f"研修前後の比較 {key.split(':', 1)[1]}", f"{page}?run={pk}" if page else None))
    if t.get("post_campaign"):
        rows.append(("API 評価の回（研修後）", url("api-competency-campaign", pk=t["post_campaign"])))
    rows += [
        ("API 評価の回の一覧", url("api-competency-campaigns")),
        ("段階別の人数（③ホーム）", url("experts:home")),
        ("API 段階別の人数", url("api-ladder-stages")),
        ("③ 職員の一覧", url("experts:people")),
        ("API ③ 職員の一覧", url("api-ladder-people")),
        ("API 昇格の一覧", url("api-promotions")),
        ("ジョブチャレンジ 募集の一覧", url("jobs:list")),
        ("API 募集の一覧", url("api-postings")),
        ("API 応募の一覧", url("api-applications")),
    ]
    return rows


def measure(client: Client, target: str, repeat: int) -> tuple[int, int, list[float] | None]:
    """(status, queries of one request, timings) — timings only for a 200."""
    reset_snapshots()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(target).status_code
    if status != 200:
        return status, len(queries), None

    def one():
        reset_snapshots()  # as in a request: the org snapshot is memoised per request only
        client.get(target)

    return status, len(queries), timed(one, repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="測定の繰り返し回数（既定 30）")
    parser.add_argument("--roles", default="hr,secretariat", help="ログインするロール（既定 hr,secretariat）")
    args = parser.parse_args()
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    log(f"データベース: {connection.vendor} {connection.settings_dict['NAME']}")
    log(
        f"データ: 評価の回 {Campaign.objects.count():,}、評価 {Assessment.objects.count():,}、"
        f"③の段階の期間 {StagePeriod.objects.count():,}、OJT計画 {OjtPlan.objects.count():,}、"
        f"募集 {Posting.objects.count()}、応募 {Application.objects.count():,}"
    )
    t = targets()
    rows = requests(t)
    ok = True
    for role in [r.strip() for r in args.roles.split(",") if r.strip()]:
        user = login_of(role)
        if user is None:
            log(f"{role}: ログインがありません（demo_logins を確認）")
            ok = False
            continue
        client = Client()
        client.force_login(user)
        log(f"\n{Role(role).label}（{user.username}）で {args.repeat} 回の中央値・p95、1リクエストのSQL数:")
        for label, target in rows:
            if target is None:
                log(f"  {label:34s} 未実装（URL名がありません）")
                continue
            status, n, samples = measure(client, target, args.repeat)
            if samples is None:
                log(f"  {label:34s} HTTP {status}  {target}")
                ok = False
                continue
            ordered = sorted(samples)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
            flag = "" if p95 <= BUDGET_MS else f"  （p95 > {BUDGET_MS} ms）"
            log(f"  {label:34s} {summary(samples)}  SQL {n:3d}{flag}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

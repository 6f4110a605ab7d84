"""`generate_scale_data`: issue 5 at city scale, by plain bulk inserts (no change history): volume for the
benchmarks (radar, cohort pre/post, stage distribution, postings), not a story. Deterministic for a seed and
today's date. Numbers are in the scenario file (dxtalent/experts/demo/experts.yaml, `scale`):

- hire routes (Employee.hire_route) for everyone hired in the last `recorded_since_years` years, by job type;
- 400 ③ staff (the ③ department's staff first, then its 局) over the ladder's stages with stage histories that
  meet the pack's minimum years, 30 leavers, an OJT plan per person and 年度 and both half-year reviews with
  experiences over the last 10 年度, approved (and a few rejected) promotions, 20 pending ones;
- a yearly ③ campaign (framework of the ladder) for each of those 10 年度, every ③ person rated by themselves
  and their mentor (this 年度's still open, partly submitted);
- pre- and post-training campaigns for every cohort run of the leaders' scale data (210 trainees), rated by the
  trainee and the 課長 of their 課, with sessions attended as evidence;
- 30 ジョブチャレンジ postings (5 open) with about 600 applications in every status; the ③ programme's past
  postings adopted the job-challenge entrants of the ladder (their first stage period is the placement).
"""

import datetime as dt
import random
import time
from dataclasses import dataclass

from dxtalent.competency.models import Campaign
from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.org.models import Employee
from dxtalent.org.selectors import org_snapshot
from dxtalent.training.demo_data import Cast, Staff, ensure_pack

from ..models import Posting, StagePeriod
from .common import Routes, department_node, heads_of_ka, scenario


@dataclass
class ScaleContext:
    pack: object
    conf: dict
    rng: random.Random
    today: dt.date
    fy: int
    staff: Staff
    snap: object
    department: object  # the ③ 部's UnitNode
    heads: dict[int, int]  # 課 id → 課長 employee id
    routes: Routes
    hr_user: object
    secretariat_user: object
    cast_ids: set[int]  # the demo logins' employees (never ③ staff or applicants)

    def write_log(self, stdout, message: str) -> None:
        stdout.write(f"  高度デジタル人材・評価: {message}")


def set_hire_routes(ctx: ScaleContext) -> int:
    """Everyone hired in the last `recorded_since_years` years gets the route of their job type (a few UPDATEs)."""
    since = dt.date(ctx.today.year - ctx.routes.recorded_since_years, 4, 1)
    updated = 0
    for job_type_id, code in ctx.routes.by_job_type.items():
        updated += Employee.objects.filter(job_type_id=job_type_id, hire_date__gte=since).update(hire_route=code)
    if ctx.routes.other:
        updated += (
            Employee.objects.filter(hire_date__gte=since)
            .exclude(job_type_id__in=list(ctx.routes.by_job_type))
            .update(hire_route=ctx.routes.other)
        )
    return updated


def generate_scale_data(*, plan, seed: int, stdout) -> None:
    from .scale_campaigns import write_annual_campaigns, write_cohort_campaigns
    from .scale_jobs import write_postings
    from .scale_ladder import write_ladder
    from .scale_promotions import write_pending

    started = time.perf_counter()
    pack = ensure_pack(stdout)
    if not pack.ladder or pack.ladder_framework is None:
        stdout.write("  高度デジタル人材・評価: ポリシーパックに③のラダーがないため作りません")
        return
    if StagePeriod.objects.exists() or Campaign.objects.exists() or Posting.objects.exists():
        stdout.write("  高度デジタル人材・評価: ③の段階・評価・募集が既にあるため作りません")
        return
    today = plan.today
    snap = org_snapshot(today)
    department = department_node(snap, pack)
    cast = Cast.of(plan)
    if department is None or cast.users.get(Role.HR) is None:
        stdout.write(f"  高度デジタル人材・評価: {pack.expert_department} か人事のログインがないため作りません")
        return
    conf = scenario()
    ctx = ScaleContext(
        pack=pack,
        conf=conf,
        rng=random.Random(f"{seed}-experts-scale"),
        today=today,
        fy=fiscal_year(today),
        staff=Staff.on(today),
        snap=snap,
        department=department,
        heads=heads_of_ka(today),
        routes=Routes.of(conf, pack),
        hr_user=cast.users[Role.HR],
        secretariat_user=cast.users.get(Role.SECRETARIAT),
        cast_ids=cast.employee_ids,
    )
    t = time.perf_counter()
    routes = set_hire_routes(ctx)
    ladder = write_ladder(ctx)
    ctx.write_log(
        stdout,
        f"採用区分 {routes:,} 人、③職員 {ladder.counts['staff']} 人（段階別 {ladder.counts['by_stage']}、"
        f"離任 {ladder.counts['leavers']} 人）、段階の期間 {ladder.counts['periods']:,} 件、"
        f"OJT計画 {ladder.counts['plans']:,} 件・振り返り {ladder.counts['reviews']:,} 件、"
        f"決定済みの昇格 {ladder.counts['promotions']} 件（{time.perf_counter() - t:.1f} 秒）",
    )
    t = time.perf_counter()
    annual = write_annual_campaigns(ctx, ladder)
    cohort = write_cohort_campaigns(ctx)
    write_pending(ctx, ladder)
    ctx.write_log(
        stdout,
        f"年次評価 {annual['campaigns']} 回（{annual['assessments']:,} 人分）、研修前後の評価 {cohort['campaigns']} 回"
        f"（{cohort['assessments']:,} 人分）、評価項目 {annual['ratings'] + cohort['ratings']:,} 件、"
        f"決定待ちの昇格 {ladder.counts['pending']} 件（{time.perf_counter() - t:.1f} 秒）",
    )
    t = time.perf_counter()
    jobs = write_postings(ctx, ladder)
    ctx.write_log(
        stdout,
        f"ジョブチャレンジ 募集 {jobs['postings']} 件（募集中 {jobs['open']} 件）、応募 {jobs['applications']} 件"
        f"（{time.perf_counter() - t:.1f} 秒）。合計 {time.perf_counter() - started:.1f} 秒（一括登録）",
    )

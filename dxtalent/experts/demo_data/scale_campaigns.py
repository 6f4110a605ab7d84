"""Scale data of the competency assessments: a yearly ③ campaign per 年度 of the ladder's history, and pre- and
post-training campaigns for every cohort run of the leaders' scale data (bulk)."""

import copy
import datetime as dt

from dxtalent.competency.models import (
    Assessment,
    Campaign,
    CampaignKind,
    CampaignStatus,
    Evidence,
    EvidenceKind,
    Rater,
    Rating,
)
from dxtalent.core.wareki import fiscal_year, format_fiscal_year
from dxtalent.leaders.models import Cohort, CohortMember
from dxtalent.training.models import Attendance, AttendanceStatus, Session

from .common import ONE_DAY, at, ka_of, md
from .levels import cohort_levels, self_levels, stage_levels

BATCH = 2000


def _moment(rng, opens: dt.date, closes: dt.date, today: dt.date | None = None) -> dt.datetime:
    """A working-hours moment between `opens` and `closes` (not after yesterday when `today` is given)."""
    last = min(closes, today - ONE_DAY) if today else closes
    day = opens + dt.timedelta(days=rng.randint(0, max(0, (last - opens).days)))
    return at(day, rng.randint(9, 17), rng.choice((0, 15, 30, 45)))


def _write(campaigns_rows: list[tuple[Campaign, list[tuple[Assessment, dict, dict]]]]) -> dict[str, int]:
    """Insert the assessments and their submitted ratings (self, evaluator) of already saved campaigns."""
    assessments = [a for _c, rows in campaigns_rows for a, _s, _e in rows]
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    ratings = []
    for _c, rows in campaigns_rows:
        for a, own, evaluated in rows:
            if a.self_submitted_at:
                ratings += [Rating(assessment_id=a.pk, rater=Rater.SELF, item_code=k, level=v) for k, v in own.items()]
            if a.evaluator_submitted_at:
                ratings += [
                    Rating(assessment_id=a.pk, rater=Rater.EVALUATOR, item_code=k, level=v)
                    for k, v in evaluated.items()
                ]
    Rating.objects.bulk_create(ratings, batch_size=BATCH)
    return {"assessments": len(assessments), "ratings": len(ratings)}


def write_annual_campaigns(ctx, ladder) -> dict[str, int]:
    """One ③ campaign per 年度 (on the ladder's framework): every ③ person that year, evaluated by their mentor.
    Past ones are closed and fully submitted; this 年度's is open (when its window has started) and partly
    submitted — the ready ones always, so that their readiness shows."""
    pack, rng, today = ctx.pack, ctx.rng, ctx.today
    spec = ctx.conf["ladder"]["annual_campaign"]
    code = pack.ladder_framework.code
    raw = pack.framework_raw(code)
    stages = pack.ladder
    out = []
    for fy in range(ladder.first_fy, ctx.fy + 1):
        opens, closes = md(fy, spec["opens"]), md(fy, spec["closes"])
        if opens >= today:
            continue
        closed = closes < today
        campaign = Campaign.objects.create(
            name=spec["name"].format(fy=format_fiscal_year(fy)),
            kind=CampaignKind.ANNUAL,
            fiscal_year=fy,
            pack_id=pack.pk,
            framework_code=code,
            framework_version=str(raw.get("version", "")),
            framework=copy.deepcopy(raw),
            opens_on=opens,
            closes_on=closes,
            status=CampaignStatus.CLOSED if closed else CampaignStatus.OPEN,
            created_by=ctx.hr_user,
        )
        rows = []
        for c in ladder.careers:
            k = c.stage_in(fy, ctx.fy)
            mentor = c.mentors.get(fy)
            if k is None or mentor is None or (c.ended_on is not None and c.ended_on < opens):
                continue
            nxt = stages[k + 1] if k + 1 < len(stages) else None
            ready = (k < c.current and c.starts[k + 1] == fy + 1) or (c.ready and fy == ctx.fy and k == c.current)
            evaluated = stage_levels(rng, raw, stages[k], nxt, ready=ready)
            own = self_levels(rng, raw, evaluated)
            share = float(spec.get("submitted_share", 0.7))
            rows.append(
                (
                    Assessment(
                        campaign=campaign,
                        employee_id=c.employee_id,
                        evaluator_id=mentor,
                        self_submitted_at=_moment(rng, opens, closes, today) if closed or rng.random() < 0.85 else None,
                        evaluator_submitted_at=(
                            _moment(rng, opens, closes, today) if closed or ready or rng.random() < share else None
                        ),
                    ),
                    own,
                    evaluated,
                )
            )
        out.append((campaign, rows))
    counts = _write(out)
    return {"campaigns": len(out), **counts}


def write_cohort_campaigns(ctx) -> dict[str, int]:
    """Pre- and post-training campaigns per cohort run: each member rated by themselves and the 課長 of their 課
    (levels higher after), two attended sessions linked as evidence on the post one. Volume: the leaders' scale
    cohorts lie partly in the future, and so do some of these campaigns."""
    pack, rng, today = ctx.pack, ctx.rng, ctx.today
    spec = ctx.conf["cohort_campaigns"]
    code = spec["framework"]
    if code not in {f.code for f in pack.frameworks}:
        return {"campaigns": 0, "assessments": 0, "ratings": 0}
    raw = pack.framework_raw(code)
    out, evidence_for = [], []
    cohorts = list(Cohort.objects.filter(run__isnull=False).select_related("run").order_by("number"))
    members: dict[int, list[int]] = {}
    for cohort_id, employee_id in (
        CohortMember.objects.filter(cohort__in=cohorts).order_by("employee_id").values_list("cohort_id", "employee_id")
    ):
        members.setdefault(cohort_id, []).append(employee_id)
    sessions: dict[int, list[dt.date]] = {}
    for run_id, day in Session.objects.filter(run__in=[c.run_id for c in cohorts]).values_list("run_id", "date"):
        sessions.setdefault(run_id, []).append(day)
    attended: dict[tuple[int, int], list[int]] = {}
    for pk, run_id, employee_id in (
        Attendance.objects.filter(
            session__run__in=[c.run_id for c in cohorts],
            status__in=(AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL),
        )
        .order_by("session__date", "pk")
        .values_list("pk", "session__run_id", "enrollment__employee_id")
    ):
        attended.setdefault((run_id, employee_id), []).append(pk)
    for cohort in cohorts:
        days = sorted(sessions.get(cohort.run_id, []))
        if not days:
            continue
        label = f"第{cohort.number}期"
        windows = {
            CampaignKind.PRE: (
                days[0] - dt.timedelta(days=int(spec["pre"]["days_before_first_session"])),
                days[0] - ONE_DAY,
            ),
            CampaignKind.POST: (days[-1], days[-1] + dt.timedelta(days=int(spec["post"]["days_after_last_session"]))),
        }
        before: dict[int, dict[str, int]] = {}
        for kind, (opens, closes) in windows.items():
            post = kind == CampaignKind.POST
            campaign = Campaign.objects.create(
                name=spec["post" if post else "pre"]["name"].format(cohort=label),
                kind=kind,
                fiscal_year=fiscal_year(days[0]),
                pack_id=pack.pk,
                framework_code=code,
                framework_version=str(raw.get("version", "")),
                framework=copy.deepcopy(raw),
                run_id=cohort.run_id,
                opens_on=opens,
                closes_on=closes,
                status=CampaignStatus.CLOSED if closes < today else CampaignStatus.OPEN,
                created_by=ctx.secretariat_user or ctx.hr_user,
            )
            rows = []
            for e in members.get(cohort.pk, []):
                row = ctx.staff.rows.get(e)
                ka = ka_of(ctx.snap, row[0]) if row else None
                evaluator = ctx.heads.get(ka) if ka is not None else None
                evaluated = cohort_levels(rng, raw, post=post, before=before.get(e))
                before[e] = evaluated
                a = Assessment(
                    campaign=campaign,
                    employee_id=e,
                    evaluator_id=evaluator if evaluator != e else None,
                    self_submitted_at=_moment(rng, opens, closes),
                    evaluator_submitted_at=_moment(rng, opens, closes) if evaluator not in (None, e) else None,
                )
                rows.append((a, self_levels(rng, raw, evaluated), evaluated))
                if post:
                    evidence_for += [(a, pk) for pk in attended.get((cohort.run_id, e), [])[:2]]
            out.append((campaign, rows))
    counts = _write(out)
    titles = dict(Session.objects.filter(run__in=[c.run_id for c in cohorts]).values_list("pk", "run__title"))
    info = {
        pk: (titles[session_id], number, day)
        for pk, session_id, number, day in Attendance.objects.filter(
            pk__in=[pk for _a, pk in evidence_for]
        ).values_list("pk", "session_id", "session__number", "session__date")
    }
    Evidence.objects.bulk_create(
        (
            Evidence(
                assessment_id=a.pk,
                rater=Rater.SELF,
                kind=EvidenceKind.SESSION,
                attendance_id=pk,
                label=f"{info[pk][0]} 第{info[pk][1]}回（{info[pk][2]:%Y-%m-%d}）",
            )
            for a, pk in evidence_for
        ),
        batch_size=BATCH,
    )
    return {"campaigns": len(out), **counts}

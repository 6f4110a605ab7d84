"""One 年度 of the demo's ③ OJT: plans (hr, in April), the mentors' half-year reviews, the yearly ③ campaign
(self and mentor ratings; closed when its window is over), and the pending promotions proposed by mentors."""

import datetime as dt

from dxtalent.competency import services as competency
from dxtalent.competency.models import CampaignKind, Rater
from dxtalent.core.wareki import format_fiscal_year
from dxtalent.org.models import Employee

from .. import services
from .careers import Career, experience_slots
from .common import ONE_DAY, md
from .levels import self_levels, stage_levels
from .scale_ladder import review_day


def play_year(demo, careers: list[Career], fy: int) -> dict:
    stages, rng, texts = demo.pack.ladder, demo.rng, demo.conf["ladder"]
    people = Employee.objects.in_bulk(
        [c.employee_id for c in careers] + [m for c in careers for m in c.mentors.values()]
    )
    plan_day = min(dt.date(fy, 4, 10), demo.yesterday)
    plans, reviews = {}, 0
    for i, c in enumerate(careers):
        mentor = c.mentors.get(fy)
        if mentor is None or c.stage_in(fy, demo.fy) is None:
            continue
        plans[c.employee_id] = demo.act(
            demo.moment(plan_day, i),
            services.ojt_plan_save,
            employee=people[c.employee_id],
            fiscal_year=fy,
            mentor=people[mentor],
            goals="\n".join(rng.sample(texts["goals"], 2)),
            by=demo.hr,
            systems="、".join(rng.sample(texts["systems"], 2)),
            projects=rng.choice(texts["projects"]),
        )
    for i, c in enumerate(careers):
        plan = plans.get(c.employee_id)
        if plan is None:
            continue
        slots = experience_slots(
            c, stages, fy_now=demo.fy, first_fy=demo.fy - 1, review_days=lambda y, h: review_day(y, h, demo.today)
        )
        mentor_user = demo.login(people[plan.mentor_id])
        for half in (1, 2):
            day = review_day(fy, half, demo.today)
            if day is None:
                continue
            demo.act(
                demo.moment(day, i),
                services.ojt_review_save,
                plan=plan,
                half=half,
                by=mentor_user,
                reviewed_on=day,
                progress=rng.choice(texts["progress"]),
                next_steps=rng.choice(texts["next_steps"]),
                experiences=slots.get((fy, half), []),
            )
            reviews += 1
    campaigns, evaluated_on = _campaign(demo, careers, fy, people)
    return {"plans": len(plans), "reviews": reviews, "campaigns": campaigns, "evaluated_on": evaluated_on}


def _campaign(demo, careers: list[Career], fy: int, people: dict) -> tuple[int, dict[int, dt.date]]:
    """The yearly ③ campaign of `fy` (when its window has started): everyone in the ladder, their mentor as
    evaluator; all submitted and closed once the window is over, else most of them (the ready ones always)."""
    pack, rng, spec = demo.pack, demo.rng, demo.conf["ladder"]["annual_campaign"]
    stages = pack.ladder
    opens, closes = md(fy, spec["opens"]), md(fy, spec["closes"])
    if opens >= demo.today:
        return 0, {}
    created = demo.moment(max(opens - dt.timedelta(days=7), dt.date(fy, 4, 1)), 0)
    campaign = demo.act(
        created,
        competency.campaign_create,
        by=demo.hr,
        name=spec["name"].format(fy=format_fiscal_year(fy)),
        kind=CampaignKind.ANNUAL,
        fiscal_year=fy,
        framework_code=pack.ladder_framework.code,
        opens_on=opens,
        closes_on=closes,
    )
    members = [c for c in careers if c.stage_in(fy, demo.fy) is not None and c.mentors.get(fy)]
    pairs = [(people[c.employee_id], people[c.mentors[fy]]) for c in members]
    assessments = demo.act(
        created, competency.campaign_add_people, dated=False, campaign=campaign, by=demo.hr, people=pairs
    )
    by_person = {a.employee_id: a for a in assessments}
    closed = closes < demo.today
    share = float(spec.get("submitted_share", 0.7))
    evaluated_on: dict[int, dt.date] = {}
    for i, c in enumerate(members):
        k = c.stage_in(fy, demo.fy)
        nxt = stages[k + 1] if k + 1 < len(stages) else None
        ready = (k < c.current and c.starts[k + 1] == fy + 1) or (c.ready and k == c.current)
        evaluated = stage_levels(rng, campaign.framework, stages[k], nxt, ready=ready)
        a = by_person[c.employee_id]
        if closed or rng.random() < 0.85:
            day = demo.day_between(opens, closes)
            demo.act(
                demo.moment(day, i),
                competency.assessment_rate,
                assessment=a,
                by=demo.login(people[c.employee_id]),
                rater=Rater.SELF,
                levels=self_levels(rng, campaign.framework, evaluated),
            )
        if closed or ready or rng.random() < share:
            day = demo.day_between(opens, closes)
            demo.act(
                demo.moment(day, 30 + i),
                competency.assessment_rate,
                assessment=a,
                by=demo.login(people[c.mentors[fy]]),
                rater=Rater.EVALUATOR,
                levels=evaluated,
            )
            evaluated_on[c.employee_id] = day
    if closed:
        demo.act(demo.moment(closes + ONE_DAY, 0), competency.campaign_close, campaign=campaign, by=demo.hr)
    return 1, evaluated_on


def propose_pending(demo, careers: list[Career], evaluated_on: dict[int, dt.date]) -> int:
    """The ready people's promotions, proposed by this 年度's mentor a few days after the yearly rating."""
    stages = demo.pack.ladder
    n = 0
    for c in careers:
        if not c.ready or c.current >= len(stages) - 1 or c.mentors.get(demo.fy) is None:
            continue
        after = evaluated_on.get(c.employee_id, demo.fy_start)
        day = min(after + dt.timedelta(days=demo.rng.randint(1, 4)), demo.yesterday)
        employee = Employee.objects.get(pk=c.employee_id)
        mentor_user = demo.login(Employee.objects.get(pk=c.mentors[demo.fy]))
        demo.act(
            demo.moment(day, 45),
            services.promotion_propose,
            employee=employee,
            by=mentor_user,
            reasons=demo.rng.choice(demo.conf["ladder"]["promotion_reasons"]),
            on=day,
        )
        n += 1
    return n

"""Scale data of the ③ ladder: careers, stage periods, OJT plans, half-year reviews and promotions (bulk)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from dxtalent.org.models import Assignment, Employee, EmploymentStatus

from ..models import OjtPlan, OjtReview, StagePeriod
from .careers import Career, experience_slots, plan_career, stage_counts
from .common import ONE_DAY
from .scale_promotions import write_promotions

BATCH = 2000


@dataclass
class LadderData:
    careers: list[Career]
    first_fy: int
    mentor_min: int  # lowest stage index that mentors
    periods: dict[tuple[int, int], StagePeriod] = field(default_factory=dict)  # (employee id, stage index)
    plans: dict[tuple[int, int], OjtPlan] = field(default_factory=dict)  # (employee id, fiscal year)
    counts: dict = field(default_factory=dict)


def review_day(fy: int, half: int, today: dt.date) -> dt.date | None:
    """The day a half-year review is written (end of September, mid March), None when it is not yet past."""
    day = dt.date(fy, 9, 30) if half == 1 else dt.date(fy + 1, 3, 15)
    return day if day < today else None


def _candidates(ctx, exclude: set[int]) -> list[int]:
    """Non-managers in post in the department, then in its 局区 (so small data sets get a small ladder)."""
    dept = ctx.snap.subtree_ids([ctx.department.unit_id])
    top = ctx.snap.path_of(ctx.department.unit_id).get("top")
    bureau = ctx.snap.subtree_ids([top.unit_id]) if top is not None else set()
    rows = sorted(
        (e, unit) for e, (unit, is_manager, _h) in ctx.staff.rows.items() if not is_manager and e not in exclude
    )
    first = [e for e, unit in rows if unit in dept]
    second = [e for e, unit in rows if unit in bureau and unit not in dept]
    ctx.rng.shuffle(second)
    return first + second


def _career(ctx, stages, e: int, k: int, hired_fy: int, *, ready: bool) -> Career | None:
    """A career at stage index k, or the highest lower stage the hire date allows."""
    for stage in range(k, -1, -1):
        career = plan_career(
            ctx.rng,
            stages,
            employee_id=e,
            current=stage,
            fy_now=ctx.fy,
            earliest_fy=hired_fy,
            ready=ready,
            margin=ctx.pack.long_stay_margin_years,
        )
        if career is not None:
            return career
    return None


def _plan_careers(ctx, info: dict[int, tuple[dt.date, int]]) -> list[Career]:
    conf = ctx.conf["scale"]
    stages = ctx.pack.ladder
    chosen = _candidates(ctx, ctx.cast_ids)[: int(conf["staff"])]
    counts = stage_counts(len(chosen), list(conf["stage_shares"])[: len(stages)])
    # the more senior (earlier hire, with some noise) the higher the stage
    chosen.sort(key=lambda e: info[e][0].toordinal() + ctx.rng.gauss(0, 900))
    wanted = [k for k in reversed(range(len(stages))) for _ in range(counts[k])]
    careers = []
    for e, k in zip(chosen, wanted, strict=False):
        hired_fy = info[e][0].year if info[e][0].month >= 4 else info[e][0].year - 1
        careers.append(_career(ctx, stages, e, k, hired_fy, ready=False))
    # the ready ones (pending promotions): re-planned with enough years in their stage, where the hire date allows
    below_top = [c for c in careers if c is not None and c.current < len(stages) - 1]
    ctx.rng.shuffle(below_top)
    wanted_ready = int(conf["pending_promotions"])
    index = {c.employee_id: i for i, c in enumerate(careers) if c is not None}
    for c in below_top:
        if wanted_ready <= 0:
            break
        hired = info[c.employee_id][0]
        again = plan_career(
            ctx.rng,
            stages,
            employee_id=c.employee_id,
            current=c.current,
            fy_now=ctx.fy,
            earliest_fy=hired.year if hired.month >= 4 else hired.year - 1,
            ready=True,
            margin=ctx.pack.long_stay_margin_years,
        )
        if again is not None:
            careers[index[c.employee_id]] = again
            wanted_ready -= 1
    # leavers: people who retired in the last years while in the ladder
    leavers = list(
        Employee.objects.filter(
            status=EmploymentStatus.RETIRED,
            left_on__gt=dt.date(ctx.fy - int(conf["history_years"]) + 2, 4, 1),
            left_on__lte=ctx.today,
        )
        .order_by("pk")
        .values_list("pk", "hire_date", "left_on", "job_type_id")
    )
    for e, hired, left_on, job in ctx.rng.sample(leavers, min(int(conf["leavers"]), len(leavers))):
        info[e] = (hired, job)
        ended = left_on - ONE_DAY
        last_fy = ended.year if ended.month >= 4 else ended.year - 1
        career = plan_career(
            ctx.rng,
            stages,
            employee_id=e,
            current=ctx.rng.randrange(len(stages) - 1),
            fy_now=last_fy,
            earliest_fy=hired.year if hired.month >= 4 else hired.year - 1,
        )
        if career is not None:
            career.ended_on = ended
            careers.append(career)
    return careers


def _routes(ctx, careers: list[Career], info) -> None:
    """Each ③ person's hire route from their job type; some of the general route came by job challenge."""
    general = ctx.routes.job_challenge_from
    by_route: dict[str, list[int]] = defaultdict(list)
    for c in careers:
        route = ctx.routes.of_job(info[c.employee_id][1])
        if route == general and ctx.routes.job_challenge and ctx.rng.random() < ctx.routes.job_challenge_share:
            route = ctx.routes.job_challenge
        c.route = route
        by_route[route].append(c.employee_id)
    for route, ids in by_route.items():
        Employee.objects.filter(pk__in=ids).update(hire_route=route)


def _mentors(ctx, data: LadderData, fallback: int | None) -> None:
    """A mentor per person and 年度: someone at a mentoring stage (at least the mentee's) that year; mostly the
    same one as the year before."""
    stages_by_fy: dict[int, dict[int, int]] = defaultdict(dict)
    for c in data.careers:
        for fy in range(max(c.entry_fy, data.first_fy), c.last_fy(ctx.fy) + 1):
            stages_by_fy[fy][c.employee_id] = c.stage_in(fy, ctx.fy)
    pools = {fy: sorted(e for e, k in people.items() if k >= data.mentor_min) for fy, people in stages_by_fy.items()}
    for c in data.careers:
        previous = None
        for fy in range(max(c.entry_fy, data.first_fy), c.last_fy(ctx.fy) + 1):
            own = stages_by_fy[fy][c.employee_id]
            pool = [e for e in pools[fy] if e != c.employee_id and stages_by_fy[fy][e] >= own] or [
                e for e in pools[fy] if e != c.employee_id
            ]
            if previous in pool and ctx.rng.random() < 0.85:
                mentor = previous
            elif pool:
                mentor = ctx.rng.choice(pool)
            else:
                mentor = fallback
            if mentor is not None and mentor != c.employee_id:
                c.mentors[fy] = previous = mentor


def write_ladder(ctx) -> LadderData:
    conf = ctx.conf
    stages = ctx.pack.ladder
    active = [e for e, (_u, is_manager, _h) in ctx.staff.rows.items() if not is_manager]
    info = {
        e: (hired, job)
        for e, hired, job in Employee.objects.filter(pk__in=active).values_list("pk", "hire_date", "job_type_id")
    }
    careers = [c for c in _plan_careers(ctx, info) if c is not None]
    data = LadderData(
        careers=careers,
        first_fy=ctx.fy - int(conf["scale"]["history_years"]) + 1,
        mentor_min=len(stages) // 2,
    )
    _routes(ctx, careers, info)
    head_rows = list(
        Assignment.objects.filter(unit_id=ctx.department.unit_id, position__is_manager=True)
        .order_by("position__rank", "valid_from")
        .values_list("employee_id", "valid_from", "valid_to")
    )

    def head_on(day: dt.date) -> int | None:
        return next((e for e, start, end in head_rows if start <= day and (end is None or end >= day)), None)

    kas = [n.unit_id for n in ctx.department.children]
    _mentors(ctx, data, fallback=next((ctx.heads[k] for k in kas if k in ctx.heads), head_on(ctx.today)))

    # stage periods
    for c in careers:
        for k, start in enumerate(c.starts):
            end = dt.date(c.starts[k + 1], 3, 31) if k < c.current else c.ended_on
            data.periods[(c.employee_id, k)] = StagePeriod(
                employee_id=c.employee_id, stage_code=stages[k].code, valid_from=dt.date(start, 4, 1), valid_to=end
            )
    StagePeriod.objects.bulk_create(data.periods.values(), batch_size=BATCH)

    # plans and reviews
    texts = conf["ladder"]
    rng = ctx.rng
    reviews = []
    for c in careers:
        slots = experience_slots(
            c,
            stages,
            fy_now=ctx.fy,
            first_fy=data.first_fy,
            review_days=lambda fy, half: review_day(fy, half, ctx.today),
        )
        for fy, mentor in c.mentors.items():
            k = c.stage_in(fy, ctx.fy)
            plan = OjtPlan(
                employee_id=c.employee_id,
                fiscal_year=fy,
                stage_code=stages[k].code,
                mentor_id=mentor,
                systems="、".join(rng.sample(texts["systems"], 2)),
                projects=rng.choice(texts["projects"]),
                goals="\n".join(rng.sample(texts["goals"], 2)),
                created_by=ctx.hr_user,
            )
            data.plans[(c.employee_id, fy)] = plan
            for half in (1, 2):
                day = review_day(fy, half, ctx.today)
                if day is None or (c.ended_on is not None and day > c.ended_on):
                    continue
                reviews.append(
                    (
                        plan,
                        half,
                        mentor,
                        day,
                        rng.choice(texts["progress"]),
                        rng.choice(texts["next_steps"]),
                        slots.get((fy, half), []),
                    )
                )
    OjtPlan.objects.bulk_create(data.plans.values(), batch_size=BATCH)
    OjtReview.objects.bulk_create(
        (
            OjtReview(
                plan_id=plan.pk,
                half=half,
                reviewer_id=mentor,
                reviewed_on=day,
                progress=progress,
                next_steps=steps,
                experiences=codes,
            )
            for plan, half, mentor, day, progress, steps, codes in reviews
        ),
        batch_size=BATCH,
    )

    promotions = write_promotions(ctx, data, head_on)
    data.counts = {
        "staff": sum(1 for c in careers if c.ended_on is None),
        "leavers": sum(1 for c in careers if c.ended_on is not None),
        "by_stage": "・".join(
            f"{s.name} {sum(1 for c in careers if c.ended_on is None and c.current == k)}" for k, s in enumerate(stages)
        ),
        "periods": len(data.periods),
        "plans": len(data.plans),
        "reviews": len(reviews),
        "promotions": promotions,
        "pending": 0,
    }
    return data

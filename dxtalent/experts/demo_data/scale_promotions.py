"""Scale data of ③ promotions: the approved ones in the stage histories (and a few turned down a year earlier),
and the pending ones of the ready people, with the readiness snapshot the service stores."""

import datetime as dt

from ..models import Promotion, PromotionStatus
from ..selectors.ladder import readiness

BATCH = 2000


def write_promotions(ctx, data, head_on) -> int:
    """Each promotion inside the plans' years: proposed by the mentor in February, decided by the head (部長 on
    that day) in March, effective on 1 April."""
    stages, rng, texts, careers = ctx.pack.ladder, ctx.rng, ctx.conf["ladder"], data.careers
    promotions = []
    reasons = texts["promotion_reasons"]
    for c in careers:
        for k in range(1, c.current + 1):
            fy = c.starts[k]
            plan = data.plans.get((c.employee_id, fy - 1))
            head = head_on(dt.date(fy, 3, 10))
            if plan is None or head is None:
                continue
            if rng.random() < 0.08 and (c.employee_id, fy - 2) in data.plans:  # turned down a year earlier
                promotions.append(
                    Promotion(
                        employee_id=c.employee_id,
                        from_stage=stages[k - 1].code,
                        to_stage=stages[k].code,
                        proposed_by_id=data.plans[(c.employee_id, fy - 2)].mentor_id,
                        proposed_on=dt.date(fy - 1, 2, 10),
                        reasons=rng.choice(reasons),
                        status=PromotionStatus.REJECTED,
                        decided_by_id=head_on(dt.date(fy - 1, 3, 10)) or head,
                        decided_on=dt.date(fy - 1, 3, 10),
                        decision_reasons=texts["decision_reasons"]["reject"],
                    )
                )
            promotions.append(
                Promotion(
                    employee_id=c.employee_id,
                    from_stage=stages[k - 1].code,
                    to_stage=stages[k].code,
                    proposed_by_id=plan.mentor_id,
                    proposed_on=dt.date(fy, 2, 10),
                    reasons=rng.choice(reasons),
                    status=PromotionStatus.APPROVED,
                    decided_by_id=head,
                    decided_on=dt.date(fy, 3, 10),
                    decision_reasons=texts["decision_reasons"]["approve"],
                    effective_on=dt.date(fy, 4, 1),
                    stage_period_id=data.periods[(c.employee_id, k)].pk,
                )
            )
    Promotion.objects.bulk_create(promotions, batch_size=BATCH)
    return len(promotions)


def write_pending(ctx, data) -> int:
    """The ready people's pending promotions, proposed by this 年度's mentor in the last weeks, with the readiness
    snapshot the service would store (run after the annual campaigns, so that the levels are there)."""
    stages = ctx.pack.ladder
    ready = [
        c
        for c in data.careers
        if c.ready and c.ended_on is None and c.current < len(stages) - 1 and (c.employee_id, ctx.fy) in data.plans
    ]
    days = {c.employee_id: ctx.today - dt.timedelta(days=ctx.rng.randint(3, 40)) for c in ready}
    snapshots = {}
    for day in sorted(set(days.values())):
        ids = [e for e, d in days.items() if d == day]
        snapshots.update({e: r.snapshot(day) for e, r in readiness(ids, pack=ctx.pack, day=day).items()})
    Promotion.objects.bulk_create(
        Promotion(
            employee_id=c.employee_id,
            from_stage=stages[c.current].code,
            to_stage=stages[c.current + 1].code,
            proposed_by_id=data.plans[(c.employee_id, ctx.fy)].mentor_id,
            proposed_on=days[c.employee_id],
            reasons=ctx.rng.choice(ctx.conf["ladder"]["promotion_reasons"]),
            readiness=snapshots.get(c.employee_id, {}),
        )
        for c in ready
    )
    data.counts["pending"] = len(ready)
    return len(ready)

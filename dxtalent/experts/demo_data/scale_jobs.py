"""Scale data of ジョブチャレンジ: postings over the last 年度 (a few open) and their applications (bulk).

Each past 年度 has a ③ programme posting whose adopted applicants are the ladder's job-challenge entrants of the
next 1 April (their first stage period is the placement); the other kinds rotate through the pack's posting
kinds, with leader-role postings applied to by members of the leaders' scale cohorts."""

import datetime as dt

from dxtalent.core.wareki import format_fiscal_year
from dxtalent.leaders.models import CohortMember

from ..models import Application, ApplicationStatus, Posting, PostingStatus
from .common import ONE_DAY, at, ka_of

S = ApplicationStatus
OPEN_STATUSES = {S.APPLIED: 45, S.DOCUMENTS: 25, S.INTERVIEW: 10, S.REJECTED: 8, S.WITHDRAWN: 12}
CLOSED_STATUSES = {S.REJECTED: 75, S.WITHDRAWN: 25}


def _posting(ctx, kind, *, number: int, fy: int, opens: dt.date, deadline: dt.date, status: str, slots: int):
    jobs = ctx.conf["jobs"]
    spec = jobs["open"][0] if kind.ladder_stage else jobs["open"][-1]
    kas = [n.unit_id for n in ctx.department.children] or [ctx.department.unit_id]
    return Posting(
        kind=kind.code,
        title=f"{format_fiscal_year(fy)} {kind.name}（{number:02d}）",
        description=spec["description"],
        requirements=spec.get("requirements", ""),
        unit_id=kas[number % len(kas)] if kind.ladder_stage else None,
        slots=slots,
        opens_on=opens,
        deadline=deadline,
        starts_on=max(dt.date(fy, 4, 1), deadline + dt.timedelta(days=30)),
        status=status,
        posted_by=ctx.secretariat_user or ctx.hr_user,
    )


def write_postings(ctx, ladder) -> dict[str, int]:
    pack, rng, today, spec = ctx.pack, ctx.rng, ctx.today, ctx.conf["scale"]
    kinds = list(pack.posting_kinds)
    expert_kinds = [k for k in kinds if k.ladder_stage]
    other_kinds = [k for k in kinds if not k.ladder_stage] or expert_kinds
    if not kinds:
        return {"postings": 0, "open": 0, "applications": 0}
    total, n_open, years = int(spec["postings"]), int(spec["open_postings"]), int(spec["posting_years"])
    entrants: dict[int, list[int]] = {}  # fiscal year of entry → job-challenge entrants
    for c in ladder.careers:
        if c.route == ctx.routes.job_challenge and c.entry_fy > ctx.fy - years:
            entrants.setdefault(c.entry_fy, []).append(c.employee_id)
    postings: list[tuple[Posting, list[int]]] = []  # (posting, the applicants adopted with a placement)
    closed_n = total - n_open
    for i in range(closed_n):
        fy = ctx.fy - years + 1 + i % years  # starts on 1 April of fy; advertised in the autumn before
        first_of_year = i < years
        kind = expert_kinds[0] if first_of_year and expert_kinds else other_kinds[i % len(other_kinds)]
        opens = dt.date(fy - 1, 11, 1) + dt.timedelta(days=rng.randint(0, 20))
        deadline = opens + dt.timedelta(days=rng.randint(28, 45))
        placed = entrants.get(fy, []) if first_of_year else []
        slots = max(1, len(placed)) if first_of_year else rng.randint(1, 3)
        postings.append(
            (
                _posting(
                    ctx,
                    kind,
                    number=i + 1,
                    fy=fy,
                    opens=opens,
                    deadline=deadline,
                    status=PostingStatus.CLOSED,
                    slots=slots,
                ),
                placed,
            )
        )
    for j in range(n_open):
        kind = expert_kinds[0] if j == 0 and expert_kinds else other_kinds[j % len(other_kinds)]
        opens = today - dt.timedelta(days=rng.randint(5, 25))
        deadline = today + dt.timedelta(days=rng.randint(10, 60))
        postings.append(
            (
                _posting(
                    ctx,
                    kind,
                    number=closed_n + j + 1,
                    fy=ctx.fy + 1,
                    opens=opens,
                    deadline=deadline,
                    status=PostingStatus.OPEN,
                    slots=rng.randint(1, 3),
                ),
                [],
            )
        )
    Posting.objects.bulk_create([p for p, _placed in postings])

    staff = sorted(e for e, (_u, is_manager, _h) in ctx.staff.rows.items() if not is_manager and e not in ctx.cast_ids)
    leaders = (
        sorted(set(CohortMember.objects.filter(employee_id__in=staff).values_list("employee_id", flat=True))) or staff
    )
    jobs = ctx.conf["jobs"]
    per = max(1, int(spec["applications"]) // max(1, len(postings)))
    notify = pack.notify_manager_on_apply
    apps = []
    for posting, placed in postings:
        kind = pack.posting_kind(posting.kind)
        pool = staff if kind.ladder_stage else leaders
        count = max(len(placed), min(len(pool), per + rng.randint(-5, 5)))
        people = list(dict.fromkeys(placed + rng.sample(pool, min(len(pool), count))))[:count]
        closed = posting.status == PostingStatus.CLOSED
        adopted_left = posting.slots if closed and not kind.ladder_stage else 0
        last = min(posting.deadline, today - ONE_DAY)
        for e in people:
            if e in placed:
                status = S.ADOPTED
            elif adopted_left:
                status, adopted_left = S.ADOPTED, adopted_left - 1
            else:
                table = CLOSED_STATUSES if closed else OPEN_STATUSES
                status = rng.choices(list(table), list(table.values()))[0]
            applied = posting.opens_on + dt.timedelta(days=rng.randint(0, max(0, (last - posting.opens_on).days)))
            decided = None
            if status in (S.ADOPTED, S.REJECTED):
                decided = posting.deadline + dt.timedelta(days=20) if closed else max(applied, today - ONE_DAY)
            row = ctx.staff.rows.get(e)
            ka = ka_of(ctx.snap, row[0]) if row else None
            manager = ctx.heads.get(ka) if notify and ka is not None else None
            apps.append(
                Application(
                    posting=posting,
                    employee_id=e,
                    motivation=rng.choice(jobs["motivations"]),
                    status=status,
                    applied_at=at(applied, rng.randint(9, 17), rng.choice((0, 20, 40))),
                    manager_id=manager if manager != e else None,
                    screening_note=jobs["screening_notes"].get(status, ""),
                    decided_on=decided,
                    decision_reason=jobs["reasons"].get(status, ""),
                    placed_stage_period=ladder.periods.get((e, 0)) if e in placed else None,
                )
            )
    Application.objects.bulk_create(apps, batch_size=2000)
    return {"postings": len(postings), "open": n_open, "applications": len(apps)}

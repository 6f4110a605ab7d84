"""The demo's ③ department: staff over the ladder, their histories, OJT, yearly campaigns and promotions."""

import datetime as dt

from dxtalent.core.roles import Role
from dxtalent.leaders.models import CohortMember
from dxtalent.org.models import Assignment, Employee, EmploymentStatus, OrgUnit, valid_on
from dxtalent.org.services import employee_transfer

from ..selectors.ladder import department_head
from .careers import Career, plan_career, stage_counts
from .ladder_history import decide, history, leavers, with_clock

SOURCE = "デモデータ"


def _transfer_in(demo, need: int, exclude: set[int]) -> list[int]:
    """Move `need` people into the department's 係 on 1 April (the scenario's bureaus first, people whose job type
    has a hire route first, the longest-serving first: most of them come back to the ladder at an upper stage);
    only people whose current assignment started before that day."""
    if need <= 0:
        return []
    dept = demo.snap.subtree_ids([demo.department.unit_id])
    order = {name: i for i, name in enumerate(demo.conf["ladder"].get("transfer_from") or [])}
    rows = (
        Assignment.objects.filter(
            valid_on(demo.today),
            valid_from__lt=demo.fy_start,
            valid_to__isnull=True,
            position__is_manager=False,
            employee__status=EmploymentStatus.ACTIVE,
        )
        .exclude(unit_id__in=dept)
        .exclude(employee_id__in=exclude)
        .select_related("employee", "position")
        .order_by("employee__number")
    )

    def rank(a):
        top = demo.snap.path_of(a.unit_id).get("top")
        routed = a.employee.job_type_id in demo.routes.by_job_type
        return (order.get(top.name if top else "", 99), not routed, a.employee.hire_date, a.employee.number)

    chosen = sorted(rows, key=rank)[:need]
    places = demo.kakari_of_department()
    for i, a in enumerate(chosen):
        unit = places[i % len(places)]
        with_clock(
            demo,
            demo.fy_start,
            i,
            employee_transfer,
            employee=a.employee,
            unit=OrgUnit.objects.get(pk=unit),
            position=a.position,
            on=demo.fy_start,
            source=SOURCE,
        )
    return [a.employee_id for a in chosen]


def _careers(demo, people: list[int], new: list[int]) -> tuple[list[Career], set[int]]:
    """Careers over the stages (the scenario's counts, the more senior the higher, each one possible given the
    person's hire date); returns them and the ids whose last promotion the 部長 decides this 1 April."""
    conf, stages, rng, fy = demo.conf["ladder"], demo.pack.ladder, demo.rng, demo.fy
    counts = list(conf["stage_counts"])[: len(stages)]
    if sum(counts) != len(people):
        counts = stage_counts(len(people), [c / sum(counts) for c in counts])
    hired = dict(Employee.objects.filter(pk__in=people).values_list("pk", "hire_date"))
    hire_fy = {e: d.year if d.month >= 4 else d.year - 1 for e, d in hired.items()}
    new = new[: counts[0]]
    order = sorted((e for e in people if e not in new), key=lambda e: hired[e].toordinal() + rng.gauss(0, 500))
    margin = demo.pack.long_stay_margin_years

    def plan(e: int, k: int, ready: bool = False) -> Career | None:
        return plan_career(
            rng, stages, employee_id=e, current=k, fy_now=fy, earliest_fy=hire_fy[e], ready=ready, margin=margin
        )

    planned: dict[int, Career] = {}
    for k in reversed(range(1, len(stages))):
        for e in order:
            if len([c for c in planned.values() if c.current == k]) >= counts[k]:
                break
            if e not in planned and (career := plan(e, k)) is not None:
                planned[e] = career
    for e in order:
        planned.setdefault(e, plan(e, 0) or Career(employee_id=e, starts=[fy]))
    middle = [e for e in order if 0 < planned[e].current < len(stages) - 1]
    pending = set()
    for e in _spread(rng, middle, {e: planned[e].current for e in middle}, len(middle)):
        if len(pending) < int(conf["pending_promotions"]) and (career := plan(e, planned[e].current, True)):
            planned[e], pending = career, pending | {e}
    upper = [e for e in order if planned[e].current > 0 and e not in pending]
    decided = set(_spread(rng, upper, {e: planned[e].current for e in upper}, int(conf["decided_promotions"])))
    careers = [Career(employee_id=e, starts=[fy]) for e in new]
    for e in order:
        career = planned[e]
        shift = 0
        if e in decided:
            shift = fy - career.starts[-1]  # promoted this 1 April (decided by the 部長)
        elif career.current > 0 and career.starts[-1] == fy and career.starts[0] - 1 >= hire_fy[e]:
            shift = -1  # the others were promoted before this 年度
        career.starts = [s + shift for s in career.starts]
        careers.append(career)
    return careers, decided


def _spread(rng, people: list[int], stage_of: dict[int, int], n: int) -> list[int]:
    """n people, taking turns between the stages (highest first)."""
    by_stage: dict[int, list[int]] = {}
    for e in people:
        by_stage.setdefault(stage_of[e], []).append(e)
    out: list[int] = []
    while len(out) < n and any(by_stage.values()):
        for k in sorted(by_stage, reverse=True):
            if by_stage[k] and len(out) < n:
                out.append(by_stage[k].pop(rng.randrange(len(by_stage[k]))))
    return out


def _routes(demo, careers: list[Career]) -> None:
    """Hire routes: everyone hired in the last years from their job type (the roster's), ③ staff always."""
    r = demo.routes
    since = dt.date(demo.today.year - r.recorded_since_years, 4, 1)
    blank = Employee.objects.filter(hire_route="", hire_date__gte=since)
    for job_type_id, code in r.by_job_type.items():
        blank.filter(job_type_id=job_type_id).update(hire_route=code)
    if r.other:
        blank.exclude(job_type_id__in=list(r.by_job_type)).update(hire_route=r.other)
    people = Employee.objects.in_bulk([c.employee_id for c in careers])
    for c in sorted(careers, key=lambda c: c.employee_id):
        e = people[c.employee_id]
        route = e.hire_route if e.hire_route == r.job_challenge else r.of_job(e.job_type_id)
        if route == r.job_challenge_from and r.job_challenge and demo.rng.random() < r.job_challenge_share:
            route = r.job_challenge
        c.route = route
        if e.hire_route != route:
            e.hire_route = route
            e.save(update_fields=["hire_route"])


def _mentors(demo, careers: list[Career]) -> None:
    """Last and this 年度's mentor of each person: someone at an upper stage (一人前・熟練者 for Sapporo), at least
    the mentee's stage, the same one both years where possible."""
    low = len(demo.pack.ladder) // 2
    for fy in (demo.fy - 1, demo.fy):
        stage = {c.employee_id: c.stage_in(fy, demo.fy) for c in careers}
        pool = sorted(e for e, k in stage.items() if k is not None and k >= low)
        load: dict[int, int] = {}
        for c in sorted(careers, key=lambda c: (stage[c.employee_id] is None, -(stage[c.employee_id] or 0))):
            own = stage[c.employee_id]
            if own is None:
                continue
            fits = [e for e in pool if e != c.employee_id and stage[e] >= own] or [
                e for e in pool if e != c.employee_id
            ]
            if not fits:
                continue
            previous = c.mentors.get(fy - 1)
            mentor = previous if previous in fits else min(fits, key=lambda e: (load.get(e, 0), demo.rng.random()))
            load[mentor] = load.get(mentor, 0) + 1
            c.mentors[fy] = mentor


def play_ladder(demo, *, adopted: int | None) -> None:
    from .ladder_year import play_year, propose_pending

    demo.refresh()
    stages = demo.pack.ladder
    dept = demo.snap.subtree_ids([demo.department.unit_id])
    trainees = set(CohortMember.objects.values_list("employee_id", flat=True))
    exclude = demo.cast.employee_ids | trainees
    inside = [e for e, (u, m, _h) in sorted(demo.staff.rows.items()) if u in dept and not m and e not in exclude]
    moved = _transfer_in(demo, int(demo.conf["ladder"]["staff"]) - len(inside), exclude | set(inside))
    demo.refresh()
    people = sorted(set(inside) | set(moved))
    juniors = sorted((e for e in moved if e != adopted), key=lambda e: demo.staff.rows[e][2], reverse=True)
    new = ([adopted] if adopted in people else []) + juniors  # the newest hires enter at the first stage
    careers, decided = _careers(demo, people, new)
    _routes(demo, careers)
    history(demo, careers, decided, skip={adopted} if adopted else set())
    left = leavers(demo, exclude | set(people))
    _mentors(demo, careers)
    head = department_head(demo.pack, demo.today)
    head_user = demo.login(head, Role.MANAGER, scope_unit_id=demo.department.unit_id) if head else None
    counts = play_year(demo, careers, demo.fy - 1)
    done = 0
    for c in careers:
        if c.employee_id in decided:
            done += decide(demo, c, head, head_user)
    this = play_year(demo, careers, demo.fy)
    pending = propose_pending(demo, careers, this["evaluated_on"])
    by_stage = "・".join(f"{s.name} {sum(1 for c in careers if c.current == k)}" for k, s in enumerate(stages))
    demo.write(
        "高度デジタル人材",
        f"{demo.pack.expert_department}の③職員 {len(careers)} 人（{by_stage}、うち4月1日付の異動 {len(moved)} 人）、"
        f"離任 {left} 人、OJT計画 {counts['plans'] + this['plans']} 件、"
        f"振り返り {counts['reviews'] + this['reviews']} 件、"
        f"年次評価 {counts['campaigns'] + this['campaigns']} 回、昇格の決定 {done} 件・決定待ち {pending} 件",
    )
    if head is not None:
        demo.write(
            "高度デジタル人材",
            f"{demo.pack.expert_department}長（昇格を決定）のログイン: {head_user.username}（{head.name}）",
        )

"""The demo's ジョブチャレンジ: last 年度's ③ programme posting (one adopted and placed), and this 年度's open
postings with applications in every status (the demo employee login's among them)."""

import datetime as dt

from dxtalent.core.roles import Role
from dxtalent.core.wareki import format_fiscal_year
from dxtalent.leaders.models import CohortMember
from dxtalent.org.models import Assignment, EmploymentStatus, OrgUnit, valid_on

from .. import services
from ..models import ApplicationStatus, StagePeriod
from .common import ONE_DAY, md

S = ApplicationStatus
SECTION = "ジョブチャレンジ"


def _kind(demo, code: str):
    return next((k for k in demo.pack.posting_kinds if k.code == code), None)


def _applicants(demo, n: int, *, skip: set[int]) -> list:
    """Non-managers outside the ③ department, not in the ladder, not a demo login or trainee, whose current
    assignment started before this 年度 (so that a decision can transfer them on 1 April); deterministic."""
    dept = demo.snap.subtree_ids([demo.department.unit_id])
    taken = demo.cast.employee_ids | skip | set(CohortMember.objects.values_list("employee_id", flat=True))
    taken |= set(StagePeriod.objects.values_list("employee_id", flat=True))
    rows = list(
        Assignment.objects.filter(
            valid_on(demo.today),
            valid_from__lt=demo.fy_start,
            valid_to__isnull=True,
            position__is_manager=False,
            employee__status=EmploymentStatus.ACTIVE,
            employee__job_type_id__in=list(demo.routes.by_job_type),
        )
        .exclude(unit_id__in=dept)
        .exclude(employee_id__in=taken)
        .select_related("employee")
        .order_by("employee__number")
    )
    return [a.employee for a in demo.rng.sample(rows, min(n, len(rows)))]


def _create(demo, spec: dict, kind, *, fy: int, opens: dt.date, deadline: dt.date, unit_id: int | None, by):
    starts = max(dt.date(fy, 4, 1), deadline + dt.timedelta(days=30))
    return demo.act(
        demo.moment(opens, 0),
        services.posting_create,
        by=by,
        kind=kind.code,
        title=spec["title"].format(fy=format_fiscal_year(fy), fy_next=format_fiscal_year(fy)),
        description=spec["description"],
        requirements=spec.get("requirements", ""),
        opens_on=opens,
        deadline=deadline,
        starts_on=starts,
        unit=OrgUnit.objects.get(pk=unit_id) if unit_id else None,
        slots=int(spec.get("slots", 1)),
    )


def _advance(demo, app, steps: list[tuple[str, dt.date]], reason_key: str | None = None) -> None:
    jobs = demo.conf["jobs"]
    for i, (status, day) in enumerate(steps):
        reason = jobs["reasons"].get(status, "") if status in (S.ADOPTED, S.REJECTED) else ""
        demo.act(
            demo.moment(day, 20 + i),
            services.application_advance,
            application=app,
            by=demo.hr,
            status=status,
            note=jobs["screening_notes"].get(status, ""),
            reason=reason,
            on=day,
        )


def play_past_posting(demo) -> int | None:
    """Last 年度's ③ programme posting: three applicants, one adopted (placed from 1 April), one not adopted, one
    withdrawn. Returns the adopted employee's id."""
    spec = demo.conf["jobs"]["closed"]
    kind = _kind(demo, spec["kind"])
    if kind is None or not kind.ladder_stage:
        return None
    fy = demo.fy - 1
    opens, deadline = md(fy, spec["opens"]), md(fy, spec["deadline"])
    ka = demo.department.children[0].unit_id if demo.department.children else demo.department.unit_id
    posting = _create(demo, spec, kind, fy=demo.fy, opens=opens, deadline=deadline, unit_id=ka, by=demo.hr)
    people = _applicants(demo, 3, skip=set())
    if len(people) < 3:
        return None
    motivations = demo.conf["jobs"]["motivations"]
    apps = [
        demo.act(
            demo.moment(opens + dt.timedelta(days=3 + 5 * i), i),
            services.application_submit,
            posting=posting,
            by=demo.login(p),
            motivation=motivations[i % len(motivations)],
        )
        for i, p in enumerate(people)
    ]
    demo.act(demo.moment(deadline + ONE_DAY, 0), services.posting_close, posting=posting, by=demo.hr)
    _advance(
        demo,
        apps[0],
        [
            (S.DOCUMENTS, deadline + dt.timedelta(days=5)),
            (S.INTERVIEW, deadline + dt.timedelta(days=20)),
            (S.ADOPTED, deadline + dt.timedelta(days=40)),
        ],
    )
    _advance(
        demo, apps[1], [(S.DOCUMENTS, deadline + dt.timedelta(days=5)), (S.REJECTED, deadline + dt.timedelta(days=25))]
    )
    demo.act(
        demo.moment(deadline + dt.timedelta(days=8), 5),
        services.application_withdraw,
        application=apps[2],
        by=demo.login(people[2]),
    )
    demo.write(
        SECTION,
        f"締切済みの募集「{posting.title}」: 応募 3 件、{people[0].name}さんを決定"
        f"（{demo.fy_start:%Y-%m-%d}付で{demo.pack.expert_department}へ異動・③に登録）",
    )
    return people[0].pk


def play_open_postings(demo) -> None:
    """The open ③ programme posting (applications 応募・書類選考・面談・不採用・取下げ; the demo employee login applied)
    and the open leader-role posting (certified leaders only: none yet in the demo's 年度)."""
    specs = demo.conf["jobs"]["open"]
    jobs = demo.conf["jobs"]
    made, applications = [], 0
    for spec in specs:
        kind = _kind(demo, spec["kind"])
        if kind is None:
            continue
        opens = max(demo.today - dt.timedelta(days=int(spec["opened_days_ago"])), demo.fy_start)
        deadline = demo.today + dt.timedelta(days=int(spec["deadline_in_days"]))
        unit = None
        if kind.ladder_stage:
            unit = demo.department.children[0].unit_id if demo.department.children else demo.department.unit_id
        posting = _create(
            demo, spec, kind, fy=demo.fy + 1, opens=opens, deadline=deadline, unit_id=unit, by=demo.secretariat
        )
        made.append(posting)
        if not kind.ladder_stage:
            continue
        others = _applicants(demo, int(jobs["applicants"]) - 1, skip=set())
        employee = demo.cast.employees.get(Role.EMPLOYEE)
        people = ([employee] if employee is not None else []) + others
        plan = [[], [S.DOCUMENTS], [S.DOCUMENTS, S.INTERVIEW], [S.DOCUMENTS, S.REJECTED], "withdraw"]
        span = max(1, (demo.yesterday - opens).days)
        for i, person in enumerate(people):
            applied = opens + dt.timedelta(days=min(span - 1, i * max(1, span // (len(people) + 2))))
            app = demo.act(
                demo.moment(applied, i),
                services.application_submit,
                posting=posting,
                by=demo.login(person),
                motivation=jobs["motivations"][i % len(jobs["motivations"])],
            )
            applications += 1
            steps = plan[i % len(plan)]
            if steps == "withdraw":
                demo.act(
                    demo.moment(demo.day_between(applied, demo.yesterday), 40),
                    services.application_withdraw,
                    application=app,
                    by=demo.login(person),
                )
                continue
            days = [min(applied + dt.timedelta(days=2 + 3 * j), demo.yesterday) for j in range(len(steps))]
            _advance(demo, app, list(zip(steps, days, strict=True)))
    demo.write(SECTION, f"募集中 {len(made)} 件（応募 {applications} 件、デモの職員ログインの応募を含む）")

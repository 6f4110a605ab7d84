"""The demo's ③ stage histories: periods recorded by hr when the system went live (older steps, leavers) and the
promotions the 部長 decided this 1 April."""

import datetime as dt

from dxtalent.org.models import Assignment, Employee, EmploymentStatus, valid_on

from .. import services
from ..models import StagePeriod
from .careers import Career
from .common import ONE_DAY

NOTE_MIGRATED = "システム導入前の記録から登録"
NOTE_LEFT = "他部署への異動により③を離れた"


def with_clock(demo, day: dt.date, index: int, service, **kwargs):
    return demo.act(demo.moment(day, index), service, dated=False, **kwargs)


def history(demo, careers: list[Career], decided: set[int], skip: set[int]) -> None:
    """Stage periods up to this 年度 (the decided promotions' last step is the 部長's), recorded by hr."""
    stages = demo.pack.ladder
    i = 0
    for c in careers:
        if c.employee_id in skip:
            continue
        employee = Employee.objects.get(pk=c.employee_id)
        steps = c.starts if c.employee_id not in decided else c.starts[:-1]
        for k, start in enumerate(steps):
            on = dt.date(start, 4, 1)
            if k > 0:
                with_clock(
                    demo, demo.fy_start, i, services.ladder_leave, employee=employee, on=on - ONE_DAY, by=demo.hr
                )
            with_clock(
                demo,
                demo.fy_start,
                i,
                services.ladder_enter,
                employee=employee,
                stage_code=stages[k].code,
                on=on,
                by=demo.hr,
                note=NOTE_MIGRATED if start < demo.fy else "",
            )
            i += 1


def leavers(demo, exclude: set[int]) -> int:
    """People who sat in the department before and moved on: in the ladder while there (from 見習い, 修行中 after a
    year or more), left when they moved."""
    stages = demo.pack.ladder
    dept = demo.snap.subtree_ids([demo.department.unit_id])
    rows = (
        Assignment.objects.filter(
            unit_id__in=dept,
            valid_to__lt=demo.fy_start,
            employee__status=EmploymentStatus.ACTIVE,
            position__is_manager=False,
        )
        .exclude(employee_id__in=exclude)
        .order_by("-valid_to", "employee__number")
        .select_related("employee")
    )
    seen, n = set(), 0
    for a in rows:
        if n >= int(demo.conf["ladder"]["leavers"]) or a.employee_id in seen:
            continue
        if StagePeriod.objects.filter(employee_id=a.employee_id).exists():
            continue
        seen.add(a.employee_id)
        with_clock(
            demo,
            demo.fy_start,
            n,
            services.ladder_enter,
            employee=a.employee,
            stage_code=stages[0].code,
            on=a.valid_from,
            by=demo.hr,
            note=NOTE_MIGRATED,
        )
        second = dt.date(a.valid_from.year + 1 + (a.valid_from.month >= 4) - 1, 4, 1)
        if len(stages) > 1 and (a.valid_to - a.valid_from).days > 730 and a.valid_from < second <= a.valid_to:
            with_clock(
                demo, demo.fy_start, n, services.ladder_leave, employee=a.employee, on=second - ONE_DAY, by=demo.hr
            )
            with_clock(
                demo,
                demo.fy_start,
                n,
                services.ladder_enter,
                employee=a.employee,
                stage_code=stages[1].code,
                on=second,
                by=demo.hr,
                note=NOTE_MIGRATED,
            )
        with_clock(
            demo,
            demo.fy_start,
            n,
            services.ladder_leave,
            employee=a.employee,
            on=a.valid_to,
            by=demo.hr,
            note=NOTE_LEFT,
        )
        n += 1
    return n


def decide(demo, c: Career, head: Employee | None, head_user) -> int:
    """Proposed in March by last 年度's mentor, decided by the 部長 on 1 April (effective that day). Without a
    部長 in office since then (or a mentor), the step is recorded by hr like the older ones."""
    employee = Employee.objects.get(pk=c.employee_id)
    stages = demo.pack.ladder
    mentor = c.mentors.get(demo.fy - 1)
    since = None
    if head is not None:
        since = (
            Assignment.objects.filter(valid_on(demo.today), employee=head, position__is_manager=True)
            .values_list("valid_from", flat=True)
            .first()
        )
    day = max(demo.fy_start, since or demo.fy_start)
    if mentor is None or head_user is None or day >= demo.today:
        with_clock(
            demo, demo.fy_start, 0, services.ladder_leave, employee=employee, on=demo.fy_start - ONE_DAY, by=demo.hr
        )
        with_clock(
            demo,
            demo.fy_start,
            0,
            services.ladder_enter,
            employee=employee,
            stage_code=stages[c.current].code,
            on=demo.fy_start,
            by=demo.hr,
        )
        return 0
    proposed = dt.date(demo.fy, 3, 10)
    mentor_user = demo.login(Employee.objects.get(pk=mentor))
    reasons = demo.rng.choice(demo.conf["ladder"]["promotion_reasons"])
    promotion = demo.act(
        demo.moment(proposed, 1),
        services.promotion_propose,
        employee=employee,
        by=mentor_user,
        reasons=reasons,
        on=proposed,
    )
    demo.act(
        demo.moment(day, 2),
        services.promotion_decide,
        promotion=promotion,
        by=head_user,
        approve=True,
        reasons=demo.conf["ladder"]["decision_reasons"]["approve"],
        effective_on=demo.fy_start,
        on=day,
    )
    return 1

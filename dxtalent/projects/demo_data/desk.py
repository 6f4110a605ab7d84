"""The support desk's year (desk.yaml): consultations opened by leaders and liaisons, answered by the desk."""

import datetime as dt

from dxtalent.core.roles import Role
from dxtalent.org.models import Employee, RoleGrant, valid_on

from .. import services
from ..models import ConsultationStatus
from .timeline import STEP_MINUTES, run_at, run_on

S = ConsultationStatus


def _handlers(story) -> list:
    """The desk: the demo secretariat login and one colleague of its office (numbered after it, see people.py)."""
    login = story.secretariat
    me = story.cast.employees.get(Role.SECRETARIAT)
    handlers = [login]
    if me is None:
        return handlers
    row = story.people.staff.rows.get(me.pk)
    if row is None:
        return handlers
    colleagues = sorted(
        e for e, (unit, is_manager, _h) in story.people.staff.rows.items() if unit == row[0] and e != me.pk
    )
    after = [e for e in Employee.objects.filter(pk__in=colleagues).order_by("number") if e.number > me.number]
    if after:
        handlers.append(story.people.login(after[0], Role.SECRETARIAT, scope_unit_id=None, since=story.since))
    return handlers


def _liaisons(story) -> list:
    demo = story.cast.users.get(Role.LIAISON)
    others = [
        g.user
        for g in RoleGrant.objects.filter(valid_on(story.people.day), role=Role.LIAISON)
        .select_related("user")
        .order_by("user__username")
        if demo is None or g.user_id != demo.pk
    ]
    return ([demo] if demo is not None else []) + others


def play_desk(story, conf: dict) -> int:
    handlers = _handlers(story)
    liaisons = _liaisons(story)
    leaders = [p.leader_user for p in story.played.values() if p.leader_user is not None]
    kinds = {code for code, _name in story.pack.consultation_kinds}
    timeline, rng = story.timeline, story.rng
    made = 0
    for i, spec in enumerate(conf.get("consultations") or []):
        played = story.played.get(spec.get("project")) if spec.get("project") else None
        if spec.get("requester") == "liaison":
            if not liaisons:
                continue
            by = liaisons[i % len(liaisons)] if i % 3 else liaisons[0]
        elif played is not None and played.leader_user is not None:
            by = played.leader_user
        elif leaders:
            by = rng.choice(leaders)
        else:
            continue
        if played is not None:
            span = (played.last - played.first).total_seconds()
            opened = played.first + dt.timedelta(seconds=span * rng.uniform(0.3, 0.6))
            opened = timeline.moment(opened.date(), 12)
        else:
            opened = timeline.moment(timeline.day(rng.uniform(0.2, 0.9)), 12)
        kind = spec["kind"] if spec["kind"] in kinds else "other"
        c = run_at(
            opened,
            services.consultation_open,
            by=by,
            title=spec["title"],
            kind=kind,
            description=spec["description"],
            project=played.project if played is not None else None,
        )
        made += 1
        desk = handlers[i % len(handlers)]
        status = spec.get("status", S.RECEIVED)
        t, n = opened, 13
        if status != S.RECEIVED or spec.get("thread"):
            t = timeline.later(t, rng.randint(0, 2), n)
            run_on(t, services.consultation_assign, consultation=c, by=desk, handler=desk.employee)
            if status != S.OUT_OF_SCOPE:
                t += dt.timedelta(minutes=STEP_MINUTES)
                run_at(t, services.consultation_set_status, consultation=c, by=desk, status=S.IN_PROGRESS)
        for message in spec.get("thread") or []:
            n += 1
            t = timeline.later(t, rng.randint(1, 4), n)
            author = desk if message["from"] == "desk" else by
            run_at(t, services.consultation_reply, consultation=c, by=author, body=message["body"])
        case = story.cases.get(spec["case"]) if spec.get("case") else None
        if case is not None:
            t = max(t, case.published_at) + dt.timedelta(minutes=STEP_MINUTES)
            run_on(t, services.consultation_link_case, consultation=c, by=desk, case=case)
        if status in (S.RESOLVED, S.OUT_OF_SCOPE):
            t = timeline.later(t, rng.randint(0, 2), n + 1)
            run_at(t, services.consultation_set_status, consultation=c, by=desk, status=status)
    return made

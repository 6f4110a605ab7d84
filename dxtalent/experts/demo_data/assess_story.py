"""The demo's ② assessments: this 年度's cohort rated before the training and after it (open while it runs)."""

import datetime as dt

from dxtalent.competency import services as competency
from dxtalent.competency.models import CampaignKind, EvidenceKind, Rater
from dxtalent.core.roles import Role
from dxtalent.leaders.models import Cohort, CohortMember, MemberStatus
from dxtalent.training.models import Attendance, AttendanceStatus

from .common import ONE_DAY
from .levels import cohort_levels, self_levels

SECTION = "マインド・スキル評価"


def _formed(cohort: Cohort, start: dt.date) -> dt.date:
    """The day the cohort was formed (its trainees are known from then on)."""
    first = cohort.history.order_by("history_date").values_list("history_date", flat=True).first()
    return max(start, first.date()) if first is not None else start


def _rate(
    demo,
    assessment,
    user,
    rater: str,
    levels: dict,
    *,
    day: dt.date,
    index: int,
    comment: str = "",
    submit: bool = True,
):
    return demo.act(
        demo.moment(day, index),
        competency.assessment_rate,
        assessment=assessment,
        by=user,
        rater=rater,
        levels=levels,
        comment=comment,
        submit=submit,
    )


def play_cohort(demo) -> None:
    spec = demo.conf["cohort_campaigns"]
    code = spec["framework"]
    if code not in {f.code for f in demo.pack.frameworks}:
        demo.write(SECTION, f"フレームワーク「{code}」がポリシーパックにないため作りません")
        return
    cohort = Cohort.objects.filter(fiscal_year=demo.fy, run__isnull=False).select_related("run").first()
    if cohort is None:
        demo.write(SECTION, "今年度の期がまだないため、研修前・研修後の評価は作りません")
        return
    sessions = list(cohort.run.sessions.order_by("date", "number"))
    formed = _formed(cohort, demo.fy_start)
    if not sessions or formed >= demo.yesterday:
        return
    members = list(
        CohortMember.objects.filter(cohort=cohort, status__in=(MemberStatus.TRAINING, MemberStatus.COMPLETED))
        .select_related("employee")
        .order_by("employee__number")
    )
    first, last = sessions[0].date, sessions[-1].date
    label = f"第{cohort.number}期"
    pre_opens = max(first - dt.timedelta(days=int(spec["pre"]["days_before_first_session"])), formed + ONE_DAY)
    pre_closes = max(first - ONE_DAY, pre_opens)
    if last < demo.today:
        post_opens = last
    else:
        post_opens = demo.today - dt.timedelta(days=int(spec["post"]["open_days_before_today"]))
    post_opens = max(post_opens, pre_closes + ONE_DAY)
    post_closes = max(last, post_opens) + dt.timedelta(days=int(spec["post"]["days_after_last_session"]))
    evaluators = {m.employee_id: demo.evaluator_of(m.employee_id) for m in members}
    users = {m.employee_id: demo.login(m.employee, Role.LEADER) for m in members}
    counted = []
    before: dict[int, dict[str, int]] = {}
    for kind, opens, closes in (
        (CampaignKind.PRE, pre_opens, pre_closes),
        (CampaignKind.POST, post_opens, post_closes),
    ):
        if opens >= demo.today:
            continue
        post = kind == CampaignKind.POST
        created = demo.moment(opens, 0)
        campaign = demo.act(
            created,
            competency.campaign_create,
            by=demo.secretariat,
            name=spec["post" if post else "pre"]["name"].format(cohort=label),
            kind=kind,
            fiscal_year=demo.fy,
            framework_code=code,
            opens_on=opens,
            closes_on=closes,
            run=cohort.run,
        )
        assessments = demo.act(
            created,
            competency.campaign_add_people,
            dated=False,
            campaign=campaign,
            by=demo.secretariat,
            people=[(m.employee, evaluators[m.employee_id]) for m in members],
        )
        by_person = {a.employee_id: a for a in assessments}
        closed = closes < demo.today
        share = 1.0 if closed else float(spec["post"]["submitted_share"])
        submitted = 0
        for i, m in enumerate(members):
            a, e = by_person[m.employee_id], m.employee_id
            evaluated = cohort_levels(demo.rng, campaign.framework, post=post, before=before.get(e))
            before[e] = evaluated
            if demo.rng.random() >= share:
                if demo.rng.random() < 0.3:  # a draft saved, not submitted yet
                    draft = dict(list(self_levels(demo.rng, campaign.framework, evaluated).items())[:3])
                    _rate(
                        demo, a, users[e], Rater.SELF, draft, day=demo.day_between(opens, closes), index=i, submit=False
                    )
                continue
            talk = i < int(spec["comments"])
            day = demo.day_between(opens, closes)
            _rate(
                demo,
                a,
                users[e],
                Rater.SELF,
                self_levels(demo.rng, campaign.framework, evaluated),
                day=day,
                index=i,
                comment=spec["self_comments"][i % len(spec["self_comments"])] if talk else "",
            )
            if post:
                _evidence(demo, a, users[e], e, cohort, day)
            if evaluators[e] is not None:
                judged = min(demo.day_between(day, closes), demo.yesterday)
                _rate(
                    demo,
                    a,
                    demo.login(evaluators[e], Role.MANAGER),
                    Rater.EVALUATOR,
                    evaluated,
                    day=judged,
                    index=40 + i,
                    comment=spec["evaluator_comments"][i % len(spec["evaluator_comments"])] if talk else "",
                )
            submitted += 1
        if closed:
            demo.act(
                demo.moment(closes + ONE_DAY, 0), competency.campaign_close, campaign=campaign, by=demo.secretariat
            )
        counted.append(f"{campaign.name} {len(members)} 人（提出 {submitted} 人、{'締切' if closed else '受付中'}）")
    demo.write(SECTION, "、".join(counted) or "今年度の期の評価はまだありません")


def _evidence(demo, assessment, user, employee_id: int, cohort: Cohort, day: dt.date) -> None:
    """Two sessions the trainee attended (present or partial) up to `day`, linked by themselves."""
    rows = list(
        Attendance.objects.filter(
            session__run=cohort.run,
            enrollment__employee_id=employee_id,
            session__date__lte=day,
            status__in=(AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL),
        ).order_by("-session__date")[:2]
    )
    for i, attendance in enumerate(rows):
        demo.act(
            demo.moment(day, 60 + i),
            competency.evidence_add,
            dated=False,
            assessment=assessment,
            by=user,
            rater=Rater.SELF,
            kind=EvidenceKind.SESSION,
            attendance=attendance,
        )

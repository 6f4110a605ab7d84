"""`generate_scale_data`: the pack's planned cohorts at city scale, by plain bulk inserts (no change history)."""

import datetime as dt
import random
import time
from collections import defaultdict

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year_bounds, format_fiscal_year
from dxtalent.org.selectors import org_snapshot
from dxtalent.training.demo_data import Cast, Staff, ensure_pack, plus_hours
from dxtalent.training.models import (
    Attendance,
    AttendanceStatus,
    CourseRun,
    ELearningCompletion,
    Enrollment,
    EnrollmentStatus,
    Session,
)

from .. import grouping
from ..models import (
    Certification,
    Cohort,
    CohortMember,
    GroupEvaluation,
    GroupMembership,
    LeaderRole,
    MemberStatus,
    Nomination,
    NominationStatus,
    NominationWindow,
    PracticeGroup,
)
from ..selectors_cohorts import in_person_phases, prelearning_phase, proposed_session_dates
from ..services.cohorts import _leader_course, _prelearning_course  # the courses cohort_form uses

N = NominationStatus


def generate_scale_data(*, plan, seed: int, stdout) -> None:
    """The pack's planned cohorts (six of 35 for Sapporo), bulk-inserted for the benchmarks (no change history).

    Per cohort: its window (the first weeks of its training 年度), nominations (the cohort's size selected, a few
    補欠, 見送り and 取下げ), the cohort with its run, members and their enrollments, the pack's sessions on the
    default dates, practice groups proposed by `grouping.propose_groups`. Every cohort but the last is also
    finished: full attendance, the prerequisite, the 成果発表 evaluation, certification on 20 March of its
    training 年度 and a leader role (the pack's default type) from that day. The last cohort has attendance for
    the sessions held up to today.
    """
    started = time.perf_counter()
    pack = ensure_pack(stdout)
    if Cohort.objects.exists() or NominationWindow.objects.exists():
        stdout.write("  DX推進リーダー: 推薦受付か期が既にあるため作りません")
        return
    rng = random.Random(f"{seed}-leaders-scale")
    today = plan.today
    cast = Cast.of(plan)
    secretariat = cast.users.get(Role.SECRETARIAT)
    if secretariat is None:
        return
    staff = Staff.on(today)
    snap = org_snapshot(today)
    pool = sorted(e for e, (_u, is_manager, _h) in staff.rows.items() if not is_manager)
    extra = {N.RESERVE: 3, N.DECLINED: 5, N.WITHDRAWN: 2}
    cohorts_plan = list(pack.planned_cohorts)
    wanted = sum(size for _n, _fy, size in cohorts_plan) + sum(extra.values()) * len(cohorts_plan)
    people = rng.sample(pool, min(wanted, len(pool)))
    path = {e: snap.path_of(staff.rows[e][0]) for e in people}
    leader_course = _leader_course(pack, None)
    pre_course = _prelearning_course(pack, None)
    pre_phase = prelearning_phase(pack)
    phases = in_person_phases(pack)
    lo, hi = pack.group_size_bounds
    pack_id = pack.pk
    requirements = {code: True for code, _label in pack.nomination_requirements}
    last_number = max(n for n, _fy, _size in cohorts_plan)
    counts = defaultdict(int)
    for number, fy, size in cohorts_plan:
        start, end = fiscal_year_bounds(fy)
        window = NominationWindow.objects.create(
            fiscal_year=fy, pack_id=pack_id, opens_on=start, closes_on=start + dt.timedelta(days=23)
        )
        statuses = [N.SELECTED] * size + [s for s, k in extra.items() for _ in range(k)]
        chosen, people = people[: len(statuses)], people[len(statuses) :]
        nominations = Nomination.objects.bulk_create(
            Nomination(
                window=window,
                employee_id=e,
                unit_id=path[e]["top"].unit_id,
                nominated_by=secretariat,
                requirements=requirements,
                recommendation="規模データ",
                status=status,
                decision_reason="" if status in (N.SELECTED, N.WITHDRAWN) else "規模データ",
                decided_by=None if status == N.WITHDRAWN else secretariat,
            )
            for e, status in zip(chosen, statuses, strict=False)
        )
        selected = [n for n in nominations if n.status == N.SELECTED]
        finished = number != last_number
        run = CourseRun.objects.create(
            course=leader_course,
            fiscal_year=fy,
            title=f"{pack.curriculum_name} 第{number}期（{format_fiscal_year(fy)}）",
            program=CourseRun.Program.LEADER_COHORT,
            approval_required=False,
        )
        cohort = Cohort.objects.create(
            number=number, fiscal_year=fy, pack_id=pack_id, target_size=size, run=run, prelearning_course=pre_course
        )
        sessions, offset = [], 0
        dates = proposed_session_dates(pack, fy)
        for phase in phases:
            spec_start = dt.time(13)
            for i, day in enumerate(dates[phase.code]):
                sessions.append(
                    Session(
                        run=run,
                        phase_code=phase.code,
                        number=offset + i + 1,
                        date=day,
                        start_time=spec_start,
                        end_time=plus_hours(spec_start, phase.hours_per_session),
                        place="本庁舎18階 DX研修室",
                        hours=phase.hours_per_session,
                    )
                )
            offset += phase.sessions
        Session.objects.bulk_create(sessions)
        held = [s for s in sessions if finished or s.date <= today]
        enrollments = Enrollment.objects.bulk_create(
            Enrollment(
                run=run,
                employee_id=n.employee_id,
                status=EnrollmentStatus.COMPLETED
                if finished
                else EnrollmentStatus.IN_PROGRESS
                if held
                else EnrollmentStatus.APPROVED,
                decided_by=secretariat,
            )
            for n in selected
        )
        members = CohortMember.objects.bulk_create(
            CohortMember(
                cohort=cohort,
                employee_id=n.employee_id,
                nomination=n,
                enrollment=e,
                status=MemberStatus.CERTIFIED if finished else MemberStatus.TRAINING,
            )
            for n, e in zip(selected, enrollments, strict=True)
        )
        Attendance.objects.bulk_create(
            (
                Attendance(session=s, enrollment=e, status=AttendanceStatus.PRESENT, hours=s.hours)
                for s in held
                for e in enrollments
            ),
            batch_size=2000,
        )
        if pre_course is not None and pre_phase is not None and (finished or start + dt.timedelta(days=60) <= today):
            ELearningCompletion.objects.bulk_create(
                (
                    ELearningCompletion(
                        employee_id=m.employee_id,
                        course=pre_course,
                        completed_on=start + dt.timedelta(days=30 + rng.randint(0, 30)),
                        hours=pre_phase.hours,
                        source="規模データ",
                    )
                    for m in members
                ),
                ignore_conflicts=True,
            )
        rows = [
            (m.pk, path[m.employee_id]["top"].unit_id, getattr(path[m.employee_id].get("bu"), "unit_id", None))
            for m in members
        ]
        groups = grouping.propose_groups(rows, lo, hi) if len(rows) >= lo else [[r[0] for r in rows]] if rows else []
        made = PracticeGroup.objects.bulk_create(
            PracticeGroup(cohort=cohort, number=i, theme=f"業務課題 {number}-{i}") for i in range(1, len(groups) + 1)
        )
        GroupMembership.objects.bulk_create(
            GroupMembership(group=g, member_id=member_id)
            for g, ids in zip(made, groups, strict=True)
            for member_id in ids
        )
        if finished:
            certified_on = end - dt.timedelta(days=11)
            GroupEvaluation.objects.bulk_create(
                GroupEvaluation(
                    group=g, presented_on=sessions[-1].date, score=rng.randint(3, 5), evaluated_by=secretariat
                )
                for g in made
            )
            certs = Certification.objects.bulk_create(
                Certification(member=m, certified_on=certified_on, certified_by=secretariat) for m in members
            )
            LeaderRole.objects.bulk_create(
                LeaderRole(
                    employee_id=c.member.employee_id,
                    certification=c,
                    role_type=pack.default_role_type,
                    valid_from=certified_on,
                )
                for c in certs
            )
            counts["certified"] += len(certs)
        counts["cohorts"] += 1
        counts["members"] += len(members)
        counts["nominations"] += len(nominations)
        counts["sessions"] += len(sessions)
    stdout.write(
        f"  DX推進リーダー: 期 {counts['cohorts']} 件（研修生 {counts['members']} 人、"
        f"推薦 {counts['nominations']} 件、研修日 {counts['sessions']} 件）、認定 {counts['certified']} 人"
        f"（一括登録、{time.perf_counter() - started:.1f} 秒）"
    )

"""`make run`'s demo of the training engine and the DX推進リーダー programme (issue 3), and the city-scale data.

`load_policy_pack` + `load_demo` must show this 年度's cohort part-way through its year (nominations decided, the
cohort formed and scheduled from the pack, sessions up to today held with attendance and one 補講, one person
missing the prerequisite, practice groups with themes, no certification yet), a general-staff catalog with
applications in every state (the demo manager has some of their own 課 to approve), and next 年度's nomination
window open. Every number is checked against the pack, not a literal. Each demo login opens its pages.
"""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year
from dxtalent.leaders.models import (
    Certification,
    Cohort,
    CohortMember,
    GroupMembership,
    LeaderRole,
    MemberStatus,
    Nomination,
    NominationStatus,
    NominationWindow,
    PracticeGroup,
)
from dxtalent.leaders.selectors_cohorts import cohort_plan, cohort_progress, in_person_phases, window_state
from dxtalent.org import access
from dxtalent.org.access import Action
from dxtalent.org.models import RoleGrant, valid_on
from dxtalent.policy.selectors import current_pack
from dxtalent.training.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseRun,
    ELearningCompletion,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from dxtalent.training.selectors import pending_approvals

pytestmark = pytest.mark.django_db

EMPLOYEES = 600  # small, but every 局区 has people to nominate and the demo manager's 課 has staff


def _run(command: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


def _demo_logins() -> dict[str, object]:
    """role → the demo login (the first grant of each role: staffing.yaml's), as a user."""
    out = {}
    for grant in RoleGrant.objects.select_related("user").order_by("pk"):
        out.setdefault(grant.role, grant.user)
    return out


def test_load_demo_shows_the_programme_part_way_through_the_year(client):
    _run("load_policy_pack", str(settings.BASE_DIR / "policy_packs" / "sapporo-r8"))
    out = _run("load_demo", employees=EMPLOYEES)
    assert "研修:" in out and "DX推進リーダー:" in out
    today = timezone.localdate()
    fy = fiscal_year(today)
    pack = current_pack()
    number, size = cohort_plan(pack, fy)
    logins = _demo_logins()

    # 1. This 年度's window is closed; its nominations were decided: the pack's cohort size selected, the rest
    #    補欠 / 見送り with a reason; several 局区 nominated, the demo liaison (東区) among them.
    window = NominationWindow.objects.get(fiscal_year=fy)
    assert window_state(window, today) == "closed"
    assert window.quotas.filter(quota__gt=0).count() >= 10
    nominations = Nomination.objects.filter(window=window)
    active = nominations.exclude(status=NominationStatus.WITHDRAWN)
    assert active.count() > size
    assert nominations.filter(status=NominationStatus.SELECTED).count() == size
    assert not active.filter(status=NominationStatus.SUBMITTED).exists()
    for status in (NominationStatus.RESERVE, NominationStatus.DECLINED):
        decided = nominations.filter(status=status)
        assert decided.exists() and not decided.filter(decision_reason="").exists(), status
    assert active.values("unit").distinct().count() >= 10
    requirements = {code for code, _label in pack.nomination_requirements}
    assert all(set(n.requirements) == requirements and all(n.requirements.values()) for n in active)
    assert all(n.recommendation for n in active)
    liaison = logins[Role.LIAISON]
    assert nominations.filter(nominated_by=liaison, status=NominationStatus.SELECTED).exists()
    for n in active.select_related("nominated_by"):  # each liaison nominated for their own 局区 only
        assert n.unit_id in access.role_units(n.nominated_by, Role.LIAISON)

    # 2. 第N期 (N from the pack) formed from the selection, its sessions scheduled from the pack.
    cohort = Cohort.objects.get(fiscal_year=fy)
    assert cohort.number == number and cohort.target_size == size
    members = list(cohort.members.select_related("enrollment"))
    assert len(members) == size and all(m.status == MemberStatus.TRAINING for m in members)
    leader = logins[Role.LEADER].employee
    assert any(m.employee_id == leader.pk for m in members)
    regular = list(Session.objects.filter(run=cohort.run, is_makeup=False).order_by("date"))
    for phase in in_person_phases(pack):
        days = [s for s in regular if s.phase_code == phase.code]
        assert len(days) == phase.sessions, phase.code
        assert all(s.date.month in phase.months and s.hours == phase.hours_per_session for s in days), phase.code
        assert all(s.date.weekday() < 5 for s in days)

    # 3. Sessions up to today held with attendance (a few absences), later ones not; one 補講 with attendance.
    held = [s for s in regular if s.date <= today]  # none early in the 年度 (the first session is in summer)
    for s in regular:
        expected = len(members) if s.date <= today else 0
        assert Attendance.objects.filter(session=s).count() == expected, s
    rows = Attendance.objects.filter(session__run=cohort.run)
    assert rows.filter(status=AttendanceStatus.ABSENT).exists() == bool(held)
    makeups = Session.objects.filter(run=cohort.run, is_makeup=True)
    if held and held[0].date + dt.timedelta(days=21) <= today:
        makeup = makeups.get()
        made_up = Attendance.objects.get(session=makeup, status=AttendanceStatus.PRESENT)
        assert Attendance.objects.filter(
            session=makeup.makeup_for, enrollment=made_up.enrollment, status=AttendanceStatus.ABSENT
        ).exists()

    # … the prerequisite: everyone but one finished before the first マインドセット session; that one is flagged.
    progress = cohort_progress(cohort, today=today)
    gate = progress.prerequisite_deadline
    passed = gate is not None and gate <= today
    assert len(progress.flagged) == (1 if passed else 0)
    statuses = {r.prerequisite.status for r in progress.rows if not r.prerequisite.flagged}
    assert statuses <= ({"done"} if passed else {"done", "pending"})

    # 4. Practice groups within the pack's bounds, everyone in exactly one, each with a theme of a real 所属.
    lo, hi = pack.group_size_bounds
    groups = list(PracticeGroup.objects.filter(cohort=cohort).prefetch_related("memberships"))
    assert groups and all(lo <= len(g.memberships.all()) <= hi for g in groups)
    assert GroupMembership.objects.filter(group__cohort=cohort).values("member").distinct().count() == size
    assert all(g.theme and g.theme_unit_id for g in groups)

    # … and no certification yet: that happens at the end of the 年度.
    assert not Certification.objects.exists() and not LeaderRole.objects.exists()

    # 5. Next 年度's window is open, with quotas, and the 東区 liaison has already nominated someone.
    upcoming = NominationWindow.objects.get(fiscal_year=fy + 1)
    assert window_state(upcoming, today) == "open"
    assert upcoming.quotas.filter(quota__gt=0).exists()
    drafts = Nomination.objects.filter(window=upcoming, nominated_by=liaison, status=NominationStatus.SUBMITTED)
    assert drafts.exists()
    assert not CohortMember.objects.filter(employee__in=drafts.values("employee")).exists()

    # ① The general catalog: courses of the pack's talent types, applications in many states, a waitlist or
    #    e-learning completions, and the demo manager's own 課 waiting for approval.
    talent_types = {t.code for t in pack.talent_types}
    courses = Course.objects.filter(runs__program=CourseRun.Program.GENERAL).distinct()
    assert courses.count() >= 10 and set(courses.values_list("talent_type", flat=True)) <= talent_types
    general = Enrollment.objects.filter(run__program=CourseRun.Program.GENERAL, run__fiscal_year=fy)
    states = set(general.values_list("status", flat=True))
    assert EnrollmentStatus.APPLIED in states and len(states) >= 3
    assert ELearningCompletion.objects.exclude(course=cohort.prelearning_course).exists()
    manager = logins[Role.MANAGER]
    pending = list(pending_approvals(manager))
    assert pending and all(access.may_view_employee(manager, e.employee) for e in pending)
    me = logins[Role.EMPLOYEE].employee
    assert Enrollment.objects.filter(employee=me).exists() and ELearningCompletion.objects.filter(employee=me).exists()
    assert not Enrollment.objects.filter(employee=me, run__program=CourseRun.Program.LEADER_COHORT).exists()

    # Every demo login opens its home page and the programme pages its role allows; others answer 403.
    my_group = PracticeGroup.objects.get(memberships__member__employee=leader)
    held_session = held[-1] if held else regular[0]
    run = CourseRun.objects.filter(program=CourseRun.Program.GENERAL, fiscal_year=fy).first()
    everyone = None
    pages = [
        ("/", everyone),
        (reverse("training:catalog"), everyone),
        (reverse("training:my_training"), everyone),
        (reverse("training:run_detail", args=[run.pk]), everyone),
        (reverse("training:approvals"), Action.APPROVE_ENROLLMENTS),
        (reverse("training:attendance", args=[held_session.pk]), Action.MANAGE_TRAINING),
        (reverse("leaders:home"), everyone),
        (reverse("leaders:my_groups"), everyone),
        (reverse("leaders:window_list"), Action.VIEW_NOMINATIONS),
        (reverse("leaders:window_detail", args=[window.pk]), Action.VIEW_NOMINATIONS),
        (reverse("leaders:window_detail", args=[upcoming.pk]), Action.VIEW_NOMINATIONS),
        (reverse("leaders:window_quotas", args=[upcoming.pk]), Action.MANAGE_PROGRAMME),
        (reverse("leaders:nomination_create", args=[upcoming.pk]), Action.NOMINATE),
        (reverse("leaders:selection"), Action.MANAGE_PROGRAMME),
        (reverse("leaders:cohort_list"), Action.VIEW_PROGRAMME),
        (reverse("leaders:cohort_detail", args=[cohort.pk]), Action.VIEW_PROGRAMME),
        (reverse("leaders:groups", args=[cohort.pk]), Action.VIEW_PROGRAMME),
        (reverse("leaders:certification", args=[cohort.pk]), Action.VIEW_PROGRAMME),
        (reverse("leaders:leader_list"), Action.VIEW_PROGRAMME),
        (reverse("kpi:dashboard"), everyone),
    ]
    assert set(logins) == set(Role)
    for role, user in logins.items():
        client.force_login(user)
        for url, action in pages:
            expected = 200 if action is everyone or access.may(user, action) else 403
            assert client.get(url).status_code == expected, (role, url)
        own_group = client.get(reverse("leaders:group_detail", args=[my_group.pk])).status_code
        assert own_group == (200 if role == Role.LEADER or access.may(user, Action.VIEW_PROGRAMME) else 403), role

    client.force_login(manager)
    page = client.get(reverse("training:approvals")).content.decode()
    assert all(e.employee.name in page for e in pending)
    client.force_login(logins[Role.LEADER])
    assert my_group.theme in client.get(reverse("leaders:my_groups")).content.decode()
    client.force_login(logins[Role.SECRETARIAT])
    page = client.get(reverse("leaders:cohort_detail", args=[cohort.pk])).content.decode()
    assert all(r.employee.name in page for r in progress.flagged)
    client.force_login(liaison)
    page = client.get(reverse("leaders:home")).content.decode()
    assert all(n.employee.name in page for n in drafts)


def test_generate_scale_data_adds_the_pack_cohorts_and_a_year_of_enrollments():
    employees = 600
    out = _run("generate_scale_data", employees=employees, seed=1)
    assert "研修:" in out and "DX推進リーダー:" in out
    pack = current_pack()  # loaded by the scale data when missing
    today = timezone.localdate()
    fy = fiscal_year(today)

    cohorts = list(Cohort.objects.order_by("number"))
    assert [(c.number, c.fiscal_year, c.target_size) for c in cohorts] == list(pack.planned_cohorts)
    for c in cohorts:
        assert c.members.count() == c.target_size
        assert Session.objects.filter(run=c.run).count() == pack.in_person_days
        lo, hi = pack.group_size_bounds
        assert all(lo <= g.memberships.count() <= hi for g in c.groups.all())
    *finished, last = cohorts
    assert Certification.objects.count() == LeaderRole.objects.count() == sum(c.target_size for c in finished)
    assert not Certification.objects.filter(member__cohort=last).exists()
    assert all(r.role_type == pack.default_role_type for r in LeaderRole.objects.all())
    sheet = Session.objects.filter(run=cohorts[0].run).order_by("date").first()
    assert Attendance.objects.filter(session=sheet).count() == cohorts[0].target_size

    active = RoleGrant.objects.filter(valid_on(today)).count()
    assert active >= len(Role)
    general = Enrollment.objects.filter(run__program=CourseRun.Program.GENERAL, run__fiscal_year=fy).count()
    assert 0.6 * employees <= general <= 1.0 * employees  # ≈ 0.8 a person: 20,000 at 25,000 staff
    assert Attendance.objects.filter(session__run__program=CourseRun.Program.GENERAL).exists()

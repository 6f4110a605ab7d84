"""認定: eligibility from the pack's completion rule with reasons in Japanese; certifying creates the
Certification, the first LeaderRole and the leader login role; role changes are dated; a transferred leader
covers their new 部 from the transfer day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.core.wareki import fiscal_year, fiscal_year_bounds
from dxtalent.leaders import services
from dxtalent.leaders.coverage import coverage
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import Certification, CohortMember, LeaderRole, MemberStatus
from dxtalent.leaders.selectors_groups import active_members, certification_candidates, leader_list
from dxtalent.org.models import Assignment, OrgUnit, RoleGrant
from dxtalent.org.selectors import reset_snapshots
from dxtalent.org.services import employee_transfer
from dxtalent.policy.selectors import pack_by_id
from dxtalent.training.models import Attendance, AttendanceStatus, ELearningCompletion, Session
from tests import factories as f
from tests.leaders_groups.conftest import attend_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(people):
    return people["users"][Role.SECRETARIAT]


def _groups_and_presentations(cohort, staff, evaluate=True):
    proposal = services.groups_propose(cohort=cohort)
    groups = services.groups_save(cohort=cohort, groups=proposal.groups, by=staff, allow_out_of_bounds=True)
    if evaluate:
        for g in groups:
            services.group_evaluate(group=g, presented_on=timezone.localdate(), score=4, by=staff)
    return groups


def test_reasons_for_missing_hours_prerequisite_and_presentation(make_cohort, staff):
    cohort = make_cohort(6, full=False)
    members = active_members(cohort)
    pre = cohort.prelearning_course
    for i, m in enumerate(members):
        skip = {1: ("skills", 1)}.get(i, (None, 0))
        attend_all(cohort, m.enrollment, skip_phase=skip[0], skip=skip[1])
        if i != 2:
            ELearningCompletion.objects.create(
                employee=m.employee, course=pre, completed_on=dt.date(2026, 6, 1), hours=3
            )
    _groups_and_presentations(cohort, staff, evaluate=False)
    cands = certification_candidates(cohort)
    assert all(c.reasons[-1] == "成果発表の評価なし" for c in cands)
    services.group_evaluate(group=cohort.groups.get(), presented_on=timezone.localdate(), score=3, by=staff)
    by = {c.member.pk: c for c in certification_candidates(cohort)}
    skills = make_cohort.pack.phase("skills")
    short = skills.hours - skills.hours_per_session
    assert by[members[0].pk].eligible and by[members[0].pk].reasons == []
    assert by[members[1].pk].reasons == [f"スキル習得: {short:.1f}/{skills.hours.normalize():f}時間"]
    assert by[members[1].pk].reasons == ["スキル習得: 8.0/12時間"]  # Sapporo's numbers, as the secretariat sees them
    assert by[members[2].pk].reasons == ["事前学習（eラーニング）未修了"]


def test_makeup_counts_toward_its_phase_only_if_the_pack_allows(make_cohort, staff, monkeypatch):
    cohort = make_cohort(5, full=False)
    pre = cohort.prelearning_course
    missed = next(s for s in cohort.sessions if s.phase_code == "skills")
    for m in active_members(cohort):
        attend_all(cohort, m.enrollment, skip_phase="skills", skip=1)
        ELearningCompletion.objects.create(employee=m.employee, course=pre, completed_on=dt.date(2026, 6, 1), hours=3)
    _groups_and_presentations(cohort, staff)
    makeup = Session.objects.create(
        run=cohort.run,
        phase_code="",
        number=99,
        date=missed.date + dt.timedelta(days=3),
        hours=missed.hours,
        is_makeup=True,
        makeup_for=missed,
    )
    first = active_members(cohort)[0]
    Attendance.objects.create(
        session=makeup, enrollment=first.enrollment, status=AttendanceStatus.PRESENT, hours=missed.hours
    )
    by = {c.member.pk: c for c in certification_candidates(cohort)}
    assert by[first.pk].eligible
    assert sum(not c.eligible for c in by.values()) == 4
    rule = pack_by_id(cohort.pack_id).raw["curriculum"]["completion_rule"]
    monkeypatch.setitem(rule, "allow_makeup", False)
    by = {c.member.pk: c for c in certification_candidates(cohort)}
    assert not by[first.pk].eligible and by[first.pk].reasons == ["スキル習得: 8.0/12時間"]


def test_certify_creates_certification_role_and_login_role(make_cohort, staff):
    cohort = make_cohort(6)
    _groups_and_presentations(cohort, staff)
    members = active_members(cohort)
    f.login(members[0].employee)  # only this one has a login
    short = members[5]
    Attendance.objects.filter(enrollment=short.enrollment, session__phase_code="mindset").update(hours=Decimal(0))
    day = timezone.localdate()
    made = services.cohort_certify(cohort=cohort, member_ids=[m.pk for m in members[:4]], certified_on=day, by=staff)
    assert len(made) == 4
    pack = make_cohort.pack
    for m in members[:4]:
        m.refresh_from_db()
        assert m.status == MemberStatus.CERTIFIED
        role = LeaderRole.objects.get(employee=m.employee)
        assert (role.role_type, role.valid_from, role.valid_to) == (pack.default_role_type, day, None)
        assert role.certification.certified_by == staff
    grant = RoleGrant.objects.get(user=members[0].employee.user, role=Role.LEADER)
    assert grant.valid_from == day and grant.valid_to is None
    assert RoleGrant.objects.filter(role=Role.LEADER, user__employee__in=[m.employee for m in members]).count() == 1
    statuses = {m.pk: m.status for m in CohortMember.objects.filter(cohort=cohort)}
    assert statuses[members[4].pk] == MemberStatus.COMPLETED  # eligible, not certified (yet)
    assert statuses[short.pk] == MemberStatus.NOT_COMPLETED
    assert [r.employee for r in leader_list(user=staff, day=day)] == [m.employee for m in members[:4]]
    row = leader_list(user=staff, day=day)[0]
    assert row.role_type_name == pack.role_type(pack.default_role_type).name and not row.in_practice_year
    assert leader_list(user=staff, day=fiscal_year_bounds(cohort.practice_year)[0])[0].in_practice_year


def test_certify_refuses_ineligible_with_reason_and_saves_nothing(make_cohort, staff):
    cohort = make_cohort(5)
    _groups_and_presentations(cohort, staff)
    members = active_members(cohort)
    ELearningCompletion.objects.filter(employee=members[1].employee).delete()
    with pytest.raises(WorkflowError) as exc:
        services.cohort_certify(
            cohort=cohort, member_ids=[m.pk for m in members], certified_on=timezone.localdate(), by=staff
        )
    assert f"{members[1].employee.name}: 事前学習（eラーニング）未修了" in str(exc.value)
    assert not Certification.objects.exists() and not LeaderRole.objects.exists()
    assert not CohortMember.objects.filter(status=MemberStatus.CERTIFIED).exists()
    # certified people cannot be certified twice
    services.cohort_certify(cohort=cohort, member_ids=[members[0].pk], certified_on=timezone.localdate(), by=staff)
    with pytest.raises(WorkflowError, match="認定済み"):
        services.cohort_certify(cohort=cohort, member_ids=[members[0].pk], certified_on=timezone.localdate(), by=staff)


def test_certify_bad_input(make_cohort, staff):
    cohort = make_cohort(5)
    other = make_cohort(5)
    _groups_and_presentations(cohort, staff)
    start, _ = fiscal_year_bounds(cohort.fiscal_year)
    ids = [m.pk for m in active_members(cohort)]
    with pytest.raises(ValidationError, match="選んでください"):
        services.cohort_certify(cohort=cohort, member_ids=[], certified_on=start, by=staff)
    with pytest.raises(ValidationError, match="認定日は"):
        services.cohort_certify(cohort=cohort, member_ids=ids, certified_on=start - dt.timedelta(days=1), by=staff)
    with pytest.raises(ValidationError, match="研修生ではありません"):
        services.cohort_certify(cohort=cohort, member_ids=[active_members(other)[0].pk], certified_on=start, by=staff)
    assert not Certification.objects.exists()


# ---------------------------------------------------------------- roles


@pytest.fixture
def leader(make_cohort, staff):
    """A member of last year's cohort, certified on 20 March, working in 東区 市民部."""
    fy = fiscal_year(timezone.localdate()) - 1
    cohort = make_cohort(5, fy=fy, spread=[make_cohort.units["higashi_koseki"]])
    _groups_and_presentations(cohort, staff)
    member = active_members(cohort)[0]
    on = dt.date(fy + 1, 3, 20)
    services.cohort_certify(cohort=cohort, member_ids=[member.pk], certified_on=on, by=staff)
    return member.employee


def test_role_change_is_dated_history(leader, staff):
    role = LeaderRole.objects.get(employee=leader)
    on = role.valid_from + dt.timedelta(days=30)
    new = services.leader_role_change(employee=leader, role_type="dx_waku", on=on, note="オンライン申請", by=staff)
    role.refresh_from_db()
    assert role.valid_to == on - dt.timedelta(days=1)
    assert (new.valid_from, new.valid_to, new.certification_id) == (on, None, role.certification_id)
    assert new.history.first().history_user == staff  # the author is recorded even outside a web request
    before = leader_list(user=staff, day=on - dt.timedelta(days=1))
    after = leader_list(user=staff, day=on)
    assert before[0].role.role_type == "teisu" and after[0].role.role_type == "dx_waku"
    assert [r.employee for r in leader_list(user=staff, day=on, role_type="teisu")] == []
    with pytest.raises(ValidationError, match="役割類型「boss」はありません"):
        services.leader_role_change(employee=leader, role_type="boss", on=on + dt.timedelta(days=1), by=staff)
    with pytest.raises(ValidationError, match="既に"):
        services.leader_role_change(employee=leader, role_type="dx_waku", on=on + dt.timedelta(days=1), by=staff)
    with pytest.raises(WorkflowError, match="より後に始まる役割"):
        services.leader_role_change(employee=leader, role_type="gyosei_dx", on=on - dt.timedelta(days=5), by=staff)
    assert LeaderRole.objects.filter(employee=leader).count() == 2


def test_role_end_closes_role_and_login_role(leader, staff):
    f.login(leader)
    RoleGrant.objects.filter(user=leader.user, role=Role.EMPLOYEE).delete()
    RoleGrant.objects.create(user=leader.user, role=Role.LEADER, valid_from=LeaderRole.objects.get().valid_from)
    on = timezone.localdate()
    with pytest.raises(ValidationError, match="理由"):
        services.leader_role_end(employee=leader, on=on, reason=" ", by=staff)
    services.leader_role_end(employee=leader, on=on, reason="退職のため", by=staff)
    role = LeaderRole.objects.get(employee=leader)
    assert role.valid_to == on - dt.timedelta(days=1) and "退職のため" in role.note
    assert RoleGrant.objects.get(user=leader.user, role=Role.LEADER).valid_to == on - dt.timedelta(days=1)
    assert leader_list(user=staff, day=on) == []
    with pytest.raises(WorkflowError, match="DX推進リーダーではありません"):
        services.leader_role_change(employee=leader, role_type="dx_waku", on=on, by=staff)


def test_coverage_follows_an_april_transfer_of_a_leader(leader, staff):
    certified_on = LeaderRole.objects.get(employee=leader).valid_from
    april = dt.date(certified_on.year, 4, 1)
    higashi_bu = OrgUnit.objects.get(code="K01-1")
    kita_bu, kita_ka = OrgUnit.objects.get(code="K02-1"), OrgUnit.objects.get(code="K02-1-1")
    position = Assignment.objects.get(employee=leader).position
    employee_transfer(employee=leader, unit=kita_ka, position=position, on=april)
    reset_snapshots()
    before, after = coverage(april - dt.timedelta(days=1)), coverage(april)
    assert before.bu_leaders.get(higashi_bu.pk) == 1 and not before.bu_leaders.get(kita_bu.pk)
    assert after.bu_leaders.get(kita_bu.pk) == 1 and not after.bu_leaders.get(higashi_bu.pk)
    assert before.active_leaders == after.active_leaders == 1
    # the leader list follows the same move; the role itself is untouched
    assert leader_list(user=staff, day=april - dt.timedelta(days=1))[0].top == "東区"
    assert leader_list(user=staff, day=april)[0].top == "北区"
    assert LeaderRole.objects.get(employee=leader).valid_to is None
    # before certification there was no leader at all
    assert coverage(certified_on - dt.timedelta(days=1)).active_leaders == 0

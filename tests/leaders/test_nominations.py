"""Nomination windows, quotas and every bad-nomination case with its message."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dxtalent.core.roles import Role
from dxtalent.leaders import services
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import (
    Certification,
    Cohort,
    CohortMember,
    LeaderRole,
    MemberStatus,
    Nomination,
    NominationStatus,
)
from dxtalent.org import services as org_services
from dxtalent.org.models import EmploymentStatus
from tests import factories as f
from tests.leaders.conftest import all_requirements, open_window

pytestmark = pytest.mark.django_db


def submit(window, employee, by, pack, **kw):
    return services.nomination_submit(
        window=window,
        employee=employee,
        by=by,
        requirements=kw.pop("requirements", all_requirements(pack)),
        recommendation=kw.pop("recommendation", "庁内のExcel業務を自動化した実績があります。"),
    )


def message(exc_info, field="employee") -> str:
    return " ".join(exc_info.value.message_dict[field])


# ---------------------------------------------------------------- windows


def test_window_uses_the_pack_in_force_and_is_unique_per_year(pack, sec, today, next_fy, window):
    assert window.pack_id == pack.pk and window.fiscal_year == next_fy
    with pytest.raises(ValidationError) as exc:
        open_window(sec, next_fy, today)
    assert "既にあります" in message(exc, "fiscal_year")


def test_window_dates_are_checked(pack, sec, today, next_fy):
    with pytest.raises(ValidationError) as exc:
        services.nomination_window_open(fiscal_year=next_fy, opens_on=today, closes_on=today - dt.timedelta(1), by=sec)
    assert "締切日は受付開始日以降" in message(exc, "closes_on")


def test_only_the_secretariat_opens_windows(pack, liaison, today, next_fy):
    with pytest.raises(PermissionDenied):
        open_window(liaison, next_fy, today)


def test_window_deadline_is_inclusive_then_closed(pack, sec, liaison, people, today, next_fy):
    last_day = open_window(sec, next_fy, today, opens=-5, closes=0)
    n = submit(last_day, people["higashi_staff"], liaison, pack)
    assert n.status == NominationStatus.SUBMITTED

    closed = open_window(sec, next_fy + 1, today, opens=-5, closes=-1)
    with pytest.raises(WorkflowError) as exc:
        submit(closed, people["higashi_other_ka"], liaison, pack)
    assert "締切" in str(exc.value) and "過ぎている" in str(exc.value)

    upcoming = open_window(sec, next_fy + 2, today, opens=1, closes=20)
    with pytest.raises(WorkflowError) as exc:
        submit(upcoming, people["higashi_other_ka"], liaison, pack)
    assert "まだ始まっていません" in str(exc.value)


# ---------------------------------------------------------------- quotas


def test_quotas_are_set_per_kyoku_ku(pack, sec, liaison, people, window):
    city = people["units"]
    services.nomination_quotas_set(window=window, quotas={city["higashi"].pk: 2, city["kita"].pk: 1}, by=sec)
    assert {q.unit_id: q.quota for q in window.quotas.all()} == {city["higashi"].pk: 2, city["kita"].pk: 1}
    services.nomination_quotas_set(window=window, quotas={city["kita"].pk: 3}, by=sec)
    assert {q.unit_id: q.quota for q in window.quotas.all()} == {city["higashi"].pk: 2, city["kita"].pk: 3}
    with pytest.raises(ValidationError) as exc:
        services.nomination_quotas_set(window=window, quotas={city["higashi_shimin"].pk: 1}, by=sec)
    assert "局区ではありません" in message(exc, "quotas")
    with pytest.raises(ValidationError):
        services.nomination_quotas_set(window=window, quotas={city["kita"].pk: -1}, by=sec)
    with pytest.raises(PermissionDenied):
        services.nomination_quotas_set(window=window, quotas={city["kita"].pk: 9}, by=liaison)


def test_over_quota_is_refused_with_the_numbers(pack, sec, liaison, people, window):
    city = people["units"]
    services.nomination_quotas_set(window=window, quotas={city["higashi"].pk: 1}, by=sec)
    first = submit(window, people["higashi_staff"], liaison, pack)
    with pytest.raises(ValidationError) as exc:
        submit(window, people["higashi_other_ka"], liaison, pack)
    assert message(exc) == (
        "東区の推薦枠（1名）に達しています（推薦済み 1名）。"
        "追加で推薦する場合は、事務局に推薦枠の変更を依頼するか、推薦を取り下げてください。"
    )
    # withdrawing frees the place
    services.nomination_withdraw(nomination=first, by=liaison)
    assert submit(window, people["higashi_other_ka"], liaison, pack).status == NominationStatus.SUBMITTED


# ---------------------------------------------------------------- who may be nominated


def test_liaison_nominates_own_kyoku_ku_only(pack, liaison, kita_liaison, people, window):
    n = submit(window, people["higashi_staff"], liaison, pack)
    assert n.unit_id == people["units"]["higashi"].pk and n.nominated_by == liaison
    assert n.requirements == all_requirements(pack)
    with pytest.raises(ValidationError) as exc:
        submit(window, people["kita_staff"], liaison, pack)
    assert message(exc) == "北 一郎さんは担当の局区（東区）の職員ではないため推薦できません。"
    assert submit(window, people["kita_staff"], kita_liaison, pack).unit_id == people["units"]["kita"].pk


def test_people_who_moved_out_are_not_in_the_kyoku_ku(pack, liaison, people, window, today):
    person = people["higashi_other_ka"]
    org_services.employee_transfer(
        employee=person, unit=people["units"]["kita_koseki"], position=f.position(), on=today
    )
    from dxtalent.org.selectors import reset_snapshots

    reset_snapshots()
    with pytest.raises(ValidationError) as exc:
        submit(window, person, liaison, pack)
    assert "担当の局区（東区）の職員ではない" in message(exc)


def test_non_liaisons_cannot_nominate(pack, sec, people, window):
    for role in (Role.SECRETARIAT, Role.EMPLOYEE, Role.MANAGER, Role.HR):
        with pytest.raises(PermissionDenied):
            submit(window, people["higashi_staff"], people["users"][role], pack)


def test_retired_person(pack, liaison, people, window, today):
    person = people["higashi_other_ka"]
    person.status, person.left_on = EmploymentStatus.RETIRED, today
    person.save()
    with pytest.raises(ValidationError) as exc:
        submit(window, person, liaison, pack)
    assert message(exc) == "保険 次郎さんは退職・転出しているため推薦できません。"


def _make_leader(employee, pack, sec, today, *, certify=True, role=False):
    cohort = Cohort.objects.filter(number=1).first() or Cohort.objects.create(
        number=1, fiscal_year=2000, pack_id=pack.pk, target_size=pack.cohort_size
    )
    member = CohortMember.objects.create(cohort=cohort, employee=employee)
    if certify:
        member.status = MemberStatus.CERTIFIED
        member.save()
        cert = Certification.objects.create(member=member, certified_on=today, certified_by=sec)
        if role:
            LeaderRole.objects.create(
                employee=employee, certification=cert, role_type=pack.default_role_type, valid_from=today
            )
    return member


def test_already_a_leader(pack, sec, liaison, people, window, today):
    _make_leader(people["higashi_staff"], pack, sec, today)
    with pytest.raises(ValidationError) as exc:
        submit(window, people["higashi_staff"], liaison, pack)
    assert message(exc).startswith("東 花子さんは既にDX推進リーダーです（第1期、")


def test_active_leader_role_without_certification_row_lookup(pack, sec, liaison, people, window, today):
    _make_leader(people["higashi_other_ka"], pack, sec, today, role=True)
    with pytest.raises(ValidationError) as exc:
        submit(window, people["higashi_other_ka"], liaison, pack)
    assert "既にDX推進リーダー" in message(exc)


def test_trainee_of_a_cohort_in_training(pack, sec, liaison, people, window, today):
    _make_leader(people["higashi_staff"], pack, sec, today, certify=False)
    with pytest.raises(ValidationError) as exc:
        submit(window, people["higashi_staff"], liaison, pack)
    assert message(exc) == "東 花子さんは第1期の研修生です。"


def test_already_nominated_this_year_by_anyone(pack, liaison, people, window, today):
    person = people["higashi_staff"]
    submit(window, person, liaison, pack)
    with pytest.raises(ValidationError) as exc:
        submit(window, person, liaison, pack)
    assert "既に推薦されています（推薦した局区: 東区）" in message(exc)
    assert "同じ年度に推薦できるのは1回です" in message(exc)
    assert Nomination.objects.count() == 1


def test_all_requirements_and_a_recommendation_are_required(pack, liaison, people, window):
    person = people["higashi_staff"]
    reqs = all_requirements(pack)
    reqs["communication"] = False
    with pytest.raises(ValidationError) as exc:
        submit(window, person, liaison, pack, requirements=reqs)
    assert message(exc, "requirements") == (
        "推薦の要件をすべて満たす職員だけを推薦できます。未確認の要件: コミュニケーション力が高いこと"
    )
    with pytest.raises(ValidationError) as exc:
        submit(window, person, liaison, pack, recommendation="  ")
    assert message(exc, "recommendation") == "推薦理由を入力してください。"
    with pytest.raises(ValidationError) as exc:
        submit(window, person, liaison, pack, requirements={**all_requirements(pack), "magic": True})
    assert "要件コード「magic」" in message(exc, "requirements")
    assert not Nomination.objects.exists()


# ---------------------------------------------------------------- edit and withdraw


def test_liaison_edits_until_the_deadline(pack, sec, liaison, kita_liaison, people, window, today):
    n = submit(window, people["higashi_staff"], liaison, pack)
    n = services.nomination_update(nomination=n, by=liaison, recommendation="書き直した推薦理由")
    assert n.recommendation == "書き直した推薦理由"
    with pytest.raises(PermissionDenied):
        services.nomination_update(nomination=n, by=kita_liaison, recommendation="他区が書き換え")
    with pytest.raises(ValidationError):
        services.nomination_update(nomination=n, by=liaison, recommendation="")
    services.nomination_window_update(window=window, closes_on=today - dt.timedelta(days=1), opens_on=None, by=sec)
    with pytest.raises(WorkflowError) as exc:
        services.nomination_update(nomination=n, by=liaison, recommendation="締切後")
    assert "締切" in str(exc.value) and "変更できません" in str(exc.value)
    with pytest.raises(WorkflowError):
        services.nomination_withdraw(nomination=n, by=liaison)


def test_decided_nominations_are_not_edited(pack, sec, liaison, people, window):
    n = submit(window, people["higashi_staff"], liaison, pack)
    services.nomination_decide(nomination=n, decision="selected", by=sec)
    with pytest.raises(WorkflowError) as exc:
        services.nomination_update(nomination=n, by=liaison, recommendation="x")
    assert "「選定」のため変更できません" in str(exc.value)


def test_withdrawn_person_can_be_nominated_again(pack, liaison, people, window):
    person = people["higashi_staff"]
    n = submit(window, person, liaison, pack)
    services.nomination_withdraw(nomination=n, by=liaison)
    again = submit(window, person, liaison, pack, recommendation="再推薦")
    assert again.pk == n.pk and again.status == NominationStatus.SUBMITTED and again.recommendation == "再推薦"

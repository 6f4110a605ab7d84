"""Practice groups through the services: proposal from the pack's bounds, saving, moving, theme, deliverables
(with bad input refused in Japanese and nothing saved), and the 成果発表 evaluation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxtalent.core.roles import Role
from dxtalent.leaders import services
from dxtalent.leaders.errors import WorkflowError
from dxtalent.leaders.models import Deliverable, GroupEvaluation, GroupMembership, MemberStatus, PracticeGroup
from dxtalent.leaders.selectors_groups import active_members, cohort_groups

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100


@pytest.fixture
def staff(people):
    return people["users"][Role.SECRETARIAT]


def _save_proposal(cohort, staff, **kw):
    proposal = services.groups_propose(cohort=cohort)
    return services.groups_save(cohort=cohort, groups=proposal.groups, by=staff, **kw), proposal


def test_propose_and_save_35(make_cohort, staff):
    cohort = make_cohort(35, full=False)
    groups, proposal = _save_proposal(cohort, staff)
    assert proposal.plan.feasible and proposal.message == ""
    lo, hi = make_cohort.pack.group_size_bounds
    sizes = [g.memberships.count() for g in groups]
    assert sum(sizes) == 35 and all(lo <= s <= hi for s in sizes)
    page = cohort_groups(cohort=cohort, user=staff)
    assert not page.size_warnings and not page.ungrouped
    # mixed: every group has people from more than one 局区
    assert all(g.mix["tops"] > 1 for g in page.groups)


def test_impossible_size_needs_the_override_and_says_why(make_cohort, staff):
    cohort = make_cohort(8, full=False)
    proposal = services.groups_propose(cohort=cohort)
    assert not proposal.plan.feasible
    assert proposal.message.startswith("8人では5〜6名のグループに分けられません")
    with pytest.raises(ValidationError) as exc:
        services.groups_save(cohort=cohort, groups=proposal.groups, by=staff)
    assert "範囲外" in str(exc.value) and "人数の範囲外を認める" in str(exc.value)
    assert not PracticeGroup.objects.filter(cohort=cohort).exists()
    services.groups_save(cohort=cohort, groups=proposal.groups, by=staff, allow_out_of_bounds=True)
    page = cohort_groups(cohort=cohort, user=staff)
    assert len(page.size_warnings) == len(page.groups) == 2


def test_save_validates_everyone_exactly_once(make_cohort, staff):
    cohort = make_cohort(10, full=False)
    other = make_cohort(5, full=False)
    ids = [m.pk for m in active_members(cohort)]
    stranger = active_members(other)[0].pk
    cases = [
        ([ids[:5], ids[4:10]], "両方"),  # ids[4] twice
        ([ids[:5], ids[5:9]], "グループに入っていない"),
        ([ids[:5], [*ids[5:], stranger]], "この期の研修生"),
        ([ids[:5], ids[5:], []], "研修生がいません"),
    ]
    for groups, expected in cases:
        with pytest.raises(ValidationError) as exc:
            services.groups_save(cohort=cohort, groups=groups, by=staff, allow_out_of_bounds=True)
        assert expected in str(exc.value)
    assert not GroupMembership.objects.exists()


def test_withdrawn_members_are_left_out(make_cohort, staff):
    cohort = make_cohort(11, full=False)
    _save_proposal(cohort, staff)
    gone = active_members(cohort)[0]
    gone.status = MemberStatus.WITHDRAWN
    gone.save()
    _groups, proposal = _save_proposal(cohort, staff)
    assert gone.pk not in [m for g in proposal.groups for m in g]
    assert not GroupMembership.objects.filter(member=gone).exists()


def test_resave_keeps_group_rows_and_themes(make_cohort, staff, city):
    cohort = make_cohort(12, full=False)
    groups, _ = _save_proposal(cohort, staff)
    services.group_set_theme(
        group=groups[0], theme="照会業務の可視化", description="", unit=city["higashi_koseki"], by=staff
    )
    again, _ = _save_proposal(cohort, staff)
    assert [g.pk for g in again] == [g.pk for g in groups]
    assert PracticeGroup.objects.get(pk=groups[0].pk).theme == "照会業務の可視化"


def test_move_member_respects_bounds_unless_overridden(make_cohort, staff):
    cohort = make_cohort(12, full=False)  # 6 + 6
    groups, _proposal = _save_proposal(cohort, staff)
    member = active_members(cohort)[0]
    source = GroupMembership.objects.get(member=member).group
    target = next(g for g in groups if g.pk != source.pk)
    with pytest.raises(ValidationError) as exc:
        services.group_move_member(member=member, group=target, by=staff)
    assert "7名" in str(exc.value) and "範囲外" in str(exc.value)
    services.group_move_member(member=member, group=target, by=staff, allow_out_of_bounds=True)
    assert GroupMembership.objects.get(member=member).group == target
    assert [len(g.members) for g in cohort_groups(cohort=cohort, user=staff).size_warnings] == [7]  # 7 + 5


def test_evaluated_group_is_frozen(make_cohort, staff):
    cohort = make_cohort(12, full=False)
    groups, proposal = _save_proposal(cohort, staff)
    services.group_evaluate(group=groups[0], presented_on=timezone.localdate(), score=4, comment="", by=staff)
    member = GroupMembership.objects.filter(group=groups[0]).first().member
    with pytest.raises(WorkflowError, match="評価が済んでいる"):
        services.group_move_member(member=member, group=groups[1], by=staff, allow_out_of_bounds=True)
    swapped = [
        list(reversed(proposal.groups[0][:1] + proposal.groups[1][1:])),
        proposal.groups[1][:1] + proposal.groups[0][1:],
    ]
    with pytest.raises(WorkflowError):
        services.groups_save(cohort=cohort, groups=swapped, by=staff)


def test_theme_needs_a_problem_and_a_unit(make_cohort, staff):
    cohort = make_cohort(5, full=False)
    (group,), _ = _save_proposal(cohort, staff)
    with pytest.raises(ValidationError) as exc:
        services.group_set_theme(group=group, theme="  ", description="", unit=None, by=staff)
    assert set(exc.value.message_dict) == {"theme", "unit"}
    group.refresh_from_db()
    assert group.theme == ""


# ---------------------------------------------------------------- deliverables


@pytest.fixture
def group5(make_cohort, staff):
    cohort = make_cohort(5, full=False)
    (group,), _ = _save_proposal(cohort, staff)
    return group


def _add(group, staff, **kw):
    args = {"group": group, "step_code": "planning", "title": "企画書", "by": staff} | kw
    return services.deliverable_add(**args)


def test_deliverables_file_and_link(group5, staff):
    d = _add(group5, staff, file=SimpleUploadedFile("企画書.pdf", PDF, content_type="application/pdf"))
    assert d.file.name.endswith(".pdf")
    _add(group5, staff, step_code="joint_build", title="共同アプリ", url="https://groupware.example.jp/apps/12")
    member = active_members(group5.cohort)[0]
    _add(group5, staff, step_code="prototype", member=member, title="試作", file=SimpleUploadedFile("a.png", PNG))
    _add(group5, staff, step_code="presentation", title="発表資料", url="http://intra.example/slides")
    assert Deliverable.objects.filter(group=group5).count() == 4


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"file": SimpleUploadedFile("x.exe", b"MZ" + b"0" * 10)},
            "file",
            "この形式のファイル（.exe）は登録できません",
        ),
        ({"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")}, "file", "拡張子（.pdf）と一致しません"),
        ({"url": "javascript:alert(1)"}, "url", "http:// または https://"),
        ({"url": "ftp://example.jp/x"}, "url", "http:// または https://"),
        ({"url": ""}, "file", "ファイルかリンクのどちらか"),
        ({"step_code": "review", "url": "https://x.jp"}, "step_code", "演習の回「review」はありません"),
        ({"step_code": "prototype", "url": "https://x.jp"}, "member", "作成者を選んでください"),
        ({"title": " ", "url": "https://x.jp"}, "title", "成果物名を入力してください"),
    ],
)
def test_bad_deliverables_are_refused_and_nothing_saved(group5, staff, kwargs, field, message):
    with pytest.raises(ValidationError) as exc:
        _add(group5, staff, **kwargs)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Deliverable.objects.exists()


def test_file_too_large(group5, staff, monkeypatch):
    from dxtalent.core import uploads

    monkeypatch.setattr(uploads, "MAX_FILE_MB", 1)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        _add(group5, staff, file=big)
    assert "1MB以下にしてください" in exc.value.message_dict["file"][0]
    assert not Deliverable.objects.exists()


def test_prototype_member_must_belong_to_the_group(make_cohort, staff):
    cohort = make_cohort(10, full=False)
    groups, _ = _save_proposal(cohort, staff)
    outsider = GroupMembership.objects.filter(group=groups[1]).first().member
    with pytest.raises(ValidationError) as exc:
        _add(groups[0], staff, step_code="prototype", member=outsider, url="https://x.jp")
    assert "このグループの構成員ではありません" in exc.value.message_dict["member"][0]


# ---------------------------------------------------------------- evaluation


@pytest.mark.parametrize("score", [0, 6, "3.5", "abc", None, True])
def test_score_out_of_range(group5, staff, score):
    with pytest.raises(ValidationError) as exc:
        services.group_evaluate(group=group5, presented_on=timezone.localdate(), score=score, by=staff)
    assert exc.value.message_dict["score"] == ["評価は1〜5の整数で入力してください"]
    assert not GroupEvaluation.objects.exists()


def test_evaluation_future_date_refused_and_correction_allowed(group5, staff):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.group_evaluate(group=group5, presented_on=today + dt.timedelta(days=1), score=3, by=staff)
    assert "未来" in exc.value.message_dict["presented_on"][0]
    services.group_evaluate(group=group5, presented_on=today, score="３", by=staff)  # 全角 from a form
    services.group_evaluate(group=group5, presented_on=today, score=5, comment="よい発表", by=staff)
    e = GroupEvaluation.objects.get()
    assert (e.score, e.comment) == (5, "よい発表")

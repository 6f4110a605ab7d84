"""The group, certification and leader pages: who may see and do what (role by role, on real objects), forms
that re-show Japanese errors and save nothing, htmx moves, exports, and query counts that do not grow with rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dxtalent.core.models import ExportLog
from dxtalent.core.roles import Role
from dxtalent.leaders import services
from dxtalent.leaders.models import (
    Certification,
    Deliverable,
    GroupEvaluation,
    GroupMembership,
    LeaderRole,
    PracticeGroup,
)
from dxtalent.leaders.selectors_groups import active_members
from dxtalent.org.selectors import org_snapshot, reset_snapshots
from tests import factories as f

pytestmark = pytest.mark.django_db

VIEWERS = {Role.SECRETARIAT, Role.HR, Role.LIAISON}
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
def staff(people):
    return people["users"][Role.SECRETARIAT]


@pytest.fixture
def grouped(make_cohort, staff):
    """A fully trained cohort of 12 (two groups of 6) with saved groups."""
    cohort = make_cohort(12)
    proposal = services.groups_propose(cohort=cohort)
    services.groups_save(cohort=cohort, groups=proposal.groups, by=staff)
    return cohort


def _in_higashi(employee, people) -> bool:
    path = org_snapshot().path_of(employee.assignments.get().unit_id)
    return path["top"].unit_id == people["units"]["higashi"].pk


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_groups_and_certification_pages_role_by_role(client, people, grouped):
    for role, user in people["users"].items():
        for name in ("leaders:groups", "leaders:certification"):
            status = _get(client, user, reverse(name, kwargs={"cohort_pk": grouped.pk})).status_code
            assert status == (200 if role in VIEWERS else 403), (name, role, status)
        group = grouped.groups.first()
        status = _get(client, user, reverse("leaders:group_detail", args=[group.pk])).status_code
        assert status == (200 if role in VIEWERS else 403), ("group_detail", role, status)


def test_liaison_sees_only_own_kyoku_by_name(client, people, grouped):
    body = _get(client, people["users"][Role.LIAISON], reverse("leaders:groups", args=[grouped.pk])).content.decode()
    members = active_members(grouped)
    higashi = [m for m in members if _in_higashi(m.employee, people)]
    others = [m for m in members if m not in higashi]
    assert higashi and others
    assert all(m.employee.name in body for m in higashi)
    assert not any(m.employee.name in body for m in others)
    assert "担当外の研修生" in body
    body = _get(client, people["users"][Role.LIAISON], reverse("leaders:certification", args=[grouped.pk])).content
    assert not any(m.employee.name in body.decode() for m in others)
    assert "選んだ研修生を認定する" not in body.decode()  # viewing only


def test_propose_then_save_from_the_page(client, make_cohort, staff, people):
    cohort = make_cohort(11, full=False)
    url = reverse("leaders:groups", args=[cohort.pk])
    client.force_login(people["users"][Role.HR])  # HR views the programme but does not form groups
    assert client.post(url, {"action": "propose"}).status_code == 403
    client.force_login(staff)
    page = client.post(url, {"action": "propose"})
    assert page.status_code == 200 and "グループ案（未保存）" in page.content.decode()
    assert not PracticeGroup.objects.exists()
    proposal = services.groups_propose(cohort=cohort)
    data = {"action": "save"}
    for number, ids in enumerate(proposal.groups, start=1):
        data |= {f"member_{pk}": number for pk in ids}
    response = client.post(url, data)
    assert response.status_code == 302
    assert PracticeGroup.objects.filter(cohort=cohort).count() == 2
    # all in one group of 11: out of bounds, refused with the reason, nothing changed
    before = list(GroupMembership.objects.order_by("pk").values_list("group_id", flat=True))
    data = {"action": "save"} | {f"member_{m.pk}": 1 for m in active_members(cohort)}
    body = client.post(url, data).content.decode()
    assert "グループ1は11名です（5〜6名の範囲外）" in body
    assert list(GroupMembership.objects.order_by("pk").values_list("group_id", flat=True)) == before


def test_move_with_htmx_returns_the_groups_fragment(client, staff, grouped):
    member = active_members(grouped)[0]
    source = GroupMembership.objects.get(member=member).group
    target = grouped.groups.exclude(pk=source.pk).get()
    client.force_login(staff)
    url = reverse("leaders:groups", args=[grouped.pk])
    response = client.post(url, {"action": "move", "member": member.pk, "group": target.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="groups"' in body
    assert "範囲外でも移動するには" in body
    assert GroupMembership.objects.get(member=member).group == source
    data = {"action": "move", "member": member.pk, "group": target.pk, "allow_out_of_bounds": "on"}
    body = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert GroupMembership.objects.get(member=member).group == target
    assert "人数が範囲外" in body


def test_trainee_sees_own_group_and_uploads_but_not_other_groups(client, people, grouped):
    g1, g2 = grouped.groups.order_by("number")
    me = GroupMembership.objects.filter(group=g1).first().member
    user = f.login(me.employee)
    client.force_login(user)
    assert client.get(reverse("leaders:my_groups")).content.decode().count("グループ1") == 1
    assert client.get(reverse("leaders:group_detail", args=[g1.pk])).status_code == 200
    assert client.get(reverse("leaders:group_detail", args=[g2.pk])).status_code == 403
    assert client.get(reverse("leaders:groups", args=[grouped.pk])).status_code == 403
    url = reverse("leaders:group_detail", args=[g1.pk])
    upload = SimpleUploadedFile("proto.pdf", PDF, content_type="application/pdf")
    data = {"action": "deliverable", "step_code": "prototype", "member": me.pk, "title": "私の試作", "file": upload}
    assert client.post(url, data).status_code == 302
    d = Deliverable.objects.get()
    assert (d.member, d.submitted_by) == (me, user)
    assert client.get(reverse("leaders:deliverable_file", args=[d.pk])).status_code == 200
    # evaluating is the secretariat's
    assert client.post(url, {"action": "evaluate", "presented_on": "2026-11-01", "score": "5"}).status_code == 403
    # someone in the other group can neither see nor download
    client.force_login(f.login(GroupMembership.objects.filter(group=g2).first().member.employee))
    assert client.get(reverse("leaders:deliverable_file", args=[d.pk])).status_code == 403
    assert client.post(url, data).status_code == 403
    # a liaison may look but not upload
    client.force_login(people["users"][Role.LIAISON])
    assert client.get(url).status_code == 200
    assert (
        client.post(
            url, {"action": "deliverable", "step_code": "planning", "title": "x", "url": "https://x.jp"}
        ).status_code
        == 403
    )


def test_bad_input_on_the_group_page_is_shown_and_nothing_saved(client, staff, grouped):
    group = grouped.groups.first()
    url = reverse("leaders:group_detail", args=[group.pk])
    client.force_login(staff)
    bad = SimpleUploadedFile("tool.exe", b"MZ0000", content_type="application/octet-stream")
    body = client.post(
        url, {"action": "deliverable", "step_code": "planning", "title": "企画", "file": bad}
    ).content.decode()
    assert "この形式のファイル（.exe）は登録できません" in body
    body = client.post(
        url, {"action": "deliverable", "step_code": "planning", "title": "企画", "url": "file:///c:/x"}
    ).content.decode()
    assert "http:// または https://" in body
    body = client.post(
        url, {"action": "deliverable", "step_code": "prototype", "title": "試作", "url": "https://x.jp"}
    ).content.decode()
    assert "作成者を選んでください" in body
    assert not Deliverable.objects.exists()
    body = client.post(url, {"action": "evaluate", "presented_on": "R8.11.1", "score": "9"}).content.decode()
    assert "評価は1〜5の整数で入力してください" in body
    body = client.post(url, {"action": "theme", "theme": "", "unit": ""}).content.decode()
    assert "テーマ（業務課題）を入力してください" in body
    assert not GroupEvaluation.objects.exists()
    assert client.post(url, {"action": "evaluate", "presented_on": "R8.11.1", "score": "4"}).status_code == 302
    assert GroupEvaluation.objects.get().presented_on == dt.date(2026, 11, 1)


def test_certify_from_the_page(client, staff, people, grouped):
    for g in grouped.groups.all():
        services.group_evaluate(group=g, presented_on=timezone.localdate(), score=4, by=staff)
    url = reverse("leaders:certification", args=[grouped.pk])
    members = active_members(grouped)
    client.force_login(people["users"][Role.LIAISON])
    assert client.post(url, {"member_ids": [members[0].pk], "certified_on": "2026-11-20"}).status_code == 403
    client.force_login(staff)
    body = client.post(url, {"certified_on": "2026-11-20"}).content.decode()
    assert "認定する研修生を選んでください" in body
    response = client.post(url, {"member_ids": [m.pk for m in members[:3]], "certified_on": "令和8年11月20日"})
    assert response.status_code == 302
    assert Certification.objects.count() == 3 and LeaderRole.objects.count() == 3
    body = client.get(url).content.decode()
    assert body.count("認定済み") >= 3


def test_leader_list_scope_export_and_detail(client, people, staff, make_cohort):
    cohort = make_cohort(6)
    proposal = services.groups_propose(cohort=cohort)
    (group,) = services.groups_save(cohort=cohort, groups=proposal.groups, by=staff)
    services.group_evaluate(group=group, presented_on=timezone.localdate(), score=5, by=staff)
    members = active_members(cohort)
    services.cohort_certify(
        cohort=cohort, member_ids=[m.pk for m in members], certified_on=timezone.localdate(), by=staff
    )
    higashi = [m.employee for m in members if _in_higashi(m.employee, people)]
    client.force_login(people["users"][Role.LIAISON])
    body = client.get(reverse("leaders:leader_list")).content.decode()
    assert {m.employee.name for m in members if m.employee.name in body} == {e.name for e in higashi}
    export = client.get(reverse("leaders:leader_export", args=["csv"])).content.decode("utf-8-sig")
    assert export.count("\r\n") == len(higashi) + 1
    assert ExportLog.objects.get().row_count == len(higashi)
    other = next(m.employee for m in members if m.employee not in higashi)
    assert client.get(reverse("leaders:leader_detail", args=[other.pk])).status_code == 403
    detail_url = reverse("leaders:leader_detail", args=[higashi[0].pk])
    assert client.get(detail_url).status_code == 200
    assert client.post(detail_url, {"action": "change", "role_type": "dx_waku", "on": "2026-12-01"}).status_code == 403
    # HR changes the role type; the history shows both rows
    client.force_login(people["users"][Role.HR])
    on = timezone.localdate() + dt.timedelta(days=10)
    assert (
        client.post(detail_url, {"action": "change", "role_type": "dx_waku", "on": on.isoformat()}).status_code == 302
    )
    body = client.get(detail_url).content.decode()
    assert "DX推進枠（プロジェクト専任）" in body and "定数内（標準モデル）" in body
    body = client.post(detail_url, {"action": "change", "role_type": "nope", "on": on.isoformat()}).content.decode()
    assert "nope" in body or "正しく選んでください" in body or "選択" in body
    # the leader sees their own page, nobody else's
    client.force_login(f.login(higashi[0]))
    assert client.get(detail_url).status_code == 200
    assert client.get(reverse("leaders:leader_detail", args=[other.pk])).status_code == 403


def _count(client, url) -> int:
    reset_snapshots()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _ready(make_cohort, staff, n):
    cohort = make_cohort(n)
    proposal = services.groups_propose(cohort=cohort)
    groups = services.groups_save(cohort=cohort, groups=proposal.groups, by=staff, allow_out_of_bounds=True)
    for g in groups:
        services.group_evaluate(group=g, presented_on=timezone.localdate(), score=4, by=staff)
        services.deliverable_add(group=g, step_code="planning", title="企画書", url="https://x.jp/a", by=staff)
    members = active_members(cohort)
    services.cohort_certify(
        cohort=cohort, member_ids=[m.pk for m in members], certified_on=timezone.localdate(), by=staff
    )
    return cohort


def test_query_counts_do_not_grow_with_members(client, staff, make_cohort):
    small = _ready(make_cohort, staff, 5)
    client.force_login(staff)
    counts_small = {
        "groups": _count(client, reverse("leaders:groups", args=[small.pk])),
        "certification": _count(client, reverse("leaders:certification", args=[small.pk])),
        "group": _count(client, reverse("leaders:group_detail", args=[small.groups.first().pk])),
        "leaders": _count(client, reverse("leaders:leader_list")),
    }
    big = _ready(make_cohort, staff, 35)
    counts_big = {
        "groups": _count(client, reverse("leaders:groups", args=[big.pk])),
        "certification": _count(client, reverse("leaders:certification", args=[big.pk])),
        "group": _count(client, reverse("leaders:group_detail", args=[big.groups.first().pk])),
        "leaders": _count(client, reverse("leaders:leader_list")),  # now 40 leaders instead of 5
    }
    assert counts_big == counts_small

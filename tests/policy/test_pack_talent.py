"""The pack's competency frameworks (②・③), the ③ OJT ladder, hire routes, ジョブチャレンジ and the 20-city survey."""

from decimal import Decimal

import pytest

from dxtalent.core.roles import Role
from dxtalent.policy.selectors import pack_of
from dxtalent.policy.services import PackError, policy_pack_load
from tests import factories as f
from tests.policy.conftest import edit_text, edit_yaml

pytestmark = pytest.mark.django_db

JIMU, JOHO = "事務職(デジタル)", "情報職"
ONLY, BOTH = "デジタル部門のみ", "デジタル部門及び業務部門"
MINDSETS = ["当事者意識", "課題解決思考", "全体最適の視点", "継続的な学習意欲"]


def test_the_survey_reproduces_the_policys_findings(sapporo):
    pack = pack_of(sapporo)
    found = pack.survey_findings()
    assert (found.cities, found.with_track) == (20, 14)
    assert found.ratio == Decimal("0.7") and found.percent == 70
    assert found.by_category == ((JIMU, 11), (JOHO, 3))
    assert found.by_placement == ((BOTH, 8), (ONLY, 6))
    assert found.placement_count(ONLY, category=JIMU) == 3 and found.placement_count(BOTH, category=JIMU) == 8
    assert found.placement_count(ONLY, category=JOHO) == 3 and found.placement_count(BOTH, category=JOHO) == 0
    rows = {r.city: r for r in pack.city_survey}
    assert not rows["札幌市"].has_track and rows["札幌市"].hire_category is None
    assert (rows["仙台市"].hire_category, rows["仙台市"].placement) == (JOHO, ONLY)
    assert (rows["熊本市"].hire_category, rows["熊本市"].placement) == (JIMU, ONLY)
    assert "他都市調査" in pack.city_survey_source


def test_changing_a_city_changes_the_findings(pack_copy):
    def sapporo_opens_a_track(data):
        row = next(r for r in data["reference"]["designated_city_survey"]["rows"] if r["city"] == "札幌市")
        row.update(has_track=True, hire_category=JIMU, placement=BOTH)

    edit_yaml(pack_copy, "reference.yaml", sapporo_opens_a_track)
    found = pack_of(policy_pack_load(directory=pack_copy).pack).survey_findings()
    assert (found.with_track, found.percent) == (15, 75)
    assert found.category_count(JIMU) == 12
    assert found.placement_count(BOTH) == 9 and found.placement_count(BOTH, category=JIMU) == 9


def test_the_two_frameworks_hold_the_policys_items(sapporo):
    pack = pack_of(sapporo)
    assert [fw.code for fw in pack.frameworks] == ["leader", "expert"]
    leader, expert = pack.framework("leader"), pack.framework("expert")
    for fw in (leader, expert):
        assert fw.version == "1.0"
        assert fw.levels == (1, 2, 3, 4)
        assert [s.label for s in fw.scale] == ["知っている", "支援を受けてできる", "自立してできる", "他者を指導できる"]
        assert [i.name for i in fw.mindsets] == MINDSETS
        assert all(len(i.anchors) == 4 and [a.level for a in i.anchors] == [1, 2, 3, 4] for i in fw.items)
    assert [(i.name, len(i.descriptors)) for i in leader.skills] == [
        ("ITリテラシー", 3),
        ("業務改善能力", 2),
        ("プロジェクト遂行力", 2),
    ]
    assert [i.name for i in expert.skills] == [
        "ITリテラシー・技術理解力",
        "プロジェクトマネジメント",
        "業務分析・コミュニケーション",
        "行政・調達スキル",
    ]
    # same mindset names, the policy's different descriptors
    assert leader.item("ownership").descriptors[0].startswith("所属部署のDXを自らが牽引する")
    assert expert.item("ownership").descriptors[0].startswith("担当システムやプロジェクトを「自分ごと」")
    assert "ITパスポートレベル" in expert.item("it_tech").descriptors[0]
    assert expert.item("admin_procurement").anchor(3).label == "自立してできる"


def test_the_ladder_reads_back(sapporo):
    pack = pack_of(sapporo)
    assert pack.ladder_framework.code == "expert"
    assert [(s.order, s.name) for s in pack.ladder] == [(1, "見習い"), (2, "修行中"), (3, "一人前"), (4, "熟練者")]
    skills = [i.code for i in pack.framework("expert").skills]
    for low, high in zip(pack.ladder, pack.ladder[1:], strict=False):
        assert all(high.expected_level(c) >= low.expected_level(c) for c in skills)
        assert high.min_years_since_assignment >= low.min_years_since_assignment
    full = pack.stage("ichininmae")
    assert full.expected == dict.fromkeys(skills, 3)
    assert (
        full.expected_levels[0].item_name == "ITリテラシー・技術理解力"
        and full.expected_levels[0].label == "自立してできる"
    )
    assert (full.min_years_in_previous_stage, full.min_years_since_assignment) == (2, 3)
    assert dict(full.experiences)["procurement_spec"] == "調達仕様書の起案"
    assert "障害対応の指揮" in dict(pack.stage("jukuren").experiences).values()
    assert pack.stage("minarai").experiences == ()
    assert pack.next_stage("shugyo").code == "ichininmae" and pack.next_stage("jukuren") is None


def test_hire_routes_and_job_challenge(sapporo):
    pack = pack_of(sapporo)
    assert [r.name for r in pack.hire_routes] == [
        "一般事務",
        "一般事務（デジタルコース）",
        "電気",
        "庁内公募（ジョブチャレンジ）",
        "その他",
    ]
    assert pack.hire_route("digital_course").cons == ("採用における民間企業との競合。",)
    assert pack.hire_route("general").pros[1] == "人事異動の柔軟性が高い。"
    assert pack.hire_route("other").pros == ()
    assert [k.name for k in pack.posting_kinds] == [
        "高度デジタル人材育成プログラム",
        "DX推進枠",
        "行政DX支援",
        "地域DX支援",
    ]
    assert pack.posting_kind("expert_programme").ladder_stage == "minarai"
    assert pack.posting_kind("gyosei_dx").leader_role_type == "gyosei_dx"
    assert pack.notify_manager_on_apply is True


def test_the_manager_switch_follows_the_pack(pack_copy):
    edit_yaml(pack_copy, "experts.yaml", lambda d: d["experts"]["job_challenge"].update(notify_manager_on_apply=False))
    assert pack_of(policy_pack_load(directory=pack_copy).pack).notify_manager_on_apply is False


def test_changed_criteria_read_back(pack_copy):
    def stricter(data):
        stage = next(s for s in data["experts"]["ladder"] if s["code"] == "ichininmae")
        stage["criteria"]["min_years_in_previous_stage"] = 3
        stage["criteria"]["experiences"].append({"code": "incident_command", "label": "障害対応の指揮"})

    edit_yaml(pack_copy, "experts.yaml", stricter)
    edit_text(pack_copy, "pack.yaml", 'version: "1.0"', 'version: "1.1"')
    stage = pack_of(policy_pack_load(directory=pack_copy).pack).stage("ichininmae")
    assert stage.min_years_in_previous_stage == 3
    assert "incident_command" in dict(stage.experiences)


def test_a_pack_loaded_before_these_sections_reads_as_empty():
    from dxtalent.policy.pack import Pack

    old = Pack({"code": "x", "version": "0", "name": "x", "municipality": "x"})
    assert old.frameworks == () and old.ladder == () and old.hire_routes == () and old.posting_kinds == ()
    assert old.notify_manager_on_apply is False and old.ladder_framework is None
    assert old.survey_findings().cities == 0 and old.survey_findings().percent == 0


def test_several_talent_problems_are_reported_together(pack_copy):
    def broken(data):
        data["experts"]["ladder"][2]["criteria"]["expected_levels"]["it_tech"] = 7
        data["experts"]["ladder"][1]["criteria"]["expected_levels"]["cooking"] = 2

    edit_yaml(pack_copy, "experts.yaml", broken)
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    keys = {(f, k) for f, k, _ in exc.value.problems}
    assert ("experts.yaml", "experts.ladder[2].criteria.expected_levels.it_tech") in keys
    assert ("experts.yaml", "experts.ladder[1].criteria.expected_levels.cooking") in keys


def test_the_policy_page_shows_frameworks_ladder_routes_and_survey(client, sapporo):
    client.force_login(f.login(None, Role.EMPLOYEE))
    body = client.get("/dashboard/policy/").content.decode()
    assert "DX推進リーダーに必要なマインド・スキル" in body and "高度デジタル人材に必要なマインド・スキル" in body
    assert "業務フローを可視化（As-Is分析）" in body and "他者を指導できる" in body
    assert "見習い → 修行中 → 一人前 → 熟練者" in body and "調達仕様書の起案" in body
    assert "一般事務（デジタルコース）" in body and "採用における民間企業との競合。" in body
    assert "<strong>14/20市（70%）</strong>" in body
    assert f"採用区分 {JIMU}: <strong>11/14市</strong>" in body
    assert f"{ONLY} 3市" in body and f"{BOTH} 8市" in body
    assert f"{ONLY} <strong>6/14市</strong>" in body
    assert '<th scope="row">熊本市</th><td>有</td>' in body


def test_the_leader_frameworks_expected_levels_and_the_ladders_department(sapporo):
    sapporo = pack_of(sapporo)
    leader = sapporo.framework("leader")
    assert set(leader.expected_levels) == {i.code for i in leader.items}
    assert set(leader.expected_levels.values()) == {3}
    assert sapporo.framework_raw("leader")["expected_levels"] == leader.expected_levels
    assert sapporo.expert_department == "情報システム部"
    assert sapporo.long_stay_margin_years == 2


def test_expected_levels_must_name_items_and_levels_of_the_framework(pack_copy):
    def broken(data):
        data["competency"]["frameworks"][0]["expected_levels"].update(ownership=9, baking=2)

    edit_yaml(pack_copy, "competency.yaml", broken)
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    problems = {k: m for _f, k, m in exc.value.problems}
    assert "レベル 9 が尺度にありません" in problems["competency.frameworks[0].expected_levels.ownership"]
    assert "項目 baking がこの枠組みにありません" in problems["competency.frameworks[0].expected_levels.baking"]

"""Loading policy packs: validated, versioned, idempotent; broken packs refused with file, key and reason."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from dxtalent.policy.models import PolicyPack
from dxtalent.policy.selectors import current_pack, pack_of
from dxtalent.policy.services import PackError, policy_pack_load, read_pack
from tests.policy.conftest import SAPPORO, copy_pack, edit_text, edit_yaml

pytestmark = pytest.mark.django_db


def test_load_sapporo(sapporo):
    assert (sapporo.code, sapporo.version, sapporo.municipality) == ("sapporo", "1.0", "札幌市")
    assert sapporo.effective_from.isoformat() == "2026-04-01"
    pack = pack_of(sapporo)
    assert [t.code for t in pack.talent_types] == ["general", "leader", "expert"]
    assert pack.cohort_size == 35
    assert [c[0] for c in pack.planned_cohorts] == [1, 2, 3, 4, 5, 6]
    assert pack.cumulative_targets == {2026: 35, 2027: 70, 2028: 105, 2029: 140, 2030: 175, 2031: 210}
    assert {m.code: (m.leaders, m.min_leaders_per_bu) for m in pack.milestones} == {"r10": (105, None), "r13": (210, 1)}
    assert [r.code for r in pack.role_types] == ["teisu", "dx_waku", "gyosei_dx", "chiiki_dx"]
    assert pack.default_role_type == "teisu"
    assert pack.nomination_requirements[0][1].startswith("ICT")
    assert pack.group_size_bounds == (5, 6)
    assert [s.code for s in pack.practice_phase.steps] == ["planning", "prototype", "joint_build"]


def test_curriculum_sums_to_38_hours_and_10_days_from_the_pack(sapporo):
    pack = pack_of(sapporo)
    assert pack.curriculum_hours == Decimal(38)
    assert pack.in_person_days == 10
    by_phase = {p.code: (p.hours, p.sessions, p.required) for p in pack.phases}
    assert by_phase["prelearning"] == (Decimal(3), 1, True)
    assert by_phase["mindset"] == (Decimal(12), 3, True)
    assert by_phase["skills"] == (Decimal(12), 3, True)
    assert by_phase["practice"] == (Decimal(9), 3, True)
    assert by_phase["presentation"] == (Decimal(2), 1, True)
    assert by_phase["self_study"][2] is False  # optional: counts toward neither total
    assert not pack.phase("prelearning").in_person


def test_changing_the_pack_changes_the_curriculum_numbers(pack_copy):
    def longer(data):
        cur = data["curriculum"]
        mindset = next(p for p in cur["phases"] if p["code"] == "mindset")
        mindset["hours_per_session"] = 5  # 4 h × 3 → 5 h × 3
        skills = next(p for p in cur["phases"] if p["code"] == "skills")
        skills["sessions"] = 4  # one more hands-on day
        cur["total_hours"] = 38 + 3 + 4
        cur["in_person_days"] = 11

    edit_yaml(pack_copy, "curriculum.yaml", longer)
    edit_text(pack_copy, "pack.yaml", 'version: "1.0"', 'version: "1.1"')
    pack = pack_of(policy_pack_load(directory=pack_copy).pack)
    assert pack.curriculum_hours == Decimal(45)
    assert pack.in_person_days == 11


def test_loading_twice_changes_nothing(pack_copy):
    first = policy_pack_load(directory=SAPPORO)
    assert first.created
    again = policy_pack_load(directory=SAPPORO)
    from_copy = policy_pack_load(directory=pack_copy)  # same content from another folder
    assert not again.created and not from_copy.created
    assert again.pack.pk == from_copy.pack.pk == first.pack.pk
    assert PolicyPack.objects.count() == 1


def test_a_pack_can_be_one_json_file(tmp_path):
    content, _origin = read_pack(SAPPORO)
    content.pop("files")
    folder = tmp_path / "json"
    folder.mkdir()
    (folder / "pack.json").write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    pack = pack_of(policy_pack_load(directory=folder).pack)
    assert (pack.cohort_size, pack.curriculum_hours, pack.in_person_days) == (35, Decimal(38), 10)


def test_bad_json_syntax_names_the_line(tmp_path):
    folder = tmp_path / "json"
    folder.mkdir()
    (folder / "pack.json").write_text('{\n "code": "x",\n "version": 1.0,,\n}', encoding="utf-8")
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=folder)
    [(file, key, reason)] = exc.value.problems
    assert (file, key) == ("pack.json", "3行目") and reason.startswith("JSONとして読めません")


def test_changed_content_under_the_same_version_is_refused(pack_copy, sapporo):
    edit_yaml(pack_copy, "leaders.yaml", lambda d: d["leaders"]["cohort_plan"].__setitem__("cohort_size", 40))
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    [(file, key, reason)] = exc.value.problems
    assert (file, key) == ("pack.yaml", "version")
    assert "版を上げて" in reason
    assert PolicyPack.objects.count() == 1
    assert pack_of(PolicyPack.objects.get()).cohort_size == 35


def test_a_new_version_is_a_new_row_and_history_stays(pack_copy, sapporo):
    edit_yaml(pack_copy, "leaders.yaml", lambda d: d["leaders"]["cohort_plan"].__setitem__("cohort_size", 40))
    edit_text(pack_copy, "pack.yaml", 'version: "1.0"', 'version: "2.0"')
    edit_text(pack_copy, "pack.yaml", "effective_from: 2026-04-01", "effective_from: 2027-04-01")
    result = policy_pack_load(directory=pack_copy)
    assert result.created and result.pack.pk != sapporo.pk
    assert list(PolicyPack.objects.order_by("version").values_list("version", flat=True)) == ["1.0", "2.0"]
    sapporo.refresh_from_db()
    assert pack_of(sapporo).cohort_size == 35  # the old version is untouched
    # the version in force follows the date
    assert current_pack(sapporo.effective_from).cohort_size == 35
    assert current_pack(result.pack.effective_from).cohort_size == 40


def _set(path: list, value):
    def change(data):
        node = data
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value

    return change


def _pop(path: list):
    def change(data):
        node = data
        for p in path[:-1]:
            node = node[p]
        node.pop(path[-1])

    return change


def _swap_steps(data):
    steps = data["improvement"]["steps"]
    steps[1], steps[2] = steps[2], steps[1]


def _mindset_code_again(data):
    data["curriculum"]["phases"][2]["code"] = data["curriculum"]["phases"][1]["code"]


BROKEN = {
    "missing required key": (
        "leaders.yaml",
        _pop(["leaders", "cohort_plan", "cohort_size"]),
        "leaders.cohort_plan.cohort_size",
        "必須の項目「cohort_size」がありません",
    ),
    "missing top-level key": ("pack.yaml", _pop(["effective_from"]), "effective_from", "必須の項目「effective_from」"),
    "wrong type": (
        "leaders.yaml",
        _set(["leaders", "cohort_plan", "cohort_size"], "三十五"),
        "leaders.cohort_plan.cohort_size",
        "型が違います（整数で書いてください）",
    ),
    "wrong type of hours": (
        "curriculum.yaml",
        _set(["curriculum", "phases", 1, "hours_per_session"], "4時間"),
        "curriculum.phases[1].hours_per_session",
        "型が違います（数値で書いてください）",
    ),
    "unknown key": (
        "curriculum.yaml",
        _set(["curriculum", "phases", 1, "hourz"], 4),
        "curriculum.phases[1].hourz",
        "知らない項目です",
    ),
    "unknown top-level key": ("pack.yaml", _set(["colour"], "blue"), "colour", "知らない項目です"),
    "bad date": (
        "pack.yaml",
        _set(["effective_from"], "2026-13-01"),
        "effective_from",
        "日付（YYYY-MM-DD）ではありません",
    ),
    "total hours do not match the phases": (
        "curriculum.yaml",
        _set(["curriculum", "total_hours"], 40),
        "curriculum.total_hours",
        "40 時間が必須フェーズの合計 38 時間と一致しません",
    ),
    "in-person days do not match the sessions": (
        "curriculum.yaml",
        _set(["curriculum", "in_person_days"], 12),
        "curriculum.in_person_days",
        "12 日が対面の回数の合計 10 日と一致しません",
    ),
    "duplicate phase code": (
        "curriculum.yaml",
        _mindset_code_again,
        "curriculum.phases[2].code",
        "フェーズコード mindset が phases[1] と重複しています",
    ),
    "default role type not among the role types": (
        "leaders.yaml",
        _set(["leaders", "default_role_type"], "kacho"),
        "leaders.default_role_type",
        "役割類型 kacho がありません",
    ),
    "decreasing cumulative targets": (
        "leaders.yaml",
        _set(["leaders", "targets", "cumulative", 3, "leaders"], 90),
        "leaders.targets.cumulative[3].leaders",
        "令和11年度の累計目標 90 名が令和10年度の 105 名より少なくなっています",
    ),
    "a target year twice": (
        "leaders.yaml",
        _set(["leaders", "targets", "cumulative", 3, "fiscal_year"], 2028),
        "leaders.targets.cumulative[3].fiscal_year",
        "重複しています",
    ),
    "improvement steps out of the policy's order": (
        "improvement.yaml",
        _swap_steps,
        "improvement.steps[1]",
        "2番目のステップは number: 2, code: analysis にしてください（3 / trial になっています）",
    ),
    "an unknown step owner": (
        "improvement.yaml",
        _set(["improvement", "steps", 3, "owner"], "secretariat"),
        "improvement.steps[3].owner",
        "は使えません（manager, leader のいずれか）",
    ),
    "a fifth step": (
        "improvement.yaml",
        lambda d: d["improvement"]["steps"].append(dict(d["improvement"]["steps"][0])),
        "improvement.steps",
        "多すぎます（4件まで）",
    ),
    "a consultation kind twice": (
        "improvement.yaml",
        _set(["improvement", "consultation_kinds", 1, "code"], "technical"),
        "improvement.consultation_kinds[1].code",
        "コード technical が重複しています",
    ),
    "an expected level off the scale": (
        "experts.yaml",
        _set(["experts", "ladder", 3, "criteria", "expected_levels", "it_tech"], 5),
        "experts.ladder[3].criteria.expected_levels.it_tech",
        "レベル 5 は尺度（1〜4）にありません",
    ),
    "an unknown skill code in the criteria": (
        "experts.yaml",
        _set(["experts", "ladder", 1, "criteria", "expected_levels", "networking"], 2),
        "experts.ladder[1].criteria.expected_levels.networking",
        "項目コード networking は枠組み expert にありません",
    ),
    "a skill without an expected level": (
        "experts.yaml",
        _pop(["experts", "ladder", 0, "criteria", "expected_levels", "admin_procurement"]),
        "experts.ladder[0].criteria.expected_levels",
        "スキル 行政・調達スキル の期待レベルがありません",
    ),
    "an expected level going down the ladder": (
        "experts.yaml",
        _set(["experts", "ladder", 2, "criteria", "expected_levels", "project_management"], 1),
        "experts.ladder[2].criteria.expected_levels.project_management",
        "一人前の期待レベル 1 が修行中の 2 より低くなっています",
    ),
    "a level that is not a whole number": (
        "experts.yaml",
        _set(["experts", "ladder", 2, "criteria", "expected_levels", "it_tech"], "三"),
        "experts.ladder[2].criteria.expected_levels.it_tech",
        "型が違います（整数で書いてください）",
    ),
    "fewer years since assignment higher up": (
        "experts.yaml",
        _set(["experts", "ladder", 3, "criteria", "min_years_since_assignment"], 2),
        "experts.ladder[3].criteria.min_years_since_assignment",
        "熟練者の配属後の年数 2 年が一人前の 3 年より短くなっています",
    ),
    "a stage order that skips": (
        "experts.yaml",
        _set(["experts", "ladder", 3, "order"], 5),
        "experts.ladder",
        "order は1から順に連番にしてください（1, 2, 3, 5 になっています）",
    ),
    "a stage code twice": (
        "experts.yaml",
        _set(["experts", "ladder", 1, "code"], "minarai"),
        "experts.ladder[1].code",
        "段階コード minarai が [0] と重複しています",
    ),
    "the ladder on an unknown framework": (
        "experts.yaml",
        _set(["experts", "framework"], "engineer"),
        "experts.framework",
        "枠組み engineer が competency にありません",
    ),
    "a posting kind for an unknown leader role": (
        "experts.yaml",
        _set(["experts", "job_challenge", "posting_kinds", 1, "leader_role_type"], "kacho"),
        "experts.job_challenge.posting_kinds[1].leader_role_type",
        "役割類型 kacho がありません",
    ),
    "the manager switch not a boolean": (
        "experts.yaml",
        _set(["experts", "job_challenge", "notify_manager_on_apply"], "はい"),
        "experts.job_challenge.notify_manager_on_apply",
        "型が違います（true / falseで書いてください）",
    ),
    "a duplicate city": (
        "reference.yaml",
        _set(["reference", "designated_city_survey", "rows", 2, "city"], "札幌市"),
        "reference.designated_city_survey.rows[2].city",
        "政令市 札幌市 が [0] と重複しています",
    ),
    "an unknown hire category": (
        "reference.yaml",
        _set(["reference", "designated_city_survey", "rows", 1, "hire_category"], "技術職"),
        "reference.designated_city_survey.rows[1].hire_category",
        "値 '技術職' は使えません（情報職, 事務職(デジタル), null のいずれか）",
    ),
    "a track without a placement": (
        "reference.yaml",
        _set(["reference", "designated_city_survey", "rows", 1, "placement"], None),
        "reference.designated_city_survey.rows[1].placement",
        "仙台市は専門枠が有るので配属先を書いてください",
    ),
    "anchors count does not match the scale": (
        "competency.yaml",
        _pop(["competency", "frameworks", 1, "items", 4, "anchors", 3]),
        "competency.frameworks[1].items[4].anchors",
        "ITリテラシー・技術理解力 のアンカーが 3 件です（尺度のレベルと同じ 4 件",
    ),
    "a scale that is not numbered 1..N": (
        "competency.yaml",
        _set(["competency", "frameworks", 0, "scale", 2, "level"], 5),
        "competency.frameworks[0].scale",
        "レベルは1から順に連番にしてください（1, 2, 5, 4 になっています）",
    ),
    "an item code twice": (
        "competency.yaml",
        _set(["competency", "frameworks", 0, "items", 5, "code"], "it_literacy"),
        "competency.frameworks[0].items[5].code",
        "項目コード it_literacy が [4] と重複しています",
    ),
    "a framework code twice": (
        "competency.yaml",
        _set(["competency", "frameworks", 1, "code"], "leader"),
        "competency.frameworks[1].code",
        "枠組みコード leader が [0] と重複しています",
    ),
    "an unknown item kind": (
        "competency.yaml",
        _set(["competency", "frameworks", 0, "items", 0, "kind"], "attitude"),
        "competency.frameworks[0].items[0].kind",
        "は使えません（mindset, skill のいずれか）",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_pack_is_refused_with_file_key_and_reason(pack_copy, case):
    file, change, key, reason = BROKEN[case]
    edit_yaml(pack_copy, file, change)
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    problems = exc.value.problems
    assert any(f == file and k == key and reason in r for f, k, r in problems), problems
    assert PolicyPack.objects.count() == 0


def _line_of(directory, file, text) -> int:
    lines = (directory / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_bad_yaml_syntax_names_the_line(pack_copy):
    line = _line_of(pack_copy, "leaders.yaml", "cohort_size: 35")
    edit_text(pack_copy, "leaders.yaml", "cohort_size: 35", "cohort_size: 35: 36")
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    [(file, key, reason)] = exc.value.problems
    assert (file, key) == ("leaders.yaml", f"{line}行目")
    assert reason.startswith("YAMLとして読めません")


def test_unclosed_bracket_names_where_it_opened(pack_copy):
    line = _line_of(pack_copy, "leaders.yaml", "cohort_size: 35")
    edit_text(pack_copy, "leaders.yaml", "cohort_size: 35", "cohort_size: [35")
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    [(file, key, reason)] = exc.value.problems
    assert file == "leaders.yaml" and key.endswith("行目")
    assert f"{line}行目からの" in reason


def test_unquoted_impossible_date_is_a_problem_not_a_crash(pack_copy):
    edit_text(pack_copy, "pack.yaml", "effective_from: 2026-04-01", "effective_from: 2026-13-01")
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    assert exc.value.problems == [("pack.yaml", "effective_from", "値 '2026-13-01' は日付（YYYY-MM-DD）ではありません")]


def test_missing_listed_file(pack_copy):
    (pack_copy / "leaders.yaml").unlink()
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    assert exc.value.problems == [("leaders.yaml", "-", "ファイルが見つかりません")]


def test_several_problems_are_reported_together(pack_copy):
    edit_yaml(pack_copy, "leaders.yaml", _set(["leaders", "cohort_plan", "cohort_size"], "三十五"))
    edit_yaml(pack_copy, "curriculum.yaml", _set(["curriculum", "groups", "min_size"], "five"))
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    assert {(f, k) for f, k, _ in exc.value.problems} == {
        ("leaders.yaml", "leaders.cohort_plan.cohort_size"),
        ("curriculum.yaml", "curriculum.groups.min_size"),
    }


def test_command_loads_and_reloads(sapporo):
    out = StringIO()
    call_command("load_policy_pack", str(SAPPORO), stdout=out)
    assert "読込済みです（変更なし）" in out.getvalue()
    assert PolicyPack.objects.count() == 1


def test_command_prints_problems_to_stderr_and_fails(pack_copy):
    edit_yaml(pack_copy, "leaders.yaml", _set(["leaders", "default_role_type"], "kacho"))
    err = StringIO()
    with pytest.raises(CommandError, match="1件の問題"):
        call_command("load_policy_pack", str(pack_copy), stderr=err)
    assert "leaders.yaml: leaders.default_role_type: 役割類型 kacho がありません" in err.getvalue()
    assert PolicyPack.objects.count() == 0


def test_command_exit_status_is_non_zero(tmp_path):
    """The real CLI. A broken pack is refused before any write; the process gets a throwaway SQLite file so it
    never touches a developer's database (nor needs the PostgreSQL database the test run uses)."""
    broken = copy_pack(tmp_path)
    edit_yaml(broken, "curriculum.yaml", _set(["curriculum", "total_hours"], 40))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    proc = subprocess.run(
        [sys.executable, "manage.py", "load_policy_pack", str(broken)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert "curriculum.yaml: curriculum.total_hours: 40 時間が必須フェーズの合計 38 時間と一致しません" in proc.stderr
    assert proc.stdout == ""


def test_pack_yaml_round_trip_keeps_dates_as_text(sapporo):
    assert sapporo.content["effective_from"] == "2026-04-01"
    assert yaml.safe_load((SAPPORO / "pack.yaml").read_text(encoding="utf-8"))["code"] == sapporo.code


@pytest.mark.parametrize(
    ("file", "section"),
    [("competency.yaml", "competency"), ("experts.yaml", "experts"), ("reference.yaml", "reference")],
)
def test_a_pack_without_a_talent_section_is_refused(pack_copy, file, section):
    edit_yaml(pack_copy, file, _pop([section]))
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    assert ("pack.yaml", section, f"必須の項目「{section}」がありません") in exc.value.problems


def test_a_pack_without_the_improvement_section_is_refused(pack_copy):
    edit_yaml(pack_copy, "improvement.yaml", _pop(["improvement"]))
    with pytest.raises(PackError) as exc:
        policy_pack_load(directory=pack_copy)
    # with the section gone no file holds it, so the problem is reported on the pack itself
    assert ("pack.yaml", "improvement", "必須の項目「improvement」がありません") in exc.value.problems

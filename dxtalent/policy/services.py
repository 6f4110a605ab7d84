"""Loading policy packs: validated against the schema, versioned, idempotent."""

import datetime as dt
import hashlib
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from jsonschema import Draft202012Validator, FormatChecker

from dxtalent.core.wareki import format_fiscal_year

from .models import PolicyPack
from .pack import Pack

SCHEMA = json.loads((Path(__file__).parent / "schema" / "pack.schema.json").read_text(encoding="utf-8"))


class PackError(Exception):
    """A pack that cannot be loaded: every problem with its file, key and reason (in Japanese)."""

    def __init__(self, problems: list[tuple[str, str, str]]):
        self.problems = problems
        super().__init__("\n".join(f"{f}: {k}: {r}" for f, k, r in problems))


@dataclass
class LoadResult:
    pack: PolicyPack
    created: bool


class _PackLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as the text written (2026-04-01): the schema checks them as dates and
    reports a bad one (2026-13-01) with its key instead of the YAML parser crashing on it."""


_PackLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_file(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PackError([(path.name, "-", "ファイルが見つかりません")]) from None
    except UnicodeDecodeError:
        raise PackError([(path.name, "-", "UTF-8のテキストとして読めません")]) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_PackLoader)
    except json.JSONDecodeError as exc:
        raise PackError([(path.name, f"{exc.lineno}行目", f"JSONとして読めません（{exc.msg}）")]) from None
    except yaml.YAMLError as exc:
        mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        where = f"{mark.line + 1}行目" if mark else "-"
        since = f"{context.line + 1}行目からの" if context and mark and context.line != mark.line else ""
        detail = getattr(exc, "problem", None) or exc
        raise PackError([(path.name, where, f"YAMLとして読めません（{since}{detail}）")]) from None
    if not isinstance(data, dict):
        raise PackError([(path.name, "-", "最上位はキーと値の対応（マッピング）である必要があります")])
    return data


def read_pack(directory: str | Path) -> tuple[dict, dict[str, str]]:
    """Merge pack.yaml (or pack.json) and the files it lists; returns (content, top-level key → file name)."""
    root = Path(directory)
    if not root.is_dir():
        raise PackError([(str(root), "-", "ポリシーパックのフォルダが見つかりません")])
    main = root / "pack.yaml" if (root / "pack.yaml").exists() else root / "pack.json"
    content = _read_file(main)
    origin = dict.fromkeys(content, main.name)
    problems = []
    files = content.get("files") or []
    if not isinstance(files, list) or not all(isinstance(n, str) for n in files):
        raise PackError([(main.name, "files", "読み込むファイル名の一覧（文字列のリスト）である必要があります")])
    for name in files:
        part = _read_file(root / name)
        for key, value in part.items():
            if key in content:
                problems.append((name, key, f"{origin[key]} と重複して定義されています"))
                continue
            content[key] = value
            origin[key] = name
    if problems:
        raise PackError(problems)
    return content, origin


def validate_pack(content: dict, origin: dict[str, str]) -> None:
    problems = []
    for err in sorted(Draft202012Validator(SCHEMA, format_checker=FormatChecker()).iter_errors(content), key=str):
        path = list(err.absolute_path)
        # "required" and "additionalProperties" are reported on the parent object: name the key itself.
        extra = _unexpected_keys(err) if err.validator == "additionalProperties" else []
        if err.validator == "required":
            extra = [_missing_key(err)]
        for name in extra or [None]:
            full = [*path, name] if name is not None else path
            top = str(full[0]) if full else ""
            problems.append((origin.get(top, "pack.yaml"), _key(full), _translate(err)))
    if problems:
        raise PackError(problems)
    problems.extend(_semantic_problems(content, origin))
    if problems:
        raise PackError(problems)


def _key(path: list) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path).replace(".[", "[") or "-"


def _missing_key(err) -> str:
    return next((k for k in err.validator_value if isinstance(err.instance, dict) and k not in err.instance), "?")


def _unexpected_keys(err) -> list[str]:
    allowed = set(err.schema.get("properties", {}))
    return sorted(k for k in err.instance if k not in allowed) if isinstance(err.instance, dict) else []


_TYPE_NAMES = {
    "integer": "整数",
    "number": "数値",
    "string": "文字列",
    "boolean": "true / false",
    "array": "リスト",
    "object": "キーと値の対応",
}


def _translate(err) -> str:
    match err.validator:
        case "required":
            return f"必須の項目「{_missing_key(err)}」がありません"
        case "type":
            wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            names = "または".join(_TYPE_NAMES.get(t, t) for t in wanted)
            return f"値 {err.instance!r} の型が違います（{names}で書いてください）"
        case "minimum" | "maximum":
            return f"値 {err.instance!r} が範囲外です（{err.validator} {err.validator_value}）"
        case "enum":
            allowed = ", ".join("null" if v is None else str(v) for v in err.validator_value)
            return f"値 {err.instance!r} は使えません（{allowed} のいずれか）"
        case "additionalProperties":
            allowed = "、".join(err.schema.get("properties", {}))
            return f"知らない項目です（書き間違いでなければスキーマにありません。使える項目: {allowed}）"
        case "minItems":
            return "少なくとも1件必要です" if err.validator_value == 1 else f"{err.validator_value}件以上必要です"
        case "maxItems":
            return f"多すぎます（{err.validator_value}件まで）"
        case "format":
            return f"値 {err.instance!r} は日付（YYYY-MM-DD）ではありません"
        case "pattern":
            return f"値 {err.instance!r} の形式が違います（英小文字・数字・-_ のみ）"
    return err.message


def _semantic_problems(content: dict, origin: dict[str, str]) -> list[tuple[str, str, str]]:
    """Rules the schema cannot say: sums, uniqueness, references between sections."""
    pack, out = Pack(content), []
    cur_file, lead_file = origin.get("curriculum", "pack.yaml"), origin.get("leaders", "pack.yaml")
    if pack.curriculum_hours != pack.declared_total_hours:
        out.append(
            (
                cur_file,
                "curriculum.total_hours",
                f"{pack.declared_total_hours} 時間が必須フェーズの合計 {pack.curriculum_hours} 時間と一致しません",
            )
        )
    if pack.in_person_days != pack.declared_in_person_days:
        out.append(
            (
                cur_file,
                "curriculum.in_person_days",
                f"{pack.declared_in_person_days} 日が対面の回数の合計 {pack.in_person_days} 日と一致しません",
            )
        )
    low, high = pack.group_size_bounds
    if low > high:
        out.append((cur_file, "curriculum.groups", "min_size が max_size より大きくなっています"))
    codes = [p.code for p in pack.phases]
    for i, p in enumerate(pack.phases):
        if p.code in codes[:i]:
            first = codes.index(p.code)
            out.append(
                (
                    cur_file,
                    f"curriculum.phases[{i}].code",
                    f"フェーズコード {p.code} が phases[{first}] と重複しています",
                )
            )
        if p.due_before_phase and p.due_before_phase not in codes:
            out.append(
                (cur_file, f"curriculum.phases[{i}].due_before_phase", f"フェーズ {p.due_before_phase} がありません")
            )
    role_codes = [r.code for r in pack.role_types]
    if pack.default_role_type not in role_codes:
        out.append((lead_file, "leaders.default_role_type", f"役割類型 {pack.default_role_type} がありません"))
    years = [c[1] for c in pack.planned_cohorts]
    if len(set(years)) != len(years):
        out.append((lead_file, "leaders.cohort_plan.cohorts", "同じ年度に複数の期が計画されています"))
    cumulative = content["leaders"]["targets"]["cumulative"]
    years = [t["fiscal_year"] for t in cumulative]
    for i, t in enumerate(cumulative):
        if t["fiscal_year"] in years[:i]:
            out.append(
                (lead_file, f"leaders.targets.cumulative[{i}].fiscal_year", f"{t['fiscal_year']}年度が重複しています")
            )
    order = sorted(range(len(cumulative)), key=lambda i: cumulative[i]["fiscal_year"])
    for i1, i2 in itertools.pairwise(order):
        (y1, n1), (y2, n2) = ((cumulative[i]["fiscal_year"], cumulative[i]["leaders"]) for i in (i1, i2))
        if n2 < n1:
            out.append(
                (
                    lead_file,
                    f"leaders.targets.cumulative[{i2}].leaders",
                    f"{format_fiscal_year(y2)}の累計目標 {n2} 名が{format_fiscal_year(y1)}の {n1} 名より"
                    "少なくなっています（累計は減りません）",
                )
            )
    out.extend(_improvement_problems(content, origin.get("improvement", "pack.yaml")))
    out.extend(_competency_problems(content, origin.get("competency", "pack.yaml")))
    out.extend(_expert_problems(content, origin.get("experts", "pack.yaml")))
    out.extend(_reference_problems(content, origin.get("reference", "pack.yaml")))
    return out


_STEP_CODES = ("problem", "analysis", "trial", "adoption")


def _improvement_problems(content: dict, file: str) -> list[tuple[str, str, str]]:
    """The four steps in the policy's order (the workflow's fields hang on their codes) and unique list codes."""
    out = []
    section = content["improvement"]
    for i, step in enumerate(section["steps"]):
        if step["number"] != i + 1 or step["code"] != _STEP_CODES[i]:
            out.append(
                (
                    file,
                    f"improvement.steps[{i}]",
                    f"{i + 1}番目のステップは number: {i + 1}, code: {_STEP_CODES[i]} にしてください"
                    f"（{step['number']} / {step['code']} になっています）",
                )
            )
    for key in ("consultation_kinds", "tool_kinds", "work_categories"):
        codes = [item["code"] for item in section[key]]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                out.append((file, f"improvement.{key}[{i}].code", f"コード {code} が重複しています"))
    return out


def _duplicates(file: str, key: str, values: list, what: str) -> list[tuple[str, str, str]]:
    """One problem per repeated value, naming the entry it repeats: key is a format with {i}."""
    return [
        (file, key.format(i=i), f"{what} {v} が [{values.index(v)}] と重複しています")
        for i, v in enumerate(values)
        if v in values[:i]
    ]


def _competency_problems(content: dict, file: str) -> list[tuple[str, str, str]]:
    """Unique codes; a scale numbered 1..N; one anchor per level for every item; a known talent type."""
    frameworks = content["competency"]["frameworks"]
    out = _duplicates(file, "competency.frameworks[{i}].code", [f["code"] for f in frameworks], "枠組みコード")
    talent_types = [t["code"] for t in content["talent_types"]]
    for n, fw in enumerate(frameworks):
        at = f"competency.frameworks[{n}]"
        if "talent_type" in fw and fw["talent_type"] not in talent_types:
            out.append((file, f"{at}.talent_type", f"人材像 {fw['talent_type']} がありません"))
        levels = [s["level"] for s in fw["scale"]]
        if levels != list(range(1, len(levels) + 1)):
            written = ", ".join(map(str, levels))
            out.append((file, f"{at}.scale", f"レベルは1から順に連番にしてください（{written} になっています）"))
        out += _duplicates(file, f"{at}.items[{{i}}].code", [i["code"] for i in fw["items"]], "項目コード")
        codes = {i["code"] for i in fw["items"]}
        for code, level in fw.get("expected_levels", {}).items():
            if code not in codes:
                out.append((file, f"{at}.expected_levels.{code}", f"項目 {code} がこの枠組みにありません"))
            elif level not in levels:
                out.append((file, f"{at}.expected_levels.{code}", f"レベル {level} が尺度にありません"))
        for j, item in enumerate(fw["items"]):
            if len(item["anchors"]) != len(levels):
                out.append(
                    (
                        file,
                        f"{at}.items[{j}].anchors",
                        f"{item['name']} のアンカーが {len(item['anchors'])} 件です"
                        f"（尺度のレベルと同じ {len(levels)} 件、レベル順に書いてください）",
                    )
                )
    return out


def _expert_problems(content: dict, file: str) -> list[tuple[str, str, str]]:
    """The ladder refers to its framework's items and scale; expected levels and years never go down the ladder."""
    section, out = content["experts"], []
    frameworks = {f["code"]: f for f in content["competency"]["frameworks"]}
    fw = frameworks.get(section["framework"])
    if fw is None:
        out.append((file, "experts.framework", f"枠組み {section['framework']} が competency にありません"))
    ladder = section["ladder"]
    out += _duplicates(file, "experts.ladder[{i}].code", [s["code"] for s in ladder], "段階コード")
    orders = sorted(s["order"] for s in ladder)
    if orders != list(range(1, len(ladder) + 1)):
        written = ", ".join(map(str, orders))
        out.append((file, "experts.ladder", f"order は1から順に連番にしてください（{written} になっています）"))
    items = {i["code"]: i for i in fw["items"]} if fw else {}
    levels = [s["level"] for s in fw["scale"]] if fw else []
    for n, stage in enumerate(ladder):
        at = f"experts.ladder[{n}].criteria"
        for code, level in stage["criteria"]["expected_levels"].items():
            if fw and code not in items:
                out.append(
                    (file, f"{at}.expected_levels.{code}", f"項目コード {code} は枠組み {fw['code']} にありません")
                )
            elif fw and level not in levels:
                out.append(
                    (
                        file,
                        f"{at}.expected_levels.{code}",
                        f"レベル {level} は尺度（{min(levels)}〜{max(levels)}）にありません",
                    )
                )
        missing = [
            i["name"]
            for c, i in items.items()
            if i["kind"] == "skill" and c not in stage["criteria"]["expected_levels"]
        ]
        if missing:
            out.append((file, f"{at}.expected_levels", f"スキル {'、'.join(missing)} の期待レベルがありません"))
        experiences = [e["code"] for e in stage["criteria"].get("experiences", [])]
        out += _duplicates(file, f"{at}.experiences[{{i}}].code", experiences, "経験コード")
    by_order = sorted(range(len(ladder)), key=lambda i: ladder[i]["order"])
    for i1, i2 in itertools.pairwise(by_order):
        low, high = ladder[i1], ladder[i2]
        low_levels, high_levels = low["criteria"]["expected_levels"], high["criteria"]["expected_levels"]
        for code, level in high_levels.items():
            if code in low_levels and level < low_levels[code]:
                out.append(
                    (
                        file,
                        f"experts.ladder[{i2}].criteria.expected_levels.{code}",
                        f"{high['name']}の期待レベル {level} が{low['name']}の {low_levels[code]} より低くなっています"
                        "（上の段階で下がることはありません）",
                    )
                )
        since_low = low["criteria"].get("min_years_since_assignment", 0)
        since_high = high["criteria"].get("min_years_since_assignment", 0)
        if since_high < since_low:
            out.append(
                (
                    file,
                    f"experts.ladder[{i2}].criteria.min_years_since_assignment",
                    f"{high['name']}の配属後の年数 {since_high} 年が{low['name']}の {since_low} 年より短くなっています",
                )
            )
    out += _duplicates(file, "experts.hire_routes[{i}].code", [r["code"] for r in section["hire_routes"]], "コード")
    kinds = section["job_challenge"]["posting_kinds"]
    out += _duplicates(file, "experts.job_challenge.posting_kinds[{i}].code", [k["code"] for k in kinds], "コード")
    stages = [s["code"] for s in ladder]
    roles = [r["code"] for r in content["leaders"]["role_types"]]
    for n, kind in enumerate(kinds):
        at = f"experts.job_challenge.posting_kinds[{n}]"
        if "ladder_stage" in kind and kind["ladder_stage"] not in stages:
            out.append((file, f"{at}.ladder_stage", f"段階 {kind['ladder_stage']} が ladder にありません"))
        if "leader_role_type" in kind and kind["leader_role_type"] not in roles:
            out.append((file, f"{at}.leader_role_type", f"役割類型 {kind['leader_role_type']} がありません"))
    return out


def _reference_problems(content: dict, file: str) -> list[tuple[str, str, str]]:
    """Each city once; a city without a track has no 採用区分 or 配属先, and one with a track has both."""
    rows = content["reference"]["designated_city_survey"]["rows"]
    at = "reference.designated_city_survey.rows"
    out = _duplicates(file, at + "[{i}].city", [r["city"] for r in rows], "政令市")
    for n, row in enumerate(rows):
        for key, label in (("hire_category", "採用区分"), ("placement", "配属先")):
            if row["has_track"] and row[key] is None:
                out.append((file, f"{at}[{n}].{key}", f"{row['city']}は専門枠が有るので{label}を書いてください"))
            if not row["has_track"] and row[key] is not None:
                out.append((file, f"{at}[{n}].{key}", f"{row['city']}は専門枠が無いので{label}は null にしてください"))
    return out


def _checksum(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def policy_pack_load(*, directory: str | Path, user=None) -> LoadResult:
    """Load a pack folder. Same content again → nothing changes; changed content under an existing version →
    refused (a new version must get a new version number)."""
    content, origin = read_pack(directory)
    validate_pack(content, origin)
    checksum = _checksum(content)
    existing = PolicyPack.objects.filter(code=content["code"], version=content["version"]).first()
    if existing is not None:
        if existing.checksum == checksum:
            return LoadResult(existing, created=False)
        raise PackError(
            [
                (
                    origin.get("version", "pack.yaml"),
                    "version",
                    f"版 {content['version']} は内容の異なるものが読込済みです。変更する場合は版を上げてください",
                )
            ]
        )
    pack = PolicyPack.objects.create(
        code=content["code"],
        version=content["version"],
        name=content["name"],
        municipality=content["municipality"],
        effective_from=dt.date.fromisoformat(content["effective_from"]),
        content=content,
        checksum=checksum,
        source=str(directory),
        loaded_by=user,
    )
    return LoadResult(pack, created=True)

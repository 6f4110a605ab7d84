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
            return f"値 {err.instance!r} は使えません（{', '.join(map(str, err.validator_value))} のいずれか）"
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

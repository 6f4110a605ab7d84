"""The org chart, job types and positions as data: read the YAML in this folder into plain objects.

Nothing here touches the database; `builder.write_org` turns an `OrgSpec` into OrgUnit rows through the
org services. Units are identified by code (組織コード) and by path (局区/部/課/係, in today's names).
"""

import copy
import datetime as dt
import fnmatch
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dxtalent.org.models import OrgKind

DEMO_DIR = Path(__file__).resolve().parent
ORG_FILE = DEMO_DIR / "sapporo_org.yaml"
STAFFING_FILE = DEMO_DIR / "staffing.yaml"

_KIND_BY_DEPTH = {2: OrgKind.BU, 3: OrgKind.KA, 4: OrgKind.KAKARI}
_LEVEL = {OrgKind.KYOKU: 1, OrgKind.KU: 1, OrgKind.BU: 2, OrgKind.KA: 3, OrgKind.KAKARI: 4}
ONE_DAY = dt.timedelta(days=1)


class SpecError(ValueError):
    """The YAML describes something impossible (a unit outliving its parent, an unknown path …)."""


@dataclass
class Version:
    start: dt.date
    end: dt.date | None
    name: str
    parent: str | None  # path of the parent unit


@dataclass
class UnitSpec:
    code: str
    kind: str
    name: str  # today's (or last) name
    path: str
    since: dt.date
    closed: dt.date | None = None  # last day
    merged_into: str | None = None  # path
    versions: list[Version] = field(default_factory=list)
    weight: float = 1.0
    head: str | None = None  # position name of the unit's head, when not the kind's default
    children: list["UnitSpec"] = field(default_factory=list)
    sort_order: int = 0
    generated: bool = False

    @property
    def level(self) -> int:
        return _LEVEL[self.kind]

    def valid_on(self, day: dt.date) -> bool:
        return self.since <= day and (self.closed is None or self.closed >= day)

    def version_on(self, day: dt.date) -> Version | None:
        for v in self.versions:
            if v.start <= day and (v.end is None or v.end >= day):
                return v
        return None

    def parent_on(self, day: dt.date) -> str | None:
        v = self.version_on(day)
        return v.parent if v else None


@dataclass
class OrgSpec:
    since: dt.date
    units: list[UnitSpec]  # tree order: parents before children
    job_types: list[dict]
    positions: list[dict]
    staffing: dict

    def __post_init__(self):
        self.reindex()

    def reindex(self) -> None:
        self.by_path = {u.path: u for u in self.units}
        self.by_code = {u.code: u for u in self.units}
        for i, u in enumerate(self.units, start=1):
            u.sort_order = i

    def valid_units(self, day: dt.date) -> list[UnitSpec]:
        return [u for u in self.units if u.valid_on(day)]

    def change_dates(self) -> list[dt.date]:
        """Every day the tree changes (a unit appears, is renamed or moved, or closes)."""
        days = {u.since for u in self.units}
        for u in self.units:
            days.update(v.start for v in u.versions)
            if u.closed:
                days.add(u.closed + ONE_DAY)
        return sorted(days)

    def matching(self, patterns) -> frozenset[str]:
        """Codes of units whose path matches any of the shell-style patterns (消防局*, *区/保健福祉部*)."""
        return frozenset(u.code for u in self.units if any(fnmatch.fnmatchcase(u.path, p) for p in patterns))

    def head_position(self, unit: UnitSpec) -> str:
        """Code of the position that heads `unit` (局長 for a 局, 区長 for a 区, 室長 where the unit says so)."""
        if unit.head:
            for p in self.positions:
                if p["name"] == unit.head:
                    return p["code"]
            raise SpecError(f"{unit.path}: 職位「{unit.head}」が positions にありません")
        for p in self.positions:
            if unit.kind in (p.get("heads") or ()):
                return p["code"]
        raise SpecError(f"{unit.path}: 種別 {unit.kind} の長の職位が positions にありません")

    def unseated_position(self, grade: int) -> str:
        for p in self.positions:
            if p["grade"] == grade and p.get("unseated"):
                return p["code"]
        raise SpecError(f"級 {grade} の unseated な職位が positions にありません")


def _date(value, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise SpecError(f"{where}: 日付「{value}」が読めません（YYYY-MM-DD）") from None


def _read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_spec(org_file: Path = ORG_FILE, staffing_file: Path = STAFFING_FILE) -> OrgSpec:
    raw = _read_yaml(org_file)
    staffing = _read_yaml(staffing_file)
    since = _date(raw["since"], "since")
    templates = raw.get("templates") or {}
    units: list[UnitSpec] = []

    def build(node, parent: UnitSpec | None, depth: int, index: int) -> None:
        if isinstance(node, str):
            node = {"name": node}
        name = node["name"]
        where = f"{parent.path}/{name}" if parent else name
        if parent is None:
            if "kind" not in node or "code" not in node:
                raise SpecError(f"{where}: 局区には kind と code が必要です")
            kind = OrgKind(node["kind"])
        else:
            if depth not in _KIND_BY_DEPTH:
                raise SpecError(f"{where}: 係より下の階層は作れません")
            kind = OrgKind(node.get("kind", _KIND_BY_DEPTH[depth]))
        code = str(node.get("code") or f"{parent.code}{index:02d}")
        unit = UnitSpec(
            code=code,
            kind=kind,
            name=name,
            path=where,
            since=_date(node["since"], where) if "since" in node else (parent.since if parent else since),
            closed=_date(node["closed"], where) if "closed" in node else (parent.closed if parent else None),
            merged_into=node.get("merged_into"),
            weight=float(node.get("weight", parent.weight if parent else 1.0)),
            head=node.get("head"),
        )
        unit.versions = _versions(unit, parent.path if parent else None, node.get("formerly") or [], where)
        units.append(unit)
        if parent is not None:
            parent.children.append(unit)
        children = list(node.get("children") or [])
        if "template" in node:
            if node["template"] not in templates:
                raise SpecError(f"{where}: template「{node['template']}」がありません")
            children = copy.deepcopy(templates[node["template"]]) + children
        for child_name, extra in (node.get("extra") or {}).items():
            target = next((c for c in children if isinstance(c, dict) and c.get("name") == child_name), None)
            if target is None:
                raise SpecError(f"{where}: extra の「{child_name}」が子にありません")
            target["children"] = list(target.get("children") or []) + list(extra)
        for i, child in enumerate(children, start=1):
            build(child, unit, depth + 1, i)

    for node in raw["units"]:
        build(node, None, 1, 0)
    spec = OrgSpec(
        since=since,
        units=units,
        job_types=list(raw["job_types"]),
        positions=list(raw["positions"]),
        staffing=staffing,
    )
    validate(spec)
    return spec


def _versions(unit: UnitSpec, parent_path: str | None, formerly: list[dict], where: str) -> list[Version]:
    """Name/parent spans from `formerly` (oldest first), ending with today's name and parent."""
    entries = sorted(formerly, key=lambda e: _date(e["until"], where))
    out: list[Version] = []
    name, parent = unit.name, parent_path
    start = _date(entries[-1]["until"], where) + ONE_DAY if entries else unit.since
    out.append(Version(start, unit.closed, name, parent))
    for i in range(len(entries) - 1, -1, -1):
        entry = entries[i]
        name, parent = entry.get("name", name), entry.get("parent", parent)
        begin = _date(entries[i - 1]["until"], where) + ONE_DAY if i else unit.since
        out.append(Version(begin, _date(entry["until"], where), name, parent))
    out.reverse()
    for v in out:
        if v.end is not None and v.end < v.start:
            raise SpecError(f"{where}: 期間 {v.start}〜{v.end} が逆転しています")
    return out


def validate(spec: OrgSpec) -> None:
    """Every version's parent exists for the whole span; merge targets exist; codes are unique."""
    codes = [u.code for u in spec.units]
    if len(codes) != len(set(codes)):
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        raise SpecError(f"組織コードが重複しています: {', '.join(dupes)}")
    if len(spec.by_path) != len(spec.units):
        raise SpecError("同じパスの組織が2つあります")
    for u in spec.units:
        for v in u.versions:
            if v.parent is None:
                if u.level != 1:
                    raise SpecError(f"{u.path}: 上位組織がありません")
                continue
            parent = spec.by_path.get(v.parent)
            if parent is None:
                raise SpecError(f"{u.path}: 上位組織「{v.parent}」がありません")
            if parent.level >= u.level:
                raise SpecError(f"{u.path}: 上位組織「{v.parent}」の階層が合いません")
            ends_in_time = parent.closed is None or (v.end is not None and v.end <= parent.closed)
            if parent.since > v.start or not ends_in_time:
                raise SpecError(f"{u.path}: {v.start}〜{v.end or ''} の期間、上位組織「{v.parent}」が存在しません")
        if u.merged_into:
            target = spec.by_path.get(u.merged_into)
            if target is None or u.closed is None:
                raise SpecError(f"{u.path}: 統合先「{u.merged_into}」がないか、廃止日がありません")
            if not target.valid_on(u.closed + ONE_DAY):
                raise SpecError(f"{u.path}: 統合先「{u.merged_into}」が {u.closed + ONE_DAY} に存在しません")
    for job in spec.job_types:
        for pattern in job.get("place") or ():
            if not spec.matching([pattern]):
                raise SpecError(f"職種「{job['name']}」: place「{pattern}」に一致する組織がありません")
    for u in spec.units:
        spec.head_position(u)


def extend_for_scale(spec: OrgSpec, *, target_units: int, rng: random.Random) -> int:
    """Add generated 係 under today's 課 until about `target_units` units exist today. Returns how many."""
    today_count = sum(1 for u in spec.units if u.closed is None)
    kas = [u for u in spec.units if u.kind == OrgKind.KA and u.closed is None]
    needed = target_units - today_count
    if needed <= 0 or not kas:
        return 0
    names = list(spec.staffing["generated_kakari_names"])
    per_ka = needed / len(kas)
    added = 0
    for ka in kas:
        k = int(per_ka) + (1 if rng.random() < per_ka - int(per_ka) else 0)
        used = {c.name for c in ka.children}
        choices = [n for n in names if n not in used]
        rng.shuffle(choices)
        for name in sorted(choices[:k], key=names.index):
            index = len(ka.children) + 1
            child = UnitSpec(
                code=f"{ka.code}{index:02d}",
                kind=OrgKind.KAKARI,
                name=name,
                path=f"{ka.path}/{name}",
                since=ka.since,
                weight=ka.weight,
                generated=True,
            )
            child.versions = [Version(ka.since, None, name, ka.path)]
            ka.children.append(child)
            added += 1
    # Keep tree order: each generated 係 follows its 課's other children.
    result: list[UnitSpec] = []

    def walk(unit: UnitSpec) -> None:
        result.append(unit)
        for child in unit.children:
            walk(child)

    for u in [u for u in spec.units if u.level == 1]:
        walk(u)
    spec.units = result
    spec.reindex()
    validate(spec)
    return added

"""Helpers shared by the importers: locking, change reasons, unit names → ids, and the CLI report."""

from collections import defaultdict

from django.db import connection

from dxtalent.core.text import normalize
from dxtalent.core.wareki import format_wareki

from ..models import TOP_KINDS, OrgKind
from ..selectors import OrgSnapshot


def serialize_imports(kind: str) -> None:
    """Inside a transaction: make concurrent imports of the same kind run one after the other.

    SQLite needs nothing (its IMMEDIATE transactions already take the write lock); PostgreSQL takes a
    transaction-scoped advisory lock so two imports cannot validate against the same stale state.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"dxtalent-import-{kind}"])


def change_reason(label: str, filename: str, as_of=None) -> str:
    """The history change reason recorded on every row an import writes (history keeps 100 characters)."""
    when = f"{as_of:%Y-%m-%d}基準 " if as_of else ""
    return f"{label}（{when}{filename}）"[:100]


def report_lines(result, labels: dict[str, str], unit: str = "件") -> list[str]:
    """Human-readable lines for a CLI or log: the counts in Japanese, then every error."""
    head = "【ドライラン: 何も書き込んでいません】" if result.dry_run else ""
    if result.errors:
        head = "【エラーがあるため、何も書き込んでいません】"
    lines = [head] if head else []
    for key, label in labels.items():
        value = result.counts.get(key, result.extra.get(key, 0))
        lines.append(f"  {label}: {value}{unit}")
    if result.errors:
        lines.append(f"エラー {len(result.errors)}件（行番号 / 列 / 値 / 理由）:")
        lines += [f"  {e.row or '—'}\t{e.column or '—'}\t{e.value or '—'}\t{e.reason}" for e in result.errors]
    return lines


class UnitResolver:
    """局区 → 部 → 課 (→ 係) names to a unit id, as the tree stood on one day."""

    def __init__(self, snapshot: OrgSnapshot):
        self.day = format_wareki(snapshot.day)
        self.tops: dict[str, list] = defaultdict(list)
        self.children: dict[tuple[int, str, str], list] = defaultdict(list)
        for node in snapshot.nodes.values():
            if node.kind in TOP_KINDS:
                self.tops[normalize(node.name)].append(node)
            elif node.parent_id:
                self.children[(node.parent_id, node.kind, normalize(node.name))].append(node)
        self._cache: dict[tuple, tuple[int | None, tuple | None]] = {}

    def resolve(self, top: str, bu: str, ka: str, kakari: str) -> tuple[int | None, tuple | None]:
        """(unit id, None) or (None, (column, value, reason))."""
        key = (top, bu, ka, kakari)
        if key not in self._cache:
            self._cache[key] = self._resolve(*key)
        return self._cache[key]

    def _resolve(self, top, bu, ka, kakari):
        nodes = self.tops.get(top, [])
        if len(nodes) != 1:
            return None, ("局区", top, self._missing_or_ambiguous(nodes, f"局区「{top}」", "の組織"))
        path = [top]
        node = nodes[0]
        for column, kind, name in (("部", OrgKind.BU, bu), ("課", OrgKind.KA, ka), ("係", OrgKind.KAKARI, kakari)):
            if not name:
                break
            found = self.children.get((node.unit_id, kind, name), [])
            if len(found) != 1:
                return None, (
                    column,
                    name,
                    self._missing_or_ambiguous(found, f"{column}「{name}」", f"の{' '.join(path)}"),
                )
            node = found[0]
            path.append(name)
        return node.unit_id, None

    def _missing_or_ambiguous(self, nodes, what: str, where: str) -> str:
        if not nodes:
            return f"{what}は{self.day}時点{where}にありません。"
        codes = "、".join(n.code for n in nodes)
        return f"{what}が{self.day}時点{where}に複数あります（組織コード {codes}）。組織データを確認してください。"

"""Forming スキル実践演習 groups: pure Python, no database (the service feeds it and saves the result).

Sizes: the pack's bounds (Sapporo: 5–6). With k groups, a cohort of n people fits when k·min ≤ n ≤ k·max for some
k. For most n it does, but not for all: with 5–6 there is no valid split of 1–4, 7, 8, 9, 13, 14 or 19 people
(`impossible_sizes(5, 6, 60)` lists them). For such n the proposal is the nearest split — the fewest people outside
the bounds, then the smallest excess in any one group, then the fewer groups out of bounds, then the fewer groups —
and `SizePlan.feasible` is False so the secretariat is told plainly (see `size_message`).

Diversity: people of the same 局区 (and, within it, the same 部) are spread over the groups. Members sorted by
(局区, 部, id) are dealt round-robin into the groups, which already spreads every 局区 as evenly as the sizes allow;
then pairwise swaps between groups are made while one lowers the number of same-局区 pairs inside groups (or keeps
it and lowers the same-部 pairs). Every swap strictly improves that pair of counts, so the result is never less
mixed than a plain round-robin by 局区, it is deterministic, and 60 people take a few milliseconds.
"""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

Member = tuple[Hashable, Hashable, Hashable]  # (member id, 局区 id, 部 id); 局区/部 may be None (unknown)

MAX_PASSES = 50


@dataclass(frozen=True)
class SizePlan:
    sizes: tuple[int, ...]  # group sizes, larger groups first
    feasible: bool  # every size within [min_size, max_size]
    min_size: int
    max_size: int

    @property
    def total(self) -> int:
        return sum(self.sizes)


def _balanced(n: int, k: int) -> tuple[int, ...]:
    base, extra = divmod(n, k)
    return tuple(base + 1 if i < extra else base for i in range(k))


def _deviation(sizes: Sequence[int], lo: int, hi: int) -> tuple[int, int, int, int]:
    outside = [max(0, lo - s) + max(0, s - hi) for s in sizes]
    return sum(outside), max(outside, default=0), sum(1 for d in outside if d), len(sizes)


def group_sizes(n: int, min_size: int, max_size: int) -> SizePlan:
    """How many groups of which sizes for n people (balanced: sizes differ by at most one)."""
    if min_size < 1 or max_size < min_size:
        raise ValueError(f"グループの人数の範囲が正しくありません（{min_size}〜{max_size}名）")
    if n <= 0:
        return SizePlan((), True, min_size, max_size)
    k = -(-n // max_size)  # the fewest groups that keep everyone ≤ max
    if k * min_size <= n:
        return SizePlan(_balanced(n, k), True, min_size, max_size)
    # No valid split: the nearest of k groups (some below min) and k-1 groups (some above max).
    options = [_balanced(n, k)] + ([_balanced(n, k - 1)] if k > 1 else [])
    best = min(options, key=lambda sizes: _deviation(sizes, min_size, max_size))
    return SizePlan(best, False, min_size, max_size)


def impossible_sizes(min_size: int, max_size: int, up_to: int) -> list[int]:
    """Cohort sizes 1..up_to that cannot be split into groups within the bounds."""
    return [n for n in range(1, up_to + 1) if not group_sizes(n, min_size, max_size).feasible]


def size_message(plan: SizePlan) -> str:
    """The plain-Japanese explanation shown when no split within the bounds exists ("" when one does)."""
    if plan.feasible:
        return ""
    sizes = "・".join(f"{s}名" for s in plan.sizes)
    return (
        f"{plan.total}人では{plan.min_size}〜{plan.max_size}名のグループに分けられません。"
        f"最も近い分け方（{len(plan.sizes)}グループ: {sizes}）を提案しています。"
    )


def _key(value: Hashable, member_id: Hashable, tag: str) -> Hashable:
    """An unknown 局区/部 never counts as "the same" as anyone else's."""
    return (tag, member_id) if value is None else value


def _pairs(counter: Counter) -> int:
    return sum(c * (c - 1) // 2 for c in counter.values())


def same_pairs(
    groups: Sequence[Sequence[Hashable]], attrs: dict[Hashable, tuple[Hashable, Hashable]]
) -> tuple[int, int]:
    """(same-局区 pairs, same-部 pairs) summed over the groups; lower is more mixed."""
    top_pairs = bu_pairs = 0
    for group in groups:
        tops = Counter(_key(attrs[m][0], m, "top") for m in group)
        bus = Counter(_key(attrs[m][1], m, "bu") for m in group)
        top_pairs += _pairs(tops)
        bu_pairs += _pairs(bus)
    return top_pairs, bu_pairs


def round_robin(members: Sequence[Member], sizes: Sequence[int]) -> list[list[Hashable]]:
    """Deal members (in the given order) into groups of the given sizes, one at a time in turn."""
    groups: list[list[Hashable]] = [[] for _ in sizes]
    g = 0
    for member_id, _top, _bu in members:
        while len(groups[g]) >= sizes[g]:
            g = (g + 1) % len(sizes)
        groups[g].append(member_id)
        g = (g + 1) % len(sizes)
    return groups


def propose_groups(members: Sequence[Member], min_size: int, max_size: int) -> list[list[Hashable]]:
    """Split members into groups as mixed as possible; sizes from `group_sizes` (within bounds when possible)."""
    ids = [m[0] for m in members]
    if len(set(ids)) != len(ids):
        raise ValueError("同じ研修生が二度含まれています")
    plan = group_sizes(len(members), min_size, max_size)
    if not plan.sizes:
        return []
    ordered = sorted(members, key=lambda m: (_sort_token(m[1]), _sort_token(m[2]), _sort_token(m[0])))
    groups = round_robin(ordered, plan.sizes)
    attrs = {m[0]: (_key(m[1], m[0], "top"), _key(m[2], m[0], "bu")) for m in members}
    _improve(groups, attrs)
    order = {m: i for i, m in enumerate(ids)}
    return [sorted(g, key=order.__getitem__) for g in groups]


def _sort_token(value: Hashable) -> tuple:
    """Sort ids of mixed or missing types deterministically (None last)."""
    return (value is None, str(type(value).__name__), value if value is not None else 0)


def _improve(groups: list[list[Hashable]], attrs: dict[Hashable, tuple[Hashable, Hashable]]) -> None:
    """First-improvement pairwise swaps on (same-局区 pairs, same-部 pairs), in place, until none helps."""
    tops = [Counter(attrs[m][0] for m in g) for g in groups]
    bus = [Counter(attrs[m][1] for m in g) for g in groups]

    def delta(counts: list[Counter], a: int, b: int, x, y) -> int:
        if x == y:
            return 0
        # x leaves a and y joins a; y leaves b and x joins b
        return (counts[a][y] - (counts[a][x] - 1)) + (counts[b][x] - (counts[b][y] - 1))

    for _ in range(MAX_PASSES):
        improved = False
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                i = 0
                while i < len(groups[a]):
                    x = groups[a][i]
                    tx, ux = attrs[x]
                    for j, y in enumerate(groups[b]):
                        ty, uy = attrs[y]
                        dt = delta(tops, a, b, tx, ty)
                        du = delta(bus, a, b, ux, uy)
                        if dt < 0 or (dt == 0 and du < 0):
                            groups[a][i], groups[b][j] = y, x
                            for counts, vx, vy in ((tops, tx, ty), (bus, ux, uy)):
                                counts[a][vx] -= 1
                                counts[a][vy] += 1
                                counts[b][vy] -= 1
                                counts[b][vx] += 1
                            improved = True
                            break
                    i += 1
        if not improved:
            return


def mix_summary(group: Sequence[Hashable], attrs: dict[Hashable, tuple[Hashable, Hashable]]) -> dict:
    """How mixed one group is: distinct 局区 and 部, and the largest number from one 局区."""
    tops = Counter(attrs[m][0] for m in group if attrs[m][0] is not None)
    bus = Counter(attrs[m][1] for m in group if attrs[m][1] is not None)
    return {
        "size": len(group),
        "tops": len(tops),
        "bus": len(bus),
        "max_same_top": max(tops.values(), default=0),
        "max_same_bu": max(bus.values(), default=0),
    }

"""A ③ person's path up the ladder, planned so that it meets the pack's criteria: each promotion after at least
the next stage's `min_years_in_previous_stage` in the stage and `min_years_since_assignment` since entry.
Stages change on 1 April, so a career is the fiscal year each stage started in. The demo plays a career through
the services; the scale data bulk-inserts it."""

import datetime as dt
import random
from dataclasses import dataclass, field

EXTRA_YEARS = (0, 0, 0, 1, 1, 2)  # years beyond a stage's minimum before the promotion


@dataclass
class Career:
    employee_id: int
    starts: list[int]  # fiscal year each stage started in (index = stage index, lowest first)
    ready: bool = False  # meets the next stage's criteria now (pending promotions)
    ended_on: dt.date | None = None  # last day in the ladder (a leaver), else None
    route: str = ""
    mentors: dict[int, int] = field(default_factory=dict)  # fiscal year → mentor's employee id

    @property
    def current(self) -> int:
        return len(self.starts) - 1

    @property
    def entry_fy(self) -> int:
        return self.starts[0]

    def last_fy(self, fy_now: int) -> int:
        if self.ended_on is None:
            return fy_now
        return self.ended_on.year if self.ended_on.month >= 4 else self.ended_on.year - 1

    def stage_in(self, fy: int, fy_now: int) -> int | None:
        """The stage index during fiscal year `fy` (stages change on 1 April), None outside the ladder."""
        if fy < self.entry_fy or fy > self.last_fy(fy_now):
            return None
        return max(k for k, start in enumerate(self.starts) if start <= fy)

    def years_in_stage(self, k: int, fy_now: int) -> int:
        end = self.starts[k + 1] if k + 1 < len(self.starts) else self.last_fy(fy_now) + 1
        return end - self.starts[k]


def plan_career(
    rng: random.Random,
    stages,
    *,
    employee_id: int,
    current: int,
    fy_now: int,
    earliest_fy: int,
    ready: bool = False,
    margin: int = 2,
) -> Career | None:
    """A career reaching stage index `current` in `fy_now` (None when the person was hired too late for it).

    `ready`: the years in the current stage already meet the next stage's minimums. Otherwise the years in the
    current stage are drawn up to the next stage's minimum plus `margin` (a few stay long)."""
    durations: list[int] = []
    for k in range(current):
        nxt = stages[k + 1]
        durations.append(max(1, nxt.min_years_in_previous_stage) + rng.choice(EXTRA_YEARS))
        short = nxt.min_years_since_assignment - sum(durations)
        if short > 0:
            durations[-1] += short
    nxt = stages[current + 1] if current + 1 < len(stages) else None
    if nxt is None:
        years = rng.randint(0, 5)
    elif ready:
        years = max(nxt.min_years_in_previous_stage, nxt.min_years_since_assignment - sum(durations), 1)
        years += rng.choice((0, 0, 1))
    else:
        years = rng.choice(range(0, max(1, nxt.min_years_in_previous_stage) + margin + 1))
    floors = [max(1, stages[k + 1].min_years_in_previous_stage) for k in range(current)]
    # hired too late for this path: shorten the extras (never below the pack's minimums)
    while fy_now - years - sum(durations) < earliest_fy:
        if years > 0 and not ready:
            years -= 1
            continue
        longer = [k for k in range(current) if durations[k] > floors[k] and _still_meets(stages, durations, k)]
        if not longer:
            return None
        durations[longer[-1]] -= 1
    starts = [fy_now - years - sum(durations)]
    for d in durations:
        starts.append(starts[-1] + d)
    return Career(employee_id=employee_id, starts=starts, ready=ready)


def _still_meets(stages, durations: list[int], k: int) -> bool:
    """Shortening stage k by a year keeps every later promotion's years-since-entry minimum."""
    trial = durations.copy()
    trial[k] -= 1
    return all(sum(trial[: j + 1]) >= stages[j + 1].min_years_since_assignment for j in range(len(trial)))


def stage_counts(total: int, shares: list[float]) -> list[int]:
    """`total` split by `shares` (rounded; the remainder goes to the lowest stages)."""
    counts = [int(total * s) for s in shares]
    i = 0
    while sum(counts) < total:
        counts[i % len(counts)] += 1
        i += 1
    return counts


def experience_slots(
    career: Career, stages, *, fy_now: int, first_fy: int, review_days
) -> dict[tuple[int, int], list[str]]:
    """(fiscal year, half) → the experience codes a half-year review records, so that each completed stage had all
    of the next stage's experiences before the promotion, the ready have them now, and the others part of them.
    `review_days(fy, half)` gives the day a review is written (None when not yet)."""
    rng = random.Random(f"{career.employee_id}-experiences")
    out: dict[tuple[int, int], list[str]] = {}
    for k in range(career.current + 1):
        end = career.starts[k + 1] - 1 if k < career.current else career.last_fy(fy_now)
        slots = [
            (fy, half)
            for fy in range(max(career.starts[k], first_fy), end + 1)
            for half in (1, 2)
            if review_days(fy, half) is not None
        ]
        if not slots:
            continue
        nxt = stages[k + 1] if k + 1 < len(stages) else None
        codes = [c for c, _label in (nxt or stages[k]).experiences]
        if k == career.current and not career.ready:
            share = 0.5 if nxt is None else min(0.85, 0.25 + 0.2 * career.years_in_stage(k, fy_now))
            codes = [c for c in codes if rng.random() < share]
        for code in codes:
            out.setdefault(rng.choice(slots), []).append(code)
    return out

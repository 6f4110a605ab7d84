"""Plausible rating levels on a campaign's frozen framework (a dict: scale, items, expected_levels)."""

import random


def scale_bounds(framework: dict) -> tuple[int, int]:
    levels = [s["level"] for s in framework["scale"]]
    return min(levels), max(levels)


def _clamp(level: int, lo: int, hi: int) -> int:
    return max(lo, min(hi, level))


def self_levels(rng: random.Random, framework: dict, evaluator: dict[str, int]) -> dict[str, int]:
    """The person's own view: mostly the evaluator's level, sometimes one above or below."""
    lo, hi = scale_bounds(framework)
    return {code: _clamp(level + rng.choice((-1, 0, 0, 0, 1)), lo, hi) for code, level in evaluator.items()}


def stage_levels(rng: random.Random, framework: dict, stage, next_stage, *, ready: bool) -> dict[str, int]:
    """An evaluator's levels for a ③ person at `stage` (a LadderStage): the stage's expected level per item (the
    mindsets, which the ladder does not grade, at the stage's order), the next stage's when `ready`, else now and
    then one below."""
    lo, hi = scale_bounds(framework)
    out = {}
    for item in framework["items"]:
        code = item["code"]
        base = stage.expected_level(code) or _clamp(stage.order, lo, hi)
        if ready and next_stage is not None:
            base = next_stage.expected_level(code) or _clamp(next_stage.order, lo, hi)
        elif rng.random() < 0.3:
            base -= 1
        out[code] = _clamp(base, lo, hi)
    return out


def cohort_levels(rng: random.Random, framework: dict, *, post: bool, before: dict[str, int] | None = None):
    """An evaluator's levels for a trainee before (mostly the scale's lowest two levels) or after the training
    (the level before plus one, sometimes two or none, never lower)."""
    lo, hi = scale_bounds(framework)
    out = {}
    for item in framework["items"]:
        code = item["code"]
        if not post:
            out[code] = _clamp(lo + rng.choice((0, 0, 1, 1, 1, 2)), lo, hi)
        else:
            start = (before or {}).get(code, lo + 1)
            out[code] = _clamp(start + rng.choice((0, 1, 1, 1, 2)), lo, hi)
    return out

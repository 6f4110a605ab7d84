"""Timing helpers shared by the benchmark scripts (run as scripts: their folder is on sys.path)."""

import statistics
import time


def timed(fn, repeat: int, warmup: int = 2) -> list[float]:
    """Seconds per call of `fn` over `repeat` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"中央値 {statistics.median(samples) * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms"

"""The demo's calendar: fractions of the span [first day, yesterday] mapped to moments, and running a service
"as of" a moment (under `clock`, with `at=` so back-dated rows carry it)."""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings

from dxtalent.training.demo_data import clock

ONE_DAY = dt.timedelta(days=1)
FIRST_HOUR = 9
STEP_MINUTES = 20  # between two actions of the same story on the same day


class Timeline:
    """Days from `start` to `end` (both inclusive). Nothing happens after `end` (yesterday: never in the future)."""

    def __init__(self, start: dt.date, end: dt.date):
        self.end = end
        self.start = min(start, end)
        self.days = (self.end - self.start).days
        self.tz = ZoneInfo(settings.TIME_ZONE)

    def day(self, fraction: float) -> dt.date:
        fraction = min(max(fraction, 0.0), 1.0)
        return self.start + dt.timedelta(days=round(self.days * fraction))

    def moment(self, day: dt.date, index: int) -> dt.datetime:
        """The `index`-th action of a story on `day`: 09:00, 09:20, … (so a story's actions keep their order)."""
        day = min(max(day, self.start), self.end)
        minutes = FIRST_HOUR * 60 + STEP_MINUTES * index
        return dt.datetime.combine(day, dt.time(min(minutes // 60, 23), minutes % 60), tzinfo=self.tz)

    def spread(self, a: float, b: float, n: int) -> list[dt.datetime]:
        """`n` moments spread from fraction a to b, in order (same-day ones 20 minutes apart)."""
        if n <= 0:
            return []
        days = [self.day(a + (b - a) * (i / (n - 1) if n > 1 else 0)) for i in range(n)]
        return [self.moment(d, i) for i, d in enumerate(days)]

    def later(self, when: dt.datetime, days: int, index: int) -> dt.datetime:
        """A moment `days` after `when` (not after the end), later than `when` even when capped."""
        target = self.moment(min(when.date() + dt.timedelta(days=days), self.end), index)
        return max(target, when + dt.timedelta(minutes=STEP_MINUTES))


def run_at(when: dt.datetime, service: Callable, **kwargs):
    """Call `service(**kwargs, at=when)` with the clock set to `when` (the services' "today" and history)."""
    local = when.astimezone(ZoneInfo(settings.TIME_ZONE))
    with clock(local.date(), local.time().replace(microsecond=0)):
        return service(at=when, **kwargs)


def run_on(when: dt.datetime, service: Callable, **kwargs):
    """Same for services without `at` (they read the clock)."""
    local = when.astimezone(ZoneInfo(settings.TIME_ZONE))
    with clock(local.date(), local.time().replace(microsecond=0)):
        return service(**kwargs)

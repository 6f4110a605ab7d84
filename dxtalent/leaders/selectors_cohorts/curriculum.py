"""Numbers derived from the policy pack (pure): window states, cohort plan, curriculum dates."""

import calendar
import datetime as dt

from django.utils import timezone

from dxtalent.policy.pack import Pack, Phase

from ..models import NominationWindow


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- pack-derived numbers (pure)


def window_state(window: NominationWindow, day: dt.date | None = None) -> str:
    """'upcoming' before opens_on, 'open' from opens_on to closes_on inclusive, 'closed' after."""
    day = day or _today()
    if day < window.opens_on:
        return "upcoming"
    if day > window.closes_on:
        return "closed"
    return "open"


WINDOW_STATE_LABELS = {"upcoming": "受付前", "open": "受付中", "closed": "締切済み"}


def fy_month_start(fiscal_year: int, month: int) -> dt.date:
    """The first day of `month` in a fiscal year (April–December of its first year, January–March of the next)."""
    return dt.date(fiscal_year if month >= 4 else fiscal_year + 1, month, 1)


def fy_month_end(fiscal_year: int, month: int) -> dt.date:
    start = fy_month_start(fiscal_year, month)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def cohort_plan(pack: Pack, fiscal_year: int) -> tuple[int | None, int]:
    """(planned 第N期 number or None, target size) for the cohort that trains in `fiscal_year`."""
    planned = pack.planned_cohort_for_year(fiscal_year)
    if planned is not None:
        return planned[0], planned[2]
    return None, pack.cohort_size


def prelearning_phase(pack: Pack) -> Phase | None:
    """The required e-learning phase to finish before the in-person part (事前学習)."""
    phases = [p for p in pack.required_phases if not p.in_person]
    return next((p for p in phases if p.due_before_phase), phases[0] if phases else None)


def prelearning_due_date(pack: Pack, fiscal_year: int) -> dt.date | None:
    """End of the pack's due_month (Sapporo: 31 July) in the cohort's fiscal year."""
    phase = prelearning_phase(pack)
    if phase is None:
        return None
    month = phase.due_month or (phase.months[-1] if phase.months else None)
    return fy_month_end(fiscal_year, month) if month else None


def in_person_phases(pack: Pack) -> list[Phase]:
    return [p for p in pack.required_phases if p.in_person and p.sessions > 0]


def _weekday_within(day: dt.date, start: dt.date, end: dt.date) -> dt.date:
    """Move a Saturday back to Friday and a Sunday on to Monday, staying inside [start, end]."""
    weekday = day.weekday()
    if weekday < 5:
        return day
    options = [day - dt.timedelta(days=1), day + dt.timedelta(days=2)] if weekday == 5 else []
    if weekday == 6:
        options = [day + dt.timedelta(days=1), day - dt.timedelta(days=2)]
    return next((d for d in options if start <= d <= end), day)


def proposed_session_dates(pack: Pack, fiscal_year: int) -> dict[str, list[dt.date]]:
    """Default dates: each in-person phase's sessions spread evenly over its months, on weekdays."""
    out = {}
    for phase in in_person_phases(pack):
        start, end = fy_month_start(fiscal_year, phase.months[0]), fy_month_end(fiscal_year, phase.months[-1])
        span = (end - start).days + 1
        n = phase.sessions
        out[phase.code] = [
            _weekday_within(start + dt.timedelta(days=span * (2 * i + 1) // (2 * n)), start, end) for i in range(n)
        ]
    return out


def phase_months_label(phase: Phase) -> str:
    if not phase.months:
        return ""
    return f"{phase.months[0]}月" if len(phase.months) == 1 else f"{phase.months[0]}〜{phase.months[-1]}月"


def date_in_phase_months(phase: Phase, day: dt.date) -> bool:
    return day.month in phase.months

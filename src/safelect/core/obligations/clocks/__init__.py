"""Clock rules: how a statutory (or policy) period turns a trigger into a due moment.

Pure Python; no Django. Every rule works on the duty holder's LOCAL CALENDAR:

1. the trigger moment is converted to a local date in the holder's zone
   (``zoneinfo`` name, e.g. ``"America/New_York"``);
2. the rule computes the last permitted local date (:meth:`ClockRule.due_date`);
3. the deadline is the END of that day, represented inclusively as
   23:59:59.999999 local time (:func:`~.calendar_rules.end_of_day`); a duty is
   overdue when ``now > due``.

So S.2261 §4(i)'s "in no event longer than 3 calendar days after discovery", with
discovery at 2026-03-06T23:30-05:00, is due at the end of 2026-03-09 in New York,
even though the DST change on 2026-03-08 makes the period 1 hour shorter than
72 hours + the rest of the day.

Rule kinds (``ClockRule.kind``): ``days_after``, ``period_beginning_on``,
``months_after``, ``days_before``, ``fixed_date``, ``every_n_years``,
``after_then_every``, ``days_after_fiscal_year_end``,
``days_before_federal_general_election`` and ``policy_target`` (a configurable
internal target for "promptly"/"expeditiously" duties — policy, never law).

Layout: ``base`` (``ClockRule``, ``Cycle``, ``Occurrence``), ``simple`` (one-off
rules and ``PolicyTarget``), ``recurring`` (fiscal-year, election and periodic
rules); everything is re-exported here.

Recurring rules also generate cycles (:meth:`ClockRule.cycles`) so that a periodic
job can open the coming cycle; :func:`occurrences` does that for a registry duty.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..calendar_rules import TzLike, enactment_date, end_of_day, local_date, start_of_day
from .base import ClockRule, Cycle, Occurrence
from .recurring import AfterThenEvery, DaysAfterFiscalYearEnd, DaysBeforeFederalGeneralElection, EveryNYears
from .simple import DaysAfter, DaysBefore, FixedDate, MonthsAfter, PeriodBeginningOn, PolicyTarget

if TYPE_CHECKING:
    from ..registry.duty import Duty

__all__ = [
    "AfterThenEvery",
    "ClockRule",
    "Cycle",
    "DaysAfter",
    "DaysAfterFiscalYearEnd",
    "DaysBefore",
    "DaysBeforeFederalGeneralElection",
    "EveryNYears",
    "FixedDate",
    "MonthsAfter",
    "Occurrence",
    "PeriodBeginningOn",
    "PolicyTarget",
    "default_lead_times",
    "occurrences",
]


def default_lead_times(rule: ClockRule) -> tuple[timedelta, ...]:
    """Default reminder lead times (before the due moment) for a rule.

    Clocks of 7 days or less: 24 h and 0; up to 31 days: 7 days, 1 day, 0;
    longer, fixed or recurring clocks: 30, 7 and 1 days, and 0.
    """
    length = rule.nominal_length()
    if length is not None and length <= timedelta(days=7) and not rule.recurring:
        return (timedelta(hours=24), timedelta(0))
    if length is not None and length <= timedelta(days=31) and not rule.recurring:
        return (timedelta(days=7), timedelta(days=1), timedelta(0))
    return (timedelta(days=30), timedelta(days=7), timedelta(days=1), timedelta(0))


def occurrences(
    duty: Duty,
    start: datetime,
    end: datetime,
    tz: TzLike,
    enactment: date | str | None = None,
    overrides: Mapping[str, int] | None = None,
) -> Iterator[Occurrence]:
    """Cycles of ``duty`` whose due moment lies in ``[start, end]`` (aware datetimes).

    For periodic, fiscal-year, election-driven, fixed-date and enactment-counted
    duties; event-triggered duties (``trigger.kind == "event"``) have no schedule
    and yield nothing — they are opened when their event is recorded. ``enactment``
    is the assumed date of enactment (see :func:`~.calendar_rules.enactment_date`).
    Yields :class:`Occurrence` (trigger moment, due moment, cycle label), ascending
    by due moment.
    """
    if duty.trigger.kind == "event":
        return
    rule = duty.effective_rule(overrides)
    anchor = enactment_date(enactment)
    first, last = local_date(start, tz), local_date(end, tz)
    found = [c for c in rule.cycles(first - timedelta(days=1), last + timedelta(days=1), anchor)]
    for cycle in sorted(found, key=lambda c: c.due_date):
        due_at = end_of_day(cycle.due_date, tz)
        if start <= due_at <= end:
            yield Occurrence(duty.code, start_of_day(cycle.trigger_date, tz), due_at, cycle.label)

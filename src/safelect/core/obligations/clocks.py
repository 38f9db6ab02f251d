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

Recurring rules also generate cycles (:meth:`ClockRule.cycles`) so that a periodic
job can open the coming cycle; :func:`occurrences` does that for a registry duty.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from .calendar_rules import (
    TzLike,
    add_months,
    end_of_day,
    enactment_date,
    federal_general_election,
    federal_general_elections_between,
    fiscal_year_end,
    fiscal_year_of,
    local_date,
    next_federal_general_election,
    start_of_day,
)

if TYPE_CHECKING:
    from .registry.duty import Duty

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


@dataclass(frozen=True)
class Cycle:
    """One occurrence of a recurring clock, in local dates."""

    trigger_date: date
    due_date: date
    label: str


@dataclass(frozen=True)
class Occurrence:
    """One cycle of a duty with aware moments: what a periodic job opens."""

    code: str
    trigger_at: datetime
    due_at: datetime
    label: str


def _days(n: int) -> str:
    return f"{n} calendar day{'s' if n != 1 else ''}"


def _months(n: int) -> str:
    if n % 12 == 0:
        years = n // 12
        return f"{years} year{'s' if years != 1 else ''}"
    return f"{n} month{'s' if n != 1 else ''}"


class ClockRule(ABC):
    """A way of computing a due date from a trigger date.

    Subclasses implement :meth:`due_date` and :meth:`describe`; :meth:`due` adds
    the time-zone handling common to all rules.
    """

    kind: ClassVar[str]
    #: True when the rule yields several cycles (fiscal years, elections, every N years).
    recurring: ClassVar[bool] = False

    @abstractmethod
    def due_date(self, trigger: date) -> date:
        """Last permitted local date for a trigger on local date ``trigger``."""

    @abstractmethod
    def describe(self, trigger: str = "the trigger") -> str:
        """Plain-language statement of the rule; ``trigger`` names the triggering event."""

    def due(self, trigger_at: datetime | date, tz: TzLike) -> datetime:
        """Due moment (aware, end of the last local day in ``tz``) for ``trigger_at``.

        ``trigger_at`` must be timezone-aware (any zone: it is converted to ``tz``)
        or a ``date`` already in the holder's calendar.
        """
        return end_of_day(self.due_date(local_date(trigger_at, tz)), tz)

    def nominal_length(self) -> timedelta | None:
        """Approximate length of the period (for default reminder lead times)."""
        return None

    def cycle_label(self, trigger: date) -> str:
        """Label of the cycle a trigger on ``trigger`` belongs to ("" for one-off clocks)."""
        return ""

    def cycles(self, start: date, end: date, anchor: date | None) -> Iterator[Cycle]:
        """Cycles whose due date lies in ``[start, end]``.

        ``anchor`` is the trigger date for one-off clocks counted from a date such as
        enactment; without it a relative rule has no cycles of its own.
        """
        if anchor is None:
            return
        due = self.due_date(anchor)
        if start <= due <= end:
            yield Cycle(anchor, due, self.cycle_label(anchor) or "once")

    def params(self) -> dict[str, Any]:
        """Rule parameters (JSON-able)."""
        return {}

    def as_dict(self) -> dict[str, Any]:
        """JSON-able description: kind, parameters and plain text."""
        return {"kind": self.kind, **self.params(), "description": self.describe()}


@dataclass(frozen=True)
class DaysAfter(ClockRule):
    """Not later than N calendar days after the trigger (e.g. S.2261 §4(i): 3 days)."""

    days: int
    kind: ClassVar[str] = "days_after"

    def due_date(self, trigger: date) -> date:
        return trigger + timedelta(days=self.days)

    def describe(self, trigger: str = "the trigger") -> str:
        return f"not later than {_days(self.days)} after {trigger}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days}


@dataclass(frozen=True)
class PeriodBeginningOn(ClockRule):
    """An N-day period that BEGINS ON the trigger day (day 1 = trigger day).

    H.R. 5011 §302(k)(1): "the 60-day period which begins on the date on which the
    Commission submits the final report" ends at the end of trigger + 59 days.
    """

    days: int
    kind: ClassVar[str] = "period_beginning_on"

    def due_date(self, trigger: date) -> date:
        return trigger + timedelta(days=self.days - 1)

    def describe(self, trigger: str = "the trigger") -> str:
        return f"at the end of the {self.days}-day period beginning on the day of {trigger}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days}


@dataclass(frozen=True)
class MonthsAfter(ClockRule):
    """Not later than N months (or N/12 years) after the trigger.

    Calendar-month arithmetic; a missing day clamps to the month's last day
    (1 year after 2020-02-29 is 2021-02-28).
    """

    months: int
    kind: ClassVar[str] = "months_after"

    def due_date(self, trigger: date) -> date:
        return add_months(trigger, self.months)

    def describe(self, trigger: str = "the trigger") -> str:
        return f"not later than {_months(self.months)} after {trigger}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=30 * self.months)

    def params(self) -> dict[str, Any]:
        return {"months": self.months}


@dataclass(frozen=True)
class DaysBefore(ClockRule):
    """Not later than N calendar days before the trigger event's date."""

    days: int
    kind: ClassVar[str] = "days_before"

    def due_date(self, trigger: date) -> date:
        return trigger - timedelta(days=self.days)

    def describe(self, trigger: str = "the event") -> str:
        return f"not later than {_days(self.days)} before {trigger}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days}


@dataclass(frozen=True)
class FixedDate(ClockRule):
    """A date written in the statute (e.g. S.2261 §7(f)(1)(B): November 6, 2018)."""

    on: date
    kind: ClassVar[str] = "fixed_date"

    def due_date(self, trigger: date) -> date:
        return self.on

    def describe(self, trigger: str = "the trigger") -> str:
        return f"not later than {self.on.isoformat()}"

    def cycles(self, start: date, end: date, anchor: date | None) -> Iterator[Cycle]:
        if start <= self.on <= end:
            yield Cycle(anchor if anchor is not None and anchor <= self.on else self.on, self.on, str(self.on.year))

    def params(self) -> dict[str, Any]:
        return {"on": self.on.isoformat()}


@dataclass(frozen=True)
class EveryNYears(ClockRule):
    """A fixed first date, then every N years (S.2261 §5(l): 2019-01-31, 2021-01-31, …).

    ``due_date(trigger)`` is the first scheduled date on or after the trigger.
    ``through`` (optional) is the last date a cycle may fall on.
    """

    first: date
    years: int
    through: date | None = None
    kind: ClassVar[str] = "every_n_years"
    recurring: ClassVar[bool] = True

    def _nth(self, n: int) -> date:
        return add_months(self.first, 12 * self.years * n)

    def _dates(self) -> Iterator[date]:
        n = 0
        while True:
            day = self._nth(n)
            if self.through is not None and day > self.through:
                return
            yield day
            n += 1

    def due_date(self, trigger: date) -> date:
        for day in self._dates():
            if day >= trigger:
                return day
        raise ValueError(f"no cycle of this clock falls on or after {trigger.isoformat()}")

    def cycle_label(self, trigger: date) -> str:
        return str(self.due_date(trigger).year)

    def cycles(self, start: date, end: date, anchor: date | None) -> Iterator[Cycle]:
        previous: date | None = None
        for day in self._dates():
            if day > end:
                return
            if day >= start:
                opened = previous + timedelta(days=1) if previous else add_months(day, -12 * self.years)
                if anchor is not None and previous is None:
                    opened = min(max(opened, anchor), day)
                yield Cycle(opened, day, str(day.year))
            previous = day

    def describe(self, trigger: str = "the trigger") -> str:
        every = "every year" if self.years == 1 else f"once every {self.years} years"
        until = f" through {self.through.isoformat()}" if self.through else ""
        return f"not later than {self.first.isoformat()} and {every} thereafter{until}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=365 * self.years)

    def params(self) -> dict[str, Any]:
        return {"first": self.first.isoformat(), "years": self.years,
                "through": self.through.isoformat() if self.through else None}


@dataclass(frozen=True)
class AfterThenEvery(ClockRule):
    """First due N months after the trigger (usually enactment), then every M months.

    S.2261 §6(b): 2 years after enactment, every 4 years thereafter;
    H.R. 5011 §206: one year after enactment and annually thereafter through 2026
    (``through_year=2026``: no cycle due after 31 December 2026).
    Each cycle is computed from the anchor, so month-end clamping never drifts.
    """

    first_months: int
    every_months: int
    through_year: int | None = None
    kind: ClassVar[str] = "after_then_every"
    recurring: ClassVar[bool] = True

    def due_date(self, trigger: date) -> date:
        return add_months(trigger, self.first_months)

    def cycles(self, start: date, end: date, anchor: date | None) -> Iterator[Cycle]:
        if anchor is None:
            return
        n = 0
        previous = anchor
        while True:
            day = add_months(anchor, self.first_months + n * self.every_months)
            if day > end or (self.through_year is not None and day.year > self.through_year):
                return
            if day >= start:
                yield Cycle(previous, day, f"{day.year}")
            previous = day + timedelta(days=1)
            n += 1

    def describe(self, trigger: str = "the trigger") -> str:
        every = "annually" if self.every_months == 12 else f"every {_months(self.every_months)}"
        until = f" through {self.through_year}" if self.through_year else ""
        return f"not later than {_months(self.first_months)} after {trigger}, and {every} thereafter{until}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=30 * self.first_months)

    def params(self) -> dict[str, Any]:
        return {"first_months": self.first_months, "every_months": self.every_months,
                "through_year": self.through_year}


@dataclass(frozen=True)
class DaysAfterFiscalYearEnd(ClockRule):
    """N days after the end of each Federal fiscal year (FY = 1 October – 30 September).

    ``due_date(trigger)``: the trigger names a fiscal year (the one containing it);
    the due date is N days after its 30 September (30 days → 30 October).
    ``initial_days`` adds a first cycle counted from the anchor (S.2261 §6(a)(1):
    "Not later than 30 days after the date of enactment …, and 30 days after the end
    of each fiscal year thereafter"). Only fiscal years ending on or after the anchor
    produce cycles ("thereafter"); ``first_fiscal_year``/``last_fiscal_year`` bound them.
    """

    days: int
    initial_days: int | None = None
    first_fiscal_year: int | None = None
    last_fiscal_year: int | None = None
    kind: ClassVar[str] = "days_after_fiscal_year_end"
    recurring: ClassVar[bool] = True

    def due_date(self, trigger: date) -> date:
        return fiscal_year_end(fiscal_year_of(trigger)) + timedelta(days=self.days)

    def cycle_label(self, trigger: date) -> str:
        return f"FY{fiscal_year_of(trigger)}"

    def cycles(self, start: date, end: date, anchor: date | None) -> Iterator[Cycle]:
        if anchor is not None and self.initial_days is not None:
            first = anchor + timedelta(days=self.initial_days)
            if start <= first <= end:
                yield Cycle(anchor, first, "initial (after enactment)")
        fy = fiscal_year_of(start - timedelta(days=self.days))
        if anchor is not None:
            fy = max(fy, fiscal_year_of(anchor))
        if self.first_fiscal_year is not None:
            fy = max(fy, self.first_fiscal_year)
        while True:
            if self.last_fiscal_year is not None and fy > self.last_fiscal_year:
                return
            fy_end = fiscal_year_end(fy)
            due = fy_end + timedelta(days=self.days)
            if due > end:
                return
            if due >= start:
                yield Cycle(fy_end, due, f"FY{fy}")
            fy += 1

    def describe(self, trigger: str = "the trigger") -> str:
        text = f"{_days(self.days)} after the end of each fiscal year (FY ends 30 September)"
        if self.initial_days is not None:
            text = f"not later than {_days(self.initial_days)} after the date of enactment, and " + text + " thereafter"
        else:
            text = "not later than " + text
        if self.first_fiscal_year or self.last_fiscal_year:
            text += f" (FY{self.first_fiscal_year or ''}–FY{self.last_fiscal_year or ''})"
        return text

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days, "initial_days": self.initial_days,
                "first_fiscal_year": self.first_fiscal_year, "last_fiscal_year": self.last_fiscal_year}


@dataclass(frozen=True)
class DaysBeforeFederalGeneralElection(ClockRule):
    """N days before each regularly scheduled general election for Federal office.

    The election is the Tuesday after the first Monday in November of even years.
    ``due_date(trigger)`` uses the first such election on or after the trigger date
    (the trigger is a date in the cycle; the election itself also works).
    ``first_year`` (H.R. 5011 §204(b): November 2018) bounds the cycles.
    """

    days: int
    first_year: int | None = None
    kind: ClassVar[str] = "days_before_federal_general_election"
    recurring: ClassVar[bool] = True

    def election_for(self, trigger: date) -> date:
        """The Federal general election whose cycle contains ``trigger``."""
        election = next_federal_general_election(trigger)
        if self.first_year is not None and election.year < self.first_year:
            election = federal_general_election(self.first_year)
        return election

    def due_date(self, trigger: date) -> date:
        return self.election_for(trigger) - timedelta(days=self.days)

    def cycle_label(self, trigger: date) -> str:
        return f"{self.election_for(trigger).year} general election"

    def cycles(self, start: date, end: date, anchor: date | None) -> Iterator[Cycle]:
        lower = start + timedelta(days=self.days)
        for election in federal_general_elections_between(lower, end + timedelta(days=self.days)):
            if self.first_year is not None and election.year < self.first_year:
                continue
            yield Cycle(election, election - timedelta(days=self.days), f"{election.year} general election")

    def describe(self, trigger: str = "the trigger") -> str:
        since = f" (from the {self.first_year} election)" if self.first_year else ""
        return (f"not later than {_days(self.days)} before each regularly scheduled general election "
                f"for Federal office (Tuesday after the first Monday in November, even years){since}")

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days, "first_year": self.first_year}


@dataclass(frozen=True)
class PolicyTarget(ClockRule):
    """An INTERNAL target for a duty the statute only says to do "promptly",
    "expeditiously", "in a timely manner" or "within a reasonable period".

    It is policy, never law: ``describe`` says so, names the statutory words, the
    default and the setting that overrides it (``SAFELECT_OBLIGATION_POLICY_TARGETS``,
    a mapping of duty code → calendar days).
    """

    days: int
    statute_says: str
    setting: str
    #: The registry default when ``days`` comes from a settings override.
    default_days: int | None = None
    kind: ClassVar[str] = "policy_target"

    def due_date(self, trigger: date) -> date:
        return trigger + timedelta(days=self.days)

    def with_days(self, days: int) -> PolicyTarget:
        """A copy of this target with another number of days (a settings override)."""
        if days < 0:
            raise ValueError("a policy target cannot be negative")
        default = self.default_days if self.default_days is not None else self.days
        return PolicyTarget(days, self.statute_says, self.setting, default)

    def describe(self, trigger: str = "the trigger") -> str:
        source = (f"configured via {self.setting}, registry default {_days(self.default_days)}"
                  if self.default_days is not None and self.default_days != self.days
                  else f"registry default; override with {self.setting}")
        return (f"internal policy target (not a statutory deadline; the statute says "
                f"\"{self.statute_says}\"): {_days(self.days)} after {trigger} ({source})")

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days, "statute_says": self.statute_says, "setting": self.setting,
                "default_days": self.days if self.default_days is None else self.default_days}


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

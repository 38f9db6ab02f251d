"""Recurring clock rules: every N years from a date, after-then-every, N days after
each fiscal year, and N days before each Federal general election."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from ..calendar_rules import (
    add_months,
    federal_general_election,
    federal_general_elections_between,
    fiscal_year_end,
    fiscal_year_of,
    next_federal_general_election,
)
from .base import ClockRule, Cycle, days_text, months_text

__all__ = ["AfterThenEvery", "DaysAfterFiscalYearEnd", "DaysBeforeFederalGeneralElection", "EveryNYears"]


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
        return {"first": self.first.isoformat(), "years": self.years, "through": self.through.isoformat() if self.through else None}


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
        every = "annually" if self.every_months == 12 else f"every {months_text(self.every_months)}"
        until = f" through {self.through_year}" if self.through_year else ""
        return f"not later than {months_text(self.first_months)} after {trigger}, and {every} thereafter{until}"

    def nominal_length(self) -> timedelta:
        return timedelta(days=30 * self.first_months)

    def params(self) -> dict[str, Any]:
        return {"first_months": self.first_months, "every_months": self.every_months, "through_year": self.through_year}


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
        text = f"{days_text(self.days)} after the end of each fiscal year (FY ends 30 September)"
        if self.initial_days is not None:
            text = f"not later than {days_text(self.initial_days)} after the date of enactment, and " + text + " thereafter"
        else:
            text = "not later than " + text
        if self.first_fiscal_year or self.last_fiscal_year:
            text += f" (FY{self.first_fiscal_year or ''}–FY{self.last_fiscal_year or ''})"
        return text

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "initial_days": self.initial_days,
            "first_fiscal_year": self.first_fiscal_year,
            "last_fiscal_year": self.last_fiscal_year,
        }


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
        return (
            f"not later than {days_text(self.days)} before each regularly scheduled general election "
            f"for Federal office (Tuesday after the first Monday in November, even years){since}"
        )

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {"days": self.days, "first_year": self.first_year}

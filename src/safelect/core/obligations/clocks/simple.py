"""One-off clock rules: N days/months after, a period beginning on, N days before,
a fixed date, and policy targets for "promptly" duties."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, ClassVar

from ..calendar_rules import add_months
from .base import ClockRule, Cycle, days_text, months_text

__all__ = ["DaysAfter", "DaysBefore", "FixedDate", "MonthsAfter", "PeriodBeginningOn", "PolicyTarget"]


@dataclass(frozen=True)
class DaysAfter(ClockRule):
    """Not later than N calendar days after the trigger (e.g. S.2261 §4(i): 3 days)."""

    days: int
    kind: ClassVar[str] = "days_after"

    def due_date(self, trigger: date) -> date:
        return trigger + timedelta(days=self.days)

    def describe(self, trigger: str = "the trigger") -> str:
        return f"not later than {days_text(self.days)} after {trigger}"

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
        return f"not later than {months_text(self.months)} after {trigger}"

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
        return f"not later than {days_text(self.days)} before {trigger}"

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
        source = (
            f"configured via {self.setting}, registry default {days_text(self.default_days)}"
            if self.default_days is not None and self.default_days != self.days
            else f"registry default; override with {self.setting}"
        )
        return (
            f"internal policy target (not a statutory deadline; the statute says "
            f'"{self.statute_says}"): {days_text(self.days)} after {trigger} ({source})'
        )

    def nominal_length(self) -> timedelta:
        return timedelta(days=self.days)

    def params(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "statute_says": self.statute_says,
            "setting": self.setting,
            "default_days": self.days if self.default_days is None else self.default_days,
        }

"""Base types of the clock rules: ``ClockRule``, ``Cycle``, ``Occurrence``."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from ..calendar_rules import TzLike, end_of_day, local_date

__all__ = ["ClockRule", "Cycle", "Occurrence"]


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


def days_text(n: int) -> str:
    return f"{n} calendar day{'s' if n != 1 else ''}"


def months_text(n: int) -> str:
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

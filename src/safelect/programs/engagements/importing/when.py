"""The Meeting Date cell: a calendar date, or a status such as Pending or TBD.

The requirement: "date (or a status: pending, scheduled, declined, awaiting after-action report)";
§3 lists the spellings seen in the released record: ``9/28/2017``, ``08/19/17``, ``11-Oct``,
``Pending``, ``N/A``, ``TRD`` (an OCR reading of TBD, "to be determined").

:func:`parse_when` never raises.  A date without a year (``11-Oct``) takes the year of the
table's reporting period, passed in as ``context_year``; the result says it did
(``year_inferred``) so the caller can note it.  A date that does not exist (``2/30/2017``) or
has an implausible year is reported as :attr:`WhenProblem.IMPOSSIBLE`, never adjusted.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

PLAUSIBLE_YEARS = range(1990, 2101)


class Status(str, enum.Enum):
    """Where a meeting stands; ``DATED`` means the date is known and nothing else is said."""

    DATED = "dated"
    PENDING = "pending"
    SCHEDULED = "scheduled"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    AWAITING_AAR = "awaiting_aar"  # awaiting the after-action report
    TO_BE_DETERMINED = "tbd"
    NOT_APPLICABLE = "n/a"
    UNKNOWN = "unknown"  # blank cell, or unreadable

    @property
    def label(self) -> str:
        """The spelling a weekly summary prints (and :func:`parse_when` reads back)."""
        return _LABELS[self]


_LABELS = {
    Status.DATED: "",
    Status.PENDING: "Pending",
    Status.SCHEDULED: "Scheduled",
    Status.DECLINED: "Declined",
    Status.CANCELLED: "Cancelled",
    Status.AWAITING_AAR: "Awaiting AAR",
    Status.TO_BE_DETERMINED: "TBD",
    Status.NOT_APPLICABLE: "N/A",
    Status.UNKNOWN: "",
}

_STATUS_WORDS: dict[str, Status] = {
    "pending": Status.PENDING,
    "scheduled": Status.SCHEDULED,
    "declined": Status.DECLINED,
    "cancelled": Status.CANCELLED,
    "canceled": Status.CANCELLED,
    "awaiting aar": Status.AWAITING_AAR,
    "aar pending": Status.AWAITING_AAR,
    "awaiting after action report": Status.AWAITING_AAR,
    "tbd": Status.TO_BE_DETERMINED,
    "trd": Status.TO_BE_DETERMINED,  # OCR misreading of TBD in the released record
    "tba": Status.TO_BE_DETERMINED,
    "to be determined": Status.TO_BE_DETERMINED,
    "n a": Status.NOT_APPLICABLE,
    "na": Status.NOT_APPLICABLE,
    "not applicable": Status.NOT_APPLICABLE,
}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class WhenProblem(str, enum.Enum):
    IMPOSSIBLE = "impossible"  # looks like a date, but no such day (or implausible year)
    UNREADABLE = "unreadable"  # neither a date nor a known status
    NO_YEAR = "no_year"  # day and month only, and no reporting period to take a year from


@dataclass(frozen=True)
class MeetingWhen:
    """A parsed Meeting Date cell.  ``raw`` is kept verbatim for provenance."""

    raw: str
    status: Status
    date: dt.date | None = None
    year_inferred: bool = False
    problem: WhenProblem | None = None

    def key(self) -> str:
        """A comparison key: the ISO date if known, else the status (``"tbd"``, …)."""
        if self.date is not None:
            return self.date.isoformat()
        if self.problem is not None:
            return "?" + " ".join(self.raw.casefold().split())
        return self.status.value

    def to_cell(self) -> str:
        """How a writer prints it; :func:`parse_when` reads this back to an equal key."""
        if self.problem is not None:
            return self.raw
        parts = [self.status.label] if self.status is not Status.DATED else []
        if self.date is not None:
            parts.append(f"{self.date.month}/{self.date.day}/{self.date.year}")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "raw": self.raw,
            "status": self.status.value,
            "date": self.date.isoformat() if self.date else None,
            "year_inferred": self.year_inferred,
            "problem": self.problem.value if self.problem else None,
        }


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def status_for_text(text: str) -> Status | None:
    """The status a whole cell states ("Pending", "TRD", "Awaiting AAR", …), or ``None``."""
    return _STATUS_WORDS.get(_fold(text))


def _make(raw: str, status: Status, year: int, month: int, day: int, inferred: bool) -> MeetingWhen:
    if year not in PLAUSIBLE_YEARS:
        return MeetingWhen(raw, Status.UNKNOWN, problem=WhenProblem.IMPOSSIBLE)
    try:
        return MeetingWhen(raw, status, dt.date(year, month, day), year_inferred=inferred)
    except ValueError:
        return MeetingWhen(raw, Status.UNKNOWN, problem=WhenProblem.IMPOSSIBLE)


def _parse_date(text: str, status: Status, raw: str, context_year: int | None) -> MeetingWhen | None:
    text = text.strip().rstrip(".")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?", text):
        return _make(raw, status, int(m[1]), int(m[2]), int(m[3]), False)
    if m := re.fullmatch(r"(\d{1,2})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{2}|\d{4})", text):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return _make(raw, status, year, int(m[1]), int(m[2]), False)
    day_month = re.fullmatch(r"(\d{1,2})[-\s]([A-Za-z]{3,9})\.?(?:[-\s,]+(\d{2}|\d{4}))?", text)
    # "Oct 11" / "October 11, 2017"; not "Oct-11", which spreadsheets print for October 2011.
    month_day = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", text)
    if day_month or month_day:
        if day_month:
            day, month_name, year_text = day_month[1], day_month[2], day_month[3]
        else:
            assert month_day is not None
            month_name, day, year_text = month_day[1], month_day[2], month_day[3]
        month = _MONTHS.get(month_name.casefold())
        if month is None:
            return None
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return _make(raw, status, year, month, int(day), False)
        if context_year is None:
            return MeetingWhen(raw, Status.UNKNOWN, problem=WhenProblem.NO_YEAR)
        return _make(raw, status, context_year, month, int(day), True)
    if re.fullmatch(r"\d{1,4}\s*[/.-]\s*\d{1,4}(?:\s*[/.-]\s*\d{1,4})?", text):
        return MeetingWhen(raw, Status.UNKNOWN, problem=WhenProblem.IMPOSSIBLE)
    return None


def parse_when(text: str, context_year: int | None = None) -> MeetingWhen:
    """Parse a Meeting Date cell.  Never raises; see the module docstring."""
    raw = text
    stripped = text.strip()
    if not stripped:
        return MeetingWhen(raw, Status.UNKNOWN)
    status = status_for_text(stripped)
    if status is not None:
        return MeetingWhen(raw, status)
    parsed = _parse_date(stripped, Status.DATED, raw, context_year)
    if parsed is not None:
        return parsed
    # "Scheduled 10/31/2017", "Awaiting AAR 10/3/2017", "Declined - 9/5/17", "Pending (10/2/17)"
    for separator in re.finditer(r"[\s:,(-]+", stripped):
        status = status_for_text(stripped[: separator.start()])
        if status is not None:
            parsed = _parse_date(stripped[separator.end() :].rstrip(") "), status, raw, context_year)
            if parsed is not None:
                return parsed
    return MeetingWhen(raw, Status.UNKNOWN, problem=WhenProblem.UNREADABLE)


def year_of(text: str) -> int | None:
    """The year a cell states explicitly (for a table's reporting period), or ``None``."""
    parsed = parse_when(text)
    if parsed.date is not None and not parsed.year_inferred:
        return parsed.date.year
    return None

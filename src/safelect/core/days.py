"""Calendar days in a time zone: the one place that says when a day starts and ends (pure Python).

Statutory periods are counted in whole calendar days of the holder's local calendar, and "by" a
date means until the END of that day, represented as the inclusive instant 23:59:59.999999 local
time. Every clock, due date and expiry in safelect uses :func:`end_of_day`: obligations' deadlines,
engagement follow-ups, API-token expiry dates.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

TzLike = str | ZoneInfo

#: Time of day used for "the end of the last day" (inclusive representation).
END_OF_DAY = time(23, 59, 59, 999999)


def to_zone(tz: TzLike) -> ZoneInfo:
    """Return a ``ZoneInfo`` for an IANA name or pass a ``ZoneInfo`` through."""
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def local_date(moment: datetime | date, tz: TzLike) -> date:
    """The calendar date of ``moment`` in zone ``tz``.

    A ``date`` is taken as already local. A naive ``datetime`` is rejected: a clock
    cannot be started from a moment whose zone is unknown.
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"trigger moment must be timezone-aware, got naive {moment.isoformat()}")
        return moment.astimezone(to_zone(tz)).date()
    return moment


def end_of_day(day: date, tz: TzLike) -> datetime:
    """The deadline instant for ``day``: 23:59:59.999999 local time in ``tz`` (aware).

    DST transitions happen in the small hours, so this wall time is never ambiguous
    or missing.
    """
    return datetime.combine(day, END_OF_DAY, tzinfo=to_zone(tz))


def start_of_day(day: date, tz: TzLike) -> datetime:
    """00:00 local time of ``day`` in ``tz`` (aware); used as the moment of a date trigger."""
    return datetime.combine(day, time(0), tzinfo=to_zone(tz))

"""Calendar facts the statutory clocks rely on (pure Python, no Django).

* Federal general elections: "the Tuesday next after the 1st Monday in November,
  in every even numbered year" (2 U.S.C. 7, 3 U.S.C. 1), the "regularly scheduled
  general election for Federal office" of H.R. 5011 §204(a).
* The Federal fiscal year runs 1 October – 30 September and is named after the
  calendar year in which it ends (FY2026 = 2025-10-01 .. 2026-09-30); S.2261 §6(a)(1)
  and H.R. 5011 §101 (HAVA §297D) count "days after the end of each fiscal year".
* Day arithmetic: statutory periods are counted in whole calendar days of the duty
  holder's local calendar; the deadline is the END of the last day, represented as
  the inclusive instant 23:59:59.999999 local time (:func:`safelect.core.days.end_of_day`,
  re-exported here with the other day helpers).
* "Date of enactment" is a setting, ``SAFELECT_ENACTMENT_DATE`` (:func:`enactment_date`).
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from safelect.core.days import END_OF_DAY, TzLike, end_of_day, local_date, start_of_day, to_zone

__all__ = [
    "DEFAULT_ENACTMENT_DATE",
    "ENACTMENT_SETTING",
    "END_OF_DAY",
    "TzLike",
    "add_months",
    "end_of_day",
    "enactment_date",
    "federal_general_election",
    "federal_general_elections_between",
    "fiscal_year_end",
    "fiscal_year_of",
    "fiscal_year_start",
    "local_date",
    "next_federal_general_election",
    "start_of_day",
    "to_zone",
]

#: Name of the setting / environment variable holding the assumed date of enactment.
ENACTMENT_SETTING = "SAFELECT_ENACTMENT_DATE"

#: Default assumed date of enactment of BOTH bills: 2018-02-14.
#:
#: Neither bill was enacted, so any date is an assumption. 2018-02-14 is the date of
#: the H.R. 5011 draft (the later of the two texts; S.2261 was introduced
#: 2017-12-21), i.e. the earliest date on which both texts could be law. With it
#: every fixed date in the bills stays consistent: the FY2018 authorisations
#: (S.2261 §7(i), HAVA §297E) fall in the year of enactment, the §5(h) guidelines
#: (enactment + 180 days = 2018-08-13) precede the first §5(l) review
#: (2019-01-31), and the §7(f)(1)(B) interim-grant deadline (2018-11-06) is in the
#: future. Fixed-date clocks (§5(l), §7(h)(4), §7(f)(1)(B)) and fiscal-year clocks
#: (30 October each year for §6(a)(1)) do not depend on it.
DEFAULT_ENACTMENT_DATE = date(2018, 2, 14)


def enactment_date(value: date | str | None = None) -> date:
    """Resolve the assumed date of enactment.

    Order: an explicit ``value`` (a ``date`` or ISO ``YYYY-MM-DD`` string), then the
    environment variable ``SAFELECT_ENACTMENT_DATE``, then
    :data:`DEFAULT_ENACTMENT_DATE`. The Django layer should pass its setting in as
    ``value``; this module never imports Django.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = value if value is not None else os.environ.get(ENACTMENT_SETTING)
    if raw is None or not str(raw).strip():
        return DEFAULT_ENACTMENT_DATE
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise ValueError(f"{ENACTMENT_SETTING} must be an ISO date (YYYY-MM-DD), got {raw!r}") from exc


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; a missing day clamps to the month end.

    "1 year after 2020-02-29" is therefore 2021-02-28, and "6 months after
    2018-08-31" is 2019-02-28.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def federal_general_election(year: int) -> date:
    """The regularly scheduled general election for Federal office in ``year``.

    The Tuesday after the first Monday in November (so 2 – 8 November); only even
    years have one.
    """
    if year % 2:
        raise ValueError(f"{year} is odd: regularly scheduled Federal general elections are in even years")
    first = date(year, 11, 1)
    first_monday = first + timedelta(days=(0 - first.weekday()) % 7)
    return first_monday + timedelta(days=1)


def next_federal_general_election(on_or_after: date) -> date:
    """The first Federal general election on or after ``on_or_after``."""
    year = on_or_after.year + (on_or_after.year % 2)
    election = federal_general_election(year)
    if election < on_or_after:
        election = federal_general_election(year + 2)
    return election


def federal_general_elections_between(start: date, end: date) -> Iterator[date]:
    """Federal general election dates ``d`` with ``start <= d <= end``, ascending."""
    election = next_federal_general_election(start)
    while election <= end:
        yield election
        election = federal_general_election(election.year + 2)


def fiscal_year_of(day: date) -> int:
    """The Federal fiscal year containing ``day`` (FY ends 30 September of its name year)."""
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_start(fiscal_year: int) -> date:
    """First day of ``fiscal_year``: 1 October of the previous calendar year."""
    return date(fiscal_year - 1, 10, 1)


def fiscal_year_end(fiscal_year: int) -> date:
    """Last day of ``fiscal_year``: 30 September."""
    return date(fiscal_year, 9, 30)

"""When reminders fall due (pure Python, no Django).

A duty's reminder lead times (``Duty.reminder_lead_times``: 24 h and 0 for 3-day clocks; 30, 7
and 1 days and 0 for long ones) count back from the START of the last permitted day in the
holder's zone, not from the deadline instant (23:59:59.999999 local): the deadline is the end
of a day, so "0" means "due today" (sent at local midnight that day), "24 h"/"1 day" means "due
tomorrow", "7 days" means a week before the last day. Whole-day lead times are counted in
calendar days so a daylight-saving change does not shift a reminder by an hour; sub-day lead
times (e.g. 36 h) are elapsed time. After the
deadline passes the ``overdue`` threshold escalates (see ``sweep``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from .calendar_rules import TzLike, start_of_day, to_zone

OVERDUE = "overdue"
DAY = timedelta(days=1)


def threshold_code(lead: timedelta) -> str:
    """Stable name of a lead-time threshold: ``lead-86400`` for 24 h."""
    return f"lead-{int(lead.total_seconds())}"


def threshold_moment(due_at: datetime, tz: TzLike, lead: timedelta) -> datetime:
    """The moment the reminder for ``lead`` becomes due."""
    last_day = due_at.astimezone(to_zone(tz)).date()
    if lead % DAY == timedelta(0):
        return start_of_day(last_day - timedelta(days=lead // DAY), tz)
    # Sub-day lead times are elapsed time: subtract in UTC (aware arithmetic in one zone is wall-clock).
    return (start_of_day(last_day, tz).astimezone(UTC) - lead).astimezone(to_zone(tz))


def due_soon_from(due_at: datetime, tz: TzLike, lead_times: Iterable[timedelta]) -> datetime:
    """From when an obligation shows as *due soon*: its first (longest) reminder threshold."""
    leads = list(lead_times) or [timedelta(0)]
    return threshold_moment(due_at, tz, max(leads))


def describe_lead(lead: timedelta) -> str:
    """Plain words for a threshold, used in reminder subjects."""
    if lead == timedelta(0):
        return "due today"
    if lead == DAY:
        return "due tomorrow"
    if lead % DAY == timedelta(0):
        return f"due in {lead // DAY} days"
    hours = int(lead.total_seconds() // 3600)
    return f"due in {hours} hours"


def passed_thresholds(due_at: datetime, tz: TzLike, lead_times: Iterable[timedelta], now: datetime) -> list[tuple[str, timedelta]]:
    """Lead-time thresholds already reached at ``now`` (before the deadline), longest lead first."""
    if now > due_at:
        return []
    return [(threshold_code(lead), lead) for lead in sorted(set(lead_times), reverse=True) if threshold_moment(due_at, tz, lead) <= now]

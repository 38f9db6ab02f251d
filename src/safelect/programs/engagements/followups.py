"""Follow-ups ("GETBACK" items) as internal-policy obligations.

Each follow-up opens one obligation of the policy duty :data:`GETBACK_DUTY`, held by the
national-office organization that owns it, due at the end of the follow-up's due date in the
holder's time zone.  Reminders, the overdue board and the calendar then come from the
obligations engine; the obligation always shows as internal policy, never as law.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from safelect.core.days import end_of_day

GETBACK_DUTY = "ENG-GETBACK"
DEFAULT_DAYS = 14


def register_getback_duty() -> None:
    from safelect.core.obligations.registry import register_policy_duty

    register_policy_duty(
        GETBACK_DUTY,
        "Complete a follow-up (GETBACK) from an engagement with election officials",
        DEFAULT_DAYS,
        "national_office",
        lead_times=(timedelta(days=3), timedelta(0)),
        origin="engagements",
        text="Program policy: each follow-up from an engagement is completed by the due date its owner "
        f"sets (by default {DEFAULT_DAYS} calendar days after the meeting is recorded).",
        event="engagement_follow_up_opened",
        event_words="the opening of the follow-up",
    )


def due_moment(due_date: dt.date, time_zone: str) -> dt.datetime:
    """The end of ``due_date`` in the holder's zone (the last moment that is still on time)."""
    return end_of_day(due_date, time_zone).astimezone(dt.UTC)

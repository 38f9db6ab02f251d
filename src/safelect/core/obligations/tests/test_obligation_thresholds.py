"""Reminder thresholds count back from the start of the last day, in calendar days (pure)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from safelect.core.obligations.calendar_rules import end_of_day
from safelect.core.obligations.thresholds import (
    describe_lead,
    due_soon_from,
    passed_thresholds,
    threshold_code,
    threshold_moment,
)

NY = ZoneInfo("America/New_York")
DAY = timedelta(days=1)


def test_zero_lead_is_the_start_of_the_last_day_and_24h_the_day_before():
    due = end_of_day(date(2026, 3, 9), NY)
    assert threshold_moment(due, NY, timedelta(0)) == datetime(2026, 3, 9, tzinfo=NY)
    assert threshold_moment(due, NY, timedelta(hours=24)) == datetime(2026, 3, 8, tzinfo=NY)


def test_whole_day_leads_ignore_the_dst_hour():
    due = end_of_day(date(2026, 3, 10), NY)  # DST began 2026-03-08
    seven = threshold_moment(due, NY, 7 * DAY)
    assert seven == datetime(2026, 3, 3, tzinfo=NY) and seven.utcoffset() == timedelta(hours=-5)
    assert threshold_moment(due, NY, DAY).utcoffset() == timedelta(hours=-4)
    # an hour-based lead is elapsed time: 36 h before 00:00 EDT on 9 March is 11:00 EST on 7 March
    before = threshold_moment(end_of_day(date(2026, 3, 9), NY), NY, timedelta(hours=36))
    assert before == datetime(2026, 3, 7, 11, tzinfo=NY)
    assert datetime(2026, 3, 9, tzinfo=NY) - before == timedelta(hours=37)  # wall-clock difference


def test_leap_day_in_the_reminder_window():
    due = end_of_day(date(2028, 3, 1), NY)  # 3 days after 2028-02-27
    assert threshold_moment(due, NY, DAY) == datetime(2028, 2, 29, tzinfo=NY)
    assert threshold_moment(due, NY, 30 * DAY) == datetime(2028, 1, 31, tzinfo=NY)


def test_passed_thresholds_and_due_soon():
    due = end_of_day(date(2026, 3, 9), NY)
    leads = (timedelta(hours=24), timedelta(0))
    assert passed_thresholds(due, NY, leads, datetime(2026, 3, 7, 23, tzinfo=NY)) == []
    assert passed_thresholds(due, NY, leads, datetime(2026, 3, 8, 1, tzinfo=NY)) == [("lead-86400", DAY)]
    assert [c for c, _ in passed_thresholds(due, NY, leads, datetime(2026, 3, 9, 1, tzinfo=NY))] == ["lead-86400", "lead-0"]
    assert passed_thresholds(due, NY, leads, datetime(2026, 3, 10, 0, 0, 1, tzinfo=NY)) == []  # overdue instead
    assert due_soon_from(due, NY, leads) == datetime(2026, 3, 8, tzinfo=NY)
    assert due_soon_from(due, NY, ()) == datetime(2026, 3, 9, tzinfo=NY)


def test_names_and_words():
    assert threshold_code(timedelta(days=30)) == "lead-2592000"
    assert [describe_lead(x) for x in (timedelta(0), DAY, 7 * DAY, timedelta(hours=12))] == [
        "due today",
        "due tomorrow",
        "due in 7 days",
        "due in 12 hours",
    ]

"""Clock rules and calendar facts. Fixed datetimes only, no wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safelect.core.obligations.calendar_rules import (
    DEFAULT_ENACTMENT_DATE,
    add_months,
    enactment_date,
    end_of_day,
    federal_general_election,
    federal_general_elections_between,
    fiscal_year_end,
    fiscal_year_of,
    next_federal_general_election,
)
from safelect.core.obligations.clocks import (
    AfterThenEvery,
    DaysAfter,
    DaysAfterFiscalYearEnd,
    DaysBefore,
    DaysBeforeFederalGeneralElection,
    EveryNYears,
    FixedDate,
    MonthsAfter,
    PeriodBeginningOn,
    PolicyTarget,
    default_lead_times,
)

NY = ZoneInfo("America/New_York")
LA = "America/Los_Angeles"


def test_three_days_after_late_evening_discovery_spans_dst_change() -> None:
    """S.2261 §4(i): discovery 23:30 EST on Friday 2026-03-06; DST starts 2026-03-08."""
    trigger = datetime(2026, 3, 6, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    due = DaysAfter(3).due(trigger, "America/New_York")
    assert due == datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=NY)
    assert due.utcoffset() == timedelta(hours=-4)  # EDT at the deadline
    assert trigger.utcoffset() == timedelta(hours=-5)  # EST at discovery
    # Elapsed real time is one hour less than the wall-clock span because of DST.
    wall = timedelta(days=3, minutes=29, seconds=59, microseconds=999999)
    assert due - trigger == wall  # same tzinfo: Python subtracts wall times
    assert due.astimezone(UTC) - trigger.astimezone(UTC) == wall - timedelta(hours=1)


def test_trigger_given_in_another_zone_is_counted_in_the_holder_zone() -> None:
    # 04:30Z on 7 March is still 6 March in New York ...
    utc_trigger = datetime(2026, 3, 7, 4, 30, tzinfo=UTC)
    assert DaysAfter(3).due(utc_trigger, NY).date() == date(2026, 3, 9)
    # ... and also still 6 March in Los Angeles, but 7 March in UTC.
    assert DaysAfter(3).due(utc_trigger, LA).date() == date(2026, 3, 9)
    assert DaysAfter(3).due(utc_trigger, "UTC").date() == date(2026, 3, 10)


def test_due_moments_are_aware_and_naive_triggers_are_rejected() -> None:
    due = DaysAfter(7).due(datetime(2026, 1, 1, 12, tzinfo=UTC), NY)
    assert due.tzinfo is not None and due.utcoffset() is not None
    with pytest.raises(ValueError, match="timezone-aware"):
        DaysAfter(7).due(datetime(2026, 1, 1, 12), NY)


def test_date_trigger_is_taken_as_local_date() -> None:
    assert DaysAfter(30).due(date(2018, 2, 14), NY) == end_of_day(date(2018, 3, 16), NY)


def test_leap_day_three_days_after_feb_27() -> None:
    trigger = datetime(2028, 2, 27, 9, 0, tzinfo=NY)
    assert DaysAfter(3).due(trigger, NY).date() == date(2028, 3, 1)  # 28, 29 Feb, 1 Mar
    assert DaysAfter(3).due(datetime(2027, 2, 27, 9, 0, tzinfo=NY), NY).date() == date(2027, 3, 2)


def test_leap_day_ninety_days_across_feb_29() -> None:
    assert DaysAfter(90).due(date(2028, 1, 15), NY).date() == date(2028, 4, 14)
    assert DaysAfter(90).due(date(2027, 1, 15), NY).date() == date(2027, 4, 15)


def test_months_after_clamps_to_month_end() -> None:
    assert MonthsAfter(12).due_date(date(2028, 2, 29)) == date(2029, 2, 28)
    assert MonthsAfter(6).due_date(date(2018, 8, 31)) == date(2019, 2, 28)
    assert MonthsAfter(18).due_date(date(2019, 1, 15)) == date(2020, 7, 15)
    assert add_months(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert add_months(date(2020, 3, 31), -1) == date(2020, 2, 29)


def test_period_beginning_on_counts_the_first_day() -> None:
    # H.R. 5011 §302(k)(1): 60-day period beginning on the submission day.
    assert PeriodBeginningOn(60).due_date(date(2026, 1, 1)) == date(2026, 3, 1)
    assert DaysAfter(60).due_date(date(2026, 1, 1)) == date(2026, 3, 2)


def test_days_before_event() -> None:
    assert DaysBefore(180).due(date(2026, 11, 3), NY).date() == date(2026, 5, 7)


def test_fixed_date_ignores_trigger() -> None:
    rule = FixedDate(date(2018, 11, 6))
    assert rule.due(date(2018, 1, 1), "America/Chicago") == datetime(2018, 11, 6, 23, 59, 59, 999999, tzinfo=ZoneInfo("America/Chicago"))
    assert [c.due_date for c in rule.cycles(date(2018, 1, 1), date(2019, 1, 1), None)] == [date(2018, 11, 6)]
    assert list(rule.cycles(date(2019, 1, 1), date(2020, 1, 1), None)) == []


def test_every_two_years_from_fixed_date() -> None:
    rule = EveryNYears(date(2019, 1, 31), 2)
    cycles = list(rule.cycles(date(2018, 1, 1), date(2026, 12, 31), date(2018, 2, 14)))
    assert [c.due_date for c in cycles] == [date(2019, 1, 31), date(2021, 1, 31), date(2023, 1, 31), date(2025, 1, 31)]
    assert cycles[0].trigger_date == date(2018, 2, 14)
    assert cycles[1].trigger_date == date(2019, 2, 1)
    assert rule.due_date(date(2019, 2, 1)) == date(2021, 1, 31)
    assert rule.due_date(date(2021, 1, 31)) == date(2021, 1, 31)
    bounded = EveryNYears(date(2019, 1, 31), 2, through=date(2021, 12, 31))
    with pytest.raises(ValueError):
        bounded.due_date(date(2022, 1, 1))


def test_after_then_every_through_year() -> None:
    rule = AfterThenEvery(12, 12, through_year=2026)  # H.R. 5011 §206
    dues = [c.due_date for c in rule.cycles(date(2018, 1, 1), date(2030, 12, 31), date(2018, 2, 14))]
    assert dues == [date(y, 2, 14) for y in range(2019, 2027)]
    gao = AfterThenEvery(24, 48)  # S.2261 §6(b)
    assert [c.due_date for c in gao.cycles(date(2018, 1, 1), date(2028, 12, 31), date(2018, 2, 14))] == [
        date(2020, 2, 14),
        date(2024, 2, 14),
        date(2028, 2, 14),
    ]
    # Anchored on a leap day, each cycle is computed from the anchor: no drift.
    leap = AfterThenEvery(12, 12)
    assert [c.due_date for c in leap.cycles(date(2020, 1, 1), date(2024, 12, 31), date(2020, 2, 29))] == [
        date(2021, 2, 28),
        date(2022, 2, 28),
        date(2023, 2, 28),
        date(2024, 2, 29),
    ]


def test_fiscal_year_rule() -> None:
    rule = DaysAfterFiscalYearEnd(30)
    assert rule.due_date(date(2026, 3, 1)) == date(2026, 10, 30)  # FY2026
    assert rule.due_date(date(2026, 9, 30)) == date(2026, 10, 30)
    assert rule.due_date(date(2026, 10, 1)) == date(2027, 10, 30)  # FY2027
    assert rule.cycle_label(date(2025, 10, 1)) == "FY2026"
    ninety = DaysAfterFiscalYearEnd(90)
    assert ninety.due_date(date(2026, 1, 1)) == date(2026, 12, 29)
    bounded = DaysAfterFiscalYearEnd(90, first_fiscal_year=2018, last_fiscal_year=2019)
    assert [c.label for c in bounded.cycles(date(2017, 1, 1), date(2030, 1, 1), None)] == ["FY2018", "FY2019"]


def test_fiscal_year_rule_with_initial_cycle_after_enactment() -> None:
    rule = DaysAfterFiscalYearEnd(30, initial_days=30)  # S.2261 §6(a)(1)
    cycles = list(rule.cycles(date(2018, 1, 1), date(2020, 12, 31), date(2018, 2, 14)))
    assert [(c.due_date, c.label) for c in cycles] == [
        (date(2018, 3, 16), "initial (after enactment)"),
        (date(2018, 10, 30), "FY2018"),
        (date(2019, 10, 30), "FY2019"),
        (date(2020, 10, 30), "FY2020"),
    ]


def test_before_federal_general_election() -> None:
    rule = DaysBeforeFederalGeneralElection(180, first_year=2018)
    assert rule.due(datetime(2026, 3, 2, 14, tzinfo=NY), NY) == end_of_day(date(2026, 5, 7), NY)
    assert rule.cycle_label(date(2026, 3, 2)) == "2026 general election"
    # A trigger after the due date but before the election still names that election.
    assert rule.due_date(date(2026, 6, 1)) == date(2026, 5, 7)
    assert rule.due_date(date(2026, 11, 4)) == date(2028, 11, 7) - timedelta(days=180)
    assert rule.due_date(date(2016, 1, 1)) == date(2018, 11, 6) - timedelta(days=180)
    labels = [c.label for c in rule.cycles(date(2016, 1, 1), date(2028, 12, 31), None)]
    assert labels == [
        "2018 general election",
        "2020 general election",
        "2022 general election",
        "2024 general election",
        "2026 general election",
        "2028 general election",
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2018, date(2018, 11, 6)),
        (2020, date(2020, 11, 3)),
        (2022, date(2022, 11, 8)),
        (2024, date(2024, 11, 5)),
        (2026, date(2026, 11, 3)),
        (2028, date(2028, 11, 7)),
        (2030, date(2030, 11, 5)),
        (2032, date(2032, 11, 2)),
    ],
)
def test_federal_general_election_dates(year: int, expected: date) -> None:
    assert federal_general_election(year) == expected


def test_odd_years_have_no_federal_general_election() -> None:
    with pytest.raises(ValueError):
        federal_general_election(2027)
    assert next_federal_general_election(date(2027, 5, 1)) == date(2028, 11, 7)
    assert next_federal_general_election(date(2026, 11, 3)) == date(2026, 11, 3)
    assert next_federal_general_election(date(2026, 11, 4)) == date(2028, 11, 7)
    assert list(federal_general_elections_between(date(2019, 1, 1), date(2022, 11, 8))) == [date(2020, 11, 3), date(2022, 11, 8)]


@given(st.integers(min_value=1900, max_value=2200).map(lambda y: y - y % 2))
def test_election_is_tuesday_after_first_monday(year: int) -> None:
    day = federal_general_election(year)
    assert day.weekday() == 1 and day.month == 11 and 2 <= day.day <= 8


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_fiscal_year_bounds(day: date) -> None:
    fy = fiscal_year_of(day)
    assert date(fy - 1, 10, 1) <= day <= fiscal_year_end(fy)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.sampled_from(
        ["America/New_York", "America/Phoenix", "Pacific/Honolulu", "America/Anchorage", "America/Puerto_Rico", "Pacific/Guam", "UTC"]
    ),
)
def test_days_after_is_end_of_local_day(day: date, n: int, tz: str) -> None:
    due = DaysAfter(n).due(day, tz)
    assert due.date() == day + timedelta(days=n)
    assert (due.hour, due.minute, due.second, due.microsecond) == (23, 59, 59, 999999)
    assert due.utcoffset() is not None


def test_policy_target_is_overridable_and_labelled_policy() -> None:
    rule = PolicyTarget(1, "promptly", 'SAFELECT_OBLIGATION_POLICY_TARGETS["X"]')
    assert "not a statutory deadline" in rule.describe()
    changed = rule.with_days(5)
    assert changed.due_date(date(2026, 1, 1)) == date(2026, 1, 6)
    assert "registry default 1 calendar day" in changed.describe()
    with pytest.raises(ValueError):
        rule.with_days(-1)


def test_default_lead_times() -> None:
    assert default_lead_times(DaysAfter(3)) == (timedelta(hours=24), timedelta(0))
    assert default_lead_times(DaysAfter(7)) == (timedelta(hours=24), timedelta(0))
    assert default_lead_times(DaysAfter(14)) == (timedelta(days=7), timedelta(days=1), timedelta(0))
    assert default_lead_times(DaysAfter(90))[:3] == (timedelta(days=30), timedelta(days=7), timedelta(days=1))
    assert default_lead_times(DaysAfterFiscalYearEnd(30))[0] == timedelta(days=30)


def test_enactment_date_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAFELECT_ENACTMENT_DATE", raising=False)
    assert enactment_date() == DEFAULT_ENACTMENT_DATE == date(2018, 2, 14)
    monkeypatch.setenv("SAFELECT_ENACTMENT_DATE", "2019-05-01")
    assert enactment_date() == date(2019, 5, 1)
    assert enactment_date("2020-01-02") == date(2020, 1, 2)
    assert enactment_date(date(2021, 3, 4)) == date(2021, 3, 4)
    monkeypatch.setenv("SAFELECT_ENACTMENT_DATE", "soon")
    with pytest.raises(ValueError, match="SAFELECT_ENACTMENT_DATE"):
        enactment_date()

"""``explain``: worked examples from the statute's clocks, with fixed datetimes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safelect.core.obligations.explain import explain, format_due, parse_trigger

NY = ZoneInfo("America/New_York")


def test_s2261_4i_acceptance_example() -> None:
    result = explain("S2261-4i", trigger="2026-03-06T23:30:00-05:00", tz="America/New_York")
    assert result.due_at == datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=NY)
    assert result.due_text == "end of 2026-03-09 (America/New_York)"
    assert "end of 2026-03-09 (America/New_York)" in result.text
    assert "S.2261 §4(i)" in result.text
    assert "3 calendar days after the discovery of the incident" in result.text
    assert "statutory" in result.text
    assert "in no event longer than 3 calendar days" in result.text


def test_holder_zone_changes_the_counted_day() -> None:
    # The same instant is 6 March in Los Angeles but 7 March in Guam.
    la = explain("S2261-4i", "2026-03-06T23:30:00-05:00", tz="America/Los_Angeles")
    guam = explain("S2261-4i", "2026-03-06T23:30:00-05:00", tz="Pacific/Guam")
    assert la.due_text == "end of 2026-03-09 (America/Los_Angeles)"
    assert guam.due_text == "end of 2026-03-10 (Pacific/Guam)"


def test_threat_assessment_180_days_before_2026_election() -> None:
    result = explain("HR5011-204a", trigger=datetime(2026, 3, 2, 14, tzinfo=NY), tz=NY)
    assert result.due_local_date == date(2026, 5, 7)
    assert result.cycle_label == "2026 general election"
    assert date(2026, 11, 3) - result.due_local_date == timedelta(days=180)


def test_enactment_duty_without_trigger_uses_assumed_date() -> None:
    result = explain("S2261-4l")
    assert result.due_local_date == date(2018, 3, 16)
    assert "enactment: 2018-02-14 assumed (default; setting SAFELECT_ENACTMENT_DATE)" in result.text
    configured = explain("S2261-4l", enactment="2019-06-01")
    assert configured.due_local_date == date(2019, 7, 1)
    assert "2019-06-01 assumed (configured" in configured.text


def test_6a1_first_report_and_fiscal_year_report() -> None:
    assert explain("S2261-6a1").due_local_date == date(2018, 3, 16)
    fy = explain("S2261-6a1", trigger="2026-03-02T14:00-05:00")
    assert fy.due_local_date == date(2026, 10, 30)
    assert fy.cycle_label == "FY2026"


def test_5l_and_fixed_dates() -> None:
    assert explain("S2261-5l").due_local_date == date(2019, 1, 31)
    assert explain("S2261-5l", trigger="2019-02-01").due_local_date == date(2021, 1, 31)
    fixed = explain("S2261-7f1B")
    assert fixed.due_text == "end of 2018-11-06 (America/New_York)"
    assert fixed.trigger_at is None


def test_policy_duty_is_shown_as_policy_never_law() -> None:
    result = explain("S2261-4c", trigger="2026-03-02T14:00-05:00")
    assert "POLICY, not law" in result.text
    assert 'SAFELECT_OBLIGATION_POLICY_TARGETS["S2261-4c"]' in result.text
    assert result.due_local_date == date(2026, 3, 3)
    overridden = explain("S2261-4c", trigger="2026-03-02T14:00-05:00", overrides={"S2261-4c": 0})
    assert overridden.due_local_date == date(2026, 3, 2)
    assert "registry default 1 calendar day" in overridden.text


def test_leap_day_explanations() -> None:
    assert explain("S2261-4j1", "2028-02-27T10:00-05:00").due_text == "end of 2028-03-01 (America/New_York)"
    assert explain("HR5011-205b1", "2028-01-15T10:00-05:00").due_local_date == date(2028, 4, 14)


def test_json_form() -> None:
    data = explain("HR5011-205b1", "2026-03-02T14:00-05:00").as_dict()
    json.dumps(data)
    assert data["due_at"] == "2026-05-31T23:59:59.999999-04:00"
    assert data["citation"] == "H.R. 5011 §205(b)(1)"
    assert data["period_kind"] == "statutory"


def test_trigger_parsing_and_errors() -> None:
    assert parse_trigger("2026-03-02") == date(2026, 3, 2)
    assert parse_trigger("2026-03-02T14:00-05:00") == datetime(2026, 3, 2, 19, tzinfo=ZoneInfo("UTC"))
    with pytest.raises(ValueError, match="UTC offset"):
        parse_trigger("2026-03-02T14:00")
    with pytest.raises(ValueError, match="needs --trigger"):
        explain("S2261-4i")
    with pytest.raises(KeyError):
        explain("NOPE-1")


def test_format_due() -> None:
    moment = datetime(2026, 3, 10, 3, 59, 59, 999999, tzinfo=ZoneInfo("UTC"))
    assert format_due(moment, "America/New_York") == "end of 2026-03-09 (America/New_York)"

"""Dates, States, regions, redaction spans and headers: examples and properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelect.programs.engagements.importing import (
    RedactedText,
    Segment,
    Status,
    canonical_code,
    field_for_header,
    load_states,
    parse_redacted,
    parse_region,
    parse_when,
    resolve_state,
    state_by_abbr,
    states_in_region,
)
from safelect.programs.engagements.importing.normalise import strip_fragments


@pytest.mark.parametrize(
    ("cell", "status", "date"),
    [
        ("9/28/2017", Status.DATED, dt.date(2017, 9, 28)),
        ("08/19/17", Status.DATED, dt.date(2017, 8, 19)),
        ("11-Oct", Status.DATED, dt.date(2017, 10, 11)),  # year from the reporting period
        ("2017-10-03", Status.DATED, dt.date(2017, 10, 3)),
        ("Oct. 31, 2017", Status.DATED, dt.date(2017, 10, 31)),
        ("Pending", Status.PENDING, None),
        ("N/A", Status.NOT_APPLICABLE, None),
        ("TRD", Status.TO_BE_DETERMINED, None),
        ("TBD.", Status.TO_BE_DETERMINED, None),
        ("Scheduled 10/31/2017", Status.SCHEDULED, dt.date(2017, 10, 31)),
        ("Declined", Status.DECLINED, None),
        ("Awaiting AAR", Status.AWAITING_AAR, None),
        ("", Status.UNKNOWN, None),
    ],
)
def test_meeting_date_cells(cell: str, status: Status, date: dt.date | None) -> None:
    when = parse_when(cell, context_year=2017)
    assert (when.status, when.date, when.problem) == (status, date, None)
    assert when.year_inferred == (cell == "11-Oct")


@pytest.mark.parametrize("cell", ["2/30/2017", "13/1/2017", "1/1/1850", "31-Feb"])
def test_impossible_dates_are_reported_not_adjusted(cell: str) -> None:
    when = parse_when(cell, context_year=2017)
    assert when.date is None and when.problem is not None and when.problem.value == "impossible"


def test_day_month_without_any_year_is_not_guessed() -> None:
    assert parse_when("11-Oct").problem is not None
    assert parse_when("Oct-11", 2017).date is None  # spreadsheets print October 2011 so


@given(st.text())
def test_parse_when_never_crashes(text: str) -> None:
    when = parse_when(text, context_year=2017)
    assert when.raw == text
    assert (when.date is None) or when.problem is None


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), st.sampled_from(["{m}/{d}/{Y}", "{m:02}/{d:02}/{y:02}", "{Y}-{m:02}-{d:02}"]))
def test_written_dates_read_back(date: dt.date, pattern: str) -> None:
    cell = pattern.format(m=date.month, d=date.day, Y=date.year, y=date.year % 100)
    parsed = parse_when(cell)
    if pattern.endswith("{y:02}"):
        assert parsed.date == date.replace(year=2000 + date.year % 100)
    else:
        assert parsed.date == date
    assert parse_when(parsed.to_cell()).key() == parsed.key()


def test_states_from_reference_data() -> None:
    states = load_states()
    assert len(states) == 56 and {s.region for s in states} == set(range(1, 11))
    assert state_by_abbr("ri").name == "Rhode Island"
    assert {s.abbr for s in states_in_region(1)} == {"CT", "ME", "MA", "NH", "RI", "VT"}


@pytest.mark.parametrize(
    ("cell", "abbr"),
    [
        ("Vermont", "VT"),
        ("NJ", "NJ"),
        ("new  jersey", "NJ"),
        ("Guam", "GU"),
        ("Commonwealth of the Northern Mariana Islands", "MP"),
        ("Washington, D.C.", "DC"),
    ],
)
def test_state_names_and_codes(cell: str, abbr: str) -> None:
    match = resolve_state(cell)
    assert match.state is not None and match.state.abbr == abbr


def test_misread_state_is_unresolved_with_suggestions() -> None:
    match = resolve_state("North Idaho")
    assert match.state is None
    assert {"ND", "ID"} <= {s.abbr for s in match.suggestions}
    several = resolve_state("PA, NY, VA, DC, MD")
    assert several.state is None and [s.abbr for s in several.several] == ["PA", "NY", "VA", "DC", "MD"]


@given(st.text())
def test_resolve_state_never_crashes(text: str) -> None:
    match = resolve_state(text)
    assert match.state is None or not match.several


@given(st.sampled_from(load_states()), st.sampled_from(["name", "abbr", "upper", "lower"]))
def test_every_state_resolves_from_its_name_or_code(state, form) -> None:
    cell = {"name": state.name, "abbr": state.abbr, "upper": state.name.upper(), "lower": state.abbr.lower()}[form]
    assert resolve_state(cell).state == state


@pytest.mark.parametrize(
    ("cell", "region"), [("1", 1), ("10", 10), ("Region 3", 3), ("2.0", 2), ("18", None), ("0", None), ("", None), ("x", None)]
)
def test_region_numbers(cell: str, region: int | None) -> None:
    assert parse_region(cell) == region


@given(st.text())
def test_parse_region_never_crashes(text: str) -> None:
    assert parse_region(text) in (None, *range(1, 11))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("DHS POC", "poc"),
        ("DHS FOC", "poc"),
        ("For NFPD Leadership Awareness", "leadership_awareness"),
        ("For NPPD Leadership Awareness", "leadership_awareness"),
        ("Key Attendees & Affiliations other than POC", "attendees"),
        ("Key Attendees & Affiliation (other than FOC)", "attendees"),
        ("Next Scheduled Meeting", "next_engagement"),
        ("Next Scheduled Engagement", "next_engagement"),
        ("Notes / Comments", "notes"),
        ("meeting date", "date"),
        ("Favourite colour", None),
    ],
)
def test_header_synonyms(header: str, field: str | None) -> None:
    assert field_for_header(header) == field


def test_released_markers_become_spans_over_placeholders() -> None:
    text = parse_redacted("(b) (6) seems well-versed. (b)(7)(c) and [REDACTED].")
    assert text.exemptions == ("(b)(6)", "(b)(7)(C)", "unspecified")
    assert text.foia() == "(b)(6) seems well-versed. (b)(7)(C) and [REDACTED]."
    internal = text.internal()
    assert [internal[s:e] for s, e, _ in text.spans] == ["[withheld (b)(6)]", "[withheld (b)(7)(C)]", "[withheld]"]
    assert parse_redacted("(b) (6) (b) (5)").exemptions == ("(b)(6)", "(b)(5)")


def test_known_content_is_internal_only() -> None:
    text = RedactedText((Segment("Met "), Segment("Jane Doe", "(b)(6)"), Segment(" today.")))
    assert text.internal() == "Met Jane Doe today."
    assert text.spans == ((4, 12, "(b)(6)"),)
    assert text.foia() == "Met (b)(6) today."
    assert parse_redacted(text.marked()) == text
    assert RedactedText.from_json(json.loads(json.dumps(text.to_json()))) == text


_CLEAR = st.text(st.characters(blacklist_characters="[]|()\x00"), max_size=30)
_CODES = st.sampled_from(["(b)(5)", "(b)(6)", "(b)(7)(C)", "(b)(3)", "unspecified"])
_SEGMENTS = st.lists(
    st.one_of(_CLEAR.map(Segment), st.builds(Segment, st.one_of(st.just(""), _CLEAR.filter(str.strip)), _CODES)),
    max_size=8,
)


@settings(max_examples=300)
@given(_SEGMENTS)
def test_redacted_text_round_trips(segments: list[Segment]) -> None:
    value = parse_redacted(RedactedText(tuple(segments)).marked())
    assert parse_redacted(value.marked()) == value  # lossless marked form
    assert RedactedText.from_json(json.loads(json.dumps(value.to_json()))) == value
    released = parse_redacted(value.foia())  # a release read back keeps codes, loses content
    assert released.foia() == value.foia()
    assert released.exemptions == value.exemptions
    internal = value.internal()
    assert all(0 <= s <= e <= len(internal) for s, e, _ in value.spans)
    assert len(value.spans) == sum(1 for s in value.segments if s.redacted)


@given(st.text())
def test_parse_redacted_never_crashes_and_keeps_clear_text(text: str) -> None:
    value = parse_redacted(text)
    if not value.spans:
        assert value.internal() == text and value.foia() == text
    assert parse_redacted(value.foia()).foia() == value.foia()


def test_canonical_codes() -> None:
    assert canonical_code("(b) (7) (e)") == "(b)(7)(E)"
    assert canonical_code("[REDACTED]") == "unspecified"


def test_paragraph_fragments_become_line_breaks() -> None:
    assert strip_fragments("<p>One.</p> <p>Two.</p>") == "One.\nTwo."
    assert strip_fragments("<p>and others</p>") == "and others"

"""Acceptance: importing the released record ``000_61a82f5df613671c.txt``.

"Importing 000_61a82f5df613671c.txt yields one record per real meeting, not per printed row:
the repeated Region 1, 5, 8 and 9 tables merge into single records; the Region 2 table keeps
its distinct New Jersey meetings apart; a Region 1 row naming "North Dakota" (or "North
Idaho") is flagged, as are rows whose region number does not fit the State."
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from safelect.programs.engagements.importing import FlagKind, ImportPreview, preview_path

FIXTURE = Path(__file__).parent / "fixtures" / "000_61a82f5df613671c.txt"

# The meetings, written by hand from reading the record: (region, State as printed in the
# latest version, date or status, identifying text, printed lines).
EXPECTED = [
    # Region 1 is printed twice (table 1, lines 5-11, and table 7, lines 69-75) with OCR
    # differences in the long cells; each State row is one meeting printed twice.
    (1, "Vermont", "2017-09-28", "Comprehensive discussion on VT", [6, 70]),
    (1, "New Hampshire", "pending", "", [7, 71]),
    (1, "Maine", "2017-09-27", "Comprehensive discussion on ME", [8, 72]),
    (1, "Massachusetts", "2017-10-12", "continued connectivity", [9, 73]),
    (1, "Connecticut", "pending", "", [10, 74]),
    # Same date, same "(b) (6) declined attendance", same "Y", in the same place of both
    # Region 1 tables: one meeting whose State was misread once as North Dakota and once as
    # North Idaho (probably Rhode Island, the Region 1 State not otherwise listed).
    (1, "North Idaho", "2017-10-12", "", [11, 75]),
    # Region 2 (table 2) is printed once; rows printed "1" are New Jersey/New York rows, i.e.
    # region 2.  Every row is its own meeting: different places and dates, and the two
    # "New Jersey Fusion Center" 02/19/17 rows report different discussions.
    (2, "New Jersey", "2017-08-19", "Discussion security and preparedness", [16]),
    (2, "PA, NY, VA, DC, MD", "n/a", "All meetings with Elections", [17]),
    (2, "New York", "2017-07-06", "Discussed IT Subsector", [18]),
    (2, "New Jersey", "2017-02-19", "AM Session was focused", [19]),
    (2, "New Jersey", "2017-02-19", "Initial meeting with NJ", [20]),
    (2, "New Jersey", "2017-02-19", "DHS discussed various programs", [21]),
    (2, "New Jersey", "2017-02-19", "How voting machines are stored", [22]),
    (2, "New Jersey", "2017-02-19", "Absentee ballot handling", [23]),
    (2, "New Jersey", "2017-02-19", "Meeting by NJ's Voting", [24]),
    (2, "New Jersey", "2017-08-21", "Prepping of services", [25]),
    (2, "New York", "2017-08-25", "MS-55AC-19", [26]),
    (2, "New Jersey", "2017-08-28", "", [27]),
    # Region 5 is printed twice (tables 3 and 8): the first copy repeats one text across
    # States (OCR/copy noise), the second is abbreviated; the States pair up one to one.
    # Minnesota is printed as region "1" with "TRD" (TBD) in the location column.
    (5, "Indiana", "unknown", "", [32, 80]),
    (5, "Illinois", "unknown", "Illinois Senate testimony", [33, 81]),
    (5, "Wisconsin", "unknown", "", [34, 82]),
    (5, "Michigan", "unknown", "MI interests CDO", [35, 83]),
    (5, "Ohio", "unknown", "", [36, 84]),
    (5, "Minnesota", "tbd", "", [37, 85]),
    # Region 8 is printed twice (tables 4 and 10), nearly identically; the empty "8" rows
    # (lines 47 and 102) are rejected.
    (8, "Colorado", "unknown", "Discussed EI designation", [42, 97]),
    (8, "North Dakota", "unknown", "", [43, 98]),
    (8, "Wyoming", "unknown", "", [44, 99]),
    (8, "Montana", "2017-10-03", "Awaiting AAR", [45, 100]),
    (8, "Utah", "2017-10-12", "", [46, 101]),
    # Region 9 is printed twice (tables 5 and 11): once with [REDACTED], once with (b) (6).
    (9, "Hawaii", "unknown", "Both HSA and", [52, 107]),
    (9, "Arizona", "2017-10-03", "The discussion started", [53, 108]),
    (9, "Nevada", "2017-10-11", "The Secretary's staff", [54, 109]),
    (9, "American Samoa", "unknown", "", [55, 110]),
    (9, "Commonwealth of the Northern Mariana Islands", "unknown", "", [56, 111]),
    (9, "Guam", "unknown", "", [57, 112]),
    # Region 10 (table 6, regions misprinted "18"/"19") and Region 6 (table 9) appear once.
    (10, "Washington", "unknown", "Government is involved", [62]),
    (10, "Alaska", "unknown", "", [63]),
    (10, "Idaho", "unknown", "", [64]),
    (10, "Oregon", "unknown", "", [65]),
    (6, "New Mexico", "unknown", "Discussed DHS/EP mission", [90]),
    (6, "Oklahoma", "unknown", "Discussed DHS/EP mission", [91]),
    (6, "Arkansas", "unknown", "Discussed DHS/EP mission", [92]),
]


@pytest.fixture(scope="module")
def preview() -> ImportPreview:
    return preview_path(FIXTURE)


def _flags(preview: ImportPreview, line: int) -> set[FlagKind]:
    return {f.kind for f in preview.flags if f.row is not None and f.row.line == line}


def test_one_meeting_per_real_meeting(preview: ImportPreview) -> None:
    actual = [
        (m.region, m.state_text, m.when.key(), m.text("discussion").foia(), [v.position.line for v in m.versions]) for m in preview.meetings
    ]
    assert len(actual) == len(EXPECTED) == 42
    for got, (region, state, when, text, lines) in zip(actual, EXPECTED, strict=True):
        assert got[0] == region and got[1] == state and got[2] == when and got[4] == lines, got
        assert got[3].startswith(text), got
    assert Counter(m.region for m in preview.meetings) == {1: 6, 2: 12, 5: 6, 8: 5, 9: 6, 10: 4, 6: 3}


def test_counts_in_json_report(preview: ImportPreview) -> None:
    report = json.loads(json.dumps(preview.to_json()))
    assert report["engagements_created"] == 42
    assert report["duplicates_merged"] == 23  # 6 + 6 + 5 + 6 second printings
    assert [r["row"]["line"] for r in report["rejected"]] == [47, 102]
    assert len(report["rows"]) == 67
    assert all({"row", "kind", "message"} <= set(flag) for flag in report["flags"])


def test_region_1_state_misreadings_are_flagged_not_fixed(preview: ImportPreview) -> None:
    assert FlagKind.REGION_MISMATCH in _flags(preview, 11)  # "1  North Dakota"
    assert FlagKind.UNKNOWN_STATE in _flags(preview, 75)  # "1  North Idaho"
    message = next(f.message for f in preview.flags if f.row and f.row.line == 75)
    assert "Rhode Island" in message  # a suggestion only
    meeting = next(m for m in preview.meetings if [v.position.line for v in m.versions] == [11, 75])
    assert meeting.state is None and meeting.state_text == "North Idaho"
    assert any(f.kind is FlagKind.VERSION_CONFLICT and f.field == "state" for f in meeting.flags)


def test_region_numbers_that_do_not_fit_the_state_are_flagged(preview: ImportPreview) -> None:
    for line in (18, 19, 20, 26, 27, 37, 85, 92):  # NJ/NY printed "1", MN "1", Arkansas "4"
        assert FlagKind.REGION_MISMATCH in _flags(preview, line), line
    for line in (62, 63, 64, 65):  # "18"/"19" for region 10
        assert FlagKind.INVALID_REGION in _flags(preview, line), line
    assert FlagKind.REGION_MISMATCH not in _flags(preview, 16)  # "2  New Jersey" is right


def test_other_suspicious_values(preview: ImportPreview) -> None:
    assert FlagKind.MULTIPLE_STATES in _flags(preview, 17)
    assert FlagKind.SHIFTED_CELLS in _flags(preview, 32)  # Indiana: text in a 14th column
    assert FlagKind.SHIFTED_CELLS in _flags(preview, 37)  # Minnesota: "TRD" as location
    indiana = preview.meetings[18]
    assert indiana.versions[0].text("notes").foia().startswith("Follow-up with Indiana DHS Agency")
    notes = {(n.row.line, n.kind) for n in preview.all_notes if n.row}
    assert (54, FlagKind.INFERRED_YEAR) in notes and (109, FlagKind.INFERRED_YEAR) in notes
    assert (62, FlagKind.MARKUP_STRIPPED) in notes


def test_version_disagreements_are_flagged(preview: ImportPreview) -> None:
    massachusetts = preview.meetings[3]
    conflicts = [f for f in massachusetts.flags if f.kind is FlagKind.VERSION_CONFLICT]
    assert [f.field for f in conflicts] == ["discussion"]  # "... secure and RSA" vs "PRA"
    assert conflicts[0].row is not None and conflicts[0].row.line == 73
    assert massachusetts.text("discussion").foia().endswith("PRA.")  # latest version's value
    new_hampshire = preview.meetings[1]
    assert not [f for f in new_hampshire.flags if f.kind is FlagKind.VERSION_CONFLICT]


def test_redactions_become_spans(preview: ImportPreview) -> None:
    maine = preview.meetings[2]
    attendees = maine.text("attendees")
    assert attendees.exemptions == ("(b)(6)", "(b)(5)")
    assert attendees.foia() == "(b)(6) (b)(5)"
    assert attendees.internal() == "[withheld (b)(6)] [withheld (b)(5)]"
    arizona_first = preview.meetings[32].versions[0]
    assert arizona_first.text("poc").exemptions == ("unspecified",)  # "[REDACTED]"


def test_reimporting_the_same_file_changes_nothing(preview: ImportPreview) -> None:
    known = {v.fingerprint for m in preview.meetings for v in m.versions}
    assert len(known) == 65  # every version distinct
    again = preview_path(FIXTURE, known_versions=known)
    assert again.engagements_created == 0 and again.duplicates_merged == 0
    assert again.changes_nothing
    assert [m.fingerprint for m in again.meetings] == [m.fingerprint for m in preview.meetings]

"""The personal-data scanner (S.2261 §4(g)): what it finds, what it leaves alone, and that what it
redacts is gone. Presidio's own recognisers are the oracle for the kinds it covers: each of its
matches (above the threshold, as the scanner scores it) must be among the scanner's findings."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from safelect.core.personal import scanner

RECORD = (
    "Voter Jane Q. Doe, DOB 03/14/1962, SSN 536-22-1847, lives at 12 Main St, Madison, WI 53703, "
    "phone (608) 555-0142, email jane@example.org, DL D123-4567-8901-23, voter ID 0012345678"
)


def _found(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in scanner.scan(text):
        out.setdefault(f.kind, []).append(text[f.start : f.end])
    return out


def test_a_voter_record_in_prose_is_found_kind_by_kind():
    assert _found(RECORD) == {
        "person_name": ["Jane Q. Doe"],
        "date_of_birth": ["03/14/1962"],
        "ssn": ["536-22-1847"],
        "address": ["12 Main St, Madison, WI 53703"],
        "phone": ["(608) 555-0142"],
        "email": ["jane@example.org"],
        "driver_licence": ["D123-4567-8901-23"],
        "voter_id": ["0012345678"],
    }


def test_last_name_first_long_dates_vuids_and_po_boxes():
    text = "Doe, Jane born March 14, 1962 registered at 400 N. Lake Street, Apt 2B, Springfield, IL 62701 (VUID 1029384756); mail to PO Box 77."
    assert _found(text) == {
        "person_name": ["Doe, Jane"],
        "date_of_birth": ["March 14, 1962"],
        "address": ["400 N. Lake Street, Apt 2B, Springfield, IL 62701", "PO Box 77"],
        "voter_id": ["1029384756"],
    }


def test_a_voter_file_extract_has_every_cell_of_its_personal_columns_flagged():
    text = 'first_name,last_name,dob,voter_id,res_address,precinct\nJane,Doe,1962-03-14,WI0012345678,"12 Main St, Apt 4",Ward 3\nJohn,Roe,1970-01-02,WI0099887766,4 Elm Ave,Ward 7\n'
    found = scanner.scan(text)
    assert [(f.kind, text[f.start : f.end]) for f in found] == [
        ("person_name", "Jane"),
        ("person_name", "Doe"),
        ("date_of_birth", "1962-03-14"),
        ("voter_id", "WI0012345678"),
        ("address", "12 Main St, Apt 4"),
        ("person_name", "John"),
        ("person_name", "Roe"),
        ("date_of_birth", "1970-01-02"),
        ("voter_id", "WI0099887766"),
        ("address", "4 Elm Ave"),
    ]
    assert {f.how for f in found} >= {"voter-file column dob", "voter-file column res_address"}
    assert "Ward" not in {text[f.start : f.end][:4] for f in found}  # the precinct is not personal


def test_an_incident_s_technical_text_is_not_personal_information():
    text = (
        "Between 2026-11-03 02:00 and 04:00 CST the results server (10.2.3.4) saw 1,200 failed log-ins from 203.0.113.5. "
        "Ticket 123456; tabulator serial TB-77812; firmware 5.17.3; hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08. "
        "The county clerk's office, 100 Court Square, can be reached through the State's hotline."
    )
    found = _found(text)
    assert "ssn" not in found and "date_of_birth" not in found and "person_name" not in found and "voter_id" not in found
    assert found.get("address") == ["100 Court Square"]  # an office address is found; the reviewer keeps it with a reason


def test_every_match_presidio_itself_scores_above_the_threshold_is_found():
    """The oracle: Presidio's recognisers run directly on the text, scored with their context words."""
    texts = [RECORD, "Call 608-266-4601 or write to clerk@dane.wi.us; SSN on file 078 05 1121 (a known sample) and 536-22-1847."]
    for text in texts:
        found = {(f.kind, f.start, f.end) for f in scanner.scan(text)}
        for kind, _how, recogniser in scanner._presidio():
            for result in recogniser.analyze(text, recogniser.supported_entities, None):
                score = scanner._with_context(text, result.start, result.score, recogniser.context)
                if score >= scanner.MIN_SCORE and kind != "driver_licence":
                    covered = any(a <= result.start and result.end <= b for k, a, b in found if k == kind)
                    assert covered, (kind, text[result.start : result.end])


def test_emails_are_checked_offline_against_the_bundled_suffix_list(monkeypatch):
    import requests

    def refuse(*args, **kwargs):
        raise AssertionError("the scanner tried to reach the network")

    monkeypatch.setattr(requests.Session, "get", refuse)
    scanner._presidio.cache_clear()
    assert _found("mail jane@example.org or x@nowhere.invalidtld")["email"] == ["jane@example.org"]


def test_redaction_replaces_each_finding_with_its_kind():
    spans = [(f.start, f.end, f.kind) for f in scanner.scan(RECORD)]
    redacted = scanner.redact(RECORD, spans)
    assert "536-22-1847" not in redacted and "jane@example.org" not in redacted and "[Social Security number removed]" in redacted
    assert scanner.scan(redacted) == []


_names = st.sampled_from(["Jane Doe", "Maria Garcia", "Li Wei", "Robert O'Neil", "Ana-Maria Lopez"])
_dates = st.builds(lambda m, d, y: f"{m:02d}/{d:02d}/{y}", st.integers(1, 12), st.integers(1, 28), st.integers(1920, 2006))
_ssns = st.builds(lambda a, b, c: f"{a:03d}-{b:02d}-{c:04d}", st.integers(100, 665), st.integers(10, 99), st.integers(1000, 9999))


@settings(max_examples=40, deadline=None)
@given(name=_names, dob=_dates, ssn=_ssns, filler=st.text(alphabet="abc xyz.,", max_size=40))
def test_whatever_surrounds_a_voter_record_its_ssn_and_birth_date_never_survive_redaction(name, dob, ssn, filler):
    text = f"{filler} {name}, DOB {dob}, SSN {ssn}. {filler}"
    redacted = scanner.redact(text, [(f.start, f.end, f.kind) for f in scanner.scan(text)])
    assert ssn not in redacted and dob not in redacted
    assert not re.search(r"\d{3}-\d{2}-\d{4}", redacted)


def test_overlaps_keep_the_most_confident_and_a_huge_text_is_refused():
    a = scanner.Finding(0, 10, "phone", 0.5, "x")
    b = scanner.Finding(5, 12, "ssn", 0.9, "y")
    c = scanner.Finding(20, 25, "email", 1.0, "z")
    assert scanner._merge([a, b, c]) == [b, c]
    try:
        scanner.scan("x" * (scanner.MAX_SCAN_CHARACTERS + 1))
    except ValueError as refused:
        assert "over the scanner's limit" in str(refused)
    else:
        raise AssertionError("a text over the limit was scanned")

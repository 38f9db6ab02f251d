"""The congressional recipients of a significant-incident notification (S.2261 §4(p)(1)(A), §3(2)).

The expectation is computed here, independently of safelect's directory, straight from the
source files in ``../shared/data`` (the congress-legislators YAML and the Census county ↔ district
relationship file) with ``csv`` and ``yaml``.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from safelect.core.directory.congress import shipped_files
from safelect.core.directory.loading import ReferenceDataError, load_reference_data
from safelect.core.directory.models import Legislator

REPO = Path(__file__).resolve().parents[5]
SHARED = REPO.parent / "shared" / "data"
COMMITTEES = {"SSRA", "SSAS", "SSGA", "SSAP", "SLIN", "HSHA", "HSAS", "HSHM", "HSAP", "HLIG"}
LEADER_TITLES = {"Senate Majority Leader", "Senate Minority Leader", "Speaker of the House", "House Minority Leader"}


def _recipients(*args: str) -> dict:
    out = io.StringIO()
    call_command("incidents", "congress-recipients", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _expected(counties: set[str], whole_states: set[str] = frozenset()) -> dict:
    """Who the statute names, from the files alone."""
    people = yaml.load((SHARED / "congress" / "legislators-current.yaml").read_text(), Loader=yaml.CSafeLoader)
    rows = list(csv.DictReader((SHARED / "county_cd.csv").open()))
    states_by_fips = {r["state_fips"]: r["state_abbr"] for r in csv.DictReader((SHARED / "states.csv").open())}
    seats = {(states_by_fips[r["state_fips"]], int(r["cd"])) for r in rows if r["county_fips5"] in counties}
    county_states = {states_by_fips[f[:2]] for f in counties}
    seats |= {
        (states_by_fips[r["state_fips"]], int(r["cd"])) for r in rows if states_by_fips[r["state_fips"]] in whole_states - county_states
    }
    affected = county_states | set(whole_states)
    senators, representatives, leaders = set(), set(), set()
    for person in people:
        term = person["terms"][-1]
        if term["type"] == "sen" and term["state"] in affected:
            senators.add(person["id"]["bioguide"])
        if term["type"] == "rep" and (term["state"], int(term.get("district") or 0)) in seats:
            representatives.add(person["id"]["bioguide"])
        for role in person.get("leadership_roles") or []:
            if role["title"] in LEADER_TITLES and "end" not in role:
                leaders.add((role["title"], person["id"]["bioguide"]))
    return {"senators": senators, "representatives": representatives, "leaders": leaders, "seats": seats}


@pytest.mark.django_db
def test_counties_in_two_states_reach_the_committees_leaders_four_senators_and_every_overlapping_district():
    # Dane (WI-2), Milwaukee (WI-4, WI-5), Baldwin (AL-1) and Jefferson County, AL (split over three districts).
    counties = {"55025", "55079", "01003", "01073"}
    got = _recipients(*[a for fips in sorted(counties) for a in ("--county", fips)])
    want = _expected(counties)
    assert {c["code"] for c in got["committees"]} == COMMITTEES
    assert {(p["role"], p["bioguide"]) for p in got["leaders"]} == want["leaders"] and len(want["leaders"]) == 4
    assert {p["bioguide"] for p in got["senators"]} == want["senators"] and len(got["senators"]) == 4
    assert {p["bioguide"] for p in got["representatives"]} == want["representatives"]
    assert len(want["seats"]) >= 5, want["seats"]  # the split counties reach more than one district each
    seats_reached = {(p["state"], p["district"]) for p in got["representatives"]}
    assert len(seats_reached) + len(got["vacant_districts"]) == len(want["seats"])  # a vacant seat is named, not dropped
    for person in got["senators"] + got["representatives"]:
        assert person["name"] and person["state"] in {"WI", "AL"}
    assert all("district" in p for p in got["representatives"]) and not any("district" in p for p in got["senators"])


@pytest.mark.django_db
def test_a_whole_state_reaches_every_district_of_that_state_and_a_territory_its_delegate():
    got = _recipients("--state", "MN", "--state", "PR")
    want = _expected(set(), {"MN", "PR"})
    assert {p["bioguide"] for p in got["representatives"]} == want["representatives"]
    assert len(got["senators"]) == 2  # Puerto Rico has no Senators; its Resident Commissioner sits in the House
    assert any(p["state"] == "PR" and p["district"] == 0 for p in got["representatives"])


@pytest.mark.django_db
def test_an_unknown_county_or_state_is_an_error_naming_it():
    with pytest.raises(CommandError, match="99999"):
        _recipients("--county", "55025", "--county", "99999")
    with pytest.raises(CommandError, match="ZZ"):
        _recipients("--state", "ZZ")
    with pytest.raises(CommandError, match="--county"):
        call_command("incidents", "congress-recipients", stdout=io.StringIO())


def test_the_shipped_files_are_the_shared_copies():
    for name in ("legislators-current.yaml", "committees-current.yaml"):
        assert (shipped_files() / name).read_bytes() == (SHARED / "congress" / name).read_bytes(), name


@pytest.mark.django_db
def test_newer_files_reload_members_who_left_stay_named_but_not_current_and_a_bad_file_changes_nothing(tmp_path):
    newer = tmp_path / "newer"
    newer.mkdir()
    people = yaml.load((shipped_files() / "legislators-current.yaml").read_text(), Loader=yaml.CSafeLoader)
    departed = next(p for p in people if p["terms"][-1]["type"] == "sen" and p["terms"][-1]["state"] == "WI")
    (newer / "legislators-current.yaml").write_text(yaml.safe_dump([p for p in people if p is not departed]))
    shutil.copy(shipped_files() / "committees-current.yaml", newer)
    report = load_reference_data(congress_folder=newer)
    assert report.tables["legislators"].updated == 1
    gone = Legislator.objects.get(bioguide=departed["id"]["bioguide"])
    assert not gone.is_current
    assert departed["id"]["bioguide"] not in {p["bioguide"] for p in _recipients("--state", "WI")["senators"]}

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "legislators-current.yaml").write_text("- id: {bioguide: X1}\n  name: {first: A, last: B}\n")  # no terms
    shutil.copy(shipped_files() / "committees-current.yaml", broken)
    before = list(Legislator.objects.order_by("bioguide").values_list("bioguide", "is_current"))
    with pytest.raises(ReferenceDataError, match="entry 1 lacks"):
        load_reference_data(congress_folder=broken)
    assert list(Legislator.objects.order_by("bioguide").values_list("bioguide", "is_current")) == before
    assert load_reference_data().tables["legislators"].updated == 1  # the shipped files bring the Senator back
    assert Legislator.objects.get(bioguide=departed["id"]["bioguide"]).is_current

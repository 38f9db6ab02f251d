"""Loading the directory's reference data from the files in ``safelect/data`` (idempotent).

Each table is synchronised by natural key: rows that are new are created, rows whose fields
changed are updated, the rest are left alone, so a second load reports zero changes. The whole
load is one transaction: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources

from django.db import models, transaction

from .models import (
    CongressCommittee,
    CongressionalDistrict,
    County,
    CountyDistrict,
    Jurisdiction,
    Legislator,
    Organization,
    Region,
    State,
    title_case,
)

Progress = Callable[[str, int, int], None]

REGION_NAMES = {
    1: "Region 1 (New England)",
    2: "Region 2 (New York, New Jersey, Puerto Rico, U.S. Virgin Islands)",
    3: "Region 3 (Mid-Atlantic)",
    4: "Region 4 (Southeast)",
    5: "Region 5 (Great Lakes)",
    6: "Region 6 (South Central)",
    7: "Region 7 (Central Plains)",
    8: "Region 8 (Mountain)",
    9: "Region 9 (Pacific Southwest and Pacific Islands)",
    10: "Region 10 (Northwest and Alaska)",
}


class ReferenceDataError(Exception):
    """A reference-data file is missing a column or holds a bad value."""


@dataclass
class TableReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated


@dataclass
class LoadReport:
    tables: dict[str, TableReport] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tables.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(t) for name, t in self.tables.items()}


def read_rows(name: str, required: Iterable[str]) -> list[dict[str, str]]:
    """Rows of a shipped CSV file, refusing one that lacks a required column."""
    text = resources.files("safelect.data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError(f"{name} lacks column(s) {', '.join(missing)}")
    return list(reader)


def sync(model: type[models.Model], key: str, wanted: dict[str, dict], report: TableReport) -> dict[str, models.Model]:
    """Make ``model`` hold exactly the wanted field values for each key; returns key → object."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": list(wanted)})}
    to_create, to_update, fields_changed = [], [], set()
    for natural_key, values in wanted.items():
        obj = existing.get(natural_key)
        if obj is None:
            to_create.append(model(**{key: natural_key}, **values))
            continue
        diff = [name for name, value in values.items() if getattr(obj, name) != value]
        if diff:
            for name in diff:
                setattr(obj, name, values[name])
            fields_changed.update(diff)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        model.objects.bulk_update(to_update, sorted(fields_changed), batch_size=2000)
    report.created += len(to_create)
    report.updated += len(to_update)
    report.unchanged += len(wanted) - len(to_create) - len(to_update)
    return {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": list(wanted)})}


def load_reference_data(progress: Progress | None = None, *, congress_folder=None) -> LoadReport:
    """Load regions, States, counties, districts, organizations, jurisdictions and the members and
    committees of Congress (from ``congress_folder`` when given, else the shipped files)."""
    tick = progress or (lambda step, done, total: None)
    report = LoadReport()
    steps = ["regions and States", "counties", "congressional districts", "organizations", "jurisdictions", "Congress"]
    with transaction.atomic():
        tick(steps[0], 0, len(steps))
        states = _load_states(report)
        tick(steps[1], 1, len(steps))
        counties = _load_counties(report, states)
        tick(steps[2], 2, len(steps))
        _load_districts(report, states, counties)
        tick(steps[3], 3, len(steps))
        state_offices = _load_organizations(report, states)
        tick(steps[4], 4, len(steps))
        _load_jurisdictions(report, states, counties, state_offices)
        tick(steps[5], 5, len(steps))
        _load_congress(report, states, congress_folder)
        tick("done", len(steps), len(steps))
    return report


def _load_congress(report: LoadReport, states: dict[str, State], folder) -> None:
    """Members and committees of Congress; those no longer in the files are kept, marked not current."""
    from .congress import CongressDataError, congress_rows

    try:
        legislators, committees = congress_rows(folder, states)
    except CongressDataError as exc:
        raise ReferenceDataError(str(exc)) from exc
    table = report.tables["legislators"] = TableReport()
    sync(Legislator, "bioguide", legislators, table)
    table.updated += Legislator.objects.filter(is_current=True).exclude(bioguide__in=legislators).update(is_current=False)
    table = report.tables["congress_committees"] = TableReport()
    sync(CongressCommittee, "code", committees, table)
    table.updated += CongressCommittee.objects.filter(is_current=True).exclude(code__in=committees).update(is_current=False)


def _load_states(report: LoadReport) -> dict[str, State]:
    rows = read_rows("states.csv", ["state_name", "state_abbr", "state_fips", "cisa_region", "type"])
    zones = {r["state_abbr"]: r["time_zone"] for r in read_rows("state_time_zones.csv", ["state_abbr", "time_zone"])}
    report.tables["regions"] = TableReport()
    regions = sync(Region, "number", {n: {"name": name} for n, name in REGION_NAMES.items()}, report.tables["regions"])
    wanted = {}
    for row in rows:
        number = int(row["cisa_region"])
        if number not in regions:
            raise ReferenceDataError(f"states.csv: {row['state_abbr']} has region {number}, not 1-10")
        if row["state_abbr"] not in zones:
            raise ReferenceDataError(f"state_time_zones.csv has no time zone for {row['state_abbr']}")
        wanted[row["state_abbr"]] = {
            "fips": row["state_fips"],
            "name": row["state_name"],
            "kind": row["type"],
            "region_id": regions[number].pk,
            "time_zone": zones[row["state_abbr"]],
        }
    if len(wanted) != 56:
        raise ReferenceDataError(f"states.csv has {len(wanted)} States and territories; S.2261 §3(18) names 56")
    report.tables["states"] = TableReport()
    return sync(State, "usps", wanted, report.tables["states"])


def _load_counties(report: LoadReport, states: dict[str, State]) -> dict[str, County]:
    columns = ["state_abbr", "county_name", "fips5"]
    rows = read_rows("counties.csv", columns) + read_rows("counties_2020_additions.csv", columns)
    wanted = {r["fips5"]: {"state_id": states[r["state_abbr"]].pk, "name": r["county_name"]} for r in rows if r["state_abbr"] in states}
    report.tables["counties"] = TableReport()
    return sync(County, "fips5", wanted, report.tables["counties"])


def _load_districts(report: LoadReport, states: dict[str, State], counties: dict[str, County]) -> None:
    rows = read_rows("county_cd.csv", ["state_fips", "county_fips5", "cd", "cd_geoid", "cd_type", "land_share"])
    by_fips = {s.fips: s for s in states.values()}
    wanted = {r["cd_geoid"]: {"state_id": by_fips[r["state_fips"]].pk, "number": int(r["cd"]), "kind": r["cd_type"]} for r in rows}
    report.tables["congressional_districts"] = TableReport()
    districts = sync(CongressionalDistrict, "geoid", wanted, report.tables["congressional_districts"])
    existing = {(cd.county_id, cd.district_id): cd for cd in CountyDistrict.objects.all()}
    table = report.tables["county_districts"] = TableReport()
    new, changed = [], []
    for r in rows:
        pair = (counties[r["county_fips5"]].pk, districts[r["cd_geoid"]].pk)
        share = Decimal(r["land_share"]).quantize(Decimal("0.0000001"))
        current = existing.get(pair)
        if current is None:
            new.append(CountyDistrict(county_id=pair[0], district_id=pair[1], land_share=share))
        elif current.land_share != share:
            current.land_share = share
            changed.append(current)
        else:
            table.unchanged += 1
    CountyDistrict.objects.bulk_create(new, batch_size=2000)
    CountyDistrict.objects.bulk_update(changed, ["land_share"], batch_size=2000)
    table.created, table.updated = len(new), len(changed)


def _load_organizations(report: LoadReport, states: dict[str, State]) -> dict[str, Organization]:
    partners = read_rows("federal_partners.csv", ["key", "kind", "name", "statute"])
    wanted: dict[str, dict] = {}
    for row in partners:
        wanted[row["key"]] = {
            "name": row["name"],
            "kind": row["kind"],
            "description": f"Named in {row['statute']}.",
            "time_zone": "America/New_York",
            "state_id": None,
            "region_id": None,
            "parent_id": None,
        }
    for usps, state in states.items():
        wanted[f"state:{usps}"] = {
            "name": f"{state.name} chief State election official's office",
            "kind": Organization.Kind.STATE_ELECTION_OFFICE,
            "description": "The office of the chief State election official designated under 52 U.S.C. 20509 (S.2261 §3(19)(A)).",
            "time_zone": state.time_zone,
            "state_id": state.pk,
            "region_id": state.region_id,
            "parent_id": None,
        }
    report.tables["organizations"] = TableReport()
    orgs = sync(Organization, "key", wanted, report.tables["organizations"])
    return {usps: orgs[f"state:{usps}"] for usps in states}


_COUNTY_SUFFIX = re.compile(r" - (.+ COUNTY)$")


def _county_in_name(row: dict[str, str], states: dict[str, State], by_name: dict) -> County | None:
    """The county a municipal jurisdiction's EAVS name carries (Wisconsin's "TOWN OF ABRAMS -
    OCONTO COUNTY"), when the file gives no county code; none for "- MULTIPLE COUNTIES"."""
    match = _COUNTY_SUFFIX.search(row["jurisdiction_name"].strip())
    if not match:
        return None
    return by_name.get((states[row["state_abbr"]].pk, match.group(1).casefold()))


def _load_jurisdictions(report, states, counties, state_offices) -> None:
    rows = read_rows(
        "eavs_jurisdictions_2024.csv", ["fips_code", "fips10", "jurisdiction_name", "state_abbr", "county_fips", "type", "note"]
    )
    org_rows = {}
    for r in rows:
        state = states.get(r["state_abbr"])
        if state is None:
            raise ReferenceDataError(f"eavs_jurisdictions_2024.csv: unknown State {r['state_abbr']!r} for {r['fips_code']}")
        shown = state.name if r["type"] in ("statewide", "territory") else title_case(r["jurisdiction_name"])
        org_rows[f"jurisdiction:{r['fips_code']}"] = {
            "name": f"{shown}, {state.usps} election office",
            "kind": Organization.Kind.LOCAL_ELECTION_AGENCY,
            "description": "",
            "time_zone": state.time_zone,
            "state_id": state.pk,
            "region_id": state.region_id,
            "parent_id": state_offices[state.usps].pk,
        }
    orgs = sync(Organization, "key", org_rows, report.tables["organizations"])
    by_name = {(c.state_id, c.name.casefold()): c for c in counties.values()}
    wanted = {}
    for r in rows:
        county = counties.get(r["county_fips"]) if r["county_fips"] else _county_in_name(r, states, by_name)
        wanted[r["fips_code"]] = {
            "fips10": r["fips10"],
            "name": r["jurisdiction_name"],
            "kind": r["type"],
            "state_id": states[r["state_abbr"]].pk,
            "county_id": county.pk if county else None,
            "organization_id": orgs[f"jurisdiction:{r['fips_code']}"].pk,
            "note": r["note"],
        }
    report.tables["jurisdictions"] = TableReport()
    sync(Jurisdiction, "eavs_code", wanted, report.tables["jurisdictions"])

"""Congress as the statute addresses it: the committees and leaders of S.2261 SEC. 3(2), and the
Senators and Representatives of the places an incident touches (S.2261 §4(p)(1)(A)).

Members and committees come from the ``unitedstates/congress-legislators`` files
(``legislators-current.yaml``, ``committees-current.yaml``), shipped in ``safelect/data/congress``
and reloadable from newer copies (``safelect directory load-congress --from DIR``) because
membership changes. Representatives are found through the directory's county ↔ district
table (Census relationship file for the 119th Congress): a county split between districts
reaches the Representative of every district it overlaps.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from .models import CongressCommittee, CongressionalDistrict, County, Legislator, State

# S.2261 SEC. 3(2)(A) and (B): the committees, by their code in committees-current.yaml.
SEC3_2_COMMITTEES = (
    ("SSRA", "S.2261 §3(2)(A)"),  # Senate Rules and Administration
    ("SSAS", "S.2261 §3(2)(A)"),  # Senate Armed Services
    ("SSGA", "S.2261 §3(2)(A)"),  # Senate Homeland Security and Governmental Affairs
    ("SSAP", "S.2261 §3(2)(A)"),  # Senate Appropriations
    ("SLIN", "S.2261 §3(2)(A)"),  # Senate Select Committee on Intelligence
    ("HSHA", "S.2261 §3(2)(B)"),  # House Administration
    ("HSAS", "S.2261 §3(2)(B)"),  # House Armed Services
    ("HSHM", "S.2261 §3(2)(B)"),  # House Homeland Security
    ("HSAP", "S.2261 §3(2)(B)"),  # House Appropriations
    ("HLIG", "S.2261 §3(2)(B)"),  # House Permanent Select Committee on Intelligence
)
# ... and the leaders, by their leadership title in legislators-current.yaml.
SEC3_2_LEADERS = (
    ("Senate Majority Leader", "the majority leader of the Senate"),
    ("Senate Minority Leader", "the minority leader of the Senate"),
    ("Speaker of the House", "the Speaker of the House of Representatives"),
    ("House Minority Leader", "the minority leader of the House of Representatives"),
)
MAX_FILE_BYTES = 20 * 1024 * 1024


class CongressDataError(Exception):
    """A congress-legislators file is missing, malformed or inconsistent; nothing was loaded."""


class UnknownPlace(ValueError):
    """A county FIPS code or State code that the directory does not know."""


def shipped_files() -> Path:
    return Path(str(resources.files("safelect.data").joinpath("congress")))


def _read_yaml(path: Path) -> list:
    if not path.is_file():
        raise CongressDataError(f"{path.name}: file not found in {path.parent}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CongressDataError(f"{path.name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CongressDataError(f"{path.name}: not readable YAML ({exc})") from exc
    if not isinstance(data, list) or not data:
        raise CongressDataError(f"{path.name}: expected a list of entries")
    return data


def _current_titles(person: dict, today: date) -> list[str]:
    titles = []
    for role in person.get("leadership_roles") or []:
        end = role.get("end")
        if not end or str(end) > today.isoformat():
            titles.append(str(role["title"]))
    return titles


def congress_rows(folder: Path | None, states: dict[str, State], today: date | None = None) -> tuple[dict[str, dict], dict[str, dict]]:
    """(legislators by bioguide id, committees by code) as field values, read and checked from
    ``folder`` (default: the shipped copy). A file that does not parse, a member without a
    bioguide id or term, a State the directory does not know or a missing SEC. 3(2) committee or
    leader raises :class:`CongressDataError`."""
    folder = Path(folder) if folder else shipped_files()
    today = today or date.today()
    people = _read_yaml(folder / "legislators-current.yaml")
    committees = _read_yaml(folder / "committees-current.yaml")
    wanted: dict[str, dict] = {}
    for number, person in enumerate(people, start=1):
        try:
            bioguide = person["id"]["bioguide"]
            term = person["terms"][-1]
            chamber = {"sen": Legislator.Chamber.SENATE, "rep": Legislator.Chamber.HOUSE}[term["type"]]
            name = person["name"].get("official_full") or f"{person['name']['first']} {person['name']['last']}"
        except (KeyError, IndexError, TypeError) as exc:
            raise CongressDataError(f"legislators-current.yaml: entry {number} lacks {exc}") from exc
        state = states.get(term.get("state"))
        if state is None:
            raise CongressDataError(
                f"legislators-current.yaml: {bioguide} ({name}) serves {term.get('state')!r}, not a State the directory knows"
            )
        district = None
        if chamber == Legislator.Chamber.HOUSE:
            district = int(term.get("district") or 0)
        wanted[bioguide] = {
            "name": name,
            "chamber": chamber,
            "state_id": state.pk,
            "district": district,
            "party": str(term.get("party", "")),
            "leadership": _current_titles(person, today),
            "office": str(term.get("address") or term.get("office") or "")[:300],
            "phone": str(term.get("phone") or "")[:40],
            "url": str(term.get("url") or "")[:300],
            "is_current": True,
        }
    wanted_committees: dict[str, dict] = {}
    for number, committee in enumerate(committees, start=1):
        code, name = committee.get("thomas_id"), committee.get("name")
        if not code or not name or committee.get("type") not in ("house", "senate", "joint"):
            raise CongressDataError(f"committees-current.yaml: entry {number} lacks thomas_id, name or type")
        wanted_committees[code] = {
            "name": name,
            "chamber": committee["type"],
            "office": str(committee.get("address") or "")[:300],
            "phone": str(committee.get("phone") or "")[:40],
            "url": str(committee.get("url") or "")[:300],
            "is_current": True,
        }
    missing = [code for code, _cite in SEC3_2_COMMITTEES if code not in wanted_committees]
    if missing:
        raise CongressDataError(f"committees-current.yaml lacks the S.2261 §3(2) committee(s) {', '.join(missing)}")
    titles = {t for entry in wanted.values() for t in entry["leadership"]}
    missing = [title for title, _words in SEC3_2_LEADERS if title not in titles]
    if missing:
        raise CongressDataError(f"legislators-current.yaml names nobody as {', '.join(missing)}")
    return wanted, wanted_committees


@dataclass(frozen=True)
class Recipients:
    """Who receives a §4(p)(1)(A) notification for incidents in these places."""

    committees: list[CongressCommittee]
    leaders: list[tuple[str, Legislator]]
    senators: list[Legislator]
    representatives: list[Legislator]
    vacant_districts: list[CongressionalDistrict]

    def as_dict(self) -> dict:
        def person(p: Legislator) -> dict:
            entry = {"bioguide": p.bioguide, "name": p.name, "state": p.state.usps, "party": p.party}
            if p.chamber == Legislator.Chamber.HOUSE:
                entry["district"] = p.district
            return entry

        return {
            "committees": [{"code": c.code, "name": c.name, "chamber": c.chamber} for c in self.committees],
            "leaders": [{**person(p), "role": role} for role, p in self.leaders],
            "senators": [person(p) for p in self.senators],
            "representatives": [person(p) for p in self.representatives],
            "vacant_districts": [str(d) for d in self.vacant_districts],
        }


def resolve_places(county_fips: Iterable[str] = (), state_codes: Iterable[str] = ()) -> tuple[list[County], list[State]]:
    """The directory's counties and States for these codes; an unknown code is an error naming it."""
    fips = [f.strip() for f in county_fips if f and f.strip()]
    usps = [s.strip().upper() for s in state_codes if s and s.strip()]
    counties = {c.fips5: c for c in County.objects.filter(fips5__in=fips).select_related("state")}
    unknown = [f for f in fips if f not in counties]
    if unknown:
        raise UnknownPlace(f"unknown county FIPS code(s): {', '.join(unknown)} (five digits: State + county, e.g. 55025)")
    states = {s.usps: s for s in State.objects.filter(usps__in=usps)}
    unknown = [s for s in usps if s not in states]
    if unknown:
        raise UnknownPlace(f"unknown State or territory code(s): {', '.join(unknown)} (USPS codes, e.g. WI)")
    return [counties[f] for f in dict.fromkeys(fips)], [states[s] for s in dict.fromkeys(usps)]


def congress_recipients(counties: Iterable[County] = (), states: Iterable[State] = ()) -> Recipients:
    """S.2261 §4(p)(1)(A): (i) the committees and leaders of SEC. 3(2); (ii) the Senators of each
    affected State; (iii) the Representatives of each affected district.

    Affected States are the States of the counties plus ``states``. Affected districts are those
    overlapping any of the counties; a State given without counties (a statewide system, such as
    the registration database) affects every district of that State."""
    counties, states = list(counties), list(states)
    affected_states = {c.state_id for c in counties} | {s.pk for s in states}
    county_states = {c.state_id for c in counties}
    districts = CongressionalDistrict.objects.filter(counties__in=counties) | CongressionalDistrict.objects.filter(
        state_id__in=[s.pk for s in states if s.pk not in county_states]
    )
    districts = list(districts.distinct().select_related("state").order_by("geoid"))
    current = Legislator.objects.filter(is_current=True).select_related("state")
    committee_order = {code: n for n, (code, _cite) in enumerate(SEC3_2_COMMITTEES)}
    committees = sorted(CongressCommittee.objects.filter(code__in=committee_order, is_current=True), key=lambda c: committee_order[c.code])
    leaders = []
    for title, _words in SEC3_2_LEADERS:
        holder = next((p for p in current.filter(leadership__contains=[title])), None)
        if holder is not None:
            leaders.append((title, holder))
    senators = list(current.filter(chamber=Legislator.Chamber.SENATE, state_id__in=affected_states).order_by("state__usps", "name"))
    seats = {(d.state_id, d.number): d for d in districts}
    house = current.filter(chamber=Legislator.Chamber.HOUSE, state_id__in={d.state_id for d in districts})
    representatives = sorted((p for p in house if (p.state_id, p.district) in seats), key=lambda p: (p.state.usps, p.district, p.name))
    filled = {(p.state_id, p.district) for p in representatives}
    vacant = [d for key, d in seats.items() if key not in filled]
    return Recipients(committees, leaders, senators, representatives, vacant)

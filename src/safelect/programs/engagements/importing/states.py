"""States, territories and regions, from the reference data safelect ships.

``safelect/data/states.csv`` (``state_name,state_abbr,state_fips,cisa_region,type``) lists
the 56 States, the District of Columbia and territories with their region 1-10.  The Django
side can reuse :func:`load_states` and :func:`state_by_abbr` for choices and validation.

:func:`resolve_state` reads a State cell of a weekly summary.  It matches names and USPS
codes exactly (after folding case, punctuation and a few well-known prefixes such as
"Commonwealth of the"), and never guesses: a misread name such as "North Idaho" is returned
as unresolved with *suggestions* for the reviewer (never silently fixed).
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources

REGIONS: tuple[int, ...] = tuple(range(1, 11))


@dataclass(frozen=True)
class StateRef:
    """One State, the District of Columbia or a territory."""

    name: str
    abbr: str
    fips: str
    region: int
    type: str


@functools.cache
def load_states() -> tuple[StateRef, ...]:
    """All States and territories from ``safelect/data/states.csv``, in file order."""
    text = resources.files("safelect.data").joinpath("states.csv").read_text(encoding="utf-8")
    return tuple(
        StateRef(
            name=row["state_name"].strip(),
            abbr=row["state_abbr"].strip().upper(),
            fips=row["state_fips"].strip(),
            region=int(row["cisa_region"]),
            type=row["type"].strip(),
        )
        for row in csv.DictReader(io.StringIO(text))
    )


@functools.cache
def _by_abbr() -> dict[str, StateRef]:
    return {state.abbr: state for state in load_states()}


def state_by_abbr(abbr: str) -> StateRef | None:
    """The State with USPS code ``abbr`` (case-insensitive), or ``None``."""
    return _by_abbr().get(abbr.strip().upper())


def states_in_region(region: int) -> tuple[StateRef, ...]:
    """The States and territories of one region, in file order."""
    return tuple(state for state in load_states() if state.region == region)


_PREFIXES = ("commonwealth of the ", "commonwealth of ", "state of ", "territory of ", "the ")
_EXTRA_NAMES = {
    "cnmi": "MP",
    "washington dc": "DC",
    "washington d c": "DC",
    "d c": "DC",
    "us virgin islands": "VI",
    "u s virgin islands": "VI",
    "usvi": "VI",
    "united states virgin islands": "VI",
}


def _fold(text: str) -> str:
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
    return folded


@functools.cache
def _by_name() -> dict[str, StateRef]:
    names = {_fold(state.name): state for state in load_states()}
    for alias, abbr in _EXTRA_NAMES.items():
        names[alias] = _by_abbr()[abbr]
    return names


@dataclass(frozen=True)
class StateMatch:
    """The outcome of reading a State cell.

    Exactly one of: ``state`` (one State recognised), ``several`` (a list of States, e.g.
    "PA, NY, VA, DC, MD"), or neither (unresolved; ``suggestions`` may offer candidates).
    """

    text: str
    state: StateRef | None = None
    several: tuple[StateRef, ...] = ()
    suggestions: tuple[StateRef, ...] = ()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def _lookup(token: str) -> StateRef | None:
    stripped = token.strip()
    if re.fullmatch(r"[A-Za-z]{2}", stripped):
        found = _by_abbr().get(stripped.upper())
        if found:
            return found
    return _by_name().get(_fold(stripped)) if _fold(stripped) else None


def resolve_state(text: str) -> StateMatch:
    """Read a State cell: a name or USPS code; a list of them; or an unresolved text.

    Never raises, whatever the text.
    """
    if not text.strip():
        return StateMatch(text)
    single = _lookup(text)
    if single is not None:
        return StateMatch(text, state=single)
    parts = [part for part in re.split(r"[,;/&]|\band\b", text) if part.strip()]
    if len(parts) > 1:
        found = [_lookup(part) for part in parts]
        if all(found):
            return StateMatch(text, several=tuple(s for s in found if s is not None))
    return StateMatch(text, suggestions=suggest_states(text))


def suggest_states(text: str, limit: int = 3) -> tuple[StateRef, ...]:
    """States whose names look like ``text`` (for a reviewer; never applied automatically)."""
    folded = _fold(text)
    names = _by_name()
    close = difflib.get_close_matches(folded, list(names), n=limit, cutoff=0.6)
    # A misread may keep only one word of the true name ("North Idaho"): offer word matches too.
    words = set(folded.split())
    for name in names:
        if len(close) >= limit:
            break
        if name not in close and words & set(name.split()) - {"north", "south", "new", "west"}:
            close.append(name)
    unique: dict[str, StateRef] = {}
    for name in close:
        unique.setdefault(names[name].abbr, names[name])
    return tuple(unique.values())[:limit]


def parse_region(text: str) -> int | None:
    """The region number printed in a Region cell, or ``None`` if it is not 1-10.

    Accepts "1", "01", "1.0" (spreadsheets), "Region 1" and "R1".
    """
    match = re.fullmatch(r"\s*(?:region\s*|r\s*)?(\d{1,3})(?:\.0+)?\s*", text, re.IGNORECASE)
    if not match:
        return None
    number = int(match.group(1))
    return number if number in REGIONS else None

"""Group source versions into meetings; flag where versions of one meeting disagree.

The requirement: "Repeated versions of one meeting become one record that keeps every source
version as provenance; disagreements between versions ... are flagged".  The released record
prints the Region 1, 5, 8 and 9 tables twice, with OCR differences in the free text.

**The meeting key** (:class:`MeetingKey`) is (region, State, date-or-status, location):

* the *region* is the one the row is recorded under — the table's region when the printed
  digit is doubtful — so an OCR "1" for region 2 does not split a meeting;
* the *State* is the USPS code, so "Commonwealth of the Northern Mariana Islands", "CNMI" and
  "MP" agree; an unrecognised name keys on its folded text;
* the *date* is normalised (``08/19/17`` = ``8/19/2017``), or the status (``pending``);
* the *location* is folded to lower-case letters and digits.

Free text is left out of the key because OCR changes it between versions (the two Region 1
tables differ in almost every long cell).  The key alone is not enough, because the record
has distinct meetings with one key (two New Jersey meetings at the Fusion Center on
02/19/17) and one meeting under two keys (a Region 1 row read once as "North Dakota" and
once as "North Idaho").  Hence the rules:

1. Rows of one table are never merged with each other: a weekly-summary table prints each
   meeting once.  (Exception: an identical row printed twice, flagged ``duplicate_row``.)
2. A row joins a meeting of another table with the same key whose free text agrees with it
   (:func:`texts_agree`: most of the shorter text's words occur in the longer, or there is too
   little text to disagree); among several, the one whose free text is most similar. A running
   tracker that stacks weekly summaries in one sheet reprints a meeting with its text updated:
   it merges; a different meeting that happens to share the key (same State, date and place)
   stays apart.
3. Otherwise a row whose State is doubtful (unrecognised, or outside its region) joins a
   still-unmatched meeting of another table with the same region, date and location whose
   free text is nearly the same (similarity >= :data:`SIMILAR`); the State disagreement is
   flagged ``version_conflict``.
4. Otherwise the row starts a new meeting.

A meeting's values are those of its latest version (file order) that has the value; every
field on which non-empty versions disagree is flagged ``version_conflict``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .columns import HEADERS, TEXT_FIELDS
from .normalise import EMPTY, SourceVersion, TableReading, fold_text
from .provenance import Flag, FlagKind
from .redaction import RedactedText
from .states import StateRef
from .when import MeetingWhen, Status

SIMILAR = 0.8
"""Minimum free-text similarity for rule 3 (a doubtful State)."""


@dataclass(frozen=True, order=True)
class MeetingKey:
    """The identity of a meeting across versions (see the module docstring)."""

    region: int
    state: str
    when: str
    location: str

    @classmethod
    def of(cls, version: SourceVersion) -> MeetingKey:
        state = version.state.abbr if version.state else "?" + _fold_key(version.state_text)
        return cls(version.region or 0, state, version.when.key(), _fold_key(version.text("location").foia()))

    def to_json(self) -> dict[str, Any]:
        return {"region": self.region, "state": self.state, "when": self.when, "location": self.location}


def _fold_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


@dataclass(frozen=True)
class Meeting:
    """One real meeting: resolved values, every source version, and its flags.

    ``key`` is the :class:`MeetingKey` of the resolved values (which can differ from a
    version's key when versions disagree on the State); ``fingerprint`` is the SHA-256 of the
    key and the sorted version fingerprints.
    """

    key: MeetingKey
    region: int | None
    state: StateRef | None
    state_text: str
    when: MeetingWhen
    texts: Mapping[str, RedactedText] = field(hash=False)
    versions: tuple[SourceVersion, ...]
    flags: tuple[Flag, ...]
    fingerprint: str

    def text(self, name: str) -> RedactedText:
        return self.texts.get(name, EMPTY)

    @property
    def needs_review(self) -> bool:
        return any(flag.needs_review for flag in self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key.to_json(),
            "region": self.region,
            "state": self.state.abbr if self.state else None,
            "state_text": self.state_text,
            "when": self.when.to_json(),
            "texts": {name: text.to_json() for name, text in self.texts.items()},
            "versions": [version.to_json() for version in self.versions],
            "flags": [flag.to_json() for flag in self.flags],
            "fingerprint": self.fingerprint,
        }


def comparison_text(text: RedactedText) -> str:
    """Form in which versions are compared: markers as one symbol, case and spacing folded."""
    folded = "".join("\u2588" if s.redacted else s.text for s in text.segments)
    return fold_text(folded).casefold().rstrip(" .")


def _body(version: SourceVersion) -> str:
    return "\n".join(comparison_text(version.text(n)) for n in TEXT_FIELDS if n != "location")


def similarity(a: SourceVersion, b: SourceVersion) -> float:
    """Similarity 0..1 of two versions' free text (1.0 when both are empty)."""
    left, right = _body(a), _body(b)
    if left == right:
        return 1.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


_WORD = re.compile(r"[a-z0-9]{4,}")
#: Fewer distinct words than this in the shorter text: too little to disagree (a row reprinted
#: with its cells abbreviated to "..." or left empty).
AGREE_MIN_WORDS = 6
#: Share of the shorter text's words found in the longer one for two versions to agree. In the
#: released record, versions of one meeting agree at 0.75 or more (OCR and abbreviation), the two
#: distinct New Jersey meetings of 19 February 2017 at 0.35.
AGREE = 0.5


def words(version: SourceVersion) -> frozenset[str]:
    """The distinct words (4 or more letters or digits) of a version's free text."""
    return frozenset(_WORD.findall(_body(version)))


def texts_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two versions' free text, given as :func:`words`, can be one meeting's (see rule 2)."""
    short, long = sorted((a, b), key=len)
    if len(short) < AGREE_MIN_WORDS:
        return True
    return len(short & long) / len(short) >= AGREE


def _doubtful_state(version: SourceVersion) -> bool:
    return version.state is None or version.state.region != version.region


@dataclass
class _Group:
    key: MeetingKey
    versions: list[SourceVersion]
    duplicate_of: dict[int, SourceVersion] = field(default_factory=dict)

    @property
    def tables(self) -> set[int]:
        return {v.position.table for v in self.versions}


def group_versions(readings: Sequence[TableReading]) -> tuple[Meeting, ...]:
    """Group every table's versions into meetings, in order of first appearance.

    Groups are indexed by key and by (region, date, location), so each row looks only at the
    meetings it could join: the work grows with the number of rows, not with its square
    (``bench/import_growth.py`` measures it).
    """
    groups: list[_Group] = []
    by_key: dict[MeetingKey, list[int]] = {}
    words_of: dict[int, frozenset[str]] = {}  # id(version) → words, each version's text read once

    def agree(a: SourceVersion, b: SourceVersion) -> bool:
        for v in (a, b):
            if id(v) not in words_of:
                words_of[id(v)] = words(v)
        return texts_agree(words_of[id(a)], words_of[id(b)])

    by_place: dict[tuple, list[int]] = {}

    def start(key: MeetingKey, version: SourceVersion) -> _Group:
        groups.append(_Group(key, [version]))
        by_key.setdefault(key, []).append(len(groups) - 1)
        by_place.setdefault((key.region, key.when, key.location), []).append(len(groups) - 1)
        return groups[-1]

    for reading in readings:
        table = reading.table.index
        claimed: set[int] = set()
        pending: list[SourceVersion] = []
        placed: dict[int, _Group] = {}
        twins: list[tuple[SourceVersion, SourceVersion]] = []
        first_of: dict[str, SourceVersion] = {}
        for version in reading.versions:
            twin = first_of.setdefault(version.content_hash, version)
            if twin is not version:  # rule 1's exception: the same row printed twice
                twins.append((version, twin))
                continue
            key = MeetingKey.of(version)
            candidates = [
                i
                for i in by_key.get(key, ())
                if table not in groups[i].tables and i not in claimed and agree(groups[i].versions[-1], version)
            ]
            if candidates:
                best = max(candidates, key=lambda i: similarity(groups[i].versions[-1], version))
                groups[best].versions.append(version)
                claimed.add(best)
                placed[id(version)] = groups[best]
            else:
                pending.append(version)
        for version in pending:
            key = MeetingKey.of(version)
            candidates = [
                (similarity(groups[i].versions[-1], version), i)
                for i in by_place.get((key.region, key.when, key.location), ())
                if i not in claimed
                and table not in groups[i].tables
                and (_doubtful_state(version) or _doubtful_state(groups[i].versions[-1]))
            ]
            score, index = max(candidates, default=(0.0, -1))
            if score >= SIMILAR:
                groups[index].versions.append(version)
                claimed.add(index)
                placed[id(version)] = groups[index]
            else:
                placed[id(version)] = start(key, version)
        for version, twin in twins:
            group = placed[id(twin)]
            group.duplicate_of[id(version)] = twin
            group.versions.append(version)
    return tuple(_resolve(group) for group in groups)


def _latest(values: Sequence[Any], present: Any) -> Any:
    chosen = [v for v in values if present(v)]
    return chosen[-1] if chosen else values[-1]


def _resolve(group: _Group) -> Meeting:
    versions = group.versions
    latest_state = _latest(versions, lambda v: v.state_text)
    when = _latest([v.when for v in versions], lambda w: w.status is not Status.UNKNOWN or w.problem)
    texts: dict[str, RedactedText] = {}
    for name in TEXT_FIELDS:
        present = [v for v in versions if name in v.texts]
        if present:
            texts[name] = _latest([v.text(name) for v in present], bool)
    flags: list[Flag] = [flag for v in versions for flag in v.flags]
    for version in versions[1:]:
        if id(version) in group.duplicate_of:
            flags.append(
                Flag.of(
                    version.position,
                    FlagKind.DUPLICATE_ROW,
                    "identical to the row at "
                    f"{group.duplicate_of[id(version)].position.label()}; "
                    "kept as a second source version of the same meeting",
                )
            )
    flags.extend(_conflicts(versions))
    state = latest_state.state
    key = MeetingKey(
        versions[0].region or 0,
        state.abbr if state else "?" + _fold_key(latest_state.state_text),
        when.key(),
        _fold_key(texts.get("location", EMPTY).foia()),
    )
    fingerprint = hashlib.sha256(
        json.dumps({"key": key.to_json(), "versions": sorted(v.fingerprint for v in versions)}, sort_keys=True).encode()
    ).hexdigest()
    return Meeting(
        key, versions[0].region, latest_state.state, latest_state.state_text, when, texts, tuple(versions), tuple(flags), fingerprint
    )


def _conflicts(versions: Sequence[SourceVersion]) -> list[Flag]:
    if len(versions) < 2:
        return []
    checks: list[tuple[str, str, Any]] = [
        ("state", HEADERS["state"], lambda v: _fold_key(v.state_text)),
        ("date", HEADERS["date"], lambda v: v.when.key() if v.when.raw.strip() else ""),
    ]
    checks += [(n, HEADERS[n], lambda v, n=n: comparison_text(v.text(n))) for n in TEXT_FIELDS]
    flags = []
    for name, header, value_of in checks:
        values = [(v, value_of(v)) for v in versions]
        values = [(v, value) for v, value in values if value]
        distinct = list(dict.fromkeys(value for _, value in values))
        if len(distinct) < 2:
            continue
        first_version, first = values[0]
        other_version, other = next((v, value) for v, value in values if value != first)
        flags.append(
            Flag.of(
                other_version.position,
                FlagKind.VERSION_CONFLICT,
                f"{header!r} differs between versions: {first_version.position.label()} has "
                f"{_difference(first, other)} where {other_version.position.label()} has "
                f"{_difference(other, first)}"
                + (f" ({len(distinct)} different values)" if len(distinct) > 2 else "")
                + "; the latest version's value is used until reviewed",
                name,
            )
        )
    return flags


def _difference(text: str, against: str, width: int = 60) -> str:
    """A short excerpt of ``text`` starting where it first departs from ``against``."""
    start = next((i for i, (a, b) in enumerate(zip(text, against, strict=False)) if a != b), min(len(text), len(against)))
    start = max(0, start - 15)
    excerpt = text[start : start + width]
    return repr(("…" if start else "") + excerpt + ("…" if start + width < len(text) else ""))

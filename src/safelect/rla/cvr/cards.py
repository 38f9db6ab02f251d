"""Cast vote records card by card, for a ballot-comparison audit: where each card is stored and
what the tabulator read on it.

``cards(path, format)`` yields a :class:`Card` per card of a file that :func:`..tally` accepted:
its place — ``(tabulator, batch, position)``, the way a ballot manifest and a draw name a ballot —
and, per contest on the card, the choices the tabulator counted (an overvote counts none, so it
reads as an empty set, as in the tally). The place comes from the format's own fields:

* Dominion: ``TabulatorNum``, ``BatchId``, ``RecordId`` (as Arlo reads it);
* Clear Ballot: ``ScanComputerName``, ``BoxID``, ``BoxPosition``;
* Hart: no tabulator; ``BatchNumber`` and ``BatchSequence``;
* NIST SP 1500-103: ``CreatingDeviceId``, ``BatchId``, ``BatchSequenceId``;
* ES&S: the ``Tabulator`` and ``Batch`` columns when the export has them, the position being the
  card's order within its batch in the file.

A card whose format gives no place has ``place = None``: such a file serves a ballot-polling audit
(its tally) but cannot be compared ballot by ballot; the audit says so instead of guessing.
Reading is a plain loop per card (seconds for a million cards): it runs once, after a draw.
"""

from __future__ import annotations

import csv
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from . import clearballot, detect, dominion, ess, hart
from .common import VOTE_FOR

Place = tuple[str, str, int]


@dataclass(frozen=True)
class Card:
    place: Place | None
    marks: dict[str, frozenset[str]]


def cards(path: Path | str, format: str = "auto", wanted: set[Place] | None = None) -> Iterator[Card]:
    """Every card, or with ``wanted`` only the cards at those places (a card whose format names no
    tabulator matches a wanted place of the same batch and position).
    The CSV formats read a card's votes only when it is wanted: looking up a round's sampled ballots
    in a million-card export costs little more than reading the file."""

    untabulated = {(batch, position) for _tabulator, batch, position in wanted or ()}

    def need(place: Place | None) -> str:
        if wanted is None:
            return "votes"
        if place is not None and (place in wanted or (place[0] == "" and (place[1], place[2]) in untabulated)):
            return "votes"
        return "skip"

    yield from _reader(path, format)(Path(path), need)


def places(path: Path | str, format: str = "auto") -> Iterator[Place | None]:
    """Each card's place, without reading its votes."""
    for card in _reader(path, format)(Path(path), lambda _place: "place"):
        yield card.place


def _reader(path: Path | str, format: str):
    chosen = detect(Path(path)) if format == "auto" else format
    return {"dominion": _dominion, "ess": _ess, "clearballot": _clearballot, "hart": _hart, "nist": _nist}[chosen]


def _position(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _rows(path: Path):
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.reader(handle)


def _dominion(path: Path, need) -> Iterator[Card]:
    rows = _rows(path)
    _election, contests, choices, columns = (next(rows) for _ in range(4))
    plan = []
    for i, text in enumerate(contests):
        match = VOTE_FOR.match(text.strip()) if text.strip() else None
        if match is not None:
            plan.append((i, match["name"], choices[i].strip()))
    tab, batch, rec = (columns.index(c) for c in dominion.ID_COLUMNS)
    for row in rows:
        position = _position(row[rec])
        place = (row[tab].strip(), row[batch].strip(), position) if position else None
        wanted = need(place)
        if wanted != "skip":
            yield Card(place, _marks(row, plan) if wanted == "votes" else {})


def _marks(row: list[str], plan) -> dict[str, frozenset[str]]:
    """The votes of a 1/0/empty row: per contest on the card, the choices marked 1."""
    marks: dict[str, set[str]] = {}
    for i, contest, choice in plan:
        if row[i] != "":
            chosen = marks.setdefault(contest, set())
            if row[i] == "1":
                chosen.add(choice)
    return _frozen(marks)


def _frozen(marks: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """1/0 formats hold the votes the tabulator counted (an overvote is exported as all 0)."""
    return {name: frozenset(chosen) for name, chosen in marks.items()}


def _clearballot(path: Path, need) -> Iterator[Card]:
    rows = _rows(path)
    columns = [c.strip() for c in next(rows)]
    plan = []
    for i, header in enumerate(columns):
        if header.startswith("Choice_"):
            contest, _allowed, choice = clearballot._choice(header, i, path.name)
            plan.append((i, contest, choice))
    where = {name: columns.index(name) if name in columns else None for name in ("ScanComputerName", "BoxID", "BoxPosition")}
    box, position = where["BoxID"], where["BoxPosition"]
    for row in rows:
        place = None
        if box is not None and position is not None and _position(row[position]):
            tabulator = row[where["ScanComputerName"]].strip() if where["ScanComputerName"] is not None else ""
            place = (tabulator, row[box].strip(), _position(row[position]))
        wanted = need(place)
        if wanted != "skip":
            yield Card(place, _marks(row, plan) if wanted == "votes" else {})


def _ess(path: Path, need) -> Iterator[Card]:
    rows = _rows(path)
    columns = [c.strip() for c in next(rows)]
    contest_columns: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        if column not in ess.METADATA:
            contest_columns.setdefault(column, []).append(i)
    tab = columns.index("Tabulator") if "Tabulator" in columns else None
    batch = columns.index("Batch") if "Batch" in columns else None
    order: dict[tuple[str, str], int] = {}
    for row in rows:
        place = None
        if batch is not None:
            key = (row[tab].strip() if tab is not None else "", row[batch].strip())
            order[key] = order.get(key, 0) + 1
            place = (*key, order[key])
        wanted = need(place)
        if wanted == "skip":
            continue
        marks = {}
        for contest, indexes in contest_columns.items() if wanted == "votes" else ():
            cells = [row[i].strip() for i in indexes]
            if not cells[0]:
                continue
            if any(c.lower() == "overvote" for c in cells):
                marks[contest] = frozenset()
            else:
                marks[contest] = frozenset(c for c in cells if c and c.lower() not in ess.NOT_VOTES)
        yield Card(place, marks)


def _hart(path: Path, need) -> Iterator[Card]:
    with zipfile.ZipFile(path) as archive:
        members = sorted(
            (m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".xml")), key=lambda m: m.filename
        )
        for member in members:
            root = ElementTree.fromstring(archive.read(member))
            position = _position(hart._text(root, "BatchSequence"))
            batch = hart._text(root, "BatchNumber")
            place = ("", batch, position) if batch and position else None
            wanted = need(place)
            if wanted == "skip":
                continue
            marks = {}
            for contest in hart._all(root, "Contests/Contest") if wanted == "votes" else ():
                chosen = {hart._text(o, "Name") for o in hart._all(contest, "Options/Option") if (hart._text(o, "Value") or "1") != "0"}
                marks[hart._text(contest, "Name")] = frozenset(chosen)
            yield Card(place, marks)


def _nist(path: Path, need) -> Iterator[Card]:
    with path.open("rb") as handle:
        report = json.load(handle)
    from .nist import _selection_name

    names, selections = {}, {}
    for election in report.get("Election") or []:
        candidates = {c.get("@id"): str(c.get("Name") or c.get("@id")) for c in election.get("Candidate") or []}
        for contest in election.get("Contest") or []:
            names[contest["@id"]] = str(contest.get("Name") or "").strip()
            for selection in contest.get("ContestSelection") or []:
                selections[selection["@id"]] = _selection_name(selection, candidates)
    for cvr in report.get("CVR") or []:
        position = _position(str(cvr.get("BatchSequenceId") or ""))
        batch = str(cvr.get("BatchId") or "").strip()
        place = (str(cvr.get("CreatingDeviceId") or "").strip(), batch, position) if batch and position else None
        wanted = need(place)
        if wanted == "skip":
            continue
        if wanted == "place":
            yield Card(place, {})
            continue
        snapshots = cvr.get("CVRSnapshot") or []
        current = next((s for s in snapshots if s.get("@id") == cvr.get("CurrentSnapshotId")), snapshots[0] if snapshots else {})
        marks = {}
        for cvr_contest in current.get("CVRContest") or []:
            chosen = set()
            for chosen_selection in cvr_contest.get("CVRContestSelection") or []:
                for position in chosen_selection.get("SelectionPosition") or []:
                    if position.get("NumberVotes", 0) and str(position.get("IsAllocable", "yes")).lower() == "yes":
                        chosen.add(selections[chosen_selection["ContestSelectionId"]])
            marks[names[cvr_contest["ContestId"]]] = frozenset(chosen)
        yield Card(place, marks)

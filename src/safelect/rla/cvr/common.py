"""What every cast-vote-record reader returns, and the checks they share.

A reader turns one jurisdiction's CVR export into a :class:`CvrTally`: the number of cards and,
per contest, its name, how many votes each card may carry (``votes_allowed``), the votes for each
choice, and how many cards contain the contest (``ballots``). A file that cannot be trusted is
refused with a :class:`CvrError` naming the row (or the member of a zip) and the reason; a reader
returns nothing partial.

Refused everywhere: a card id seen twice; a cell that a spreadsheet would run as a formula (it
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) — CVR exports never hold one, so
such a cell means the file was edited; a value outside the format's vocabulary; rows of the wrong
width; files over :data:`MAX_BYTES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_BYTES = 4 * 1024**3  # a statewide Dominion export of several million cards is a few GB at most
FORMULA = re.compile(r"(?m)^[=+\-@\t\r]")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
VOTE_FOR = re.compile(r"^(?P<name>.*?)\s*\(Vote For=(?P<n>\d+)\)\s*$")


class CvrError(ValueError):
    """A CVR file that cannot be used; the message names where and why."""


@dataclass
class ContestTally:
    name: str
    votes_allowed: int
    choices: dict[str, int] = field(default_factory=dict)
    ballots: int = 0

    def as_json(self) -> dict:
        return {"name": self.name, "votes_allowed": self.votes_allowed, "choices": dict(self.choices), "ballots": self.ballots}


@dataclass
class CvrTally:
    format: str
    cards: int = 0
    contests: dict[str, ContestTally] = field(default_factory=dict)

    def contest(self, name: str, votes_allowed: int) -> ContestTally:
        found = self.contests.get(name)
        if found is None:
            found = self.contests[name] = ContestTally(name, votes_allowed)
        elif votes_allowed > found.votes_allowed:
            found.votes_allowed = votes_allowed
        return found

    def as_json(self) -> dict:
        return {"format": self.format, "cards": self.cards, "contests": [c.as_json() for c in self.contests.values()]}


def check_no_formulas(values, where) -> None:
    """Refuse the first cell of ``values`` (a column) that a spreadsheet would run as a formula.

    Cheapest test first, all in C: a column of digits (card numbers, batches) is joined and tested
    with ``isdigit``; a column of few distinct values (precincts, ballot styles) is checked value by
    value; any other column is joined and searched with one regular expression."""
    if not values:
        return
    joined = "".join(values)
    if not joined or joined.isdigit():
        return
    sample = set(values[:512])
    if len(sample) < 64:
        distinct = set(values)
        if len(distinct) < 4096:
            bad = [v for v in distinct if v[:1] in TRIGGERS]
            if not bad:
                return
            index = min(values.index(v) for v in bad)
            raise CvrError(f"{where(index)}: the cell {values[index][:40]!r} starts like a spreadsheet formula; CVR exports never do")
    lines = "\n".join(values)
    match = FORMULA.search(lines)
    if match:
        index = lines.count("\n", 0, match.start())
        raise CvrError(f"{where(index)}: the cell {values[index][:40]!r} starts like a spreadsheet formula; CVR exports never do")


def first_duplicate(ids: list) -> int:
    """Index of the first id already seen earlier in ``ids`` (-1 if none)."""
    seen = set()
    for index, value in enumerate(ids):
        if value in seen:
            return index
        seen.add(value)
    return -1


CHUNK = 1_000  # rows per chunk: small enough that a chunk and its columns stay in the CPU cache (bench/cvr_parse.py: 1,000 beat 5,000 by about 10 %)


def at(name: str, row: int):
    """``where(index)`` for the chunk that starts after file row ``row``: "NAME row N"."""

    def where(index: int) -> str:
        return f"{name} row {row + index + 1}"

    return where


def column_chunks(reader, width: int, name: str, row: int):
    """(first row before the chunk, cards in it, its columns) for each chunk of a csv reader's
    rows; refuses a row of the wrong width. Transposing with ``zip`` keeps the per-cell work in C."""
    import csv
    from itertools import islice

    while True:
        try:
            chunk = list(islice(reader, CHUNK))
        except csv.Error as exc:
            raise CvrError(f"{name} row {reader.line_num}: {exc}") from None
        if not chunk:
            return
        if set(map(len, chunk)) != {width}:
            bad = next(n for n, r in enumerate(chunk) if len(r) != width)
            if chunk[bad] in ([], [""]):
                raise CvrError(f"{name} row {row + bad + 1}: an empty row among the cards")
            raise CvrError(f"{name} row {row + bad + 1}: {len(chunk[bad])} cells, but the header has {width}")
        yield row, len(chunk), list(zip(*chunk, strict=True))
        row += len(chunk)


def count_marks(col, where, column: int) -> tuple[int, int]:
    """(votes, empty cells) of a 1/0/empty vote column; refuses any other value.

    The column is joined once and counted with ``str.count`` (memchr-fast): valid cells are "", "0"
    or "1", so the joined text has exactly one character per non-empty cell and never two digits
    side by side."""
    joined = "\n".join(col)
    ones, zeros = joined.count("1"), joined.count("0")
    if len(joined) != len(col) - 1 + ones + zeros or "11" in joined or "10" in joined or "01" in joined or "00" in joined:
        bad = next(n for n, v in enumerate(col) if v not in ("0", "1", ""))
        raise CvrError(
            f"{where(bad)}, column {column + 1}: {col[bad]!r} is not a vote (1, 0, or empty when the contest is not on the card)"
        )
    return ones, len(col) - ones - zeros


class UniqueCards:
    """Card ids across the whole file: a repeat is refused with its row."""

    def __init__(self, what: str):
        self.what, self.seen = what, set()

    def add(self, keys, size: int, where, label=str) -> None:
        """``keys()`` gives the chunk's ``size`` card ids in row order; it is called a second time
        only to name a repeated card (the happy path builds one set and no list)."""
        fresh = set(keys())
        if len(fresh) == size and self.seen.isdisjoint(fresh):  # set against set: stored hashes
            self.seen |= fresh
            return
        ordered = list(keys())
        found = [first_duplicate(ordered), next((n for n, key in enumerate(ordered) if key in self.seen), -1)]
        repeated = min(n for n in found if n >= 0)
        raise CvrError(f"{where(repeated)}: {self.what} {label(ordered[repeated])} appears twice")

"""Clear Ballot ClearVote cast vote record CSV.

One header row: metadata (``RowNumber, BoxID, BoxPosition, BallotID, PrecinctID, BallotStyleID,
PrecinctStyleName, ScanComputerName, Status, Remade``), then one column per choice, named
``Choice_<id>_<n>:<contest id>:<contest>:Vote For <N>:<choice>:<party>``. A vote cell is ``1``,
``0`` or empty (the contest is not on the card). ``BallotID`` identifies the card.
"""

from __future__ import annotations

import csv
import io
import re

from .common import CvrError, CvrTally, UniqueCards, at, check_no_formulas, column_chunks, count_marks

ID_COLUMN = "BallotID"
VOTE_FOR = re.compile(r"^Vote For (\d+)$")


def looks_like(first_rows: list[list[str]]) -> bool:
    return bool(first_rows) and ID_COLUMN in first_rows[0] and any(c.startswith("Choice_") for c in first_rows[0])


def _choice(header: str, column: int, name: str) -> tuple[str, int, str]:
    parts = header.split(":")
    if len(parts) < 6 or not VOTE_FOR.match(parts[-3].strip()):
        raise CvrError(
            f"{name} row 1, column {column + 1}: {header!r} is not Choice_<id>:<contest id>:<contest>:Vote For <N>:<choice>:<party>"
        )
    contest = ":".join(parts[2:-3]).strip()
    return contest, int(VOTE_FOR.match(parts[-3].strip()).group(1)), parts[-2].strip()


def parse(handle: io.TextIOBase, name: str = "CVR") -> CvrTally:
    reader = csv.reader(handle)
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise CvrError(f"{name}: the file is empty") from None
    if ID_COLUMN not in columns:
        raise CvrError(f"{name} row 1: missing column {ID_COLUMN}")
    width = len(columns)
    tally = CvrTally("clearballot")
    plan, first_of = [], {}
    for i, header in enumerate(columns):
        if header.startswith("Choice_"):
            contest_name, allowed, choice = _choice(header, i, name)
            contest = tally.contest(contest_name, allowed)
            if choice in contest.choices:
                raise CvrError(f"{name} row 1, column {i + 1}: {choice!r} appears twice in {contest_name!r}")
            contest.choices[choice] = 0
            first_of.setdefault(contest_name, i)
            plan.append((i, contest, choice))
    if not plan:
        raise CvrError(f"{name} row 1: no Choice_ column")
    ident = columns.index(ID_COLUMN)
    votes = {i for i, _c, _ch in plan}
    metadata = [i for i in range(width) if i not in votes]
    cards = UniqueCards("ballot")
    for row, size, cols in column_chunks(reader, width, name, 1):
        where = at(name, row)
        for i, contest, choice in plan:
            ones, blanks = count_marks(cols[i], where, i)
            contest.choices[choice] += ones
            if first_of[contest.name] == i:
                contest.ballots += size - blanks
        for i in metadata:
            check_no_formulas(cols[i], lambda index, _i=i, _w=where: f"{_w(index)}, column {_i + 1}")
        cards.add(lambda _c=cols: _c[ident], size, where)
        tally.cards += size
    return tally

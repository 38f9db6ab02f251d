"""Dominion Democracy Suite "CVR export" CSV.

The layout (as Democracy Suite 5.x writes it, and as Arlo reads it): four header rows, then one row
per card.

1. the election name and the software version;
2. for each vote column, the contest, with its vote limit: ``Governor (Vote For=1)``;
3. for each vote column, the choice: ``Alice Adams``;
4. the column names: ``CvrNumber, TabulatorNum, BatchId, RecordId, ImprintedId`` and optionally
   ``CountingGroup, PrecinctPortion, BallotType`` (and, in some versions, ``UniqueVotingIdentifier``),
   then each vote column's party (or nothing).

A vote cell is ``1`` (a vote the tabulator counted), ``0`` (no vote) or empty (the contest is not
on this card). A card is identified by (TabulatorNum, BatchId, RecordId), which must be unique.

Speed: rows are read by the csv module and handled a chunk at a time; each chunk is transposed
into columns (``zip``), and the votes, the cards containing each contest and the cell vocabulary
are counted with ``tuple.count`` — C loops, not a Python loop per cell.
"""

from __future__ import annotations

import csv
import io

from .common import VOTE_FOR, CvrError, CvrTally, UniqueCards, at, check_no_formulas, column_chunks, count_marks

ID_COLUMNS = ("TabulatorNum", "BatchId", "RecordId")
REQUIRED = ("CvrNumber", *ID_COLUMNS)


def looks_like(first_rows: list[list[str]]) -> bool:
    return len(first_rows) >= 4 and "CvrNumber" in first_rows[3]


def parse(handle: io.TextIOBase, name: str = "CVR") -> CvrTally:
    reader = csv.reader(handle)
    try:
        header = [next(reader) for _ in range(4)]
    except StopIteration:
        raise CvrError(f"{name}: a Dominion CVR export starts with four header rows") from None
    except csv.Error as exc:
        raise CvrError(f"{name} row {reader.line_num}: {exc}") from None
    _election, contests, choices, columns = header
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise CvrError(f"{name} row 4: missing column(s) {', '.join(missing)}")
    width = len(columns)
    if len(contests) != width or len(choices) != width:
        raise CvrError(f"{name} rows 2–4: the contest, choice and column rows have different numbers of cells")
    votes = [i for i, text in enumerate(contests) if text.strip()]
    if not votes:
        raise CvrError(f"{name} row 2: no contest")
    tally = CvrTally("dominion")
    plan = []  # (column, contest tally, choice name, first column of its contest)
    first_of: dict[str, int] = {}
    for i in votes:
        match = VOTE_FOR.match(contests[i].strip())
        if match is None:
            raise CvrError(f"{name} row 2, column {i + 1}: {contests[i]!r} does not end with its vote limit, e.g. “(Vote For=1)”")
        contest = tally.contest(match["name"], int(match["n"]))
        choice = choices[i].strip()
        if not choice:
            raise CvrError(f"{name} row 3, column {i + 1}: the choice of a vote column is empty")
        if choice in contest.choices:
            raise CvrError(f"{name} row 3, column {i + 1}: {choice!r} appears twice in {contest.name!r}")
        contest.choices[choice] = 0
        first_of.setdefault(contest.name, i)
        plan.append((i, contest, choice))
    ids = [columns.index(c) for c in ID_COLUMNS]
    metadata = [i for i in range(width) if i not in set(votes)]
    cards = UniqueCards("card")
    for row, size, cols in column_chunks(reader, width, name, 4):
        where = at(name, row)
        for i, contest, choice in plan:
            ones, blanks = count_marks(cols[i], where, i)
            contest.choices[choice] += ones
            if first_of[contest.name] == i:
                contest.ballots += size - blanks
        for i in metadata:
            check_no_formulas(cols[i], lambda index, _i=i, _w=where: f"{_w(index)}, column {_i + 1}")
        cards.add(
            lambda _c=cols: zip(_c[ids[0]], _c[ids[1]], _c[ids[2]], strict=True),
            size,
            where,
            lambda key: "-".join(key) + " (tabulator-batch-record)",
        )
        tally.cards += size
    return tally

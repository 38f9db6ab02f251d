"""ES&S cast vote record CSV (ElectionWare "Cast Vote Record" export).

One header row: ``Cast Vote Record`` (the card's number), then metadata such as ``Precinct`` and
``Ballot Style``, then one column per vote a contest allows, named by the contest (a "vote for 2"
contest has two columns with the same name). Each cell holds the name of the choice marked,
``overvote``, ``undervote``, or nothing when the contest is not on the card. Metadata columns are
those named in :data:`METADATA`; every other column is a contest.

An overvoted contest counts no vote (``overvote`` fills the contest's cells); the card still
contains the contest. Counting is per column with ``collections.Counter`` (a C loop).
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from .common import CvrError, CvrTally, UniqueCards, at, check_no_formulas, column_chunks

ID_COLUMN = "Cast Vote Record"
METADATA = {ID_COLUMN, "Precinct", "Ballot Style", "Tabulator", "Batch", "Ballot Status", "Poll Place", "Machine", "Ballot Type", "Split"}
NOT_VOTES = {"", "overvote", "undervote"}


def looks_like(first_rows: list[list[str]]) -> bool:
    return bool(first_rows) and first_rows[0][:1] == [ID_COLUMN]


def parse(handle: io.TextIOBase, name: str = "CVR") -> CvrTally:
    reader = csv.reader(handle)
    try:
        columns = [c.strip() for c in next(reader)]
    except StopIteration:
        raise CvrError(f"{name}: the file is empty") from None
    if not columns or columns[0] != ID_COLUMN:
        raise CvrError(f"{name} row 1: an ES&S CVR export starts with the column “{ID_COLUMN}”")
    width = len(columns)
    contest_columns: dict[str, list[int]] = {}
    for i, column in enumerate(columns):
        if column not in METADATA:
            if not column:
                raise CvrError(f"{name} row 1, column {i + 1}: a column without a name")
            contest_columns.setdefault(column, []).append(i)
    if not contest_columns:
        raise CvrError(f"{name} row 1: no contest column")
    tally = CvrTally("ess")
    for contest, where_ in contest_columns.items():
        tally.contest(contest, len(where_))
    counters = {contest: Counter() for contest in contest_columns}
    cards = UniqueCards("cast vote record")
    for row, size, cols in column_chunks(reader, width, name, 1):
        where = at(name, row)
        for i in range(width):
            check_no_formulas(cols[i], lambda index, _i=i, _w=where: f"{_w(index)}, column {_i + 1}")
        for contest, indexes in contest_columns.items():
            for i in indexes:
                counters[contest].update(cols[i])
            tally.contests[contest].ballots += size - cols[indexes[0]].count("")
        if "" in cols[0]:
            raise CvrError(f"{where(cols[0].index(''))}: the cast vote record number is empty")
        cards.add(lambda _c=cols: _c[0], size, where)
        tally.cards += size
    for contest, counter in counters.items():
        tally.contests[contest].choices = {choice: n for choice, n in sorted(counter.items()) if choice.strip().lower() not in NOT_VOTES}
    return tally

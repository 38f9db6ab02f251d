"""Input tables of the grant formulas: voting-age population, turnout, and per-State claims.

Every formula takes its inputs as tables loaded from files, never as constants, so that a newer
census or election can be used (``--population FILE``, ``--turnout FILE``, ``--input FILE``). A
table remembers where it came from (the file, and each row's ``quality`` and ``basis`` when the
file gives them) so that an allocation can say what it rests on.

Rules, each refused with a message naming the row: a State code that is not one of the 56 of
S.2261 §3(18); the same State twice; a count that is not a whole number or is negative. A row with
an empty count is a *documented gap* (``quality`` ``gap``): present in the table, with no value.
A State that a formula needs and the table does not list at all is an error raised by the formula.

Qualities: ``official`` (a census or certified count), ``estimate`` (a value from a secondary
source, used as it is and named in the allocation's assumptions), ``upper_bound`` (only a bound is
known — e.g. the total population where the 18-and-over count is missing; a formula may use it only
where the result does not depend on the true value, see :mod:`.formulas`) and ``gap``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

MAX_TABLE_BYTES = 5 * 1024 * 1024
QUALITIES = ("official", "estimate", "upper_bound", "gap")


class TableError(ValueError):
    """A table that cannot be used; the message names the file, the row and the column."""


def states() -> dict[str, dict]:
    """The 56 States and territories of S.2261 §3(18), keyed by USPS code, in file order."""
    text = resources.files("safelect.data").joinpath("states.csv").read_text(encoding="utf-8")
    return {row["state_abbr"]: row for row in csv.DictReader(io.StringIO(text))}


@dataclass
class Table:
    """Whole-number values per State, with where each came from."""

    name: str
    source: str
    values: dict[str, int | None] = field(default_factory=dict)
    quality: dict[str, str] = field(default_factory=dict)
    basis: dict[str, str] = field(default_factory=dict)
    extra: dict[str, dict[str, int | None]] = field(default_factory=dict)

    def value(self, state: str, formula: str) -> int | None:
        if state not in self.values:
            raise TableError(f"{self.name} table {self.source}: no row for {state}, which {formula} needs")
        return self.values[state]


def _read(path: Path | str | None, default: str) -> tuple[str, str]:
    if path is None:
        return f"safelect/data/grants/{default}", resources.files("safelect.data").joinpath("grants", default).read_text(encoding="utf-8")
    path = Path(path)
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise TableError(f"{path}: larger than {MAX_TABLE_BYTES // (1024 * 1024)} MB; a table of States is a few kilobytes")
        return str(path), path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TableError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise TableError(f"{path}: not UTF-8 text; save the table as CSV (UTF-8)") from None


def _count(text: str, where: str) -> int | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise TableError(f"{where}: {text!r} is not a whole, non-negative number")
    return int(text)


def _rows(source: str, text: str, required: tuple[str, ...]) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in headers]
    if missing:
        raise TableError(f"{source}: missing column(s) {', '.join(missing)} (found: {', '.join(headers) or 'none'})")
    known, seen, out = states(), set(), []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
        code = row.get("state_abbr", "").upper()
        if code not in known:
            raise TableError(f"{source} row {number}: {code or '(empty)'} is not a State or territory code")
        if code in seen and "applicant" not in row:
            raise TableError(f"{source} row {number}: {code} appears twice")
        seen.add(code)
        row["state_abbr"] = code
        out.append((number, row))
    return out


POPULATION_COLUMNS = ("voting_age_population", "pop18plus_2010_census", "population")


def population(path: Path | str | None = None) -> Table:
    """Voting-age population per State (S.2261 §7(e)(2): "as reported in the most recent decennial
    census"). Columns: ``state_abbr`` and one of ``voting_age_population``,
    ``pop18plus_2010_census`` (the census extract's name) or ``population``; ``quality`` and
    ``basis`` (or ``source``) optional. Default: the 2010 Census table shipped with safelect."""
    source, text = _read(path, "vap_2010.csv")
    header = next(csv.reader(io.StringIO(text)), [])
    column = next((c for c in POPULATION_COLUMNS if c in [h.strip() for h in header]), None)
    if column is None:
        raise TableError(f"{source}: needs a state_abbr column and one of {', '.join(POPULATION_COLUMNS)}")
    table = Table("population", source)
    for number, row in _rows(source, text, ("state_abbr", column)):
        code = row["state_abbr"]
        table.values[code] = _count(row[column], f"{source} row {number}, {column}")
        quality = row.get("quality") or ("official" if table.values[code] is not None else "gap")
        if quality not in QUALITIES:
            quality = "official" if quality.startswith("official") else ("gap" if table.values[code] is None else "estimate")
        table.quality[code] = "gap" if table.values[code] is None else quality
        table.basis[code] = row.get("basis") or row.get("source") or source
    return table


def turnout(path: Path | str | None = None) -> Table:
    """Individuals who voted in the two most recent regularly scheduled general elections for
    Federal office (H.R. 5011 §297(b)). Columns ``total_ballots_YYYY`` for two or more years
    (the two latest are used) and optionally ``highest_office_YYYY``, used for a year whose total
    is blank (the output names each such State). Default: 2014 and 2016, United States Elections
    Project, shipped with safelect."""
    source, text = _read(path, "turnout_2014_2016.csv")
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)), [])]
    years = sorted({int(m.group(1)) for h in header if (m := re.fullmatch(r"total_ballots_(\d{4})", h))})
    if len(years) < 2:
        raise TableError(f"{source}: needs total_ballots_YYYY columns for the two most recent federal general elections")
    first, second = years[-2:]
    table = Table("turnout", source)
    table.extra = {"years": {"first": first, "second": second}}
    for number, row in _rows(source, text, ("state_abbr", f"total_ballots_{first}", f"total_ballots_{second}")):
        code = row["state_abbr"]
        counts, notes = [], []
        for year in (first, second):
            value = _count(row.get(f"total_ballots_{year}", ""), f"{source} row {number}, total_ballots_{year}")
            if value is None:
                value = _count(row.get(f"highest_office_{year}", ""), f"{source} row {number}, highest_office_{year}")
                if value is not None:
                    notes.append(f"{year}: total ballots not reported, votes for the highest office used")
            counts.append(value)
        table.extra[code] = {str(first): counts[0], str(second): counts[1]}
        if None in counts:
            table.values[code] = None
            table.quality[code] = "gap"
            table.basis[code] = row.get("source_notes") or "no count in the table"
        else:
            table.values[code] = sum(counts)  # the sum; formulas halve it (an average of two elections)
            table.quality[code] = "official"
            table.basis[code] = "; ".join(notes) or f"total ballots {first} and {second}"
    return table


def claims(path: Path | str, columns: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[dict]:
    """Rows of a per-State input file (§7(g) votes, §7(h) ballots inspected): ``state_abbr`` and the
    named whole-number columns; ``applicant`` names a local agency or district where there are
    several rows for one State."""
    source, text = _read(path, "")
    out = []
    for number, row in _rows(source, text, ("state_abbr", *columns)):
        parsed = {"state": row["state_abbr"], "applicant": row.get("applicant") or row["state_abbr"], "row": number}
        for column in columns:
            value = _count(row.get(column, ""), f"{source} row {number}, {column}")
            if value is None:
                raise TableError(f"{source} row {number}: {column} is empty")
            parsed[column] = value
        for column in optional:
            parsed[column] = _count(row.get(column, ""), f"{source} row {number}, {column}")
        out.append(parsed)
    applicants = [(r["state"], r["applicant"]) for r in out]
    duplicate = next((a for a in applicants if applicants.count(a) > 1), None)
    if duplicate:
        raise TableError(f"{source}: {duplicate[0]} applicant {duplicate[1]!r} appears twice")
    return out

"""Normalise raw weekly-summary rows into :class:`SourceVersion` s, flagging what is doubtful.

What the released record shows and the import must cope with: "a region
number that does not match the State, a misread State name, rows whose cells shifted into
extra columns, ``<p>`` fragments), redaction markers, and dates such as 9/28/2017, 08/19/17,
11-Oct, Pending, N/A, TRD".  Suspicious values are flagged "for a person to resolve ...
never silently fixed".  Concretely, per row:

* **Region.**  A table of the weekly summary covers one region; its region is the clear
  majority of the rows' evidence (each row votes with its State's region, or its printed
  number if the State is unknown).  A row whose printed number and State agree keeps that
  region; otherwise (OCR noise: "1" for 2, "18" for 10, an unknown State) it is recorded
  under the table's region and flagged ``region_mismatch`` / ``invalid_region``.
* **State.**  Names and USPS codes via :func:`.states.resolve_state`; an unknown name is
  flagged ``unknown_state`` with suggestions (close names, and the region's States that no
  other row of the table names), never replaced.
* **Date.**  :func:`.when.parse_when`, with the table's reporting year for ``11-Oct`` (noted).
* **Text.**  ``<p>`` fragments become line breaks (noted); redaction markers become spans.
* **Shifted cells.**  Repaired only in two unambiguous shapes, always flagged
  ``shifted_cells``: content in cells under no header (past the last column, as in the
  record's Indiana row) moves into Notes / Comments when that is empty — a rule about the
  columns' meaning, not their position, so it holds in any column order; a date/status
  in Meeting Location of a row that has nothing else but Region and State moves into Meeting
  Date (the record's Minnesota "TRD" row).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .columns import HEADERS, TEXT_FIELDS
from .provenance import Flag, FlagKind, RawRow, RawTable, SourcePosition
from .redaction import RedactedText, parse_redacted, redaction_problems
from .states import StateMatch, StateRef, parse_region, resolve_state, states_in_region
from .when import MeetingWhen, Status, WhenProblem, parse_when, status_for_text, year_of

EMPTY = RedactedText()


@dataclass(frozen=True)
class SourceVersion:
    """One printed row, normalised: a source version of a meeting.

    ``cells`` are the raw cells as read; everything else is derived.  ``region`` is the region
    the row is recorded under (see the module docstring), ``state`` the recognised State or
    ``None`` (then ``state_text`` holds what was printed, and a flag says why).
    ``content_hash`` is the SHA-256 of the normalised content (not the position);
    ``fingerprint`` adds the occurrence number of that content in the file, so the same file
    read again, from any format and column order, gives the same fingerprints, and two
    identical printings are still two versions.
    """

    position: SourcePosition
    cells: tuple[str, ...]
    region: int | None
    printed_region: str
    table_region: int | None
    state: StateRef | None
    state_text: str
    states_named: tuple[StateRef, ...]
    when: MeetingWhen
    texts: Mapping[str, RedactedText] = field(hash=False)
    flags: tuple[Flag, ...]
    content_hash: str
    fingerprint: str

    def text(self, name: str) -> RedactedText:
        """A free-text field (``location``, ``poc``, ``discussion``, …); empty if absent."""
        return self.texts.get(name, EMPTY)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.position.to_json(),
            "cells": list(self.cells),
            "region": self.region,
            "printed_region": self.printed_region,
            "state": self.state.abbr if self.state else None,
            "state_text": self.state_text,
            "when": self.when.to_json(),
            "texts": {name: value.to_json() for name, value in self.texts.items()},
            "flags": [flag.to_json() for flag in self.flags],
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class RejectedRow:
    """A printed row that cannot become a meeting, and why."""

    position: SourcePosition
    cells: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.position.to_json(), "cells": list(self.cells), "reason": self.reason}


@dataclass(frozen=True)
class TableReading:
    """The normalised rows of one table, its inferred region and reporting year."""

    table: RawTable
    region: int | None
    year: int | None
    versions: tuple[SourceVersion, ...]
    rejected: tuple[RejectedRow, ...]
    notes: tuple[Flag, ...]


@dataclass
class _Draft:
    row: RawRow
    values: dict[str, str]
    flags: list[Flag]
    printed: int | None
    state_match: StateMatch
    when: MeetingWhen
    texts: dict[str, RedactedText]


def reporting_year(table: RawTable) -> int | None:
    """The year most explicit dates of a table fall in (its reporting period), if any."""
    index = table.columns.get("date")
    years = Counter(
        year for row in table.rows if index is not None and index < len(row.cells) and (year := year_of(row.cells[index])) is not None
    )
    return max(years, key=lambda y: (years[y], y)) if years else None


def normalise_tables(tables: Sequence[RawTable]) -> tuple[TableReading, ...]:
    """Normalise every table; a table without explicit dates takes the file's main year."""
    years = Counter(y for t in tables if (y := reporting_year(t)) is not None)
    fallback = max(years, key=lambda y: (years[y], y)) if years else None
    seen: Counter[str] = Counter()
    return tuple(normalise_table(table, fallback, seen) for table in tables)


def normalise_table(table: RawTable, fallback_year: int | None = None, seen: Counter[str] | None = None) -> TableReading:
    """Normalise the rows of one table (see the module docstring).

    ``seen`` counts content already met earlier in the file: the second identical printing
    of a row gets a different fingerprint (content + occurrence), so every printed row is
    its own stored version and the fingerprints stay the same when the file is read again.
    """
    own_year = reporting_year(table)
    year = own_year or fallback_year
    period = f"dates in table {table.index} are in {year}" if own_year else f"the file's dates are in {year}"
    drafts: list[_Draft] = []
    rejected: list[RejectedRow] = []
    for row in table.rows:
        draft = _read_row(table, row, year, period)
        if draft is None:
            rejected.append(RejectedRow(row.position, row.cells, "no State and no content"))
        else:
            drafts.append(draft)
    region = _table_region(drafts)
    named = {d.state_match.state.abbr for d in drafts if d.state_match.state}
    versions = _finish(drafts, region, named, Counter() if seen is None else seen)
    notes = tuple(
        Flag.of(
            table.header.position, FlagKind.IGNORED_COLUMN, f"column {header!r} is not a weekly-summary column; its cells are not imported"
        )
        for header in table.ignored_headers
    )
    return TableReading(table, region, year, versions, tuple(rejected), notes)


_P_BREAK = re.compile(r"\s*</p>\s*<p>\s*|\s*<br\s*/?>\s*", re.IGNORECASE)
_P_TAG = re.compile(r"\s*</?p\s*>\s*", re.IGNORECASE)


def strip_fragments(text: str) -> str:
    """``<p>a</p> <p>b</p>`` → ``"a\\nb"``: paragraph fragments become line breaks."""
    return _P_TAG.sub(" ", _P_BREAK.sub("\n", text)).strip(" ")


def _read_row(table: RawTable, row: RawRow, year: int | None, period: str) -> _Draft | None:
    cells = list(row.cells)
    values = {name: (cells[i] if i < len(cells) else "").strip() for name, i in table.columns.items()}
    flags: list[Flag] = []
    _repair_overflow(table, row, values, flags)
    _repair_date_in_location(table, row.position, values, flags)
    if not any(v for name, v in values.items() if name != "region"):
        return None
    stripped = [name for name in TEXT_FIELDS if name in values and _P_TAG.search(values[name])]
    if stripped:
        flags.append(
            Flag.of(
                row.position,
                FlagKind.MARKUP_STRIPPED,
                "<p> fragments turned into line breaks in " + ", ".join(repr(HEADERS[n]) for n in stripped),
            )
        )
    texts = {
        name: parse_redacted(strip_fragments(values[name]) if name in stripped else values[name]) for name in TEXT_FIELDS if name in values
    }
    for name in texts:
        problems = redaction_problems(values[name])
        if problems:
            flags.append(
                Flag.of(
                    row.position,
                    FlagKind.MALFORMED_REDACTION,
                    f"{HEADERS[name]!r}: " + "; ".join(problems) + " (withheld until a person corrects it)",
                    name,
                )
            )
    when = parse_when(values.get("date", ""), year)
    _flag_when(row.position, when, year, period, flags)
    if when.status is Status.DATED:
        for name, text in texts.items():
            if status_for_text(text.foia()) is Status.AWAITING_AAR:
                when = replace(when, status=Status.AWAITING_AAR)
                flags.append(
                    Flag.of(
                        row.position,
                        FlagKind.STATUS_FROM_TEXT,
                        f"status 'awaiting after-action report' taken from {HEADERS[name]!r} ({text.foia()!r})",
                        "date",
                    )
                )
                break
    state_match = resolve_state(values.get("state", ""))
    return _Draft(row, values, flags, parse_region(values.get("region", "")), state_match, when, texts)


def _flag_when(position: SourcePosition, when: MeetingWhen, year: int | None, period: str, flags: list[Flag]) -> None:
    raw = when.raw.strip()
    if when.problem is WhenProblem.IMPOSSIBLE:
        flags.append(Flag.of(position, FlagKind.IMPOSSIBLE_DATE, f"meeting date {raw!r} is not a possible date", "date"))
    elif when.problem is WhenProblem.UNREADABLE:
        flags.append(
            Flag.of(
                position,
                FlagKind.UNREADABLE_DATE,
                f"meeting date {raw!r} is neither a date nor a known status (Pending, Scheduled, Declined, Awaiting AAR, TBD, N/A)",
                "date",
            )
        )
    elif when.problem is WhenProblem.NO_YEAR:
        flags.append(
            Flag.of(
                position,
                FlagKind.UNREADABLE_DATE,
                f"meeting date {raw!r} has no year and the file gives no reporting period to take one from",
                "date",
            )
        )
    elif when.year_inferred and when.date is not None:
        flags.append(
            Flag.of(
                position,
                FlagKind.INFERRED_YEAR,
                f"meeting date {raw!r} has no year; read as {when.date.isoformat()} from the reporting period ({period})",
                "date",
            )
        )


def _repair_overflow(table: RawTable, row: RawRow, values: dict[str, str], flags: list[Flag]) -> None:
    header = table.header.cells
    mapped = set(table.columns.values())
    extra = [i for i, cell in enumerate(row.cells) if cell.strip() and i not in mapped and not (i < len(header) and header[i].strip())]
    if not extra:
        return
    shown = ", ".join(f"column {i + 1} ({_snippet(row.cells[i])})" for i in extra)
    if "notes" in values and not values["notes"]:
        values["notes"] = "\n".join(row.cells[i].strip() for i in extra)
        flags.append(
            Flag.of(
                row.position,
                FlagKind.SHIFTED_CELLS,
                f"content outside the table's columns moved into the empty 'Notes / Comments': {shown}; please confirm",
                "notes",
            )
        )
    else:
        flags.append(
            Flag.of(
                row.position,
                FlagKind.SHIFTED_CELLS,
                f"content outside the table's columns could not be placed "
                f"('Notes / Comments' is not empty) and is kept only in the source "
                f"version: {shown}",
            )
        )


def _repair_date_in_location(table: RawTable, position: SourcePosition, values: dict[str, str], flags: list[Flag]) -> None:
    location = values.get("location", "")
    if not location or values.get("date") or "date" not in values:
        return
    parsed = parse_when(location)
    if parsed.problem is not None:
        return
    if any(v for n, v in values.items() if n not in ("region", "state", "location")):
        return
    values["date"], values["location"] = location, ""
    flags.append(
        Flag.of(
            position,
            FlagKind.SHIFTED_CELLS,
            f"{location!r} stood in 'Meeting Location' with 'Meeting Date' and every other cell empty; read as the meeting date",
            "date",
        )
    )


def _snippet(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _table_region(drafts: Sequence[_Draft]) -> int | None:
    votes = Counter(d.state_match.state.region if d.state_match.state else d.printed for d in drafts if d.state_match.state or d.printed)
    if not votes:
        return None
    region, count = max(votes.items(), key=lambda item: (item[1], -item[0]))
    return region if count * 2 > sum(votes.values()) else None


def _finish(drafts: Sequence[_Draft], table_region: int | None, named: set[str], seen: Counter[str]) -> tuple[SourceVersion, ...]:
    versions: list[SourceVersion] = []
    for d in drafts:
        position, match, printed_text = d.row.position, d.state_match, d.values.get("region", "")
        state: StateRef | None = match.state
        ref = state.region if state else None
        if d.printed and ref and d.printed == ref:
            region: int | None = d.printed
        else:
            region = table_region or d.printed or ref
        flags = list(d.flags)
        where = f"recorded under region {region}" + (" (this table's region)" if region == table_region else "")
        if printed_text and d.printed is None:
            flags.append(
                Flag.of(position, FlagKind.INVALID_REGION, f"region {printed_text!r} is not a region number 1-10; {where}", "region")
            )
        if state and region != ref:
            said = f"the row prints region {d.printed}" if d.printed else "the row's region"
            flags.append(
                Flag.of(
                    position,
                    FlagKind.REGION_MISMATCH,
                    f"{state.name} is in region {ref}, but {said} and this table is "
                    f"region {table_region}; {where}{_complement(region, named)}",
                    "state",
                )
            )
        elif state and d.printed and d.printed != ref:
            flags.append(
                Flag.of(
                    position,
                    FlagKind.REGION_MISMATCH,
                    f"the row prints region {d.printed}, but {state.name} is in region {ref}; {where}",
                    "region",
                )
            )
        elif not state and d.printed and region != d.printed:
            flags.append(
                Flag.of(
                    position,
                    FlagKind.REGION_MISMATCH,
                    f"the row prints region {d.printed}, but this table is region {table_region}; {where}",
                    "region",
                )
            )
        flags.extend(_state_flags(position, match, region, named))
        content = _content_hash(region, d.values.get("region", ""), match.text, d.when, d.texts)
        seen[content] += 1
        fingerprint = content if seen[content] == 1 else _sha({"content": content, "occurrence": seen[content]})
        versions.append(
            SourceVersion(
                position,
                d.row.cells,
                region,
                printed_text,
                table_region,
                state,
                match.text.strip(),
                match.several,
                d.when,
                d.texts,
                tuple(flags),
                content,
                fingerprint,
            )
        )
    return tuple(versions)


def _complement(region: int | None, named: set[str]) -> str:
    if region is None:
        return ""
    missing = [s.name for s in states_in_region(region) if s.abbr not in named]
    if 0 < len(missing) <= 2:
        return f"; region {region} States/territories no other row of this table names: " + ", ".join(missing)
    return ""


def _state_flags(position: SourcePosition, match: StateMatch, region: int | None, named: set[str]) -> list[Flag]:
    if match.state:
        return []
    if match.several:
        names = ", ".join(f"{s.name} (region {s.region})" for s in match.several)
        return [
            Flag.of(
                position,
                FlagKind.MULTIPLE_STATES,
                f"the State cell names several States: {names}; a meeting has one State — split the row or choose",
                "state",
            )
        ]
    if match.is_blank:
        return [Flag.of(position, FlagKind.MISSING_STATE, "the row has no State", "state")]
    hint = ", ".join(s.name for s in match.suggestions)
    message = f"{match.text.strip()!r} is not a State or territory"
    message += f"; close names: {hint}" if hint else ""
    return [Flag.of(position, FlagKind.UNKNOWN_STATE, message + _complement(region, named), "state")]


def _sha(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def fold_text(text: str) -> str:
    """Whitespace collapsed: the form fingerprints and comparisons use."""
    return " ".join(text.split())


def _content_hash(region: int | None, printed: str, state_text: str, when: MeetingWhen, texts: Mapping[str, RedactedText]) -> str:
    return _sha(
        {
            "region": region,
            "printed_region": printed.strip(),
            "state": fold_text(state_text).casefold(),
            "when": when.key(),
            "texts": {name: fold_text(text.marked()) for name, text in texts.items() if text},
        }
    )

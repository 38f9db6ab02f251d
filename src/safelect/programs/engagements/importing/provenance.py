"""Where every imported value came from, and what the engine says about it.

The design asks that "repeated versions of one meeting become one record that keeps every
source version as provenance" and that suspicious values are "flagged for a person to
resolve in a review queue, never silently fixed".  These small value types carry that:

* :class:`SourcePosition` — file, table, sheet and line/row of one printed row;
* :class:`RawRow` / :class:`RawTable` — the cells exactly as read, before normalisation;
* :class:`Flag` — one finding (row reference, kind, message) for the review queue, or an
  informational note;
* :class:`ImportRefused` — the whole file cannot be imported (no partial result).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; the message names the problem.

    Raised for an empty file, a binary file, text that is not UTF-8, a workbook that is not a
    valid XLSX, a table whose header lacks a required column, or a file with no weekly-summary
    table at all.  Nothing is returned, so nothing can be partially written.
    """


@dataclass(frozen=True, order=True)
class SourcePosition:
    """One printed row (or header) in a source file.

    ``line`` is the 1-based line of a text/CSV file, or the 1-based row of an XLSX sheet.
    ``table`` is the 1-based index of the weekly-summary table within the file (a new table
    starts at each title line or repeated header row).
    """

    filename: str
    table: int
    line: int
    sheet: str | None = None

    def label(self) -> str:
        """Human reference, e.g. ``summary.txt, table 5, line 52``."""
        where = f"sheet {self.sheet!r}, row {self.line}" if self.sheet else f"line {self.line}"
        return f"{self.filename}, table {self.table}, {where}"

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "table": self.table,
            "sheet": self.sheet,
            "line": self.line,
            "label": self.label(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourcePosition:
        return cls(data["file"], int(data["table"]), int(data["line"]), data.get("sheet"))


@dataclass(frozen=True)
class RawRow:
    """A data row as read: its position and every cell as text (``""`` for an empty cell)."""

    position: SourcePosition
    cells: tuple[str, ...]

    def is_blank(self) -> bool:
        return not any(cell.strip() for cell in self.cells)


@dataclass(frozen=True)
class RawTable:
    """One weekly-summary table: an optional title line, a header row, and its data rows.

    ``columns`` maps each recognised canonical field (see :mod:`.columns`) to the index of its
    cell; ``width`` is the number of header cells (cells beyond it are *extra* cells, where
    OCR pushed shifted content).
    """

    filename: str
    index: int
    sheet: str | None
    title: str | None
    header: RawRow
    columns: Mapping[str, int]
    rows: tuple[RawRow, ...]
    ignored_headers: tuple[str, ...] = ()

    @property
    def width(self) -> int:
        return max(self.columns.values()) + 1 if self.columns else 0


class FlagKind(str, enum.Enum):
    """What a flag is about.  Values are stable strings used in JSON and the review queue."""

    REGION_MISMATCH = "region_mismatch"  # printed region or table region does not fit the State
    INVALID_REGION = "invalid_region"  # region cell is not a number 1-10
    UNKNOWN_STATE = "unknown_state"  # State cell names no State/territory (maybe misread)
    MULTIPLE_STATES = "multiple_states"  # State cell names several States
    MISSING_STATE = "missing_state"  # row has content but no State
    IMPOSSIBLE_DATE = "impossible_date"  # not a calendar date, or an implausible year
    UNREADABLE_DATE = "unreadable_date"  # date cell is neither a date nor a known status
    SHIFTED_CELLS = "shifted_cells"  # cells sat in the wrong/extra columns
    VERSION_CONFLICT = "version_conflict"  # two versions of one meeting disagree
    DUPLICATE_ROW = "duplicate_row"  # identical row printed twice in one table
    MALFORMED_REDACTION = "malformed_redaction"  # [[...]] markup that is not a valid span: withheld
    # informational notes (severity "note"): recorded, shown, but need no decision
    INFERRED_YEAR = "inferred_year"
    MARKUP_STRIPPED = "markup_stripped"
    STATUS_FROM_TEXT = "status_from_text"
    IGNORED_COLUMN = "ignored_column"


NOTE_KINDS = frozenset(
    {
        FlagKind.INFERRED_YEAR,
        FlagKind.MARKUP_STRIPPED,
        FlagKind.STATUS_FROM_TEXT,
        FlagKind.IGNORED_COLUMN,
    }
)


@dataclass(frozen=True)
class Flag:
    """A finding about one row: ``kind`` and a message a reviewer can act on.

    ``field`` names the canonical column concerned, when there is one.  ``severity`` is
    ``"review"`` (goes to the review queue) or ``"note"`` (informational).
    """

    row: SourcePosition | None
    kind: FlagKind
    message: str
    field: str | None = None
    severity: str = "review"

    @classmethod
    def of(cls, row: SourcePosition | None, kind: FlagKind, message: str, field_name: str | None = None) -> Flag:
        """Build a flag with the severity implied by ``kind``."""
        severity = "note" if kind in NOTE_KINDS else "review"
        return cls(row, kind, message, field_name, severity)

    @property
    def needs_review(self) -> bool:
        return self.severity == "review"

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row.to_json() if self.row else None,
            "kind": self.kind.value,
            "message": self.message,
            "field": self.field,
            "severity": self.severity,
        }

"""The import preview: what will be created, merged, flagged and rejected, row by row.

The requirement: "Always a preview first (what will be created, merged, flagged, rejected, and
why, row by row); then an all-or-nothing commit ... Re-importing the same file changes
nothing."  The CLI's JSON report "has at least engagements_created, duplicates_merged,
flags (each with row, kind, message) and rejected" — :meth:`ImportPreview.to_json`.

Idempotency: pass the fingerprints of source versions already stored
(``known_versions``); their rows come out ``unchanged`` and a meeting none of whose rows is
new is neither created nor merged.  Pass also the :func:`row_hash` of every stored record
(``known_rows``): a meeting that is, cell for cell, a stored record (a weekly summary
exported by safelect and imported again) is ``unchanged`` too, so export → import changes
nothing.  The Django side commits a preview by creating each
meeting with ``is_new``, attaching the new versions of the others to the stored meeting that
holds one of their known versions, and queueing the review flags.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .columns import COLUMNS, TEXT_FIELDS
from .grouping import Meeting, group_versions
from .normalise import RejectedRow, normalise_tables
from .provenance import Flag, RawTable, SourcePosition
from .readers import MAX_FILE_BYTES, read_path, read_tables

CREATE, MERGE, FLAG, REJECT, UNCHANGED = "create", "merge", "flag", "reject", "unchanged"


@dataclass(frozen=True)
class RowOutcome:
    """What happens to one printed row.

    ``outcome`` is ``create`` (starts a meeting), ``merge`` (another version of a meeting
    already started), ``flag`` (creates or merges — see ``effect`` — but has review flags),
    ``reject`` (cannot become a meeting) or ``unchanged`` (this version is already stored).
    ``meeting`` is the index into :attr:`ImportPreview.meetings`.
    """

    row: SourcePosition
    outcome: str
    effect: str
    meeting: int | None
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row.to_json(),
            "outcome": self.outcome,
            "effect": self.effect,
            "meeting": self.meeting,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class ImportPreview:
    """Everything an import would do; nothing is written until the caller commits it."""

    filename: str
    tables: tuple[RawTable, ...]
    meetings: tuple[Meeting, ...]
    rows: tuple[RowOutcome, ...]
    rejected: tuple[RejectedRow, ...]
    notes: tuple[Flag, ...]
    known_versions: frozenset[str]
    known_rows: frozenset[str] = frozenset()

    def is_stored_row(self, meeting: Meeting) -> bool:
        """True if ``meeting`` is cell for cell a stored record, none of its versions stored."""
        return not any(v.fingerprint in self.known_versions for v in meeting.versions) and row_hash(meeting) in self.known_rows

    def is_new(self, meeting: Meeting) -> bool:
        """True if no version of ``meeting`` is stored yet: committing creates it."""
        return not any(v.fingerprint in self.known_versions for v in meeting.versions) and not self.is_stored_row(meeting)

    def new_versions(self, meeting: Meeting) -> tuple[Any, ...]:
        """The versions of ``meeting`` not stored yet (none for a stored record's row)."""
        if self.is_stored_row(meeting):
            return ()
        return tuple(v for v in meeting.versions if v.fingerprint not in self.known_versions)

    @property
    def engagements_created(self) -> int:
        return sum(1 for m in self.meetings if self.is_new(m))

    @property
    def duplicates_merged(self) -> int:
        """Rows that join a meeting instead of creating one (excluding unchanged rows)."""
        return sum(1 for r in self.rows if r.effect == MERGE)

    @property
    def flags(self) -> tuple[Flag, ...]:
        """Flags the commit would queue for review (severity ``review``), in row order: only those
        of meetings that get a new version — a file imported before queues none again."""
        flags = [f for m in self.meetings if self.new_versions(m) for f in m.flags if f.needs_review]
        return tuple(sorted(flags, key=lambda f: (f.row or SourcePosition("", 0, 0),)))

    def row_counts(self) -> dict[str, int]:
        """Rows by what happens to them — create, merge, reject, unchanged (they add up to the rows
        read) — and how many of the written rows need review. ``create`` equals
        :attr:`engagements_created` and ``merge`` equals :attr:`duplicates_merged`."""
        counts = {CREATE: 0, MERGE: 0, REJECT: 0, UNCHANGED: 0, "review": 0}
        for r in self.rows:
            counts[r.effect if r.effect in (CREATE, MERGE) else r.outcome] += 1
            counts["review"] += r.outcome == FLAG
        return counts

    @property
    def all_notes(self) -> tuple[Flag, ...]:
        """Informational notes (inferred years, stripped ``<p>``, ignored columns)."""
        notes = [f for m in self.meetings for f in m.flags if not f.needs_review]
        return tuple(self.notes) + tuple(sorted(notes, key=lambda f: (f.row or SourcePosition("", 0, 0),)))

    @property
    def changes_nothing(self) -> bool:
        return all(r.outcome in (UNCHANGED, REJECT) for r in self.rows)

    def to_json(self, *, include_meetings: bool = True) -> dict[str, Any]:
        """The JSON-able report (the CLI's ``--json`` output)."""
        data: dict[str, Any] = {
            "source": self.filename,
            "tables": len(self.tables),
            "rows_read": len(self.rows),
            "engagements_created": self.engagements_created,
            "duplicates_merged": self.duplicates_merged,
            "unchanged": sum(1 for r in self.rows if r.outcome == UNCHANGED),
            "row_counts": self.row_counts(),
            "flags": [f.to_json() for f in self.flags],
            "notes": [f.to_json() for f in self.all_notes],
            "rejected": [r.to_json() for r in self.rejected],
            "rows": [r.to_json() for r in self.rows],
        }
        if include_meetings:
            data["meetings"] = [m.to_json() for m in self.meetings]
        return data


def build_preview(
    filename: str, tables: Sequence[RawTable], known_versions: Collection[str] = (), known_rows: Collection[str] = ()
) -> ImportPreview:
    """Normalise and group already-read tables into a preview."""
    known = frozenset(known_versions)
    rows = frozenset(known_rows)
    readings = normalise_tables(tables)
    meetings = group_versions(readings)
    outcomes: dict[SourcePosition, RowOutcome] = {}
    for index, meeting in enumerate(meetings):
        new = not any(v.fingerprint in known for v in meeting.versions)
        stored_row = new and row_hash(meeting) in rows
        first = meeting.versions[0].position
        flags_of: dict[SourcePosition, list] = {}
        for f in meeting.flags:  # by row, once: a meeting printed thousands of times stays linear
            if f.needs_review:
                flags_of.setdefault(f.row, []).append(f)
        for n, version in enumerate(meeting.versions):
            review = flags_of.get(version.position, [])
            if version.fingerprint in known or stored_row:
                reason = (
                    "this version is already stored"
                    if version.fingerprint in known
                    else "the same row as a stored record (an earlier export)"
                )
                outcomes[version.position] = RowOutcome(version.position, UNCHANGED, "none", index, (reason,))
                continue
            effect = CREATE if (new and n == 0) else MERGE
            reason = (
                f"creates meeting {index + 1}"
                if effect == CREATE
                else f"another version of meeting {index + 1} (first printed at {first.label()})"
                if n
                else f"new version of stored meeting {index + 1}"
            )
            outcomes[version.position] = RowOutcome(
                version.position, FLAG if review else effect, effect, index, (reason, *(f"{f.kind.value}: {f.message}" for f in review))
            )
    rejected = tuple(r for reading in readings for r in reading.rejected)
    for row in rejected:
        outcomes[row.position] = RowOutcome(row.position, REJECT, "none", None, (row.reason,))
    notes = tuple(n for reading in readings for n in reading.notes)
    return ImportPreview(filename, tuple(tables), meetings, tuple(outcomes[p] for p in sorted(outcomes)), rejected, notes, known, rows)


def preview_import(
    data: bytes, filename: str, known_versions: Collection[str] = (), known_rows: Collection[str] = (), max_bytes: int = MAX_FILE_BYTES
) -> ImportPreview:
    """Read, normalise and group a file's bytes; raises ``ImportRefused`` for a bad file."""
    return build_preview(filename, read_tables(data, filename, max_bytes), known_versions, known_rows)


def preview_path(path: str | Path, known_versions: Collection[str] = (), known_rows: Collection[str] = ()) -> ImportPreview:
    """:func:`preview_import` for a file on disk (the CLI's ``PATH``)."""
    path = Path(path)
    return build_preview(path.name, read_path(path), known_versions, known_rows)


def canonical_cells(meeting: Meeting, *, release: bool = False) -> dict[str, str]:
    """A meeting as one weekly-summary row: canonical header → cell text.

    Free text is written with :meth:`~.redaction.RedactedText.marked` (lossless; reads back to
    the same value) or, with ``release=True``, :meth:`~.redaction.RedactedText.foia`.  Writers
    use :data:`~.columns.COLUMNS` for the order and :data:`~.columns.TITLE` above each table.
    """
    cells = {"region": str(meeting.region or ""), "state": meeting.state_text, "date": meeting.when.to_cell()}
    for name in TEXT_FIELDS:
        text = meeting.text(name)
        cells[name] = text.foia() if release else text.marked()
    return {column.header: cells.get(column.field, "") for column in COLUMNS}


def cells_hash(cells: Mapping[str, str]) -> str:
    """SHA-256 of one weekly-summary row (header → cell), whitespace folded.

    The Django side hashes a stored record's cells with this same function, so a row that a
    writer printed from a record is recognised when it is imported again.
    """
    folded = {header: " ".join(str(cells.get(header, "")).split()) for header in (c.header for c in COLUMNS)}
    return hashlib.sha256(json.dumps(folded, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def row_hash(meeting: Meeting) -> str:
    """:func:`cells_hash` of a meeting's :func:`canonical_cells` (the lossless form)."""
    return cells_hash(canonical_cells(meeting))

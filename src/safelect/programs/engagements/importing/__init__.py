"""Pure (Django-free) import engine for weekly summaries of engagements.

Pipeline, each step usable on its own::

    read_tables(data, filename) -> tuple[RawTable, ...]          # readers.py
    normalise_tables(tables)   -> tuple[TableReading, ...]       # normalise.py
    group_versions(readings)   -> tuple[Meeting, ...]            # grouping.py
    build_preview(filename, tables, known_versions) -> ImportPreview   # report.py

or in one call: ``preview_import(data, filename, known_versions=())`` /
``preview_path(path)``.  A bad file raises :class:`ImportRefused`; otherwise the preview
lists meetings (each with all source versions and flags), a per-row outcome
(create/merge/flag/reject/unchanged) and rejected rows, and serialises with ``to_json()``.
"""

from .columns import COLUMNS, FIELDS, HEADERS, OPTIONAL_COLUMNS, TEXT_FIELDS, TITLE, Column, field_for_header
from .grouping import Meeting, MeetingKey, group_versions
from .normalise import RejectedRow, SourceVersion, TableReading, normalise_table, normalise_tables
from .provenance import Flag, FlagKind, ImportRefused, RawRow, RawTable, SourcePosition
from .readers import MAX_CELL_CHARS, MAX_FILE_BYTES, check_size, read_path, read_tables
from .redaction import UNSPECIFIED, RedactedText, Segment, canonical_code, parse_redacted, redaction_problems
from .report import ImportPreview, RowOutcome, build_preview, canonical_cells, cells_hash, preview_import, preview_path, row_hash
from .states import StateMatch, StateRef, load_states, parse_region, resolve_state, state_by_abbr, states_in_region
from .when import MeetingWhen, Status, parse_when

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "check_size",
    "COLUMNS",
    "FIELDS",
    "HEADERS",
    "OPTIONAL_COLUMNS",
    "TEXT_FIELDS",
    "TITLE",
    "UNSPECIFIED",
    "Column",
    "Flag",
    "FlagKind",
    "ImportPreview",
    "ImportRefused",
    "Meeting",
    "MeetingKey",
    "MeetingWhen",
    "RawRow",
    "RawTable",
    "RedactedText",
    "RejectedRow",
    "RowOutcome",
    "Segment",
    "SourcePosition",
    "SourceVersion",
    "StateMatch",
    "StateRef",
    "Status",
    "TableReading",
    "build_preview",
    "canonical_cells",
    "canonical_code",
    "cells_hash",
    "row_hash",
    "field_for_header",
    "group_versions",
    "load_states",
    "normalise_table",
    "normalise_tables",
    "parse_redacted",
    "parse_region",
    "parse_when",
    "preview_import",
    "preview_path",
    "read_path",
    "read_tables",
    "redaction_problems",
    "resolve_state",
    "state_by_abbr",
    "states_in_region",
]

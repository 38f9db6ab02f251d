"""The 13 columns of the "Weekly Summary for Meetings with Elections Infrastructure Officials".

The requirement: "the same 13 columns in any order; header names vary slightly between versions".
The released record (``000_61a82f5df613671c.txt``) shows these spellings of one header:
"DHS POC"/"DHS FOC", "Key Attendees & Affiliation other than POC"/"... Affiliations ..."/
"... (other than FOC)", "For NPPD Leadership Awareness"/"For NFPD ...", and
"Next Scheduled Engagement"/"Next Scheduled Meeting".  :func:`field_for_header` folds case,
punctuation and those OCR misreadings onto one canonical field.

:data:`COLUMNS` is the canonical order a writer should use; :data:`TITLE` is the title line
printed above every table.  :data:`OPTIONAL_COLUMNS` are recognised if present (an export of
records that carry a local jurisdiction) but never required.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

TITLE = "Weekly Summary for Meetings with Elections Infrastructure Officials"


@dataclass(frozen=True)
class Column:
    """A canonical column: its field name (used in code and JSON) and its printed header."""

    field: str
    header: str
    free_text: bool = True


COLUMNS: tuple[Column, ...] = (
    Column("region", "Region", free_text=False),
    Column("state", "State", free_text=False),
    Column("location", "Meeting Location"),
    Column("date", "Meeting Date", free_text=False),
    Column("poc", "DHS POC"),
    Column("attendees", "Key Attendees & Affiliation other than POC"),
    Column("discussion", "Key Discussion Points"),
    Column("issues", "Issues or Concerns"),
    Column("follow_up", "Follow-up Required"),
    Column("leadership_awareness", "For NPPD Leadership Awareness"),
    Column("leadership_action", "Leadership Action"),
    Column("next_engagement", "Next Scheduled Engagement"),
    Column("notes", "Notes / Comments"),
)
OPTIONAL_COLUMNS: tuple[Column, ...] = (Column("jurisdiction", "Local Jurisdiction"),)

FIELDS: tuple[str, ...] = tuple(column.field for column in COLUMNS)
REQUIRED_FIELDS: frozenset[str] = frozenset(FIELDS)
#: Free-text fields: each becomes a :class:`~.redaction.RedactedText`.
TEXT_FIELDS: tuple[str, ...] = tuple(column.field for column in COLUMNS + OPTIONAL_COLUMNS if column.free_text)
HEADERS: dict[str, str] = {column.field: column.header for column in COLUMNS + OPTIONAL_COLUMNS}

# OCR misreadings and wording variants seen in the released record, folded word by word.
_WORD_FOLDS = {
    "foc": "poc",
    "fpoc": "poc",
    "nfpd": "nppd",
    "affiliations": "affiliation",
    "meeting": "engagement",  # "Next Scheduled Meeting" ~ "Next Scheduled Engagement"
    "engagements": "engagement",
    "comment": "comments",
    "followup": "follow up",
}


def _fold(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.casefold().replace("&", " and ")).split()
    return " ".join(_WORD_FOLDS.get(word, word) for word in words)


_ALIASES: dict[str, str] = {}
for _column in COLUMNS + OPTIONAL_COLUMNS:
    _ALIASES[_fold(_column.header)] = _column.field
    _ALIASES[_fold(_column.field)] = _column.field
for _alias, _field in {
    "meeting location": "location",  # folds to "engagement location"
    "location": "location",
    "meeting date": "date",
    "date": "date",
    "state territory": "state",
    "state or territory": "state",
    "poc": "poc",
    "dhs pocs": "poc",
    "key attendees and affiliation": "attendees",
    "key attendees": "attendees",
    "key attendees and affiliation other than poc": "attendees",
    "for leadership awareness": "leadership_awareness",
    "for cisa leadership awareness": "leadership_awareness",
    "leadership awareness": "leadership_awareness",
    "next scheduled engagement": "next_engagement",
    "notes": "notes",
    "comments": "notes",
    "notes comments": "notes",
    "jurisdiction": "jurisdiction",
}.items():
    _ALIASES[_fold(_alias)] = _field


def field_for_header(text: str) -> str | None:
    """The canonical field a header cell names, or ``None`` if it names none.

    >>> field_for_header("DHS FOC"), field_for_header("For NFPD Leadership Awareness")
    ('poc', 'leadership_awareness')
    >>> field_for_header("Key Attendees & Affiliation (other than FOC)")
    'attendees'
    """
    return _ALIASES.get(_fold(text))


@dataclass(frozen=True)
class HeaderMatch:
    """How a header row maps onto the canonical columns."""

    columns: dict[str, int]
    missing: tuple[str, ...]
    duplicated: tuple[str, ...]
    unknown: tuple[str, ...]


def match_header(cells: Sequence[str]) -> HeaderMatch:
    """Map header cells to canonical fields; report missing, duplicated and unknown headers.

    Empty header cells are ignored (the record's Region 5 table has three trailing empty
    header cells).  The first occurrence of a duplicated field wins; the duplication is
    reported so the caller can refuse the table.
    """
    columns: dict[str, int] = {}
    duplicated: list[str] = []
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        field = field_for_header(cell)
        if field is None:
            unknown.append(cell.strip())
        elif field in columns:
            duplicated.append(cell.strip())
        else:
            columns[field] = index
    missing = tuple(f for f in FIELDS if f not in columns)
    return HeaderMatch(columns, missing, tuple(duplicated), tuple(unknown))


def looks_like_header(cells: Sequence[str]) -> bool:
    """True if a row is a header row: it names Region and State and most other columns.

    A header missing a few columns still counts, so that :mod:`.readers` can refuse it
    with a message naming the missing columns instead of reading it as data.
    """
    match = match_header(cells)
    return "region" in match.columns and "state" in match.columns and len(match.columns) >= 4


def looks_like_title(cells: Sequence[str]) -> bool:
    """True if a row is the weekly-summary title line (alone in its row)."""
    filled = [cell for cell in cells if cell.strip()]
    return len(filled) == 1 and _fold(filled[0]).startswith(_fold("Weekly Summary for Meetings"))

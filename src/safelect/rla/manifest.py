"""Ballot manifests (Arlo-compatible CSV) and the ballot ids the consistent sampler hashes.

A manifest lists batches of paper ballots and how many ballots each holds; sampling from it
follows Rivest, "Consistent Sampling with Replacement" (2018) as Arlo (VotingWorks) applies it:
ballot ``k`` of a batch has id ``(batch_key, k)``, ``k = 1..Number of Ballots``, with
``batch_key = (jurisdiction, tabulator or None, batch name)`` or, for a single jurisdiction
without tabulators, the plain batch name. See docs/rla.md for the exact format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

__all__ = ["ManifestBatch", "ManifestError", "IdFormat", "batch_key", "read_manifest", "keyed"]

IdFormat = Literal["auto", "arlo", "batch"]

_BATCH = "batch name"
_COUNT = "number of ballots"
_TAB = "tabulator"
_JUR = "jurisdiction"
_CONTAINER = "container"


class ManifestError(ValueError):
    """The manifest cannot be read; the message names the line and column."""


@dataclass(frozen=True, slots=True)
class ManifestBatch:
    """One manifest row."""

    name: str
    ballots: int
    tabulator: str | None = None
    jurisdiction: str | None = None
    container: str | None = None


def _parse_count(text: str, line: int) -> int:
    t = text.strip().replace(",", "").replace("_", "")
    if not t.isdigit():
        raise ManifestError(f"manifest line {line}: 'Number of Ballots' is not a whole number: {text!r}")
    return int(t)


def _rows(fh: TextIO, source: str) -> Iterator[ManifestBatch]:
    reader = csv.reader(fh)
    try:
        header = next(reader)
    except StopIteration:
        raise ManifestError(f"{source}: empty manifest") from None
    except csv.Error as e:
        raise ManifestError(f"{source}: not a CSV file: {e}") from None
    cols = {h.strip().lstrip("\ufeff").lower(): i for i, h in enumerate(header)}
    for need, label in ((_BATCH, "Batch Name"), (_COUNT, "Number of Ballots")):
        if need not in cols:
            raise ManifestError(f"{source}: missing column {label!r} (have: {', '.join(header)})")
    ib, ic = cols[_BATCH], cols[_COUNT]
    it, ij, ik = cols.get(_TAB), cols.get(_JUR), cols.get(_CONTAINER)
    width = len(header)
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            name = row[ib].strip()
            if not name:
                raise ManifestError(f"{source} line {line}: empty 'Batch Name'")
            tab = row[it].strip() or None if it is not None else None
            jur = row[ij].strip() or None if ij is not None else None
            con = row[ik].strip() or None if ik is not None else None
            yield ManifestBatch(name, _parse_count(row[ic], line), tab, jur, con)
    except csv.Error as e:
        raise ManifestError(f"{source} line {reader.line_num}: bad CSV: {e}") from None


def read_manifest(source: str | Path | TextIO) -> list[ManifestBatch]:
    """Read an Arlo-style manifest CSV: ``Batch Name``, ``Number of Ballots`` (required),
    ``Tabulator``, ``Container``, ``Jurisdiction`` (optional); headers are case-insensitive."""
    if isinstance(source, (str, Path)):
        try:
            with open(source, encoding="utf-8-sig", newline="") as fh:
                return list(_rows(fh, str(source)))
        except OSError as e:
            raise ManifestError(f"cannot read manifest {source}: {e.strerror}") from None
        except UnicodeDecodeError:
            raise ManifestError(f"manifest {source} is not UTF-8 text") from None
    return list(_rows(source, getattr(source, "name", "manifest")))


def read_manifest_text(text: str) -> list[ManifestBatch]:
    """Parse manifest CSV given as text."""
    return list(_rows(io.StringIO(text), "manifest"))


def batch_key(b: ManifestBatch, fmt: Literal["arlo", "batch"], jurisdiction: str | None = None) -> Any:
    """The batch part of the ballot id for the chosen id format."""
    if fmt == "batch":
        return b.name
    return (b.jurisdiction if b.jurisdiction is not None else jurisdiction, b.tabulator, b.name)


def keyed(
    batches: list[ManifestBatch], fmt: IdFormat = "auto", jurisdiction: str | None = None
) -> tuple[Literal["arlo", "batch"], list[tuple[Any, int]]]:
    """Batch keys and sizes for sampling. ``auto`` uses the Arlo form
    ``((jurisdiction, tabulator, batch), position)`` when the manifest has a Jurisdiction
    column or a jurisdiction name is given, else ``(batch, position)``."""
    if fmt == "auto":
        has_j = jurisdiction is not None or any(b.jurisdiction is not None for b in batches)
        fmt = "arlo" if has_j else "batch"
    if fmt == "arlo" and jurisdiction is None and any(b.jurisdiction is None for b in batches):
        raise ManifestError("some manifest rows have no Jurisdiction; give --jurisdiction NAME")
    out = [(batch_key(b, fmt, jurisdiction), b.ballots) for b in batches]
    seen: set[Any] = set()
    for k, _ in out:
        if k in seen:
            hint = " (batch names repeat across tabulators: use --id-format arlo)" if fmt == "batch" else ""
            raise ManifestError(f"duplicate batch in manifest: {k!r}{hint}")
        seen.add(k)
    return fmt, out

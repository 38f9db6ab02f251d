"""Cast vote records from the formats States export, tallied: Dominion (CVR export CSV), ES&S
(CVR CSV), Hart (zip of XML), Clear Ballot (ClearVote CSV) and NIST SP 1500-103 JSON.

``tally(path, format="auto")`` returns a :class:`~.common.CvrTally` (cards; per contest its name,
vote limit, votes per choice and cards containing it) or raises :class:`~.common.CvrError` naming
the row and the reason. Pure: no Django, no database (the ``safelect.rla`` contract).
"""

from __future__ import annotations

import csv
import gc
import io
import os
import zipfile
from pathlib import Path

from . import clearballot, dominion, ess, hart, nist
from .common import MAX_BYTES, ContestTally, CvrError, CvrTally

FORMATS = ("dominion", "ess", "hart", "clearballot", "nist")
__all__ = ["FORMATS", "ContestTally", "CvrError", "CvrTally", "detect", "tally"]


def detect(path: Path | str) -> str:
    """The format of a CVR file, from its content (not its name)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        return "hart"
    with path.open("rb") as handle:
        head = handle.read(65536)
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("{"):
        return "nist"
    rows = []
    try:
        rows = list(csv.reader(io.StringIO(text)))[:4]
    except csv.Error:
        pass
    for module, label in ((dominion, "dominion"), (ess, "ess"), (clearballot, "clearballot")):
        if module.looks_like(rows):
            return label
    raise CvrError(f"{path.name}: not a CVR format safelect reads ({', '.join(FORMATS)}); name the format if it is one of them")


def tally(path: Path | str, format: str = "auto") -> CvrTally:
    """The file's tally. The cyclic garbage collector is paused while a file is read: a CVR makes
    millions of short-lived strings and tuples and no cycles, and each collection would walk them."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return _tally(Path(path), format)
    finally:
        if paused:
            gc.enable()


def _tally(path: Path, format: str) -> CvrTally:
    name = path.name
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise CvrError(f"{name}: cannot be read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise CvrError(f"{name}: {size:,} bytes, more than {MAX_BYTES:,}")
    if size == 0:
        raise CvrError(f"{name}: the file is empty")
    chosen = detect(path) if format == "auto" else format
    if chosen not in FORMATS:
        raise CvrError(f"unknown CVR format {format!r}; choose from auto, {', '.join(FORMATS)}")
    if chosen == "hart":
        return hart.parse(path, name)
    if chosen == "nist":
        return nist.parse(path, name)
    module = {"dominion": dominion, "ess": ess, "clearballot": clearballot}[chosen]
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return module.parse(handle, name)
    except UnicodeDecodeError as exc:
        raise CvrError(f"{name}: not UTF-8 text (byte {exc.start}); export the CVR as UTF-8 CSV") from None

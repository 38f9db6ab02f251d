"""Audited-sample CSV files for the ``risk`` command (formats in docs/rla.md).

Readers only; the statistics are in ``bravo`` (Lindeman, Stark & Yates 2012), ``comparison``
(Stark 2010; Lindeman & Stark 2012), ``alpha`` (Stark 2020, 2023) and ``macro`` (Stark 2008).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .contest import Contest

__all__ = ["SampleError", "ComparisonRow", "read_polling", "read_comparison", "read_batches"]

_TRUE = {"1", "x", "yes", "y", "true", "t"}
_FALSE = {"", "0", "no", "n", "false", "f"}
_DISC = {"o1": 1, "o2": 2, "u1": -1, "u2": -2, "0": 0, "none": 0, "1": 1, "2": 2, "-1": -1, "-2": -2, "+1": 1, "+2": 2}


class SampleError(ValueError):
    """The sample file cannot be read; the message names the line and column."""


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One sampled ballot: CVR marks (None: phantom), audited marks (None: not found), or a
    precomputed overstatement in votes."""

    cvr: frozenset[str] | None
    audit: frozenset[str] | None
    discrepancy: int | None = None


def _open(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise SampleError(f"{path}: empty sample file") from None
            rows = []
            for row in reader:
                if not row or all(not c.strip() for c in row):
                    continue
                row = row + [""] * (len(header) - len(row))
                rows.append((reader.line_num, {h.lower(): v.strip() for h, v in zip(header, row, strict=False)}))
            return header, rows
    except OSError as e:
        raise SampleError(f"cannot read sample {path}: {e.strerror}") from None
    except UnicodeDecodeError:
        raise SampleError(f"sample {path} is not UTF-8 text") from None
    except csv.Error as e:
        raise SampleError(f"{path}: bad CSV: {e}") from None


def _flag(v: str, line: int, col: str) -> bool:
    t = v.lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise SampleError(f"sample line {line}: column {col!r} must be 1/0 or yes/no, got {v!r}")


def _count(v: str, line: int, col: str) -> int:
    t = v.replace(",", "")
    if t == "":
        return 0
    if not t.isdigit():
        raise SampleError(f"sample line {line}: column {col!r} must be a whole number, got {v!r}")
    return int(t)


def _require(header: list[str], cols: list[str], path: str | Path) -> None:
    have = {h.lower() for h in header}
    missing = [c for c in cols if c.lower() not in have]
    if missing:
        raise SampleError(f"{path}: missing column {missing[0]!r}")


def read_polling(path: str | Path, contest: Contest) -> list[frozenset[str] | None]:
    """Polling sample: one row per draw, a 0/1 column per choice, optional ``Not Found``."""
    header, rows = _open(path)
    _require(header, list(contest.choices), path)
    out: list[frozenset[str] | None] = []
    for line, r in rows:
        if _flag(r.get("not found", ""), line, "Not Found"):
            out.append(None)
            continue
        out.append(frozenset(c for c in contest.choices if _flag(r[c.lower()], line, c)))
    return out


def read_comparison(path: str | Path, contest: Contest) -> list[ComparisonRow]:
    """Comparison sample: either a ``Discrepancy`` column (o1/o2/u1/u2/0 or -2..2), or
    ``CVR: <choice>`` and ``Audit: <choice>`` 0/1 columns; optional ``Not Found`` and
    ``Phantom`` (no CVR) columns."""
    header, rows = _open(path)
    low = {h.lower() for h in header}
    out: list[ComparisonRow] = []
    if "discrepancy" in low:
        for line, r in rows:
            if _flag(r.get("not found", ""), line, "Not Found"):
                out.append(ComparisonRow(None, None, 2))
                continue
            d = r["discrepancy"].lower()
            if d not in _DISC:
                raise SampleError(f"sample line {line}: unknown discrepancy {r['discrepancy']!r} (use o1, o2, u1, u2, 0)")
            out.append(ComparisonRow(None, None, _DISC[d]))
        return out
    _require(header, [f"CVR: {c}" for c in contest.choices] + [f"Audit: {c}" for c in contest.choices], path)
    for line, r in rows:
        phantom = _flag(r.get("phantom", ""), line, "Phantom")
        found = not _flag(r.get("not found", ""), line, "Not Found")
        cvr = None if phantom else frozenset(c for c in contest.choices if _flag(r[f"cvr: {c}".lower()], line, f"CVR: {c}"))
        aud = frozenset(c for c in contest.choices if _flag(r[f"audit: {c}".lower()], line, f"Audit: {c}")) if found else None
        out.append(ComparisonRow(cvr, aud))
    return out


def read_batches(path: str | Path, contest: Contest) -> list[tuple[str, dict[str, int] | None]]:
    """MACRO sample: one row per PPEB draw: ``Batch Name``, ``Audit: <choice>`` counts,
    optional ``Not Found``."""
    header, rows = _open(path)
    _require(header, ["Batch Name"] + [f"Audit: {c}" for c in contest.choices], path)
    out: list[tuple[str, dict[str, int] | None]] = []
    for line, r in rows:
        name = r["batch name"]
        if _flag(r.get("not found", ""), line, "Not Found"):
            out.append((name, None))
            continue
        out.append((name, {c: _count(r[f"audit: {c}".lower()], line, f"Audit: {c}") for c in contest.choices}))
    return out

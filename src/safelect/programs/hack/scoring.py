"""Weakness and severity of a reported vulnerability: CWE identifiers from MITRE's catalog (the
``cwe2`` package ships it) and CVSS 4.0 vectors validated and scored by the ``cvss`` library (the
FIRST specification's reference calculation). Nothing here invents a score."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from cvss import CVSS4
from cvss.exceptions import CVSSError

CWE_PATTERN = re.compile(r"^\s*(?:CWE-)?(\d{1,7})\s*$", re.IGNORECASE)


class Refused(ValueError):
    """The vector or identifier is not valid; the message says why."""


@dataclass(frozen=True)
class Score:
    vector: str  # the library's normalised vector
    score: float
    severity: str  # critical | high | medium | low | none


@cache
def _catalog():
    from cwe2.database import Database

    return Database()


def weakness(value: str) -> tuple[int, str]:
    """(CWE number, name) of ``value`` ("CWE-79" or "79"); :class:`Refused` when not in the catalog."""
    found = CWE_PATTERN.match(str(value or ""))
    if not found:
        raise Refused("Give a CWE identifier such as CWE-79.")
    number = int(found.group(1))
    try:
        entry = _catalog().get(number)
    except Exception:  # cwe2 raises its own InvalidCWEError for numbers it does not know
        raise Refused(f"CWE-{number} is not in MITRE's CWE catalog.") from None
    return number, str(entry.name)


def score(vector: str) -> Score:
    """The CVSS 4.0 base score of ``vector``; :class:`Refused` with the library's reason otherwise."""
    vector = (vector or "").strip()
    if not vector.startswith("CVSS:4.0/"):
        raise Refused(
            "Give a CVSS 4.0 vector, starting CVSS:4.0/ (for example CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N)."
        )
    try:
        parsed = CVSS4(vector)
    except CVSSError as exc:
        raise Refused(f"The CVSS 4.0 vector is not valid: {exc}.") from None
    return Score(parsed.clean_vector(), float(parsed.base_score), str(parsed.severity).lower())

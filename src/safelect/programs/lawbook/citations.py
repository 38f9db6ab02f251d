"""Citations of the bills, as safelect writes them, resolved to provisions of the lawbook.

``S.2261 §4(c)(1)`` is a provision's own citation. ``H.R. 5011 §101 (HAVA §297C(2))`` names the
amending section and the section it inserts into another Act: it resolves to the inserted
provision ``H.R. 5011 §297C(2)`` (the lawbook keeps the inserted sections as provisions of their
own), or, when the amendment adds only a paragraph to an existing section of that Act
(``H.R. 5011 §202 (Homeland Security Act §201(d)(27))``), to the amending section itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

CITATION = re.compile(
    r"(?P<bill>S\.\s?2261|H\.\s?R\.\s?5011)\s+§\s?(?P<section>\d+[A-Z]?)(?P<path>(?:\([A-Za-z0-9]{1,5}\))*)"
    r"(?:\s+\((?P<act>HAVA|Homeland Security Act)\s+§(?P<inserted>\d+[A-Z]?)(?P<inserted_path>(?:\([A-Za-z0-9]{1,5}\))*)\))?"
)
BILLS = {"S.2261": "S.2261", "S. 2261": "S.2261", "H.R.5011": "H.R. 5011", "H.R. 5011": "H.R. 5011", "H. R. 5011": "H.R. 5011"}


def _path(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\(([A-Za-z0-9]{1,5})\)", text or ""))


def candidates(match: re.Match) -> list[tuple[str, str, tuple[str, ...], str]]:
    """(bill, section, path, amends) to look up, most specific first."""
    bill = BILLS[re.sub(r"\s+", " ", match.group("bill")).replace("H. R.", "H.R.").replace("S. 2261", "S.2261")]
    section, path = match.group("section"), _path(match.group("path"))
    found = []
    if match.group("inserted"):
        found.append((bill, match.group("inserted"), _path(match.group("inserted_path")), f"{bill} §{section}"))
    found.append((bill, section, path, ""))
    return found


def find_all(text: str) -> Iterable[re.Match]:
    return CITATION.finditer(text)


class Index:
    """Provisions by (bill, section, path, amends). A citation of a provision that does not exist
    resolves to nothing: the tests treat that as an error in the citing code or docstring."""

    def __init__(self, provisions: Iterable[dict]):
        self.by_key: dict[tuple, dict] = {}
        for p in provisions:
            key = (p["bill"], p["section"], tuple(p["path"]))
            self.by_key[(*key, p["amends"])] = p
            if not p["amends"] or (*key, "*") not in self.by_key:
                self.by_key[(*key, "*")] = p  # the bill's own section wins over an inserted one of the same number

    def resolve(self, citation: str) -> dict | None:
        match = CITATION.search(citation)
        if match is None:
            return None
        for bill, section, path, amends in candidates(match):
            # "H.R. 5011 §297(b)" written without the amending section is the inserted section too
            found = self.by_key.get((bill, section, path, amends)) if amends else self.by_key.get((bill, section, path, "*"))
            if found is not None:
                return found
        return None

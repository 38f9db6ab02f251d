"""The membership rules of the two bodies, as checks that name each violation and its section.

Pure: members in (anything with ``appointed_by``, ``office``, ``fields``, ``federal_employee``,
``appointed_on`` and ``left_on``), violations out. A body with violations can still be recorded
(appointments arrive one by one); its page shows what the statute still needs.

* Advisory Panel, S.2261 §5(a)(2)–(3): at least 9 members; 5 appointed by the Secretary, one of them
  the Chairperson; one each by NASS, NASED, NACo and NLC; no officer or employee of the United
  States; the Secretary's appointees expert in cybersecurity, the others in cybersecurity, election
  law or election administration. "Not less than 9" with 5 + 4 named seats: the statute names only
  nine seats, so a tenth member can only come from the Secretary — more than 5 Secretary appointees
  is allowed (decision recorded here), fewer than one per named association is not.
* National Commission, H.R. 5011 §302(c)(1), (d): exactly 10 members — 1 by the Secretary, 1 by the
  Chairman, 2 each by the majority and minority leaders of the Senate, the Speaker and the minority
  leader of the House; a Chair and a Vice Chair elected from among its members (§302(d)).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

PANEL_SEATS = {"secretary": 5, "nass": 1, "nased": 1, "naco": 1, "nlc": 1}
PANEL_MINIMUM = 9
PANEL_EXPERTISE = {"cybersecurity", "election law", "election administration"}
COMMISSION_SEATS = {"secretary": 1, "chairman": 1, "senate_majority": 2, "senate_minority": 2, "speaker": 2, "house_minority": 2}
COMMISSION_SIZE = 10
APPOINTER_WORDS = {
    "secretary": "the Secretary",
    "nass": "the National Association of Secretaries of State",
    "nased": "the National Association of State Election Directors",
    "naco": "the National Association of Counties",
    "nlc": "the National League of Cities",
    "chairman": "the Chairman",
    "senate_majority": "the majority leader of the Senate",
    "senate_minority": "the minority leader of the Senate",
    "speaker": "the Speaker of the House",
    "house_minority": "the minority leader of the House",
}
_PANEL_CITES = {"secretary": "(A)", "nass": "(B)", "nased": "(C)", "naco": "(D)", "nlc": "(E)"}
_COMMISSION_CITES = {
    "secretary": "(A)",
    "chairman": "(B)",
    "senate_majority": "(C)",
    "senate_minority": "(D)",
    "speaker": "(E)",
    "house_minority": "(F)",
}


def serving(members: Iterable, on: dt.date | None = None) -> list:
    """The members in office on ``on`` (default: today): appointed, not yet left."""
    on = on or dt.date.today()
    return [m for m in members if m.appointed_on <= on and (m.left_on is None or m.left_on > on)]


def panel_violations(members: Iterable) -> list[str]:
    """What the serving Advisory Panel lacks or breaks (empty when it satisfies S.2261 §5(a))."""
    members = list(members)
    found: list[str] = []
    if len(members) < PANEL_MINIMUM:
        found.append(f"S.2261 §5(a)(2): the Advisory Panel has {len(members)} member(s); it needs at least {PANEL_MINIMUM}.")
    seats = Counter(m.appointed_by for m in members)
    for appointer, wanted in PANEL_SEATS.items():
        have = seats.get(appointer, 0)
        if have < wanted or have > wanted and appointer != "secretary":
            found.append(f"S.2261 §5(a)(2){_PANEL_CITES[appointer]}: {APPOINTER_WORDS[appointer]} appoints {wanted}; {have} serving.")
    for m in members:
        if m.appointed_by not in PANEL_SEATS:
            found.append(
                f"S.2261 §5(a)(2): {m.name} was appointed by {APPOINTER_WORDS.get(m.appointed_by, m.appointed_by)}, who appoints no panel member."
            )
    chairs = [m for m in members if m.office == "chair"]
    if len(chairs) != 1:
        found.append(f"S.2261 §5(a)(2)(A): one Chairperson, designated among the Secretary's appointees; {len(chairs)} designated.")
    for m in chairs:
        if m.appointed_by != "secretary":
            found.append(f"S.2261 §5(a)(2)(A): the Chairperson {m.name} must be one of the Secretary's appointees.")
    for m in members:
        if m.federal_employee:
            found.append(f"S.2261 §5(a)(3)(A): {m.name} is an officer or employee of the United States and may not serve.")
        if m.appointed_by == "secretary" and "cybersecurity" not in m.fields:
            found.append(f"S.2261 §5(a)(3)(B): {m.name}, appointed by the Secretary, must have expertise in cybersecurity.")
        elif m.appointed_by in PANEL_SEATS and m.appointed_by != "secretary" and not (m.fields & PANEL_EXPERTISE):
            found.append(f"S.2261 §5(a)(3)(C): {m.name} must have expertise in cybersecurity, election law or election administration.")
    return found


def commission_violations(members: Iterable) -> list[str]:
    """What the serving Commission lacks or breaks (empty when it satisfies H.R. 5011 §302(c)(1), (d))."""
    members = list(members)
    found: list[str] = []
    if len(members) != COMMISSION_SIZE:
        found.append(f"H.R. 5011 §302(c)(1): the Commission has {len(members)} member(s); it is composed of {COMMISSION_SIZE}.")
    seats = Counter(m.appointed_by for m in members)
    for appointer, wanted in COMMISSION_SEATS.items():
        have = seats.get(appointer, 0)
        if have != wanted:
            found.append(
                f"H.R. 5011 §302(c)(1){_COMMISSION_CITES[appointer]}: {APPOINTER_WORDS[appointer]} appoints {wanted}; {have} serving."
            )
    for m in members:
        if m.appointed_by not in COMMISSION_SEATS:
            found.append(
                f"H.R. 5011 §302(c)(1): {m.name} was appointed by {APPOINTER_WORDS.get(m.appointed_by, m.appointed_by)}, who appoints no Commission member."
            )
    for office, words in (("chair", "a Chair"), ("vice_chair", "a Vice Chair")):
        holders = [m for m in members if m.office == office]
        if len(holders) != 1:
            found.append(f"H.R. 5011 §302(d): the Commission elects {words} from among its members; {len(holders)} recorded.")
    return found


def violations(kind: str, members: Iterable) -> list[str]:
    return panel_violations(members) if kind == "panel" else commission_violations(members)

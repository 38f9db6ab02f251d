"""Contests: reported results, winners, diluted margins, and the escalation rule.

Definitions follow Lindeman & Stark, "A Gentle Introduction to Risk-Limiting Audits" (IEEE
Security & Privacy, 2012) and Lindeman, Stark & Yates, "BRAVO: Ballot-polling Risk-limiting
Audits to Verify Outcomes" (EVT/WOTE 2012): the diluted margin of a winner-loser pair is
``(V_w - V_l) / ballots_cast``; a sample size that reaches the number of ballots is a full hand
count. The JSON format is documented in docs/rla.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Batch", "Contest", "ContestError", "SampleSize", "escalate", "load_contest", "parse_contest"]


class ContestError(ValueError):
    """The contest description is invalid; the message says which field."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Reported results of one batch (for batch-level comparison audits)."""

    name: str
    ballots: int
    votes: dict[str, int]


@dataclass(frozen=True)
class Contest:
    """Reported results of one contest."""

    name: str
    choices: dict[str, int]
    ballots_cast: int
    winners: tuple[str, ...]
    votes_allowed: int = 1
    batches: tuple[Batch, ...] = field(default=())

    @property
    def losers(self) -> tuple[str, ...]:
        return tuple(c for c in self.choices if c not in self.winners)

    def pairs(self) -> list[tuple[str, str]]:
        """All reported winner-loser pairs."""
        return [(w, l) for w in self.winners for l in self.losers]

    def diluted_margin(self, w: str, l: str) -> float:
        return (self.choices[w] - self.choices[l]) / self.ballots_cast

    def min_diluted_margin(self) -> float:
        """Smallest diluted margin over winner-loser pairs (1.0 when there is no loser)."""
        if not self.pairs():
            return 1.0
        return min(self.diluted_margin(w, l) for w, l in self.pairs())

    def closest_pair(self) -> tuple[str, str]:
        return min(self.pairs(), key=lambda p: self.choices[p[0]] - self.choices[p[1]])


@dataclass(frozen=True, slots=True)
class SampleSize:
    """A sample size, or the verdict that only a full hand count will do."""

    size: int | None
    ballots: int

    @property
    def full_hand_count(self) -> bool:
        return self.size is None

    def __str__(self) -> str:
        return "full hand count" if self.size is None else str(self.size)

    def as_json(self) -> dict[str, Any]:
        return {"sample_size": self.size, "full_hand_count": self.full_hand_count, "text": str(self)}


def escalate(n: float, ballots: int) -> SampleSize:
    """Turn a computed size into a ``SampleSize``: reaching the ballot count (or an infinite /
    undefined size) means a full hand count."""
    if n is None or math.isnan(n) or math.isinf(n) or n >= ballots:
        return SampleSize(None, ballots)
    return SampleSize(max(0, int(math.ceil(n))), ballots)


def _int(v: Any, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v) or v < 0:
        raise ContestError(f"{what} must be a whole number >= 0, got {v!r}")
    return int(v)


def parse_contest(data: Any) -> Contest:
    """Build a ``Contest`` from decoded JSON (see docs/rla.md)."""
    if not isinstance(data, dict):
        raise ContestError("contest JSON must be an object")
    if "contests" in data and isinstance(data["contests"], list):
        if len(data["contests"]) != 1:
            raise ContestError("give exactly one contest")
        data = data["contests"][0]
    raw = data.get("choices")
    choices: dict[str, int] = {}
    if isinstance(raw, dict):
        for k, v in raw.items():
            choices[str(k)] = _int(v, f"votes for {k!r}")
    elif isinstance(raw, list):
        for i, c in enumerate(raw):
            if not isinstance(c, dict) or "name" not in c:
                raise ContestError(f"choices[{i}] must be an object with 'name' and 'votes'")
            v = c.get("votes", c.get("num_votes"))
            choices[str(c["name"])] = _int(v, f"votes for {c['name']!r}")
    else:
        raise ContestError("missing 'choices' (object name -> reported votes, or list)")
    if len(choices) < 2:
        raise ContestError("a contest needs at least two choices")
    bc = data.get("ballots_cast", data.get("total_ballots_cast"))
    if bc is None:
        raise ContestError("missing 'ballots_cast'")
    ballots = _int(bc, "ballots_cast")
    va = _int(data.get("votes_allowed", 1), "votes_allowed")
    if va < 1:
        raise ContestError("votes_allowed must be >= 1")
    if sum(choices.values()) > ballots * va:
        raise ContestError("more votes than ballots_cast * votes_allowed")
    if ballots <= 0:
        raise ContestError("ballots_cast must be positive")
    if "winners" in data:
        w = data["winners"]
        if not isinstance(w, list) or not w:
            raise ContestError("'winners' must be a non-empty list of choice names")
        winners = tuple(str(x) for x in w)
        for x in winners:
            if x not in choices:
                raise ContestError(f"winner {x!r} is not a choice")
    else:
        nw = _int(data.get("num_winners", 1), "num_winners")
        if not 1 <= nw < len(choices):
            raise ContestError("num_winners must be between 1 and the number of choices - 1")
        ranked = sorted(choices, key=lambda c: -choices[c])
        winners = tuple(ranked[:nw])
    for w_ in winners:
        for l_ in choices:
            if l_ not in winners and choices[l_] > choices[w_]:
                raise ContestError(f"reported loser {l_!r} has more votes than winner {w_!r}")
    batches: list[Batch] = []
    for i, b in enumerate(data.get("batches", []) or []):
        if not isinstance(b, dict) or "name" not in b or "votes" not in b:
            raise ContestError(f"batches[{i}] needs 'name', 'ballots' and 'votes'")
        votes = {str(k): _int(v, f"batches[{i}] votes") for k, v in b["votes"].items()}
        for k in votes:
            if k not in choices:
                raise ContestError(f"batches[{i}]: unknown choice {k!r}")
        batches.append(Batch(str(b["name"]), _int(b.get("ballots", 0), f"batches[{i}].ballots"), votes))
    return Contest(str(data.get("name", "contest")), choices, ballots, winners, va, tuple(batches))


def load_contest(path: str | Path) -> Contest:
    """Read a contest JSON file."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as e:
        raise ContestError(f"cannot read contest {path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ContestError(f"contest {path} is not valid JSON: {e.msg} (line {e.lineno})") from None
    return parse_contest(data)

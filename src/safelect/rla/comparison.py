"""Ballot-level comparison audits: super-simple sample sizes and Kaplan-Markov P-values.

Implements P. B. Stark, "Super-Simple Simultaneous Single-Ballot Risk-Limiting Audits"
(EVT/WOTE 2010) and Lindeman & Stark, "A Gentle Introduction to Risk-Limiting Audits" (IEEE
Security & Privacy, 2012), with the error inflation factor ``gamma = 1.03905``:

* ``nmin = max(o1+o2+u1+u2, ceil(-2 gamma (ln alpha + o1 ln(1 - 1/(2 gamma))
  + o2 ln(1 - 1/gamma) + u1 ln(1 + 1/(2 gamma)) + u2 ln(1 + 1/gamma)) / m))``;
* the Kaplan-Markov P-value after n ballots: ``prod_i (1 - 1/U) / (1 - e_i/(2 gamma))`` with
  ``U = 2 gamma / m`` and ``e_i`` the overstatement of ballot i in votes.

Discrepancies are classified per ballot from its cast vote record (CVR) and the audit board's
reading as the largest overstatement over reported winner-loser pairs; a ballot that cannot
be found is a two-vote overstatement.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .contest import Contest, SampleSize, escalate

__all__ = [
    "GAMMA",
    "Discrepancies",
    "classify",
    "count_discrepancies",
    "km_p_value",
    "km_p_value_counts",
    "nmin",
    "overstatement",
    "supersimple_sample_size",
]

GAMMA = 1.03905


@dataclass(frozen=True, slots=True)
class Discrepancies:
    o1: int = 0
    o2: int = 0
    u1: int = 0
    u2: int = 0


def _check(alpha: float, margin: float, gamma: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError("risk limit must be strictly between 0 and 1")
    if not 0 < margin <= 1:
        raise ValueError("diluted margin must be in (0, 1]")
    if gamma <= 1:
        raise ValueError("gamma must exceed 1")


def nmin(alpha: float, margin: float, o1: int = 0, o2: int = 0, u1: int = 0, u2: int = 0, gamma: float = GAMMA) -> int:
    """Super-simple sample size that attains risk limit ``alpha`` given the discrepancies."""
    _check(alpha, margin, gamma)
    if min(o1, o2, u1, u2) < 0:
        raise ValueError("discrepancy counts must be >= 0")
    s = (
        math.log(alpha)
        + o1 * math.log(1 - 1 / (2 * gamma))
        + o2 * math.log(1 - 1 / gamma)
        + u1 * math.log(1 + 1 / (2 * gamma))
        + u2 * math.log(1 + 1 / gamma)
    )
    return max(o1 + o2 + u1 + u2, math.ceil(-2 * gamma * s / margin))


def supersimple_sample_size(
    alpha: float,
    margin: float,
    ballots: int,
    o1_rate: float = 0.0,
    o2_rate: float = 0.0,
    u1_rate: float = 0.0,
    u2_rate: float = 0.0,
    gamma: float = GAMMA,
    round_up1: bool = True,
    round_up2: bool = False,
) -> SampleSize:
    """Initial sample size from expected discrepancy rates (Stark's audit-tools recipe):
    start from the rate-based solution, then iterate ``nmin`` with the discrepancy counts the
    rates imply (1-vote counts rounded up, 2-vote counts rounded, by default) to a fixed point.
    Escalates to a full hand count when the rates leave no evidence or n reaches ``ballots``."""
    _check(alpha, margin, gamma)
    if min(o1_rate, o2_rate, u1_rate, u2_rate) < 0:
        raise ValueError("discrepancy rates must be >= 0")
    denom = margin + 2 * gamma * (
        o1_rate * math.log(1 - 1 / (2 * gamma))
        + o2_rate * math.log(1 - 1 / gamma)
        + u1_rate * math.log(1 + 1 / (2 * gamma))
        + u2_rate * math.log(1 + 1 / gamma)
    )
    if denom <= 0:
        return escalate(math.inf, ballots)
    n: float = -2 * gamma * math.log(alpha) / denom

    def r(x: float, up: bool) -> int:
        return math.ceil(x) if up else round(x)

    seen: list[int] = []
    for _ in range(50):
        if n >= ballots:
            return escalate(math.inf, ballots)
        new = nmin(
            alpha,
            margin,
            r(o1_rate * n, round_up1),
            r(o2_rate * n, round_up2),
            r(u1_rate * n, round_up1),
            r(u2_rate * n, round_up2),
            gamma,
        )
        if new == n:
            break
        if new in seen:  # a 2-cycle of the rounding: take the larger size
            n = max(seen[seen.index(new) :] + [new])
            break
        seen.append(new)
        n = new
    return escalate(n, ballots)


def km_p_value(margin: float, overstatements: Iterable[int], gamma: float = GAMMA) -> float:
    """Kaplan-Markov P-value of a sample with the given per-ballot overstatements (votes,
    -2..2), capped at 1."""
    if not 0 < margin <= 1:
        return 1.0
    u = 2 * gamma / margin
    logp = 0.0
    for e in overstatements:
        if e not in (-2, -1, 0, 1, 2):
            raise ValueError(f"overstatement must be in -2..2, got {e!r}")
        logp += math.log(1 - 1 / u) - math.log(1 - e / (2 * gamma))
    return min(1.0, math.exp(logp))


def km_p_value_counts(n: int, margin: float, o1: int = 0, o2: int = 0, u1: int = 0, u2: int = 0, gamma: float = GAMMA) -> float:
    """Kaplan-Markov P-value from the sample size and discrepancy counts."""
    if n < o1 + o2 + u1 + u2:
        raise ValueError("more discrepancies than sampled ballots")
    es = [1] * o1 + [2] * o2 + [-1] * u1 + [-2] * u2 + [0] * (n - o1 - o2 - u1 - u2)
    return km_p_value(margin, es, gamma)


def overstatement(contest: Contest, cvr: frozenset[str] | None, audit: frozenset[str] | None) -> int:
    """Largest overstatement (votes) over winner-loser pairs. ``audit=None``: the ballot was
    not found (two-vote overstatement). ``cvr=None``: no CVR (phantom) is read as a CVR
    showing every winner, the worst case."""
    if audit is None:
        return 2
    pairs = contest.pairs()
    if not pairs:
        return 0
    best = -2
    for w, l in pairs:
        if cvr is None:
            rep = 1
        else:
            rep = (w in cvr) - (l in cvr)
        act = (w in audit) - (l in audit)
        best = max(best, rep - act)
    return best


def classify(e: int) -> str:
    """``o1``, ``o2``, ``u1``, ``u2`` or ``none`` for an overstatement in votes."""
    return {1: "o1", 2: "o2", -1: "u1", -2: "u2", 0: "none"}[e]


def count_discrepancies(es: Iterable[int]) -> Discrepancies:
    c = {"o1": 0, "o2": 0, "u1": 0, "u2": 0, "none": 0}
    for e in es:
        c[classify(e)] += 1
    return Discrepancies(c["o1"], c["o2"], c["u1"], c["u2"])

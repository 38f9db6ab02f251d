"""BRAVO ballot-polling risk-limiting audits.

Implements Lindeman, Stark & Yates, "BRAVO: Ballot-polling Risk-limiting Audits to Verify
Outcomes" (EVT/WOTE 2012): Wald's sequential probability ratio test for every reported
winner-loser pair. With ``s_w = V_w / (V_w + V_l)``, the statistic ``T`` is multiplied by
``2 s_w`` for a ballot showing the winner and not the loser, by ``2 (1 - s_w)`` for one showing
the loser and not the winner, and left alone otherwise; the risk is ``min(1, 1/T)`` and the
contest risk is the largest pair risk. A sampled ballot that cannot be found counts as a vote
for every loser. The average sample number (ASN) is the paper's section 9.2 approximation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .contest import Contest, SampleSize, escalate

__all__ = [
    "BallotMarks",
    "PairRisk",
    "bravo_asn",
    "bravo_pair_asn",
    "bravo_risk",
    "bravo_sample_size",
    "pair_counts",
    "pair_risk",
    "prob_finish_in_round",
]

#: A polled ballot: the set of choices marked on it for this contest, or None if not found.
BallotMarks = frozenset[str] | None


@dataclass(frozen=True, slots=True)
class PairRisk:
    winner: str
    loser: str
    winner_ballots: int
    loser_ballots: int
    risk: float


def pair_risk(v_w: int, v_l: int, n_w: int, n_l: int) -> float:
    """Risk ``min(1, 1/T)`` after ``n_w`` winner and ``n_l`` loser ballots for reported votes
    ``v_w > v_l`` (computed in logs, so it never overflows)."""
    if v_w + v_l == 0 or v_w <= v_l:
        return 1.0
    s = v_w / (v_w + v_l)
    log_t = n_w * math.log(2 * s)
    if n_l:
        if s >= 1.0:
            return 1.0  # a vote for a loser reported to have none: T = 0
        log_t += n_l * math.log(2 - 2 * s)
    if log_t <= 0:
        return 1.0
    return math.exp(-log_t)


def pair_counts(ballots: Iterable[BallotMarks], w: str, l: str) -> tuple[int, int]:
    """Ballots favouring ``w`` over ``l`` and ``l`` over ``w``; not-found ballots favour ``l``."""
    nw = nl = 0
    for b in ballots:
        if b is None:
            nl += 1
        elif w in b and l not in b:
            nw += 1
        elif l in b and w not in b:
            nl += 1
    return nw, nl


def bravo_risk(contest: Contest, ballots: Iterable[BallotMarks]) -> tuple[float, list[PairRisk]]:
    """Contest risk (largest pair risk) and the risk of every winner-loser pair."""
    sample = list(ballots)
    out: list[PairRisk] = []
    for w, l in contest.pairs():
        nw, nl = pair_counts(sample, w, l)
        out.append(PairRisk(w, l, nw, nl, pair_risk(contest.choices[w], contest.choices[l], nw, nl)))
    return (max((p.risk for p in out), default=0.0), out)


def bravo_pair_asn(v_w: int, v_l: int, ballots: int, alpha: float) -> float:
    """ASN of one pair: ``ceil((ln(1/alpha) + z_w/2) / ((s z_w + (1-s) z_l) (p_w + p_l)))``.

    ``p_w + p_l`` is the share of ballots with a vote for either; ``inf`` for a tie."""
    if v_w <= v_l:
        return math.inf
    s = v_w / (v_w + v_l)
    z_w = math.log(2 * s)
    z_l = math.log(2 - 2 * s) if s < 1 else -math.inf
    if s >= 1:
        per = z_w
    else:
        per = s * z_w + (1 - s) * z_l
    q = (v_w + v_l) / ballots
    return float(math.ceil((math.log(1 / alpha) + z_w / 2) / (per * q)))


def bravo_asn(contest: Contest, alpha: float) -> SampleSize:
    """Largest pair ASN (the closest pair governs), escalated to a full hand count."""
    n = max(bravo_pair_asn(contest.choices[w], contest.choices[l], contest.ballots_cast, alpha) for w, l in contest.pairs())
    return escalate(n, contest.ballots_cast)


def prob_finish_in_round(v_w: int, v_l: int, ballots: int, alpha: float, n: int) -> float:
    """Probability that a round of ``n`` ballots (drawn with replacement, as BRAVO assumes)
    reaches ``T >= 1/alpha`` for the pair at the end of the round, if the reported results
    are right."""
    from scipy import stats

    if n <= 0 or v_w <= v_l:
        return 0.0
    p_w = v_w / ballots
    p_l = v_l / ballots
    s = v_w / (v_w + v_l)
    z_w = math.log(2 * s)
    target = math.log(1 / alpha)
    # Only winner counts within 12 standard deviations of the mean carry probability mass.
    sd = math.sqrt(n * p_w * (1 - p_w))
    k_lo = max(0, int(n * p_w - 12 * sd) - 1)
    k_hi = min(n, int(n * p_w + 12 * sd) + 2)
    k = np.arange(k_lo, k_hi + 1)
    pk = stats.binom.pmf(k, n, p_w)
    if v_l == 0:
        return float(pk[k * z_w >= target - 1e-12].sum())
    z_l = -math.log(2 - 2 * s)  # > 0
    lmax = np.floor((k * z_w - target) / z_l + 1e-9)
    q = p_l / (1 - p_w) if p_w < 1 else 0.0
    cond = np.where(lmax >= 0, stats.binom.cdf(lmax, n - k, q), 0.0)
    return float(min(1.0, (pk * cond).sum()))


def bravo_sample_size(contest: Contest, alpha: float, prob: float) -> SampleSize:
    """Smallest round size that finishes the closest pair in one round with probability
    ``prob`` (e.g. 0.7, 0.8, 0.9); other pairs have larger margins and finish sooner."""
    if not 0 < prob < 1:
        raise ValueError("probability must be in (0, 1)")
    w, l = contest.closest_pair()
    v_w, v_l, N = contest.choices[w], contest.choices[l], contest.ballots_cast
    if v_w <= v_l:
        return escalate(math.inf, N)

    def ok(n: int) -> bool:
        return prob_finish_in_round(v_w, v_l, N, alpha, n) >= prob

    hi = max(1, int(bravo_pair_asn(v_w, v_l, N, alpha)))
    while not ok(hi):
        if hi >= N:
            return escalate(math.inf, N)
        hi = min(N, hi * 2)
    lo = 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return escalate(hi, N)

"""Batch-level comparison audits: MACRO with sampling proportional to an error bound (PPEB).

Implements P. B. Stark, "A Sharper Discrepancy Measure for Post-Election Audits" (Annals of
Applied Statistics 2(3), 2008) — MACRO, the maximum across-contest relative overstatement —
and P. B. Stark, "Risk-limiting Post-Election Audits: P-values from Common Probability
Inequalities" (IEEE TIFS 4(4), 2009) with PPEB sampling (Aslam, Popa & Rivest, "On Auditing
Elections When Precincts Have Different Sizes", EVT 2008):

* for batch p with ``b_p`` ballots, reported votes ``a`` and audited votes ``c``, and each
  reported winner-loser pair with contest-wide margin ``V_wl = V_w - V_l``:
  error bound ``u_p = max_wl (a_w - a_l + b_p) / V_wl`` and
  relative overstatement ``e_p = max_wl ((a_w - a_l) - (c_w - c_l)) / V_wl``; ``U = sum_p u_p``;
* batches are drawn with replacement with probability ``u_p / U`` (PPEB);
* P-value after draws p_1..p_n: ``prod_j (1 - 1/U) / (1 - e_pj / u_pj)`` (capped at 1);
  a sample size for no errors: ``ceil(ln alpha / ln(1 - 1/U))``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence

import numpy as np

from .contest import Batch, Contest, SampleSize, escalate

__all__ = ["error_bound", "macro_p_value", "macro_sample_size", "overstatement", "ppeb_sample", "total_error_bound"]


def _pairs(contest: Contest) -> list[tuple[str, str, int]]:
    return [(w, l, contest.choices[w] - contest.choices[l]) for w, l in contest.pairs()]


def error_bound(contest: Contest, batch: Batch) -> float:
    """``u_p``: the largest relative overstatement the batch could hold."""
    best = 0.0
    for w, l, v in _pairs(contest):
        if v <= 0:
            return math.inf
        a = batch.votes.get(w, 0) - batch.votes.get(l, 0)
        best = max(best, (a + batch.ballots) / v)
    return best


def total_error_bound(contest: Contest) -> float:
    if not contest.batches:
        raise ValueError("MACRO needs the reported results of every batch ('batches' in the contest)")
    return sum(error_bound(contest, b) for b in contest.batches)


def overstatement(contest: Contest, batch: Batch, audited: Mapping[str, int] | None) -> float:
    """``e_p``; a batch that cannot be found (``audited=None``) is charged its error bound."""
    if audited is None:
        return error_bound(contest, batch)
    best = -math.inf
    for w, l, v in _pairs(contest):
        rep = batch.votes.get(w, 0) - batch.votes.get(l, 0)
        act = audited.get(w, 0) - audited.get(l, 0)
        best = max(best, (rep - act) / v)
    return best


def macro_p_value(contest: Contest, draws: Sequence[tuple[str, Mapping[str, int] | None]]) -> float:
    """P-value of a PPEB sample given as (batch name, audited votes) per draw."""
    by_name = {b.name: b for b in contest.batches}
    big_u = total_error_bound(contest)
    if big_u <= 1:
        return 0.0 if draws else 1.0  # even maximal error in every batch cannot flip the outcome
    logp = 0.0
    for name, audited in draws:
        if name not in by_name:
            raise ValueError(f"sampled batch {name!r} is not in the contest's batches")
        b = by_name[name]
        up = error_bound(contest, b)
        ep = overstatement(contest, b, audited)
        taint = ep / up if up > 0 else 0.0
        if taint >= 1:
            return 1.0
        logp += math.log(1 - 1 / big_u) - math.log(1 - taint)
    return min(1.0, math.exp(logp))


def macro_sample_size(contest: Contest, alpha: float) -> SampleSize:
    """Number of PPEB draws that attains ``alpha`` if no batch has any error; a full hand count
    when it reaches the number of batches."""
    if not 0 < alpha < 1:
        raise ValueError("risk limit must be strictly between 0 and 1")
    big_u = total_error_bound(contest)
    nb = len(contest.batches)
    if big_u <= 1:
        return SampleSize(0, nb)
    n = math.ceil(math.log(alpha) / math.log(1 - 1 / big_u))
    return escalate(n, nb)


def ppeb_sample(seed: str, contest: Contest, n: int, previous: int = 0) -> list[tuple[int, str]]:
    """PPEB draws ``previous+1 .. previous+n``: draw k picks the batch whose cumulative error
    bound interval contains ``U * int(SHA-256("<seed>,<k>"), 16) / 2**256``. Returns
    (k, batch name)."""
    bounds = np.array([error_bound(contest, b) for b in contest.batches], dtype=np.float64)
    cum = np.cumsum(bounds)
    total = float(cum[-1])
    out: list[tuple[int, str]] = []
    for k in range(previous + 1, previous + n + 1):
        x = int.from_bytes(hashlib.sha256(f"{seed},{k}".encode()).digest(), "big") / 2**256
        i = int(np.searchsorted(cum, x * total, side="right"))
        out.append((k, contest.batches[min(i, len(bounds) - 1)].name))
    return out

"""ALPHA risk measurement in the SHANGRLA assertion framework.

Implements P. B. Stark, "ALPHA: Audit that Learns from Previously Hand-Audited Ballots"
(Annals of Applied Statistics 17(1), 2023) and P. B. Stark, "Sets of Half-Average Nulls
Generate Risk-Limiting Audits: SHANGRLA" (Voting '20, LNCS 12063, 2020):

* an *assorter* maps a ballot to [0, u]; an outcome is correct if every assertion "mean
  assorter value > 1/2" holds. Plurality pair: ``(1[w] - 1[l] + 1) / 2`` (u = 1).
  Supermajority (winner needs a fraction f of valid votes): ``1/(2f)`` for a valid vote for the
  winner, 0 for a valid vote for anyone else, 1/2 for no valid vote (u = 1/(2f));
* the overstatement assorter for comparison audits: with reported assorter margin
  ``v = 2 * mean(A(CVR)) - 1`` and overstatement ``w = A(CVR) - A(MVR)``,
  ``B = (1 - w/u) / (2 - v/u)``, whose mean exceeds 1/2 iff the assertion holds;
* the ALPHA supermartingale (sampling without replacement from N, or with replacement) with the
  truncated shrinkage estimator ``eta_j = min(u(1-1e-9), max((d eta_0 + S_{j-1})/(d + j - 1),
  mu_j + c/sqrt(d + j - 1)))``; the P-value is ``min(1, 1/max_j T_j)``.

Phantoms (ballots in the manifest without a CVR) count 1/2 (no vote) in the reported mean;
a sampled phantom or an unfound ballot gets the worst case ``B = 0`` (for a plurality pair,
a two-vote overstatement). Sample sizes are simulated stopping times, each replicate costing
O(stopping time), not O(N).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .contest import Contest, SampleSize, escalate

__all__ = [
    "Assertion",
    "alpha_p_value",
    "alpha_sample_size",
    "assertions_for",
    "clca_values",
    "clca_risk",
]

Marks = frozenset[str] | None

#: Discrepancy rates assumed when choosing ALPHA's bet for comparison audits (Stark's tools'
#: defaults): one-vote overstatements 1 in 1000, two-vote 1 in 10,000.
PRIOR_O1 = 1e-3
PRIOR_O2 = 1e-4
#: Shrinkage weight of the prior ``eta_0`` in comparison audits (the data mean barely moves).
CLCA_D = 100_000.0


@dataclass(frozen=True)
class Assertion:
    """An assertion ``mean(assorter) > 1/2`` with its reported assorter mean."""

    name: str
    assort: Callable[[frozenset[str]], float]
    upper: float
    reported_mean: float

    @property
    def margin(self) -> float:
        """Reported assorter margin ``v = 2 * mean - 1``."""
        return 2 * self.reported_mean - 1

    def overstatement_value(self, cvr: Marks, mvr: Marks) -> float:
        """Overstatement-assorter value ``B`` of one sampled ballot. ``cvr=None`` is a phantom,
        ``mvr=None`` a ballot that was not found: both give the worst case 0."""
        if cvr is None or mvr is None:
            return 0.0
        w = self.assort(cvr) - self.assort(mvr)
        return (1 - w / self.upper) / (2 - self.margin / self.upper)

    @property
    def clca_upper(self) -> float:
        return 2 / (2 - self.margin / self.upper)


def assertions_for(contest: Contest, supermajority: float | None = None, phantoms: int = 0) -> list[Assertion]:
    """SHANGRLA assertions of a contest: one per winner-loser pair, or, with a supermajority
    fraction f, one per winner ("w has more than f of the valid votes")."""
    n = contest.ballots_cast + phantoms
    out: list[Assertion] = []
    if supermajority is not None:
        f = supermajority
        if not 0 < f < 1:
            raise ValueError("supermajority fraction must be in (0, 1)")
        valid = sum(contest.choices.values())
        for w in contest.winners:
            vw = contest.choices[w]

            def a_sm(b: frozenset[str], w: str = w, f: float = f) -> float:
                if len(b) == 1:
                    return 1 / (2 * f) if w in b else 0.0
                return 0.5  # blank or overvote: no valid vote

            mean = (vw / (2 * f) + (n - valid) * 0.5) / n
            out.append(Assertion(f"{w} > {f:g} of valid votes", a_sm, 1 / (2 * f), mean))
        return out
    for w, l in contest.pairs():

        def a_pl(b: frozenset[str], w: str = w, l: str = l) -> float:
            return ((w in b) - (l in b) + 1) / 2

        mean = ((contest.choices[w] - contest.choices[l]) / n + 1) / 2
        out.append(Assertion(f"{w} beats {l}", a_pl, 1.0, mean))
    return out


def _log_t_path(
    x: npt.NDArray[np.float64],
    n_pop: int | None,
    mu: float,
    u: float,
    eta0: float,
    d: float,
    c: float,
    s0: npt.NDArray[np.float64] | float = 0.0,
    j0: int = 0,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """log T_j along each row of ``x`` (rows = replicates) and where the null became impossible."""
    rows, cols = x.shape
    j = np.arange(j0 + 1, j0 + cols + 1, dtype=np.float64)
    s_prev = np.concatenate([np.zeros((rows, 1)), np.cumsum(x, axis=1)[:, :-1]], axis=1) + np.reshape(s0, (-1, 1))
    if n_pop is None:
        m = np.full_like(x, mu)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            m = (n_pop * mu - s_prev) / (n_pop - j + 1)
    est = (d * eta0 + s_prev) / (d + j - 1)
    eta = np.minimum(np.maximum(est, m + c / np.sqrt(d + j - 1)), u * (1 - 1e-9))
    impossible = m <= 0
    ok = (m > 0) & (m < u) & (eta > m)
    with np.errstate(divide="ignore", invalid="ignore"):
        fac = np.where(ok, (x / m) * (eta - m) / (u - m) + (u - eta) / (u - m), 1.0)
        logf = np.log(np.where(fac > 0, fac, 1e-300))
    return np.cumsum(logf, axis=1), np.logical_or.accumulate(impossible, axis=1)


def alpha_p_value(
    x: Sequence[float],
    n_pop: int | None,
    u: float,
    eta0: float,
    mu: float = 0.5,
    d: float = 100.0,
    c: float | None = None,
) -> float:
    """ALPHA P-value of the null "mean <= mu" for sample values ``x`` in [0, u], in draw order.

    ``n_pop`` is the population size for sampling without replacement (None: with
    replacement)."""
    if len(x) == 0:
        return 1.0
    arr = np.asarray(x, dtype=np.float64).reshape(1, -1)
    if np.any(arr < 0) or np.any(arr > u * (1 + 1e-12)):
        raise ValueError("sample values must lie in [0, u]")
    if c is None:
        c = max((eta0 - mu) / 2, 1e-6)
    logt, imp = _log_t_path(arr, n_pop, mu, u, eta0, d, c)
    if imp.any():
        return 0.0
    best = float(np.max(logt))
    return 1.0 if best <= 0 else min(1.0, math.exp(-best))


def clca_values(assertion: Assertion, pairs: Sequence[tuple[Marks, Marks]]) -> list[float]:
    return [assertion.overstatement_value(cvr, mvr) for cvr, mvr in pairs]


def clca_risk(
    contest: Contest,
    sample: Sequence[tuple[Marks, Marks]],
    *,
    supermajority: float | None = None,
    phantoms: int = 0,
    with_replacement: bool = False,
    d: float = CLCA_D,
) -> tuple[float, list[tuple[str, float]]]:
    """ALPHA P-value of every assertion and the contest risk (the largest) for a comparison
    sample given as ``(CVR marks, audited marks)`` per draw, in draw order."""
    n = contest.ballots_cast + phantoms
    out: list[tuple[str, float]] = []
    for a in assertions_for(contest, supermajority, phantoms):
        if a.margin <= 0:
            out.append((a.name, 1.0))
            continue
        xs = clca_values(a, sample)
        eta0 = clca_eta0(a)
        p = alpha_p_value(xs, None if with_replacement else n, a.clca_upper, eta0, d=d)
        out.append((a.name, p))
    return (max((p for _, p in out), default=0.0), out)


def kelly_eta(values: npt.NDArray[np.float64], probs: npt.NDArray[np.float64], u: float, mu: float = 0.5) -> float:
    """ALPHA's ``eta`` that makes the bet ``lambda = (eta/mu - 1)/(u - mu)`` maximise the expected
    log growth ``E log(1 + lambda (x - mu))`` under the assumed distribution of ``x``."""
    from scipy.optimize import minimize_scalar

    hi = (1 / mu) * (1 - 1e-6)

    def neg(lam: float) -> float:
        return -float(np.sum(probs * np.log1p(lam * (values - mu))))

    lam = float(minimize_scalar(neg, bounds=(0.0, hi), method="bounded", options={"xatol": 1e-10}).x)
    return mu * (1 + lam * (u - mu))


def _clca_distribution(k: float, o1: float, o2: float, u1: float, u2: float) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Overstatement-assorter values (no error, o1, o2, u1, u2) and their probabilities."""
    vals = np.array([1 / k, 0.5 / k, 0.0, 1.5 / k, 2 / k])
    rates = np.array([o1, o2, u1, u2], dtype=np.float64)
    probs = np.concatenate([[1 - rates.sum()], rates])
    keep = probs > 0
    return vals[keep], probs[keep]


def clca_eta0(assertion: Assertion, o1_rate: float = PRIOR_O1, o2_rate: float = PRIOR_O2) -> float:
    """Prior ``eta_0`` for an assertion's overstatement assorter: the growth-optimal bet."""
    k = 2 - assertion.margin / assertion.upper
    vals, probs = _clca_distribution(k, max(o1_rate, PRIOR_O1), max(o2_rate, PRIOR_O2), 0.0, 0.0)
    return kelly_eta(vals, probs, 2 / k)


def _simulate_stops(
    values: npt.NDArray[np.float64],
    probs: npt.NDArray[np.float64],
    n_pop: int,
    u: float,
    eta0: float,
    alpha: float,
    reps: int,
    rng: np.random.Generator,
    d: float,
    block: int = 512,
    cap: int | None = None,
) -> npt.NDArray[np.float64]:
    """Stopping times of ``reps`` simulated ALPHA audits (inf if not stopped by ``cap``)."""
    cap = n_pop if cap is None else min(cap, n_pop)
    c = max((eta0 - 0.5) / 2, 1e-6)
    target = math.log(1 / alpha)
    stops = np.full(reps, np.inf)
    s0 = np.zeros(reps)
    logt0 = np.zeros(reps)
    j0 = 0
    active = np.arange(reps)
    while j0 < cap and active.size:
        cols = min(block, cap - j0)
        if len(values) == 1:
            x = np.full((active.size, cols), values[0])
        else:
            x = values[rng.choice(len(values), size=(active.size, cols), p=probs)]
        logt, imp = _log_t_path(x, n_pop, 0.5, u, eta0, d, c, s0[active], j0)
        logt += logt0[active, None]
        hit = (logt >= target) | imp
        any_hit = hit.any(axis=1)
        first = np.argmax(hit, axis=1)
        stops[active[any_hit]] = j0 + first[any_hit] + 1
        s0[active] += x.sum(axis=1)
        logt0[active] = logt[:, -1]
        active = active[~any_hit]
        j0 += cols
        block = min(block * 2, 1 << 16)
    return stops


def alpha_sample_size(
    contest: Contest,
    alpha: float,
    *,
    o1_rate: float = 0.0,
    o2_rate: float = 0.0,
    u1_rate: float = 0.0,
    u2_rate: float = 0.0,
    prob: float = 0.9,
    reps: int = 200,
    seed: int = 20240601,
    supermajority: float | None = None,
    phantoms: int = 0,
    d: float = CLCA_D,
) -> SampleSize:
    """Comparison (CLCA) sample size with ALPHA: the ``prob`` quantile of the simulated stopping
    time of the hardest assertion when one-/two-vote over-/understatements occur at the given
    rates (deterministic when all rates are 0). Full hand count when it reaches N."""
    if not 0 < alpha < 1:
        raise ValueError("risk limit must be strictly between 0 and 1")
    n = contest.ballots_cast + phantoms
    worst = 0.0
    rates = np.array([o1_rate, o2_rate, u1_rate, u2_rate], dtype=np.float64)
    if rates.sum() >= 1 or (rates < 0).any():
        raise ValueError("discrepancy rates must be >= 0 and sum to less than 1")
    for a in assertions_for(contest, supermajority, phantoms):
        if a.margin <= 0:
            return escalate(math.inf, n)
        k = 2 - a.margin / a.upper
        vals, probs = _clca_distribution(k, o1_rate, o2_rate, u1_rate, u2_rate)
        r = 1 if len(vals) == 1 else reps
        eta0 = clca_eta0(a, o1_rate, o2_rate)
        stops = _simulate_stops(vals, probs, n, a.clca_upper, eta0, alpha, r, np.random.default_rng(seed), d)
        q = float(np.quantile(stops, prob, method="higher")) if r > 1 else float(stops[0])
        worst = max(worst, q)
    return escalate(worst, n)

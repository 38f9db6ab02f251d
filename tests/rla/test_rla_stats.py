"""Published figures (BRAVO, super-simple, Kaplan-Markov), rlacalc differential tests, properties."""

from __future__ import annotations

import math

import pytest
import rlacalc
from hypothesis import given, settings
from hypothesis import strategies as st

from safelect.rla.alpha import alpha_p_value, alpha_sample_size, assertions_for, clca_risk
from safelect.rla.bravo import bravo_asn, bravo_pair_asn, bravo_risk, bravo_sample_size, pair_risk
from safelect.rla.comparison import (
    km_p_value,
    km_p_value_counts,
    nmin,
    overstatement,
    supersimple_sample_size,
)
from safelect.rla.contest import ContestError, escalate, parse_contest
from safelect.rla.macro import macro_p_value, macro_sample_size, ppeb_sample

FM = frozenset


def two(share: float, ballots: int = 1_000_000) -> tuple[int, int]:
    vw = round(share * ballots)
    return vw, ballots - vw


# --- BRAVO, published (reference file; BRAVO paper Table 1) ------------------------------------
@pytest.mark.parametrize(("alpha", "row"), [(0.10, [8, 14, 31, 119, 470]), (0.05, [9, 17, 39, 154, 608])])
def test_bravo_asn_by_share(alpha: float, row: list[int]) -> None:
    got = [bravo_pair_asn(*two(s), 1_000_000, alpha) for s in (0.9, 0.8, 0.7, 0.6, 0.55)]
    assert got == row


@pytest.mark.parametrize(("margin", "asn"), [(0.01, 46151), (0.04, 2902), (0.10, 470), (0.20, 119)])
def test_bravo_asn_by_margin(margin: float, asn: int) -> None:
    vw, vl = two((1 + margin) / 2, 10_000_000)
    assert bravo_pair_asn(vw, vl, 10_000_000, 0.10) == asn
    assert rlacalc.findAsn(alpha=0.1, margin=margin) == asn


def test_bravo_asn_with_other_votes_scales() -> None:
    # 60/40 needs 118.88 ballots before rounding (BRAVO Table 1 prints 119). When half the ballots
    # carry a vote for neither, each drawn ballot is half as informative: ceil(2 × 118.88) = 238.
    assert bravo_pair_asn(600_000, 400_000, 1_000_000, 0.1) == 119
    assert bravo_pair_asn(300_000, 200_000, 1_000_000, 0.1) == 238


def test_bravo_risk_matches_rlacalc_colorado_2018() -> None:
    # rlacalc's documented Colorado 2018 county figures
    assert pair_risk(1410, 1132, 170, 135) == pytest.approx(0.1342382069344729, rel=1e-12)
    assert pair_risk(2894, 1695, 45, 32) == pytest.approx(0.47002027242290234, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(vw=st.integers(1, 10**6), vl=st.integers(0, 10**6), nw=st.integers(0, 2000), nl=st.integers(0, 2000))
def test_bravo_pair_risk_vs_rlacalc(vw: int, vl: int, nw: int, nl: int) -> None:
    r = pair_risk(vw, vl, nw, nl)
    assert 0 <= r <= 1
    if vw > vl > 0:
        ref = rlacalc.ballot_polling_risk_level(vw, vl, nw, nl)
        if not math.isnan(ref):
            assert r == pytest.approx(min(1.0, ref), rel=1e-9, abs=1e-300)


def test_bravo_contest_multiwinner_and_not_found() -> None:
    c = parse_contest({"choices": {"A": 500, "B": 400, "C": 100}, "ballots_cast": 1000, "num_winners": 2, "votes_allowed": 2})
    assert c.winners == ("A", "B") and c.pairs() == [("A", "C"), ("B", "C")]
    sample = [FM({"A", "B"})] * 20 + [FM({"A"})] * 5
    risk, pairs = bravo_risk(c, sample)
    assert 0 <= risk < 1
    worse, _ = bravo_risk(c, sample + [None])  # not found: a vote for every loser
    assert worse > risk
    # a ballot marked for both of a pair leaves that pair alone
    r_both, _ = bravo_risk(c, [FM({"A", "C"})] * 10)
    assert r_both == 1.0


def test_bravo_round_sizes_increase_and_escalate() -> None:
    c = parse_contest({"choices": {"A": 5_025_000, "B": 4_975_000}, "ballots_cast": 10_000_000})
    sizes = [bravo_sample_size(c, 0.05, q).size for q in (0.7, 0.8, 0.9)]
    assert sizes[0] is not None and sizes[0] < sizes[1] < sizes[2]  # type: ignore[operator]
    tiny = parse_contest({"choices": {"A": 51, "B": 49}, "ballots_cast": 100})
    assert bravo_sample_size(tiny, 0.05, 0.9).full_hand_count
    assert str(bravo_asn(tiny, 0.05)) == "full hand count"


# --- super-simple / Kaplan-Markov, published ------------------------------------------------------
@pytest.mark.parametrize(
    ("alpha", "margin", "o1", "n"),
    [
        (0.10, 0.20, 0, 24),
        (0.10, 0.10, 0, 48),
        (0.10, 0.05, 0, 96),
        (0.10, 0.002, 0, 2393),
        (0.05, 0.05, 0, 125),
        (0.10, 0.05, 1, 123),
    ],
)
def test_supersimple_published(alpha: float, margin: float, o1: int, n: int) -> None:
    assert nmin(alpha, margin, o1=o1) == n


def test_gentle_intro_and_rlacalc_documented_figures() -> None:
    # rlacalc's doctests (from Stark's audit tools): 0.5% margin, one o1 and one u1 -> 1067
    assert nmin(0.10, 0.005, o1=1, u1=1) == 1067
    assert nmin(0.20, 0.05) == 67
    nh = (354040 - 337589) / (354040 + 337589 + 33234)  # New Hampshire 2016
    assert km_p_value_counts(200, nh, o1=1) == pytest.approx(0.21438135077031842, rel=1e-12)
    assert supersimple_sample_size(0.05, 0.05, 10**6, 0.001, 0, 0.001, 0).size == 136
    assert supersimple_sample_size(0.05, nh, 10**6, 0.001).size == 335


@settings(max_examples=50, deadline=None)
@given(alpha=st.floats(0.001, 0.3), margin=st.floats(0.001, 1.0), o1=st.integers(0, 5), o2=st.integers(0, 3), u1=st.integers(0, 5))
def test_nmin_vs_rlacalc(alpha: float, margin: float, o1: int, o2: int, u1: int) -> None:
    ours = nmin(alpha, margin, o1, o2, u1, u1)  # rlacalc's count term adds u1 twice; equal u1=u2 sidesteps it
    assert ours == rlacalc.nmin(alpha=alpha, margin=margin, o1=o1, o2=o2, u1=u1, u2=u1)


@settings(max_examples=40, deadline=None)
@given(
    alpha=st.floats(0.01, 0.2),
    margin=st.floats(0.01, 0.5),
    or1=st.sampled_from([0, 0.001, 0.005]),
    or2=st.sampled_from([0, 0.0001, 0.0005]),
)
def test_sample_size_from_rates_vs_rlacalc(alpha: float, margin: float, or1: float, or2: float) -> None:
    try:
        ref = rlacalc.nminFromRates(alpha=alpha, margin=margin, or1=or1, or2=or2, ur1=0, ur2=0)
    except rlacalc.RLAValueError:  # rlacalc rejects rates that leave no evidence (we escalate)
        assert supersimple_sample_size(alpha, margin, 10**9, or1, or2, 0, 0).full_hand_count
        return
    got = supersimple_sample_size(alpha, margin, 10**9, or1, or2, 0, 0)
    assert got.size == ref


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(0, 500),
    margin=st.floats(0.001, 1.0),
    o1=st.integers(0, 5),
    o2=st.integers(0, 5),
    u1=st.integers(0, 5),
    u2=st.integers(0, 5),
)
def test_km_p_value_vs_rlacalc_and_bounds(n: int, margin: float, o1: int, o2: int, u1: int, u2: int) -> None:
    n = max(n, o1 + o2 + u1 + u2)
    p = km_p_value_counts(n, margin, o1, o2, u1, u2)
    assert 0 <= p <= 1
    assert p == pytest.approx(min(1.0, rlacalc.KM_P_value(n, 1.03905, margin, o1, o2, u1, u2)), rel=1e-9)
    # more overstatements never lower the risk; understatements never raise it above no-error
    if n > o1 + o2 + u1 + u2:
        assert km_p_value_counts(n, margin, o1 + 1, o2, u1, u2) >= p
        assert km_p_value_counts(n, margin, o1, o2 + 1, u1, u2) >= p
    assert km_p_value_counts(n, margin, 0, 0, u1, u2) <= km_p_value_counts(n, margin) + 1e-15


def test_discrepancy_classification() -> None:
    c = parse_contest({"choices": {"A": 60, "B": 30, "C": 10}, "ballots_cast": 100})
    A, B, N0 = FM({"A"}), FM({"B"}), FM()
    assert overstatement(c, A, A) == 0
    assert overstatement(c, A, N0) == 1
    assert overstatement(c, A, B) == 2
    assert overstatement(c, N0, A) == -1
    assert overstatement(c, B, A) == -1  # max over pairs: the A-C pair only gains one vote
    c2 = parse_contest({"choices": {"A": 60, "B": 40}, "ballots_cast": 100})
    assert overstatement(c2, B, A) == -2
    assert overstatement(c, A, None) == 2  # not found
    assert km_p_value(0.3, [2]) > km_p_value(0.3, [0])


# --- ALPHA / SHANGRLA --------------------------------------------------------------------------
def test_alpha_clca_close_to_supersimple_without_errors() -> None:
    c = parse_contest({"choices": {"A": 5250, "B": 4750}, "ballots_cast": 10_000})
    n = alpha_sample_size(c, 0.10).size
    assert n is not None and 80 <= n <= 110  # super-simple: 96
    big = parse_contest({"choices": {"A": 5_025_000, "B": 4_975_000}, "ballots_cast": 10_000_000})
    nb = alpha_sample_size(big, 0.05).size
    assert nb is not None and nmin(0.05, 0.005) <= nb <= 1.2 * nmin(0.05, 0.005)


@settings(max_examples=30, deadline=None)
@given(k=st.integers(1, 400), bad=st.integers(0, 5), where=st.integers(0, 400))
def test_alpha_more_overstatements_never_lower_risk(k: int, bad: int, where: int) -> None:
    c = parse_contest({"choices": {"A": 550, "B": 450}, "ballots_cast": 1000})
    good = [(FM({"A"}), FM({"A"}))] * k
    r0, _ = clca_risk(c, good)
    sample = good[:]
    for i in range(bad):
        sample[(where + i) % len(sample)] = (FM({"A"}), FM({"B"}))
    r1, _ = clca_risk(c, sample)
    assert 0 <= r0 <= r1 <= 1


def test_alpha_supermajority_and_phantoms() -> None:
    c = parse_contest({"choices": {"A": 700, "B": 250}, "ballots_cast": 1000})
    sm = assertions_for(c, supermajority=0.6)
    assert len(sm) == 1 and sm[0].upper == pytest.approx(1 / 1.2)
    assert sm[0].assort(FM({"A"})) == pytest.approx(1 / 1.2) and sm[0].assort(FM({"B"})) == 0
    assert sm[0].assort(FM()) == 0.5 and sm[0].margin > 0
    base = alpha_sample_size(c, 0.05, supermajority=0.6).size
    more = alpha_sample_size(c, 0.05, supermajority=0.6, phantoms=50).size
    assert base is not None and more is not None and more >= base
    # a sampled phantom is the worst case
    a = assertions_for(c)[0]
    assert a.overstatement_value(None, FM({"A"})) == 0.0


def test_alpha_p_value_bounds() -> None:
    assert alpha_p_value([], 100, 1.0, 0.6) == 1.0
    assert 0 <= alpha_p_value([1.0] * 10, 100, 1.0, 0.6) <= 1
    assert alpha_p_value([1.0] * 60, 100, 1.0, 0.6) == 0.0  # more than half the population shown > 1/2


# --- MACRO ----------------------------------------------------------------------------------------
def macro_contest() -> dict:
    batches = [{"name": f"b{i}", "ballots": 100, "votes": {"A": 60, "B": 35}} for i in range(40)]
    return {"choices": {"A": 2400, "B": 1400}, "ballots_cast": 4000, "batches": batches}


def test_macro() -> None:
    c = parse_contest(macro_contest())
    ss = macro_sample_size(c, 0.1)
    assert ss.size is not None and ss.size > 0
    clean = [(f"b{i}", {"A": 60, "B": 35}) for i in range(ss.size)]
    assert macro_p_value(c, clean) <= 0.1
    dirty = clean[:-1] + [("b1", {"A": 50, "B": 45})]
    assert macro_p_value(c, dirty) > macro_p_value(c, clean)
    assert macro_p_value(c, clean[:-1] + [("b1", None)]) == 1.0
    draws = ppeb_sample("12345678901234567890", c, 5)
    assert draws == ppeb_sample("12345678901234567890", c, 3) + ppeb_sample("12345678901234567890", c, 2, previous=3)


# --- contests and escalation --------------------------------------------------------------------
def test_escalation_and_contest_errors() -> None:
    assert escalate(10, 100).size == 10
    assert str(escalate(100, 100)) == "full hand count"
    assert escalate(math.inf, 5).full_hand_count
    with pytest.raises(ContestError):
        parse_contest({"choices": {"A": 1}, "ballots_cast": 1})
    with pytest.raises(ContestError):
        parse_contest({"choices": {"A": 10, "B": 20}, "ballots_cast": 30, "winners": ["A"]})
    with pytest.raises(ContestError):
        parse_contest({"choices": {"A": 10, "B": 5}})

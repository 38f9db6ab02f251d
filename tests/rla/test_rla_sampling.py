"""Consistent sampler: identical to consistent-sampler 1.0.10 (Arlo's sampler), streaming."""

from __future__ import annotations

import random
from typing import Any

import consistent_sampler as cs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safelect.rla import sampling
from safelect.rla.sampling import (
    consistent_sample,
    draw_sample,
    next_fraction,
    stark_sample,
    trim,
    validate_seed,
)

ARLO_SEED = "12345678901234567890abcdefghijklmnopqrstuvwxyz😊"


def peer(man: list[tuple[Any, int]], seed: str, n: int, wr: bool, prev: int = 0, digits: int = 18) -> list[Any]:
    ids = [(k, p) for k, size in man for p in range(1, size + 1)]
    return list(cs.sampler(ids, seed=seed, with_replacement=wr, drop=prev, take=n, digits=digits))


def ours(man: list[tuple[Any, int]], seed: str, n: int, wr: bool, prev: int = 0, digits: int = 18) -> list[Any]:
    return [d.as_tuple() for d in consistent_sample(seed, man, n, with_replacement=wr, previous=prev, digits=digits)]


def test_arlo_published_snapshot() -> None:
    man = [(f"pct {i}", 25) for i in range(1, 5)]
    got = ours(man, ARLO_SEED, 3, True)
    assert got == [
        ("0.000617786129909912", ("pct 2", 3), 1),
        ("0.002991631653037245", ("pct 3", 24), 1),
        ("0.012057030610635061", ("pct 1", 25), 1),
    ]


def test_peer_docstring_examples() -> None:
    # consistent_sampler's own documented outputs, through our helpers
    assert sampling.first_fraction("AB-130", "01382438112797316654") == cs.first_fraction("AB-130", "01382438112797316654")
    assert next_fraction("0.25471") == "0.642853261655004694691182528114375607701032283189922170593838029306715548381901"
    assert trim("0.9991234567890", 4) == "0.9991234"
    got = [d.as_tuple() for d in draw_sample("314159", ["ab-1", "ab-2", "cd-1", "ef-3"], 10, digits=9)]
    assert got == [("0.317685817", "cd-1", 1), ("0.832984519", "ef-3", 1), ("0.9098039269", "ab-1", 1), ("0.9231549043", "ab-2", 1)]
    ids = [d.id for d in draw_sample("314159", ["A#2", "B#7", "C#1", "D#4"], 8, with_replacement=True)]
    assert ids == ["D#4", "C#1", "C#1", "B#7", "A#2", "C#1", "D#4", "B#7"]


def test_next_fraction_matches_peer_with_nines() -> None:
    for x in ("0.999", "0.9", "0.99912", "0.5", "0.0999"):
        assert next_fraction(x) == cs.next_fraction(x)
        assert trim(x, 2) == cs.trim(x, 2)


names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6)


@st.composite
def manifests(draw: Any) -> list[tuple[Any, int]]:
    arlo = draw(st.booleans())
    nb = draw(st.integers(1, 12))
    out: dict[Any, int] = {}
    for i in range(nb):
        name = draw(names) + f"#{i}"
        key: Any = (
            (draw(st.sampled_from(["Jur A", "Jur 'B'", 'Jur "C"', "Ünïcode"])), draw(st.sampled_from([None, "TAB-1", "t\\2"])), name)
            if arlo
            else name
        )
        out[key] = draw(st.integers(0, 40))
    return list(out.items())


@settings(max_examples=40, deadline=None)
@given(
    man=manifests(),
    seed=st.text(min_size=1, max_size=30),
    n=st.integers(0, 60),
    prev=st.integers(0, 30),
    wr=st.booleans(),
    digits=st.integers(1, 25),
)
def test_differential_against_consistent_sampler(man: list[tuple[Any, int]], seed: str, n: int, prev: int, wr: bool, digits: int) -> None:
    assert ours(man, seed, n, wr, prev, digits) == peer(man, seed, n, wr, prev, digits)


@settings(max_examples=25, deadline=None)
@given(man=manifests(), seed=st.text(min_size=1, max_size=20), n=st.integers(1, 50), wr=st.booleans(), shuffle_seed=st.integers(0, 1000))
def test_small_chunks_and_row_order(man: list[tuple[Any, int]], seed: str, n: int, wr: bool, shuffle_seed: int) -> None:
    expected = ours(man, seed, n, wr)
    shuffled = man[:]
    random.Random(shuffle_seed).shuffle(shuffled)
    saved = sampling.CHUNK
    sampling.CHUNK = 7  # many flushes, batches split across chunks
    try:
        assert ours(shuffled, seed, n, wr) == expected
    finally:
        sampling.CHUNK = saved


def test_extending_keeps_earlier_draws() -> None:
    man = [(("J", None, f"B{i}"), 37) for i in range(20)]
    for wr in (False, True):
        first = ours(man, "98765432109876543210", 30, wr)
        more = ours(man, "98765432109876543210", 70, wr)
        assert more[:30] == first
        assert ours(man, "98765432109876543210", 40, wr, prev=30) == more[30:]


def test_large_batches_and_positions_beyond_cache() -> None:
    man = [("big", 25_000), ("small", 3)]
    assert ours(man, "11112222333344445555", 25, True) == peer(man, "11112222333344445555", 25, True)


def test_sample_larger_than_population() -> None:
    man = [("a", 3), ("b", 0), ("c", 2)]
    got = ours(man, "1", 10, False)
    assert len(got) == 5 and got == peer(man, "1", 10, False)
    assert ours(man, "1", 12, True) == peer(man, "1", 12, True)


def test_duplicate_batches_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate"):
        consistent_sample("1", [("a", 1), ("a", 2)], 1)


def test_seed_validation() -> None:
    assert validate_seed("12345678901234567890") == []
    with pytest.warns(sampling.SeedWarning):
        assert validate_seed("1234")
    with pytest.raises(ValueError):
        validate_seed("")


def test_stark_seed_comma_k_sampler() -> None:
    import hashlib

    got = stark_sample("12345678901234567890", 1000, 5)
    want = [int(hashlib.sha256(f"12345678901234567890,{k}".encode()).hexdigest(), 16) % 1000 + 1 for k in range(1, 6)]
    assert got == want
    wo = stark_sample("1", 5, 5, with_replacement=False)
    assert sorted(wo) == [1, 2, 3, 4, 5]

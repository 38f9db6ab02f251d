"""Consistent sampling of ballots with SHA-256 tickets, streaming and exact.

Implements R. L. Rivest, "Consistent Sampling with Replacement" (arXiv:1808.10016, 2018),
draw for draw identical to the reference implementation ``consistent-sampler`` 1.0.10 that
VotingWorks' Arlo uses, plus the "seed,k" mod N sampler of ColoradoRLA and P. B. Stark's audit
tools ("Tools for Comparison Risk-Limiting Election Audits", web tools) for cross-checking.

Ticket of a ballot with id ``i`` (generation 1)::

    x = int(SHA-256(hexdigest(SHA-256(seed)) + str(i)), 16)
    ticket = "0." + reversed(format(x, "064d"))

Tickets are compared as *strings* (as the peer does), then by id, then by generation. Sampling
without replacement takes the ballots in increasing ticket order; with replacement a drawn
ballot receives a new, larger ticket (``next_fraction``) and goes back into the basket.

Ballot ids are Python tuples ``(batch_key, position)`` with positions ``1..number_of_ballots``;
``batch_key`` is either a plain batch name (``('pct 1', 3)``) or, as in Arlo,
``(jurisdiction, tabulator_or_None, batch_name)``. The hashed text is ``str(id)``, i.e.
``"(" + repr(batch_key) + ", " + str(position) + ")"`` (see docs/rla.md).

Speed: the peer builds a ``Ticket`` (three Python objects and a 78-digit decimal string) for
every ballot and keeps all of them in a heap. Here each ballot costs one SHA-256 continuation
of a pre-hashed ``seed-hash + batch`` prefix (``hashlib`` ``copy()``), 32 bytes of digest in a
bounded chunk buffer, and a vectorised NumPy reduction to the first 9 ticket digits
(``x mod 10**9``, digit-reversed). Only ballots whose 9-digit prefix can still be among the
``m`` smallest are turned into exact decimal tickets, so memory is O(m + batches + chunk).
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "Draw",
    "SeedWarning",
    "consistent_sample",
    "draw_sample",
    "first_fraction",
    "id_text",
    "next_fraction",
    "sha256_uniform",
    "stark_sample",
    "trim",
    "validate_seed",
]

#: Number of ballots hashed before one vectorised reduction; bounds the working memory.
CHUNK = 1 << 16
_MOD = 10**9
_SUFFIX_CACHE_MAX = 20_000
_REV3 = np.array([int(f"{v:03d}"[::-1]) for v in range(1000)], dtype=np.uint64)
_suffix_cache: list[bytes] = []


class SeedWarning(UserWarning):
    """The seed is accepted but weaker than audit practice recommends."""


@dataclass(frozen=True, slots=True)
class Draw:
    """One draw: the ticket text (trimmed as the peer trims it), the ballot id, generation."""

    ticket: str
    id: tuple[Any, int]
    generation: int
    ticket_full: str

    def as_tuple(self) -> tuple[str, tuple[Any, int], int]:
        """The ``(ticket, id, generation)`` triple ``consistent_sampler.sampler`` yields."""
        return (self.ticket, self.id, self.generation)


# ----------------------------------------------------------------------------- tickets


def _sha256_int(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def _ticket_from_int(x: int) -> str:
    return "0." + f"{x:064d}"[::-1]


def sha256_uniform(text: str) -> str:
    """``"0."`` followed by the reversed decimal digits (at least 64) of SHA-256(text)."""
    return _ticket_from_int(_sha256_int(text))


def seed_hash(seed: str) -> str:
    """Hex digest of SHA-256 of the seed text (UTF-8)."""
    return hashlib.sha256(str(seed).encode("utf-8")).hexdigest()


def id_text(batch_key: Any, position: int) -> str:
    """Canonical text of ballot id ``(batch_key, position)``: Python's ``str`` of the tuple."""
    return str((batch_key, position))


def first_fraction(ballot_id: Any, seed: str) -> str:
    """Generation-1 ticket of an arbitrary id: the full-precision decimal string."""
    return sha256_uniform(seed_hash(seed) + str(ballot_id))


def _first_non_nine(x0: str) -> int:
    i = 2
    while x0[i] == "9":
        i += 1
    return i


def next_fraction(x: str) -> str:
    """Next-generation ticket: pseudorandom in (x, 1), keeping x's leading run of 9s."""
    if not x.startswith("0."):
        raise ValueError(f"not a ticket: {x!r}")
    x0 = x + "0"
    head = x0[: _first_non_nine(x0)]
    k = 0
    while True:
        k += 1
        y = head + sha256_uniform(f"{x}:{k}")[2:]
        if y > x0:
            return y


def trim(x: str, digits: int = 9) -> str:
    """Truncate a ticket to ``digits`` significant digits after its leading run of 9s."""
    return x[: _first_non_nine(x + "0") + digits]


# ----------------------------------------------------------------------------- seeds

_DIGITS = re.compile(r"[0-9]")


def validate_seed(seed: str, *, min_digits: int = 20) -> list[str]:
    """Check a seed; return human-readable warnings (also emitted as ``SeedWarning``).

    Any non-empty text is accepted (the hash is over its UTF-8 bytes); audit practice is a
    seed of at least 20 decimal digits from a public dice-rolling ceremony.
    """
    if not isinstance(seed, str) or seed == "":
        raise ValueError("the seed must be a non-empty text")
    problems: list[str] = []
    ndig = len(_DIGITS.findall(seed))
    if ndig < min_digits:
        problems.append(f"seed has {ndig} decimal digits; at least {min_digits} from public dice rolls are recommended")
    if not seed.isdigit():
        problems.append("seed contains characters other than decimal digits")
    if seed != seed.strip():
        problems.append("seed has leading or trailing whitespace, which is hashed too")
    for p in problems:
        warnings.warn(p, SeedWarning, stacklevel=2)
    return problems


# ----------------------------------------------------------------------------- streaming core


def _suffixes(start: int, stop: int) -> list[bytes]:
    """``b"<position>)"`` for positions in [start, stop)."""
    if stop <= _SUFFIX_CACHE_MAX + 1:
        if len(_suffix_cache) < stop:
            _suffix_cache.extend(b"%d)" % p for p in range(len(_suffix_cache), stop))
        return _suffix_cache[start:stop]
    return [b"%d)" % p for p in range(start, stop)]


def _prefix9(digest_bytes: bytes) -> npt.NDArray[np.uint64]:
    """First 9 ticket digits (as an integer) of each 32-byte digest in the buffer."""
    limbs = np.frombuffer(digest_bytes, dtype=">u4").reshape(-1, 8).astype(np.uint64)
    r = limbs[:, 0] % np.uint64(_MOD)
    shift = np.uint64(1 << 32)
    mod = np.uint64(_MOD)
    for j in range(1, 8):
        r *= shift
        r += limbs[:, j]
        r %= mod
    # r = x mod 10**9; ticket digits 1..9 are r's 9 zero-padded digits reversed.
    a = r // np.uint64(1_000_000)
    b = (r // np.uint64(1000)) % np.uint64(1000)
    c = r % np.uint64(1000)
    return _REV3[c] * np.uint64(1_000_000) + _REV3[b] * np.uint64(1000) + _REV3[a]


class _Scanner:
    """Keeps the ``m`` smallest generation-1 tickets of a stream of batches."""

    def __init__(self, seed: str, m: int) -> None:
        self.m = m
        self.base = hashlib.sha256(seed_hash(seed).encode("ascii"))
        self.keys: list[Any] = []
        self.pool: list[tuple[str, tuple[Any, int]]] = []
        self.threshold = _MOD  # keys are < 10**9: everything passes until the pool is full
        self.digests: list[bytes] = []
        self.seg_off: list[int] = []
        self.seg_info: list[tuple[int, int]] = []
        self.seen = 0

    def add_batch(self, key: Any, size: int) -> None:
        bidx = len(self.keys)
        self.keys.append(key)
        if size <= 0 or self.m <= 0:
            return
        h = self.base.copy()
        h.update(("(" + repr(key) + ", ").encode("utf-8"))
        cp = h.copy
        pos = 1
        digests = self.digests
        ap = digests.append
        while pos <= size:
            take = min(size - pos + 1, CHUNK - len(digests))
            self.seg_off.append(len(digests))
            self.seg_info.append((bidx, pos))
            for s in _suffixes(pos, pos + take):
                c = cp()
                c.update(s)
                ap(c.digest())
            pos += take
            if len(digests) >= CHUNK:
                self.flush()

    def flush(self) -> None:
        digests = self.digests
        if not digests:
            return
        keys9 = _prefix9(b"".join(digests))
        idx = np.flatnonzero(keys9 <= np.uint64(self.threshold))
        if len(idx) > self.m:
            kth = np.partition(keys9[idx], self.m - 1)[self.m - 1]
            idx = idx[keys9[idx] <= kth]
        pool = self.pool
        for i in idx.tolist():
            s = bisect.bisect_right(self.seg_off, i) - 1
            bidx, first = self.seg_info[s]
            x = int.from_bytes(digests[i], "big")
            pool.append((_ticket_from_int(x), (self.keys[bidx], first + i - self.seg_off[s])))
        self.seen += len(digests)
        digests.clear()
        self.seg_off.clear()
        self.seg_info.clear()
        if len(pool) >= self.m:
            pool.sort()
            del pool[self.m :]
            self.threshold = int(pool[-1][0][2:11])

    def result(self) -> list[tuple[str, tuple[Any, int]]]:
        self.flush()
        self.pool.sort()
        return self.pool[: self.m]


def consistent_sample(
    seed: str,
    batches: Iterable[tuple[Any, int]],
    sample_size: int,
    *,
    with_replacement: bool = False,
    previous: int = 0,
    digits: int = 18,
    progress: Callable[[int], None] | None = None,
) -> list[Draw]:
    """Draw ``sample_size`` ballots after the first ``previous`` draws.

    ``batches`` yields ``(batch_key, number_of_ballots)``; the ballots of a batch have ids
    ``(batch_key, 1) .. (batch_key, number_of_ballots)``. Batch keys must be distinct. The
    result equals ``list(consistent_sampler.sampler(ids, seed, with_replacement, drop=previous,
    take=sample_size, digits=digits))`` for the same ids, and extending a sample (a larger
    ``previous`` + ``sample_size``) never changes earlier draws. ``progress`` is called with the
    number of ballots hashed so far after every chunk.
    """
    if sample_size < 0 or previous < 0:
        raise ValueError("sample size and previous draws must be >= 0")
    if digits < 1:
        raise ValueError("digits must be >= 1")
    m = previous + sample_size
    scanner = _Scanner(str(seed), m)
    seen_keys: set[Any] = set()
    for key, size in batches:
        if key in seen_keys:
            raise ValueError(f"duplicate batch in manifest: {key!r}")
        seen_keys.add(key)
        if size < 0:
            raise ValueError(f"negative number of ballots for batch {key!r}")
        before = scanner.seen + len(scanner.digests)
        scanner.add_batch(key, int(size))
        if progress is not None and scanner.seen + len(scanner.digests) - before > 0:
            progress(scanner.seen + len(scanner.digests))
    smallest = scanner.result()
    if progress is not None:
        progress(scanner.seen)
    out: list[Draw] = []
    if not with_replacement:
        for t, bid in smallest[previous:m]:
            out.append(Draw(trim(t, digits), bid, 1, t))
        return out
    # With replacement: the first m draws of the infinite basket only involve the m ballots
    # with the smallest generation-1 tickets (all later tickets of other ballots are larger).
    heap: list[tuple[str, tuple[Any, int], int]] = [(t, bid, 1) for t, bid in smallest]
    heapq.heapify(heap)
    count = 0
    while heap and count < m:
        t, bid, gen = heapq.heappop(heap)
        heapq.heappush(heap, (next_fraction(t), bid, gen + 1))
        count += 1
        if count > previous:
            out.append(Draw(trim(t, digits), bid, gen, t))
    return out


def draw_sample(
    seed: str,
    ids: Sequence[Any],
    sample_size: int,
    *,
    with_replacement: bool = False,
    previous: int = 0,
    digits: int = 18,
) -> list[Draw]:
    """Consistent sampling of an explicit list of arbitrary ids (small collections).

    Uses ``str(id)`` as the hashed text, as the peer does; ids must have distinct texts.
    """
    sh = seed_hash(str(seed))
    texts = [str(i) for i in ids]
    if len(set(texts)) != len(texts):
        raise ValueError("ids must be distinct")
    tickets = sorted((sha256_uniform(sh + tx), i) for tx, i in zip(texts, ids, strict=True))
    m = previous + sample_size
    out: list[Draw] = []
    if not with_replacement:
        return [Draw(trim(t, digits), i, 1, t) for t, i in tickets[previous:m]]
    heap = [(t, i, 1) for t, i in tickets[:m]]
    heapq.heapify(heap)
    count = 0
    while heap and count < m:
        t, i, gen = heapq.heappop(heap)
        heapq.heappush(heap, (next_fraction(t), i, gen + 1))
        count += 1
        if count > previous:
            out.append(Draw(trim(t, digits), i, gen, t))
    return out


def stark_sample(seed: str, population: int, sample_size: int, *, with_replacement: bool = True) -> list[int]:
    """The "seed,k" sampler (ColoradoRLA; Stark's audit tools): 1-based ballot indices.

    Draw k (k = 1, 2, ...) is ``int(SHA-256("<seed>,<k>"), 16) mod N + 1``. Without
    replacement, repeated indices are skipped and k keeps counting.
    """
    if population <= 0:
        raise ValueError("population must be positive")
    if not with_replacement and sample_size > population:
        raise ValueError("cannot draw more ballots than exist without replacement")
    out: list[int] = []
    seen: set[int] = set()
    k = 0
    while len(out) < sample_size:
        k += 1
        v = _sha256_int(f"{seed},{k}") % population + 1
        if not with_replacement:
            if v in seen:
                continue
            seen.add(v)
        out.append(v)
    return out

"""Benchmark: ALPHA and BRAVO sample-size estimation for a 10M-ballot contest, 0.5% margin.

.venv/bin/python bench/rla_sample_size.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from safelect.rla.alpha import alpha_sample_size
from safelect.rla.bravo import bravo_asn, bravo_sample_size
from safelect.rla.comparison import supersimple_sample_size
from safelect.rla.contest import parse_contest


def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    r = fn()
    print(f"{label:55s} {str(r):>16s} {time.perf_counter() - t0:8.3f} s", flush=True)


def main() -> int:
    c = parse_contest({"choices": {"A": 5_025_000, "B": 4_975_000}, "ballots_cast": 10_000_000})
    for alpha in (0.05, 0.10):
        print(f"-- 10,000,000 ballots, margin 0.5%, risk limit {alpha:.0%}")
        timed("BRAVO ASN", lambda: bravo_asn(c, alpha))
        for q in (0.7, 0.8, 0.9):
            timed(f"BRAVO one-round size, {q:.0%} chance to finish", lambda q=q: bravo_sample_size(c, alpha, q))
        timed("super-simple, no errors", lambda: supersimple_sample_size(alpha, 0.005, 10_000_000))
        timed("ALPHA CLCA, no errors", lambda: alpha_sample_size(c, alpha))
        timed(
            "ALPHA CLCA, o1 0.1% o2 0.01%, 90% quantile, 200 reps",
            lambda: alpha_sample_size(c, alpha, o1_rate=0.001, o2_rate=0.0001, reps=200),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

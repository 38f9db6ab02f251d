"""Benchmark: how the weekly-summary import preview grows with the number of rows.

Builds CSV files of 1,000, 10,000 and 100,000 distinct meetings (every State and territory,
dates over three years, varied locations and free text, one region table per file as a tracker
would be exported), reads each with the pure import engine (``preview_import``: read, normalise,
group, report) and prints seconds, rows per second and the growth exponent between sizes
(1.0 = linear; 2.0 = quadratic). The same synthetic rows are also grouped by a plain dict on the
meeting key, the floor any grouping must pay, and its answer is checked to be the same count.

    .venv/bin/python bench/import_growth.py [--sizes 1000,10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import math
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safelect.programs.engagements.importing import HEADERS, preview_import  # noqa: E402
from safelect.programs.engagements.importing.states import load_states  # noqa: E402

WORDS = [
    "audit",
    "logging",
    "poll",
    "books",
    "voter",
    "registration",
    "phishing",
    "exercise",
    "tabletop",
    "patching",
    "vendor",
    "network",
    "segmentation",
    "backup",
    "paper",
    "ballots",
    "training",
    "clerks",
    "county",
    "briefing",
    "incident",
    "response",
]


def rows(n: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    states = [s for s in load_states() if s.region]
    start = dt.date(2016, 1, 1)
    out = []
    for i in range(n):
        state = states[i % len(states)]
        day = start + dt.timedelta(days=(i // len(states)) % 1100)
        text = " ".join(rng.choice(WORDS) for _ in range(12))
        out.append(
            [
                str(state.region),
                state.name,
                "",
                day.strftime("%m/%d/%Y"),
                f"Office {i}",
                "J. Analyst",
                f"Clerk {i}, {state.name} elections",
                text,
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    return out


def csv_bytes(data: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(HEADERS.values()))
    writer.writerows(row[: len(HEADERS)] for row in data)
    return out.getvalue().encode()


def floor(data: list[list[str]]) -> int:
    return len({(r[0], r[1], r[3], r[4].casefold()) for r in data})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        data = rows(n)
        blob = csv_bytes(data)
        times, floors = [], []
        for _ in range(args.repeat if n <= 10_000 else 1):
            started = time.perf_counter()
            preview = preview_import(blob, "tracker.csv")
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            expected = floor(data)
            floors.append(time.perf_counter() - started)
        assert len(preview.meetings) == expected, (len(preview.meetings), expected)  # the same answer as the floor
        results.append((n, times, floors, len(blob)))
        print(
            f"{n:>7} rows ({len(blob) / 1e6:5.1f} MB): {min(times):7.2f} s (range {min(times):.2f}–{max(times):.2f}), "
            f"{n / min(times):8.0f} rows/s; dict floor {min(floors) * 1000:7.1f} ms "
            f"(ratio {min(times) / max(min(floors), 1e-9):6.0f}×); meetings {expected}",
            flush=True,
        )
    for (n1, t1, _, _), (n2, t2, _, _) in zip(results, results[1:], strict=False):
        exponent = math.log(min(t2) / min(t1)) / math.log(n2 / n1)
        print(f"growth {n1} → {n2} rows: time × {min(t2) / min(t1):.1f} for rows × {n2 / n1:.0f} (exponent {exponent:.2f}; 1.0 is linear)")
    if results:
        print(f"median seconds per 1,000 rows: {statistics.median(min(t) / n * 1000 for n, t, _, _ in results):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

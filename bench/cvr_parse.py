"""Benchmark: tallying a 1,000,000-card Dominion CVR export, against merely reading the same file
with Python's csv module (the floor any CSV-based parser stands on).

The file is generated (eight metadata columns as Democracy Suite writes them, seven contests with
26 vote columns, 10 % of cards without the local contests). Both sides read the whole file from
the page cache in the same run; the csv pass counts its rows, and the tally must report the same
number of cards. Prints each run, the medians, the full ranges and the ratio. Target: ≤ 3×. Also
times what a ballot-comparison draw does with the file: finding 200 sampled cards by place (all
must be found).

    .venv/bin/python bench/cvr_parse.py [--cards 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from safelect.rla.cvr import tally  # noqa: E402  (pure: no Django)

CONTESTS = [
    ("President and Vice President", 1, ["Adams / Baker", "Clark / Diaz", "Evans / Ford", "Write-in"]),
    ("United States Senator", 1, ["Garcia", "Hughes", "Write-in"]),
    ("Representative in Congress", 1, ["Ingram", "Jones", "Write-in"]),
    ("Governor", 1, ["King", "Lopez", "Write-in"]),
    ("County Commission", 3, ["Moore", "Nash", "Owens", "Perez", "Quinn"]),
    ("School Board", 2, ["Reed", "Shaw", "Write-in"]),
    ("Measure A", 1, ["Yes", "No"]),
]
META = ["CvrNumber", "TabulatorNum", "BatchId", "RecordId", "ImprintedId", "CountingGroup", "PrecinctPortion", "BallotType"]


def generate(path: Path, cards: int) -> None:
    rng = random.Random(2026)
    columns = [(c, a, ch) for c, a, choices in CONTESTS for ch in choices]
    with path.open("w", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL)
        writer.writerow(["Benchmark General Election", "5.17.17.1"] + [""] * (len(META) + len(columns) - 2))
        writer.writerow([""] * len(META) + [f"{c} (Vote For={a})" for c, a, _ in columns])
        writer.writerow([""] * len(META) + [ch for _c, _a, ch in columns])
        writer.writerow(META + [""] * len(columns))
        patterns = []
        for _ in range(500):  # a pool of marked cards, reused (generation is not what is measured)
            local = rng.random() > 0.1
            row = []
            for contest, allowed, choices in CONTESTS:
                if contest in ("County Commission", "School Board", "Measure A") and not local:
                    row += [""] * len(choices)
                    continue
                chosen = set(rng.sample(choices, rng.randint(0, allowed)))
                row += ["1" if ch in chosen else "0" for ch in choices]
            patterns.append(row)
        for n in range(cards):
            tabulator, batch, record = 1 + n // 200_000, n // 250, n % 250 + 1
            writer.writerow(
                [
                    n + 1,
                    tabulator,
                    batch,
                    record,
                    f"{tabulator}-{batch}-{record}",
                    "Election Day",
                    f"Precinct {n % 400 + 1} (P{n % 400 + 1})",
                    f"Ballot {n % 12 + 1}",
                ]
                + patterns[n % 500]
            )


def read_only(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    rows = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for _row in csv.reader(handle):
            rows += 1
    return time.perf_counter() - started, rows - 4


def parse(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = tally(path, "dominion")
    return time.perf_counter() - started, result.cards


def lookup(path: Path, wanted: set) -> tuple[float, int]:
    """What a ballot-comparison draw does: find the sampled cards by place and read their votes."""
    from safelect.rla.cvr.cards import cards

    started = time.perf_counter()
    found = [card for card in cards(path, "dominion", wanted=wanted)]
    return time.perf_counter() - started, len({card.place for card in found})


def sampled_places(path: Path, n: int = 200) -> set:
    """``n`` places spread over the file (every k-th card row), read with the csv module."""
    places = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = csv.reader(handle)
        for _ in range(4):
            next(rows)
        for number, row in enumerate(rows):
            if number % 4999 == 0:
                places.append((row[1], row[2], int(row[3])))
    return set(places[:n])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cvr.csv"
        generate(path, args.cards)
        print(f"{args.cards:,} cards, {path.stat().st_size / 1e6:,.0f} MB")
        read_only(path)  # warm the page cache
        wanted = sampled_places(path)
        reads, tallies, lookups = [], [], []
        for run in range(args.runs):
            seconds_read, rows = read_only(path)
            seconds_tally, cards = parse(path)
            seconds_lookup, found = lookup(path, wanted)
            if rows != cards or found != len(wanted):
                print(
                    f"DIFFERENT: csv module read {rows:,} card rows, the tally counted {cards:,}; {found} of {len(wanted)} sampled cards found"
                )
                return 1
            reads.append(seconds_read)
            tallies.append(seconds_tally)
            lookups.append(seconds_lookup)
            print(
                f"run {run + 1}: csv module {seconds_read:.2f} s, tally {seconds_tally:.2f} s (both {cards:,} cards), "
                f"lookup of {found} sampled cards {seconds_lookup:.2f} s"
            )
    ratio = statistics.median(tallies) / statistics.median(reads)
    print(f"csv module: median {statistics.median(reads):.2f} s (range {min(reads):.2f}–{max(reads):.2f})")
    print(f"safelect.rla.cvr tally: median {statistics.median(tallies):.2f} s (range {min(tallies):.2f}–{max(tallies):.2f})")
    print(f"ratio tally / read: {ratio:.2f}×  (target ≤ 3×: {'met' if ratio <= 3 else 'NOT MET'})")
    print(
        f"lookup of {len(wanted)} sampled cards (a comparison draw): median {statistics.median(lookups):.2f} s "
        f"(range {min(lookups):.2f}–{max(lookups):.2f}), {statistics.median(lookups) / statistics.median(reads):.2f}× the read"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

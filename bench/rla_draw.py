"""Benchmark: `safelect rla draw` (whole command, subprocess) vs consistent-sampler 1.0.10.

Each run is a fresh process so time and peak memory (ru_maxrss of the child) are comparable.
Also measures raw SHA-256 cost over the same ballot-id strings ("raw": build the text and one
hashlib call per ballot, as a naive implementation would) and the hashing floor ("floor": only the
per-ballot hashlib continuation of a pre-hashed seed+batch prefix, no selection at all).

    .venv/bin/python bench/rla_draw.py --sizes 1000000:1000 1000000:10000 2000000:2000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = "12345678901234567890"
BATCH = 500

PEER = r"""
import csv, sys, consistent_sampler
path, seed, n, wr = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
with open(path, newline="") as fh:
    r = csv.DictReader(fh)
    man = {(row["Jurisdiction"], row["Tabulator"] or None, row["Batch Name"]): int(row["Number of Ballots"]) for row in r}
ballots = [(k, p) for k, size in man.items() for p in range(1, size + 1)]
out = list(consistent_sampler.sampler(ballots, seed=seed, take=n, with_replacement=wr, output="tuple", digits=18))
print("\n".join(f"{ticket} {ballot!r}" for ticket, ballot, _generation in out))
"""

RAW = r"""
import csv, hashlib, sys
path, seed = sys.argv[1], sys.argv[2]
sh = hashlib.sha256(seed.encode()).hexdigest()
sha = hashlib.sha256
with open(path, newline="") as fh:
    man = [((row["Jurisdiction"], row["Tabulator"] or None, row["Batch Name"]), int(row["Number of Ballots"])) for row in csv.DictReader(fh)]
n = 0
for key, size in man:
    for p in range(1, size + 1):
        sha((sh + str((key, p))).encode()).digest()
        n += 1
print(n)
"""

FLOOR = r"""
import csv, hashlib, sys
path, seed = sys.argv[1], sys.argv[2]
base = hashlib.sha256(hashlib.sha256(seed.encode()).hexdigest().encode())
with open(path, newline="") as fh:
    man = [((row["Jurisdiction"], row["Tabulator"] or None, row["Batch Name"]), int(row["Number of Ballots"])) for row in csv.DictReader(fh)]
for key, size in man:
    h = base.copy(); h.update(("(" + repr(key) + ", ").encode()); cp = h.copy
    for p in range(1, size + 1):
        c = cp(); c.update(b"%d)" % p); c.digest()
"""


def write_manifest(path: Path, ballots: int) -> None:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Jurisdiction", "Container", "Tabulator", "Batch Name", "Number of Ballots"])
        b = 0
        left = ballots
        while left > 0:
            n = min(BATCH, left)
            w.writerow([f"County {b // 200:03d}", f"Box {b // 20}", f"TAB-{b % 7}" if b % 3 else "", f"Batch {b:06d}", n])
            left -= n
            b += 1


WRAP = (
    "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(p.returncode)"
)


def run(cmd: list[str]) -> tuple[float, float, str]:
    """Wall time and peak RSS (MB) of one fresh child process (measured by a wrapper)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", WRAP, *cmd], capture_output=True, text=True, env=env, check=True)
    dt = time.perf_counter() - t0
    rss = int(p.stderr.rsplit("MAXRSS", 1)[1].split()[0])
    return dt, rss / 1024, p.stdout


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--sizes",
        nargs="+",
        default=["1000000:1000", "1000000:10000", "2000000:2000"],
        help="N:n pairs (ballots:draws); 10000000:1000 works but the peer needs ~3 GB and ~90 s",
    )
    ap.add_argument("--with-replacement", action="store_true")
    ap.add_argument("--no-peer", action="store_true", help="skip consistent-sampler (e.g. for 10M)")
    a = ap.parse_args()
    py = sys.executable
    print(
        f"{'ballots':>10} {'draws':>6} | {'safelect s':>10} {'MB':>6} | {'peer s':>8} {'MB':>6} | {'speed x':>7} {'mem x':>6} | {'raw sha s':>9} {'ours/raw':>8} | {'floor s':>7} {'ours/floor':>10}"
    )
    with tempfile.TemporaryDirectory() as td:
        for spec in a.sizes:
            big_n, n = (int(x) for x in spec.split(":"))
            man = Path(td) / f"m{big_n}.csv"
            if not man.exists():
                write_manifest(man, big_n)
            cmd = [py, "-m", "safelect.rla", "draw", "--seed", SEED, "--manifest", str(man), "--sample-size", str(n), "--json"]
            if a.with_replacement:
                cmd.append("--with-replacement")
            # ours first (smaller peak RSS), measured in its own process tree
            t_ours, m_ours, out_ours = run(cmd)
            t_raw, _, _ = run([py, "-c", RAW, str(man), SEED])
            t_floor, _, _ = run([py, "-c", FLOOR, str(man), SEED])
            if a.no_peer:
                t_peer = m_peer = float("nan")
            else:
                t_peer, m_peer, out_peer = run([py, "-c", PEER, str(man), SEED, str(n), "1" if a.with_replacement else "0"])
                ours = [f"{d['ticket']} {d['id']}" for d in json.loads(out_ours)["draws"]]
                theirs = out_peer.strip().splitlines()
                # The same answer in the same run, draw for draw, or the timing means nothing.
                assert ours == theirs, f"draws differ from consistent-sampler at {big_n:,}:{n}: first difference " + next(
                    (f"#{i}: {x} vs {y}" for i, (x, y) in enumerate(zip(ours, theirs, strict=False)) if x != y),
                    f"lengths {len(ours)} vs {len(theirs)}",
                )
            print(
                f"{big_n:>10,} {n:>6} | {t_ours:>10.2f} {m_ours:>6.0f} | {t_peer:>8.2f} {m_peer:>6.0f} | "
                f"{t_peer / t_ours:>7.1f} {m_peer / m_ours:>6.1f} | {t_raw:>9.2f} {t_ours / t_raw:>8.2f} | "
                f"{t_floor:>7.2f} {t_ours / t_floor:>10.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

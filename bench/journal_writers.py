"""Benchmark: do the journal's chains let unrelated writes proceed at once?

Every ``journal.record`` holds a transaction-scoped advisory lock on one of the journal's chains
until its transaction commits, so that each entry has exactly one successor in its chain. This
measures what that costs: W writer *processes* (as the web server's and worker's processes are),
each running short service-like transactions (insert a row into a scratch table, "work" for a few
milliseconds, then record a journal entry — the order services use), for W = 1, 2, 4, 8, 16:
without a journal entry, with the journal in one chain (``SAFELECT_JOURNAL_PARTITIONS=1``: exactly
the former single-lock design), and with it in several chains (default 8). If the journal serialised
unrelated work, throughput with it would stay flat as W grows while throughput without it rises.
Every chain is verified afterwards and every journalled transaction must have left one entry (the
same answer in the same run).

    .venv/bin/python bench/journal_writers.py [--seconds 5] [--work-ms 5] [--chains 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SAFELECT = str(Path(sys.executable).with_name("safelect"))

SCRIPT = r"""
import json, multiprocessing, time
from django.conf import settings
from django.db import connection, connections, transaction
from safelect.core.journal.services import record
from safelect.core.journal.integrity import verify

with connection.cursor() as c:
    c.execute("create table if not exists bench_scratch (id bigserial primary key, worker int, at timestamptz default now())")
connections.close_all()  # no connection may cross the fork

def writer(n, journal, until, work, out):
    done = 0
    while time.time() < until:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("insert into bench_scratch (worker) values (%s)", [n])
            time.sleep(work)  # the service's own work, inside its transaction
            if journal:
                record(action="bench:scratch:write", object_type="bench.scratch", object_id=str(done), summary={"worker": n})
        done += 1
    connections.close_all()
    out.put(done)

fork = multiprocessing.get_context("fork")
results = {}
for mode, chains in (("plain", None), ("one-chain", 1), ("chains", CHAINS)):
    if chains:
        settings.JOURNAL_PARTITIONS = chains  # read at each append; 1 is exactly the former single-lock design
    for writers in (1, 2, 4, 8, 16):
        out = fork.Queue()
        until = time.time() + 0.5 + SECONDS
        procs = [fork.Process(target=writer, args=(n, chains is not None, until, WORK, out)) for n in range(writers)]
        for p in procs: p.start()
        total = sum(out.get() for _ in procs)
        for p in procs: p.join()
        results[f"{mode}-{writers}"] = total / (SECONDS + 0.5)
verdict = verify()
from safelect.core.journal.models import Entry
print("RESULT " + json.dumps({"rates": results, "intact": verdict.intact, "chains": verdict.chains,
      "entries": Entry.objects.filter(action="bench:scratch:write").count(),
      "expected": round(sum(v * (SECONDS + 0.5) for k, v in results.items() if not k.startswith("plain")))}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--work-ms", type=float, default=5.0)
    parser.add_argument("--chains", type=int, default=8, help="chains for the 'chains' rows (SAFELECT_JOURNAL_PARTITIONS)")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="safelect-journal-bench-")
    env = {**os.environ, "SAFELECT_HOME": home, "SAFELECT_LOG_LEVEL": "WARNING", "SAFELECT_DATABASE_ROLE": "owner"}
    env.pop("DATABASE_URL", None)
    try:
        subprocess.run([SAFELECT, "migrate", "-v", "0"], env=env, check=True)
        script = (
            SCRIPT.replace("SECONDS", repr(args.seconds)).replace("WORK", repr(args.work_ms / 1000)).replace("CHAINS", str(args.chains))
        )
        out = subprocess.run([SAFELECT, "shell", "-c", script], env=env, check=True, capture_output=True, text=True).stdout
        import json

        result = json.loads(out.split("RESULT ", 1)[1])
        assert result["intact"], "the chain must verify after the run"
        assert abs(result["entries"] - result["expected"]) <= 32, result  # every journalled transaction left one entry
        rates = result["rates"]
        print(f"service transactions per second, writer processes ({args.work_ms:g} ms of work each, {args.seconds:g} s per row):")
        print(f"{'writers':>8} {'no journal':>11} {'1 chain':>8} {'ratio':>6} {f'{args.chains} chains':>10} {'ratio':>6}")
        for writers in (1, 2, 4, 8, 16):
            plain, one, many = rates[f"plain-{writers}"], rates[f"one-chain-{writers}"], rates[f"chains-{writers}"]
            print(f"{writers:>8} {plain:>11.0f} {one:>8.0f} {one / plain:>6.2f} {many:>10.0f} {many / plain:>6.2f}")
        print(f"every chain intact after {result['entries']} bench entries in {result['chains']} chains")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

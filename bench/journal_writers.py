"""Benchmark: does the journal's one chain serialise unrelated writes?

Every ``journal.record`` takes one transaction-scoped advisory lock until its transaction commits,
so that each entry has exactly one successor. This measures what that costs: W writer threads, each
running short service-like transactions (insert a row into a scratch table, "work" for a few
milliseconds, then record a journal entry — the order services use), with and without the journal
entry, for W = 1, 2, 4, 8. If the journal serialised unrelated work, throughput with the journal
would stay flat as W grows while throughput without it rises. The chain is verified afterwards
(the same answer in the same run: every entry counted, chain intact).

    .venv/bin/python bench/journal_writers.py [--seconds 5] [--work-ms 5]
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
import json, threading, time
from django.db import connection, connections, transaction
from safelect.core.journal.services import record
from safelect.core.journal.integrity import verify

with connection.cursor() as c:
    c.execute("create table if not exists bench_scratch (id bigserial primary key, worker int, at timestamptz default now())")

def writer(n, journal, until, counts, work):
    done = 0
    while time.perf_counter() < until:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("insert into bench_scratch (worker) values (%s)", [n])
            time.sleep(work)  # the service's own work, inside its transaction
            if journal:
                record(action="bench:scratch:write", object_type="bench.scratch", object_id=str(done), summary={"worker": n})
        done += 1
    counts[n] = done
    connections.close_all()

results = {}
for journal in (False, True):
    for writers in (1, 2, 4, 8):
        counts = {}
        until = time.perf_counter() + SECONDS
        threads = [threading.Thread(target=writer, args=(n, journal, until, counts, WORK)) for n in range(writers)]
        for t in threads: t.start()
        for t in threads: t.join()
        results[f"{'journal' if journal else 'plain'}-{writers}"] = sum(counts.values()) / SECONDS
verdict = verify()
from safelect.core.journal.models import Entry
print("RESULT " + json.dumps({"rates": results, "intact": verdict.intact,
      "entries": Entry.objects.filter(action="bench:scratch:write").count(),
      "expected": round(sum(v * SECONDS for k, v in results.items() if k.startswith("journal")))}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--work-ms", type=float, default=5.0)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="safelect-journal-bench-")
    env = {**os.environ, "SAFELECT_HOME": home, "SAFELECT_LOG_LEVEL": "WARNING", "SAFELECT_DATABASE_ROLE": "owner"}
    env.pop("DATABASE_URL", None)
    try:
        subprocess.run([SAFELECT, "migrate", "-v", "0"], env=env, check=True)
        script = SCRIPT.replace("SECONDS", repr(args.seconds)).replace("WORK", repr(args.work_ms / 1000))
        out = subprocess.run([SAFELECT, "shell", "-c", script], env=env, check=True, capture_output=True, text=True).stdout
        import json

        result = json.loads(out.split("RESULT ", 1)[1])
        assert result["intact"], "the chain must verify after the run"
        assert abs(result["entries"] - result["expected"]) <= 8, result  # every journalled transaction left one entry
        rates = result["rates"]
        print(f"service transactions per second ({args.work_ms:g} ms of work each, {args.seconds:g} s per row):")
        print(f"{'writers':>8} {'no journal':>11} {'journal':>9} {'ratio':>6}")
        for writers in (1, 2, 4, 8):
            plain, journal = rates[f"plain-{writers}"], rates[f"journal-{writers}"]
            print(f"{writers:>8} {plain:>11.0f} {journal:>9.0f} {journal / plain:>6.2f}")
        print(f"chain intact after {result['entries']} bench entries")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

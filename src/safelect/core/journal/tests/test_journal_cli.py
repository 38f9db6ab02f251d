"""Acceptance: `safelect journal verify` passes, then fails naming the entry a SQL UPDATE altered.

The tampering is tried twice: with the application's own credentials (refused by PostgreSQL), then
as the owner of the tables, who can disable the trigger — and is caught by `journal verify`."""

import json
import os
import subprocess
import sys
from pathlib import Path

SAFELECT = str(Path(sys.executable).with_name("safelect"))

RECORD = """
from safelect.core.journal.services import record_standalone
for i in range(5):
    record_standalone(action="directory:organization:update", object_type="directory.organization", object_id=str(i), summary={"n": [i, i + 1]})
"""

TAMPER = """
from django.db import connection
with connection.cursor() as c:
    c.execute("ALTER TABLE journal_entry DISABLE TRIGGER journal_entry_no_update")
    c.execute("UPDATE journal_entry SET summary = '{\\\"n\\\": [2, 99]}' WHERE sequence = 3")
    c.execute("ALTER TABLE journal_entry ENABLE TRIGGER journal_entry_no_update")
    c.execute("SELECT id, partition FROM journal_entry WHERE sequence = 3")
    print(*c.fetchone())
"""


def test_verify_command_exit_status_and_message(tmp_path):
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path / "home"), "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)

    def run(*args, role="app"):
        return subprocess.run([SAFELECT, *args], env={**env, "SAFELECT_DATABASE_ROLE": role}, capture_output=True, text=True, timeout=120)

    assert run("migrate", "-v", "0").returncode == 0
    assert run("shell", "-c", RECORD).returncode == 0
    ok = run("journal", "verify")
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "journal intact: 5 entries in 1 chain", ok.stdout + ok.stderr
    assert run("journal", "checkpoint").returncode == 0
    refused = run("shell", "-c", TAMPER)
    assert refused.returncode != 0 and "must be owner of table journal_entry" in refused.stderr
    tampered_id, chain = run("shell", "-c", TAMPER, role="owner").stdout.strip().splitlines()[-1].split()
    position = f"{chain}.3" if chain != "0" else "3"  # the five entries went to the recording process's home chain
    broken = run("journal", "verify")
    assert broken.returncode == 1
    lines = broken.stdout.strip().splitlines()
    assert (
        lines[0]
        == f"journal broken at entry #{position} (id {tampered_id}): content does not match its stored hash (the entry was altered)"
    )
    # The stored hashes were left alone, so the checkpoint still matches: the chain check is what names it.
    assert lines[1] == "checkpoints: 1 signed checkpoint(s) match the journal"


CONCURRENT = """
import threading, time
from django.db import connection, connections, transaction
from safelect.core.journal.services import record

def writer(n):
    for i in range(10):
        with transaction.atomic():
            record(action="directory:organization:update", object_type="bench.writer", object_id=f"{n}-{i}", summary={"n": n})
            time.sleep(0.01)  # the service's own work, holding its chain
    connections.close_all()

threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
for t in threads: t.start()
for t in threads: t.join()
"""


def test_concurrent_services_append_to_several_chains_and_the_journal_verifies(tmp_path):
    """Six sessions appending at once spread over the chains; every entry is kept, every chain
    verifies and a checkpoint signs them all."""
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path / "home"), "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)

    def run(*args, role="app"):
        return subprocess.run([SAFELECT, *args], env={**env, "SAFELECT_DATABASE_ROLE": role}, capture_output=True, text=True, timeout=120)

    assert run("migrate", "-v", "0").returncode == 0
    made = run("shell", "-c", CONCURRENT)
    assert made.returncode == 0, made.stderr
    assert run("journal", "checkpoint").returncode == 0
    verdict = run("journal", "verify", "--json")
    assert verdict.returncode == 0, verdict.stdout + verdict.stderr
    result = json.loads(verdict.stdout)
    assert result["intact"] and result["entries"] == 60 and result["checkpoints_ok"]
    assert result["chains"] > 1  # six overlapping transactions cannot all have used one chain

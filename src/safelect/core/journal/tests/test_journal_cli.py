"""Acceptance: `safelect journal verify` passes, then fails naming the entry a SQL UPDATE altered."""

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
    c.execute("SELECT id FROM journal_entry WHERE sequence = 3")
    print(c.fetchone()[0])
"""


def test_verify_command_exit_status_and_message(tmp_path):
    env = {**os.environ, "SAFELECT_HOME": str(tmp_path / "home"), "SAFELECT_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)

    def run(*args):
        return subprocess.run([SAFELECT, *args], env=env, capture_output=True, text=True, timeout=120)

    assert run("migrate", "-v", "0").returncode == 0
    assert run("shell", "-c", RECORD).returncode == 0
    ok = run("journal", "verify")
    assert ok.returncode == 0 and ok.stdout.strip() == "journal intact: 5 entries", ok.stdout + ok.stderr
    tampered_id = run("shell", "-c", TAMPER).stdout.strip().splitlines()[-1]
    broken = run("journal", "verify")
    assert broken.returncode == 1
    assert broken.stdout.strip() == f"journal broken at entry #3 (id {tampered_id}): content does not match its stored hash (the entry was altered)"

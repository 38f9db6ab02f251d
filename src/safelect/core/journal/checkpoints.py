"""Signed checkpoints that anchor the journal outside the database.

The hash chain shows an edit in the middle of the journal, but someone who controls the database
(its owner or a superuser: they can disable the triggers) could delete the last entries, truncate
the table, or rewrite an entry and recompute every later hash — the chain would still verify.
A checkpoint records, at a moment, how many entries there were and the last entry of each of the
journal's chains (its sequence and hash), signed
with HMAC-SHA256 under a key that is **not in the database**, and is appended to a file outside the
data directory of PostgreSQL. ``safelect journal verify`` then compares the table with every
checkpoint: a chain shorter than a checkpoint saw, or fewer entries, means deleted tail entries or a
truncation; a different hash at a checkpointed position means a rewrite, however carefully
re-hashed. Checkpoints written before the journal had chains (one head) are still read and checked
against chain 0, which holds every earlier entry unchanged.

Where the key and the file live (settings):

* ``SAFELECT_JOURNAL_KEY`` — the key itself, or ``SAFELECT_JOURNAL_KEY_FILE`` — a file holding it
  (default ``SAFELECT_HOME/journal-checkpoint.key``, generated once with mode 0600);
* ``SAFELECT_JOURNAL_CHECKPOINTS`` — the append-only log (default
  ``SAFELECT_HOME/journal-checkpoints.jsonl``).

For the checkpoints to mean anything against a database administrator, keep the key where that
person cannot read it and the log where they cannot rewrite it: the key in the web servers'
environment only (not on the database host), the log on another machine or a write-once store
(``chattr +a``, object-lock storage, or shipped by syslog). Honest limits: whoever holds the key
*and* can rewrite the log can forge history; entries written after the latest checkpoint are
covered by the chain only, so a tail added and then removed between two checkpoints is not seen.
Checkpoints are written every 10 minutes by the worker (``journal.checkpoint``) and on demand by
``safelect journal checkpoint``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .models import Entry


@dataclass(frozen=True)
class Checkpoint:
    """The journal at a moment: its entry count and each chain's last (sequence, hash)."""

    at: str
    entries: int
    heads: tuple[tuple[int, int, str], ...]  # (chain, sequence, entry_hash), one per chain
    mac: str = ""
    legacy: bool = False  # written before the journal had chains: one head, the older layout

    def body(self) -> bytes:
        if self.legacy:
            _, sequence, head = self.heads[0] if self.heads else (0, 0, "")
            data = {"at": self.at, "entries": self.entries, "sequence": sequence, "head": head}
        else:
            data = {"at": self.at, "entries": self.entries, "heads": {str(p): [seq, head] for p, seq, head in self.heads}}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def line(self) -> bytes:
        data = json.loads(self.body())
        data["mac"] = self.mac
        return json.dumps(data, sort_keys=True).encode()

    @classmethod
    def parse(cls, data: dict) -> Checkpoint:
        if "heads" in data:
            heads = tuple(sorted((int(p), int(v[0]), str(v[1])) for p, v in data["heads"].items()))
            return cls(data["at"], int(data["entries"]), heads, data["mac"])
        sequence = int(data["sequence"])
        return cls(data["at"], int(data["entries"]), ((0, sequence, data["head"]),) if sequence else (), data["mac"], legacy=True)


class CheckpointKeyError(RuntimeError):
    """No usable key: the message says how to provide one."""


def log_path() -> Path:
    return Path(settings.JOURNAL_CHECKPOINTS)


def key() -> bytes:
    configured = settings.JOURNAL_KEY
    if configured:
        if len(configured) < 32:
            raise CheckpointKeyError("SAFELECT_JOURNAL_KEY is shorter than 32 characters: use a long random value")
        return configured.encode()
    path = Path(settings.JOURNAL_KEY_FILE)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    text = path.read_text().strip()
    if len(text) < 32:
        raise CheckpointKeyError(f"the journal checkpoint key in {path} is shorter than 32 characters")
    return text.encode()


def sign(checkpoint: Checkpoint, secret: bytes | None = None) -> Checkpoint:
    mac = hmac.new(secret or key(), checkpoint.body(), hashlib.sha256).hexdigest()
    return replace(checkpoint, mac=mac)


# One statement, so the count and the heads come from one snapshot.
_STATE = (
    "select c.n, h.partition, h.sequence, h.entry_hash from (select count(*) as n from journal_entry) c "
    "left join (select e.partition, e.sequence, e.entry_hash from journal_entry e "
    " join (select partition, max(sequence) as sequence from journal_entry group by partition) l "
    " on l.partition = e.partition and l.sequence = e.sequence) h on true order by h.partition"
)


def _table_state() -> tuple[int, dict[int, tuple[int, str]]]:
    """Entry count and each chain's (last sequence, its hash)."""
    with connection.cursor() as cursor:
        cursor.execute(_STATE)
        rows = cursor.fetchall()
    return rows[0][0], {p: (seq, head) for _, p, seq, head in rows if p is not None}


def head() -> Checkpoint:
    """The journal's current size and every chain's head, read in one snapshot."""
    count, heads = _table_state()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Checkpoint(now, count, tuple((p, seq, h) for p, (seq, h) in sorted(heads.items())))


def write() -> Checkpoint:
    """Append a signed checkpoint of the journal as it is now (fsynced) and return it."""
    checkpoint = sign(head())
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, checkpoint.line() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return checkpoint


@dataclass(frozen=True)
class Finding:
    ok: bool
    checkpoints: int
    reason: str = ""
    checkpoint: dict | None = None


def read_log() -> list[tuple[int, Checkpoint | None, str]]:
    """(line number, checkpoint or None, problem) for every line of the log."""
    path = log_path()
    if not path.exists():
        return []
    out = []
    secret = key()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            checkpoint = Checkpoint.parse(json.loads(line))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            out.append((number, None, "unreadable line"))
            continue
        expected = sign(checkpoint, secret).mac
        if not hmac.compare_digest(expected, checkpoint.mac):
            out.append((number, checkpoint, "its signature does not match (forged, or signed with another key)"))
        else:
            out.append((number, checkpoint, ""))
    return out


def check() -> Finding:
    """Compare the journal table with every signed checkpoint (see the module docstring)."""
    lines = read_log()
    good = 0
    with transaction.atomic():
        count, chains = _table_state()
        for number, checkpoint, problem in lines:
            where = f"checkpoint on line {number}"
            if problem:
                return Finding(False, good, f"{where}: {problem}")
            seen = {"at": checkpoint.at, "entries": checkpoint.entries, "heads": [list(h) for h in checkpoint.heads]}
            if checkpoint.entries and count == 0:
                return Finding(
                    False,
                    good,
                    f"the journal is empty but the {where} ({checkpoint.at}) saw {checkpoint.entries} entries: the table was truncated",
                    seen,
                )
            for partition, sequence, signed_head in checkpoint.heads:
                last = chains.get(partition, (0, ""))[0]
                label = f"#{partition}.{sequence}" if partition else f"#{sequence}"
                if last < sequence:
                    missing = sequence - last
                    return Finding(
                        False,
                        good,
                        f"{missing} entr{'y' if missing == 1 else 'ies'} missing at the tail of chain {partition}: the {where} "
                        f"({checkpoint.at}) saw it up to {label}, the table has it up to #{last} (deleted or truncated)",
                        seen,
                    )
                stored = Entry.objects.filter(partition=partition, sequence=sequence).values_list("entry_hash", flat=True).first()
                if stored != signed_head:
                    return Finding(
                        False,
                        good,
                        f"entry {label} does not have the hash the {where} ({checkpoint.at}) "
                        "signed: the journal up to it was rewritten (and re-hashed)",
                        seen,
                    )
            if count < checkpoint.entries:
                missing = checkpoint.entries - count
                return Finding(
                    False,
                    good,
                    f"{missing} entr{'y' if missing == 1 else 'ies'} missing: the {where} ({checkpoint.at}) saw "
                    f"{checkpoint.entries} entries, the table has {count} (deleted)",
                    seen,
                )
            good += 1
    return Finding(True, good)

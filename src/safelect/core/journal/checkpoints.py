"""Signed checkpoints that anchor the journal outside the database.

The hash chain shows an edit in the middle of the journal, but someone who controls the database
(its owner or a superuser: they can disable the triggers) could delete the last entries, truncate
the table, or rewrite an entry and recompute every later hash — the chain would still verify.
A checkpoint records, at a moment, how many entries there were and the hash of the last one, signed
with HMAC-SHA256 under a key that is **not in the database**, and is appended to a file outside the
data directory of PostgreSQL. ``safelect journal verify`` then compares the table with every
checkpoint: fewer entries than a checkpoint saw means deleted tail entries or a truncation; a
different hash at a checkpointed sequence means a rewrite, however carefully re-hashed.

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
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from .models import Entry


@dataclass(frozen=True)
class Checkpoint:
    at: str
    entries: int
    sequence: int
    head: str
    mac: str = ""

    def body(self) -> bytes:
        data = {"at": self.at, "entries": self.entries, "sequence": self.sequence, "head": self.head}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()


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
    return Checkpoint(**{**asdict(checkpoint), "mac": mac})


def head() -> Checkpoint:
    """The journal's current size and last hash, read in one snapshot."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("select count(*), coalesce(max(sequence), 0) from journal_entry")
            count, sequence = cursor.fetchone()
        last = Entry.objects.filter(sequence=sequence).values_list("entry_hash", flat=True).first() if sequence else ""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Checkpoint(now, count, sequence, last or "")


def write() -> Checkpoint:
    """Append a signed checkpoint of the journal as it is now (fsynced) and return it."""
    checkpoint = sign(head())
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, json.dumps(asdict(checkpoint), sort_keys=True).encode() + b"\n")
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
            data = json.loads(line)
            checkpoint = Checkpoint(data["at"], int(data["entries"]), int(data["sequence"]), data["head"], data["mac"])
        except (ValueError, KeyError, TypeError):
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
        with connection.cursor() as cursor:
            cursor.execute("select count(*), coalesce(max(sequence), 0) from journal_entry")
            count, last = cursor.fetchone()
        for number, checkpoint, problem in lines:
            where = f"checkpoint on line {number}"
            if problem:
                return Finding(False, good, f"{where}: {problem}")
            seen = asdict(checkpoint)
            if checkpoint.entries and count == 0:
                return Finding(
                    False,
                    good,
                    f"the journal is empty but the {where} ({checkpoint.at}) saw {checkpoint.entries} entries: the table was truncated",
                    seen,
                )
            if last < checkpoint.sequence or count < checkpoint.entries:
                missing = max(checkpoint.entries - count, checkpoint.sequence - last)
                return Finding(
                    False,
                    good,
                    f"{missing} entr{'y' if missing == 1 else 'ies'} missing at the tail: the {where} "
                    f"({checkpoint.at}) saw {checkpoint.entries} entries up to #{checkpoint.sequence}, "
                    f"the table has {count} up to #{last} (deleted or truncated)",
                    seen,
                )
            if checkpoint.sequence:
                stored = Entry.objects.filter(sequence=checkpoint.sequence).values_list("entry_hash", flat=True).first()
                if stored != checkpoint.head:
                    return Finding(
                        False,
                        good,
                        f"entry #{checkpoint.sequence} does not have the hash the {where} ({checkpoint.at}) "
                        "signed: the journal up to it was rewritten (and re-hashed)",
                        seen,
                    )
            good += 1
    return Finding(True, good)

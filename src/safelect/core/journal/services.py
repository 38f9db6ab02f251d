"""Appending to the journal. Every service that writes calls :func:`record` inside its transaction.

The journal is ``SAFELECT_JOURNAL_PARTITIONS`` hash chains. A transaction's first entry claims one
chain with a transaction-scoped advisory lock (key ``(_LOCK_KEY, chain)``) and keeps it until it
commits or rolls back, so each chain has exactly one successor per entry and a rolled-back write
leaves no entry; all of a transaction's entries go to the chain it claimed. A transaction tries its
"home" chain first (the database backend's process id modulo the number of chains), then any free
one, and waits for its home chain only when every chain is busy — so up to that many services
append at once, where one chain made every journalled transaction wait for the one before.
A transaction never holds two chains, so the journal cannot deadlock with itself.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from . import chain
from .models import GENESIS_HASH, Entry

_LOCK_KEY = 0x5AFE1EC7  # first key of pg_advisory_xact_lock(key, chain) on the journal's chains

_CLAIM = (
    # coalesce/case evaluate lazily: the home chain is tried only when the preferred one is not had
    "select case when %(preferred)s::int is not null and pg_try_advisory_xact_lock(%(key)s, %(preferred)s::int) then %(preferred)s::int"
    " when pg_try_advisory_xact_lock(%(key)s, %(home)s) then %(home)s end"
)


def _claim_chain(cursor) -> int:
    """The chain this transaction appends to (see the module docstring).

    The session first asks again for the chain it used last: advisory locks are re-entrant, so a
    transaction that already holds its chain gets the same one back at once (one round trip), and
    a new transaction starts where the last one appended. Then its home chain, then any free one,
    and only then does it wait (for its home chain). A lock released by a rolled-back savepoint is
    simply taken again, or another chain is — a transaction never holds two."""
    chains = settings.JOURNAL_PARTITIONS
    home = connection.connection.info.backend_pid % chains
    preferred = getattr(connection, "_safelect_journal_chain", None)
    if preferred is not None and preferred >= chains:
        preferred = None  # the number of chains was lowered since
    cursor.execute(_CLAIM, {"key": _LOCK_KEY, "home": home, "preferred": preferred})
    claimed = cursor.fetchone()[0]
    if claimed is None:
        for step in range(1, chains):
            candidate = (home + step) % chains
            if candidate == preferred:
                continue
            cursor.execute("select pg_try_advisory_xact_lock(%s, %s)", [_LOCK_KEY, candidate])
            if cursor.fetchone()[0]:
                claimed = candidate
                break
        else:
            cursor.execute("select pg_advisory_xact_lock(%s, %s)", [_LOCK_KEY, home])
            claimed = home
    connection._safelect_journal_chain = claimed
    return claimed


def _jsonable(summary: Any) -> Any:
    if summary is None:
        return {}
    if isinstance(summary, str):
        return {"description": summary}
    return json.loads(json.dumps(summary, default=str))


def record(
    *,
    actor=None,
    organization=None,
    action: str,
    obj=None,
    summary: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> Entry:
    """Append one entry: ``actor`` (a user or None for the system), the acting ``organization``,
    the ``action`` (``app:resource:verb``), the object changed, and ``summary`` (a dict of
    field → [old, new], or text). Must run inside the caller's transaction."""
    if action.count(":") != 2:
        raise ValueError(f"journal action {action!r} must be app:resource:verb")
    if not connection.in_atomic_block:
        raise RuntimeError("journal.record must be called inside the service's transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:300]
    with connection.cursor() as cursor:
        partition = _claim_chain(cursor)
    last = Entry.objects.filter(partition=partition).order_by("-sequence").values("sequence", "entry_hash").first()
    sequence = (last["sequence"] + 1) if last else 1
    previous = last["entry_hash"] if last else GENESIS_HASH
    fields = dict(
        partition=partition,
        sequence=sequence,
        recorded_at=dt.datetime.now(dt.UTC),
        actor_id=getattr(actor, "pk", None),
        actor_label=(str(actor) if actor is not None else "system")[:200],
        organization_id=getattr(organization, "pk", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label[:300],
        summary=_jsonable(summary),
        previous_hash=previous,
    )
    return Entry.objects.create(**fields, entry_hash=chain.entry_hash(**fields))


def changes(before: dict, after: dict) -> dict:
    """Field → [old, new] for the fields whose values differ: the usual ``summary``."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)}


@transaction.atomic
def record_standalone(**kwargs) -> Entry:
    """Record outside any service transaction (e.g. a command that changed nothing else)."""
    return record(**kwargs)


from .history import register_field_words, register_history  # noqa: E402,F401  (apps register who may see an object's history)

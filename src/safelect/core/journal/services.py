"""Appending to the journal. Every service that writes calls :func:`record` inside its transaction.

Entries are serialised with a transaction-scoped advisory lock so the chain has exactly one
successor per entry even with many writers; the lock is released when the service's transaction
commits or rolls back (a rolled-back write leaves no entry).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import connection, transaction

from . import chain
from .models import GENESIS_HASH, Entry

_LOCK_KEY = 0x5AFE1EC7  # pg_advisory_xact_lock key of the journal chain


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
        cursor.execute("select pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    last = Entry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
    sequence = (last["sequence"] + 1) if last else 1
    previous = last["entry_hash"] if last else GENESIS_HASH
    fields = dict(
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


from .history import register_history  # noqa: E402,F401  (apps register who may see an object's history)

"""The canonical text of an entry and its SHA-256, shared by ``record`` and ``verify``."""

from __future__ import annotations

import hashlib
import json


def canonical(
    *,
    partition=0,
    sequence,
    recorded_at,
    actor_id,
    actor_label,
    organization_id,
    action,
    object_type,
    object_id,
    object_label,
    summary,
    previous_hash,
) -> bytes:
    """A stable serialization: sorted keys, no whitespace, ISO times in UTC with microseconds.

    Chain 0 leaves ``partition`` out, so entries written before the journal had several chains
    keep their hashes (and their signed checkpoints stay valid)."""
    body = {
        "sequence": sequence,
        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "organization_id": organization_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label,
        "summary": summary,
        "previous_hash": previous_hash,
    }
    if partition:
        body["partition"] = partition
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def entry_hash(**fields) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def hash_of(entry) -> str:
    """Recompute an existing entry's hash from its stored fields."""
    return entry_hash(
        partition=entry.partition,
        sequence=entry.sequence,
        recorded_at=entry.recorded_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        organization_id=entry.organization_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_label=entry.object_label,
        summary=entry.summary,
        previous_hash=entry.previous_hash,
    )

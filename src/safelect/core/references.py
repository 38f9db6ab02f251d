"""Human references for records (``INF-2026-00042``): one way for every app.

The number is the row's primary key, set in the same transaction as the row: counting existing rows
would give two concurrent writers the same number (and a unique-constraint error)."""

from __future__ import annotations

import uuid


def create_numbered(model, prefix: str, year: int, **fields):
    """Create a ``model`` row with ``fields`` and its reference ``PREFIX-YEAR-NNNNN`` (a unique
    placeholder first, then the primary key once it is known)."""
    row = model.objects.create(reference=f"pending-{uuid.uuid4().hex[:12]}", **fields)
    row.reference = f"{prefix}-{year}-{row.pk:05d}"
    row.save(update_fields=["reference"])
    return row

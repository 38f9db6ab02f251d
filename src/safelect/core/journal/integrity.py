"""Checking the chain: every entry's hash, its link to the one before, and no gap in the sequence."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from . import chain
from .models import GENESIS_HASH, Entry


@dataclass(frozen=True)
class Verdict:
    intact: bool
    entries: int
    broken_sequence: int | None = None
    broken_id: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        if self.intact:
            return f"journal intact: {self.entries} entries"
        return f"journal broken at entry #{self.broken_sequence} (id {self.broken_id}): {self.reason}"


def verify(chunk_size: int = 5000) -> Verdict:
    """Walk the journal in sequence order and stop at the first entry that does not check out.

    An altered row no longer matches its own hash; a removed row leaves a gap in the sequence
    and a successor whose ``previous_hash`` names nobody; a row whose hash was recomputed after an
    edit breaks its successor's link.
    """
    previous_hash, expected, count = GENESIS_HASH, 1, 0
    for entry in Entry.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        reason = ""
        if entry.sequence != expected:
            reason = (
                f"sequence {entry.sequence} follows {expected - 1}: entries are missing"
                if entry.sequence > expected
                else f"sequence {entry.sequence} repeats or goes back"
            )
        elif entry.previous_hash != previous_hash:
            reason = "previous_hash does not match the hash of the entry before it"
        elif chain.hash_of(entry) != entry.entry_hash:
            reason = "content does not match its stored hash (the entry was altered)"
        if reason:
            return Verdict(False, count, entry.sequence, entry.pk, reason)
        previous_hash, expected, count = entry.entry_hash, entry.sequence + 1, count + 1
    return Verdict(True, count)

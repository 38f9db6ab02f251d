"""Checking the chains: every entry's hash, its link to the one before in its chain, no gap."""

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
    chains: int = 0
    broken_partition: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        if self.intact:
            return f"journal intact: {self.entries} entries in {self.chains} chain{'' if self.chains == 1 else 's'}"
        where = f"{self.broken_partition}.{self.broken_sequence}" if self.broken_partition else f"{self.broken_sequence}"
        return f"journal broken at entry #{where} (id {self.broken_id}): {self.reason}"


def verify(chunk_size: int = 5000) -> Verdict:
    """Walk each chain in sequence order and stop at the first entry that does not check out.

    An altered row no longer matches its own hash; a removed row leaves a gap in its chain's
    sequence and a successor whose ``previous_hash`` names nobody; a row whose hash was recomputed
    after an edit breaks its successor's link. (Rows removed from a chain's tail, or a whole chain,
    are found by the signed checkpoints: :mod:`.checkpoints`.)
    """
    count, chains, partition = 0, 0, None
    previous_hash, expected = GENESIS_HASH, 1
    for entry in Entry.objects.order_by("partition", "sequence").iterator(chunk_size=chunk_size):
        if entry.partition != partition:
            partition, previous_hash, expected, chains = entry.partition, GENESIS_HASH, 1, chains + 1
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
            return Verdict(False, count, entry.sequence, entry.pk, reason, chains, entry.partition)
        previous_hash, expected, count = entry.entry_hash, entry.sequence + 1, count + 1
    return Verdict(True, count, chains=chains)
